using Isc.Recipe.Layouts;

namespace Isc.Recipe;

/// <summary>One of the 33 trainings, named after the original scripts (Train_baseline_CC_50.sh ...).</summary>
public sealed record Run(Dataset Dataset, Backbone Backbone)
{
    public string Name => $"{Dataset.Family}_{Dataset.Tone}_{Backbone.RunSuffix}";
    public string TrainTarget => ArtifactKinds.TrainingPrefix + Name;
    public string ModelTarget => ArtifactKinds.ModelPrefix + Name;
    public string PublishedTarget => ArtifactKinds.PublishedPrefix + Name;

    /// <summary>Checkpoint folder, relative to the profile's artifacts root: logs/baseline_CC/50/.</summary>
    public string LogDirectory => RunFolder.RelativePath(this);

    /// <summary>Trimmed model, relative to the artifacts root: V5_baseline_CC/baseline_cc_50.pth.tar.</summary>
    public string TrimmedModelPath => TrimmedModelFile.RelativePath(this);

    public static string CheckpointFileName(int epoch) => RunFolder.CheckpointFileName(epoch);
}

public static class Runs
{
    public static readonly IReadOnlyList<Run> All =
        [.. Datasets.All.SelectMany(d => Backbones.All.Select(b => new Run(d, b)))];

    public static Run Get(string name) =>
        All.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new RecipeException($"unknown run '{name}'");
}
