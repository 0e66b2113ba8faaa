namespace Isc.Recipe;

/// <summary>
/// A DISC21 evaluation set of the paper profile: which of the user's query and reference images it takes (the challenge's
/// id lists; null: every image of the folder) and its ground truth, all published in the challenge's repository.
/// </summary>
public sealed record DiscEvalSet(string Name, string Description, PublishedFile GroundTruth, PublishedFile? QueryList, PublishedFile? ReferenceList)
{
    public string Target => ArtifactKinds.EvalSetPrefix + Name;
    public IEnumerable<PublishedFile> Files => new[] { GroundTruth, QueryList, ReferenceList }.OfType<PublishedFile>();
}

public static class DiscEvalSets
{
    /// <summary>The challenge's list files, at a pinned commit of facebookresearch/isc2021 (hashes pinned by the first download).</summary>
    const string ListBase = "https://raw.githubusercontent.com/facebookresearch/isc2021/e12efd5046bc6cda3e8648152b1a8f774c985c1c/list_files/";

    static PublishedFile List(string name) => new(name, Url: ListBase + name);

    public static readonly DiscEvalSet Subset1 = new("subset1",
        "the challenge's quick subset: 4,991 development queries against 4,991 references",
        List("subset_1_ground_truth.csv"), List("subset_1_queries"), List("subset_1_references"));

    public static readonly DiscEvalSet Dev25k = new("dev25k",
        "the 25,000 development queries with public ground truth against all 1,000,000 references",
        List("public_ground_truth.csv"), List("dev_queries_25k"), ReferenceList: null);

    public static readonly IReadOnlyList<DiscEvalSet> All = [Subset1, Dev25k];

    public static DiscEvalSet Get(string name) =>
        All.FirstOrDefault(s => s.Name == name) ?? throw new RecipeException($"'{name}' is not a DISC21 evaluation set; known: {string.Join(", ", All.Select(s => s.Name))}");
}
