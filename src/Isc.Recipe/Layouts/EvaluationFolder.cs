using System.Text.RegularExpressions;

namespace Isc.Recipe.Layouts;

/// <summary>
/// The files of one evaluation set, <c>eval/&lt;set&gt;/</c> under the artifacts root (<c>&lt;set&gt;</c> is <c>demo</c>,
/// <c>subset1</c> or <c>dev25k</c>): <c>ground_truth.csv</c> (<c>query_id,reference_id</c>), then one folder per evaluated
/// model, <c>&lt;model&gt;/predictions.csv</c> (<c>query_id,reference_id,score</c>) and <c>&lt;model&gt;/metrics.json</c>. A
/// model is a run (<c>baseline_CC_50</c>), the authors' published model of a run (<c>Published_baseline_CC_50</c>) or a
/// pretrained backbone alone (<c>Pretrained_resnet50</c>). Other tools find the files here, so the names are fixed.
/// </summary>
public static partial class EvaluationFolder
{
    public const string GroundTruthFileName = "ground_truth.csv";
    /// <summary>The ground truth's header line (the challenge's): the sets the harness draws write it, the metrics read it.</summary>
    public const string GroundTruthHeader = "query_id,reference_id";
    public const string PredictionsFileName = "predictions.csv";
    public const string MetricsFileName = "metrics.json";
    public const string PublishedPrefix = "Published_";
    public const string PretrainedPrefix = "Pretrained_";
    /// <summary>The comparison of rebuilt and published models on the set: one row per run, machine-readable and as a table.</summary>
    public const string ComparisonJsonFileName = "compare.json", ComparisonTableFileName = "compare.md";

    /// <summary>The set's folder, relative to the artifacts root: eval/demo.</summary>
    public static string RelativePath(string set) => $"eval/{CheckedName(set, nameof(set))}";

    public static string Directory(string artifactsRoot, string set) => Path.Combine(artifactsRoot, RelativePath(set));

    public static string GroundTruth(string setDirectory) => Path.Combine(setDirectory, GroundTruthFileName);

    /// <summary>The folder name of a rebuilt run's evaluation: the run name.</summary>
    public static string ModelName(Run run) => run.Name;

    /// <summary>The folder name of the authors' published model of <paramref name="run"/>: Published_&lt;run&gt;.</summary>
    public static string PublishedModelName(Run run) => PublishedPrefix + run.Name;

    /// <summary>The folder name of a backbone evaluated alone: Pretrained_&lt;backbone&gt;.</summary>
    public static string PretrainedModelName(Backbone backbone) => PretrainedPrefix + backbone.Name;

    /// <summary>One evaluated model's folder inside the set's folder.</summary>
    public static string ModelDirectory(string setDirectory, string modelName) =>
        Path.Combine(setDirectory, CheckedName(modelName, nameof(modelName)));

    public static string Predictions(string modelDirectory) => Path.Combine(modelDirectory, PredictionsFileName);

    public static string Metrics(string modelDirectory) => Path.Combine(modelDirectory, MetricsFileName);

    /// <summary>A set or model name is one plain folder name: letters, digits, '_', '-' and '.', not starting with '.'.</summary>
    internal static string CheckedName(string name, string parameter) =>
        FolderName().IsMatch(name) ? name
            : throw new ArgumentException($"'{name}' is not a plain folder name (letters, digits, '_', '-', '.'; not starting with '.')", parameter);

    [GeneratedRegex(@"^[A-Za-z0-9_-][A-Za-z0-9_.-]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex FolderName();
}
