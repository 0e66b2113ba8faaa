namespace Isc.Recipe.Layouts;

/// <summary>
/// A model's descriptors, under the artifacts root: <c>features/&lt;set&gt;/&lt;model&gt;/queries.npy</c> and
/// <c>references.npy</c> (each with its <c>.names.txt</c>), and the PCA whitening in <c>features/pca/&lt;model&gt;/</c>:
/// <c>training.npy</c> (the training images' descriptors it is learned from) and <c>pca.npy</c>. A model is named as in
/// <see cref="EvaluationFolder"/> (a run, <c>Published_&lt;run&gt;</c>, <c>Pretrained_&lt;backbone&gt;</c>).
/// </summary>
public static class FeaturesFolder
{
    public const string QueriesFileName = "queries.npy";
    public const string ReferencesFileName = "references.npy";
    public const string TrainingFileName = "training.npy";
    public const string PcaFileName = "pca.npy";

    /// <summary>features/demo/baseline_CC_50, relative to the artifacts root.</summary>
    public static string SetRelativePath(string set, string modelName) =>
        $"features/{EvaluationFolder.CheckedName(set, nameof(set))}/{EvaluationFolder.CheckedName(modelName, nameof(modelName))}";

    /// <summary>features/pca/baseline_CC_50, relative to the artifacts root.</summary>
    public static string PcaRelativePath(string modelName) => $"features/pca/{EvaluationFolder.CheckedName(modelName, nameof(modelName))}";
}
