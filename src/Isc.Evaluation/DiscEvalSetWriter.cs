using Isc.Artifacts;
using Isc.Recipe.Layouts;

namespace Isc.Evaluation;

/// <summary>
/// An evaluation set of DISC21 images the user has (the paper profile's <c>subset1</c> and <c>dev25k</c>): the image
/// lists <c>queries.txt</c> and <c>references.txt</c> (absolute paths, in id order, as <c>isc features --images</c> reads
/// them) and the ground truth restricted to the listed queries, written into the set's folder. Every listed image must
/// exist, and every reference of a kept pair must be listed, so a partial download fails here and not as a low score.
/// </summary>
public static class DiscEvalSetWriter
{
    /// <param name="queryIds">The queries of the set (the challenge's list), or null for every image of the folder.</param>
    /// <param name="referenceIds">The references of the set, or null for every image of the folder.</param>
    public static (int Queries, int References, int Pairs) Write(string queryFolder, string referenceFolder, string groundTruthPath,
        IReadOnlyList<string>? queryIds, IReadOnlyList<string>? referenceIds, string outputDirectory)
    {
        var queries = Images(queryFolder, queryIds, "query");
        var references = Images(referenceFolder, referenceIds, "reference");
        var truth = GroundTruthCsv.Read(groundTruthPath);
        var listed = queries.Keys.ToHashSet(StringComparer.Ordinal);
        var kept = new GroundTruth(truth.Queries.Where(listed.Contains), truth.Pairs.Where(p => listed.Contains(p.QueryId)));
        var unlisted = kept.Pairs.Where(p => !references.ContainsKey(p.ReferenceId)).ToList();
        if (unlisted.Count > 0)
            throw new InvalidDataException($"{groundTruthPath}: {unlisted.Count} pair(s) name a reference that is not in the set, e.g. " +
                $"({unlisted[0].QueryId}, {unlisted[0].ReferenceId}): the ground truth and the reference list do not belong together");
        var unknown = listed.Count - kept.Queries.Count;
        if (unknown > 0)
            throw new InvalidDataException($"{groundTruthPath}: {unknown} of the {listed.Count} queries of the set are not in the ground truth, " +
                $"e.g. {listed.Except(kept.Queries).Order(StringComparer.Ordinal).First()}: the ground truth and the query list do not belong together");

        Directory.CreateDirectory(outputDirectory);
        AtomicFile.WriteAllText(EvalSetFolder.QueryList(outputDirectory), string.Concat(queries.Values.Select(p => p + "\n")));
        AtomicFile.WriteAllText(EvalSetFolder.ReferenceList(outputDirectory), string.Concat(references.Values.Select(p => p + "\n")));
        GroundTruthCsv.Write(EvalSetFolder.GroundTruth(outputDirectory), kept);
        return (queries.Count, references.Count, kept.Pairs.Count);
    }

    /// <summary>A list file of ids, one per line (the challenge's subset_1_queries, dev_queries_25k ...).</summary>
    public static List<string> ReadIds(string path) =>
        [.. File.ReadLines(path).Select(l => l.Trim()).Where(l => l.Length > 0)];

    /// <summary>id → absolute path of &lt;folder&gt;/&lt;id&gt;.jpg, in id order; a missing image is an error naming the folder.</summary>
    static SortedDictionary<string, string> Images(string folder, IReadOnlyList<string>? ids, string what)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"the {what} images folder {folder} does not exist");
        var full = Path.GetFullPath(folder);
        var images = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (ids is null)
        {
            foreach (var file in Directory.EnumerateFiles(full, "*.jpg"))
                images[Path.GetFileNameWithoutExtension(file)] = file;
            if (images.Count == 0) throw new InvalidDataException($"the {what} images folder {folder} holds no .jpg files");
            return images;
        }
        var missing = new List<string>();
        foreach (var id in ids)
        {
            var path = Path.Combine(full, id + ".jpg");
            if (File.Exists(path)) images[id] = path;
            else missing.Add(id);
        }
        if (missing.Count > 0)
            throw new FileNotFoundException($"{missing.Count} of the {ids.Count:N0} {what} images of the set are not in {folder}, e.g. " +
                $"{string.Join(", ", missing.Take(3).Select(m => m + ".jpg"))}: download the DISC21 {what} images completely and point the setting at their folder");
        return images;
    }
}
