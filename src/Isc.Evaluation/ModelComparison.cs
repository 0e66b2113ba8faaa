using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Isc.Artifacts;
using Isc.Recipe;
using Isc.Recipe.Layouts;

namespace Isc.Evaluation;

/// <summary>The verdicts of <see cref="RunComparison"/>, as compare.json and compare.md write them.</summary>
public static class ComparisonVerdict
{
    /// <summary>The rebuilt model's µAP is at least the published model's minus the tolerance.</summary>
    public const string Pass = "pass";
    /// <summary>The rebuilt model's µAP is more than the tolerance below the published model's.</summary>
    public const string Fail = "fail";
    /// <summary>A metrics.json of the run is missing (see <see cref="RunComparison.Missing"/>).</summary>
    public const string Incomplete = "incomplete";
}

/// <summary>
/// One run of the comparison: the µAP of the rebuilt model, of the authors' published model and of the run's backbone
/// alone (null where its metrics.json is missing), the difference rebuilt − published, and the verdict.
/// </summary>
public sealed record RunComparison(
    [property: JsonPropertyName("run")] string Run,
    [property: JsonPropertyName("backbone")] string Backbone,
    [property: JsonPropertyName("rebuilt_average_precision")] double? Rebuilt,
    [property: JsonPropertyName("published_average_precision")] double? Published,
    [property: JsonPropertyName("backbone_average_precision")] double? BackboneAlone,
    [property: JsonPropertyName("difference")] double? Difference,
    [property: JsonPropertyName("verdict")] string Verdict,
    // The missing metrics files, relative to the set's folder (for example Published_baseline_CC_50/metrics.json).
    [property: JsonPropertyName("missing")] IReadOnlyList<string> Missing);

/// <summary>
/// The reproduction verdict on one evaluation set: for each run, the rebuilt model (<c>&lt;run&gt;/metrics.json</c>)
/// against the authors' published one (<c>Published_&lt;run&gt;/metrics.json</c>), with the backbone alone
/// (<c>Pretrained_&lt;backbone&gt;/metrics.json</c>) as the baseline. A run passes when its rebuilt µAP is at least the
/// published µAP minus the tolerance.
/// </summary>
public sealed record ModelComparison(
    [property: JsonPropertyName("tolerance")] double Tolerance,
    [property: JsonPropertyName("runs_compared")] int RunsCompared,
    [property: JsonPropertyName("passed")] int Passed,
    [property: JsonPropertyName("failed")] int Failed,
    [property: JsonPropertyName("incomplete")] int Incomplete,
    [property: JsonPropertyName("runs")] IReadOnlyList<RunComparison> Runs)
{
    /// <summary>
    /// Absorbs the rounding of a difference of two doubles (0.48 − 0.5 is −0.020000000000000018), so a run exactly the
    /// tolerance below passes; far below the resolution of a µAP (one ground-truth pair of 25,000 is 4e-5).
    /// </summary>
    const double Slack = 1e-12;

    static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    /// <summary>Reads the metrics of <paramref name="runs"/> from the set folder <paramref name="setDirectory"/> (eval/&lt;set&gt;).</summary>
    public static ModelComparison Compare(string setDirectory, IEnumerable<Run> runs, double tolerance)
    {
        if (!(tolerance >= 0) || !double.IsFinite(tolerance))
            throw new ArgumentException($"the comparison tolerance must be a finite number >= 0, got {tolerance}", nameof(tolerance));
        if (!System.IO.Directory.Exists(setDirectory))
            throw new DirectoryNotFoundException($"evaluation set folder {setDirectory} not found (eval/<set> under the artifacts root: build the evaluations first)");
        var rows = runs.Select(run => CompareRun(setDirectory, run, tolerance)).ToList();
        if (rows.Count == 0) throw new ArgumentException("no runs to compare", nameof(runs));
        return new ModelComparison(tolerance, rows.Count,
            rows.Count(r => r.Verdict == ComparisonVerdict.Pass),
            rows.Count(r => r.Verdict == ComparisonVerdict.Fail),
            rows.Count(r => r.Verdict == ComparisonVerdict.Incomplete),
            rows);
    }

    static RunComparison CompareRun(string setDirectory, Run run, double tolerance)
    {
        var missing = new List<string>();
        double? Read(string model)
        {
            var path = EvaluationFolder.Metrics(EvaluationFolder.ModelDirectory(setDirectory, model));
            if (File.Exists(path)) return MatchingMetrics.Load(path).AveragePrecision;
            missing.Add($"{model}/{EvaluationFolder.MetricsFileName}");
            return null;
        }
        var rebuilt = Read(EvaluationFolder.ModelName(run));
        var published = Read(EvaluationFolder.PublishedModelName(run));
        var backbone = Read(EvaluationFolder.PretrainedModelName(run.Backbone));
        var difference = rebuilt - published;
        var verdict = missing.Count > 0 ? ComparisonVerdict.Incomplete
            : difference >= -tolerance - Slack ? ComparisonVerdict.Pass
            : ComparisonVerdict.Fail;
        return new RunComparison(run.Name, run.Backbone.Name, rebuilt, published, backbone, difference, verdict, missing);
    }

    public IReadOnlyList<string> FailedRuns => [.. Runs.Where(r => r.Verdict == ComparisonVerdict.Fail).Select(r => r.Run)];

    /// <summary>The last line of the table: "N of M runs pass (tolerance T)".</summary>
    public string Summary => string.Create(CultureInfo.InvariantCulture,
        $"{Passed} of {RunsCompared} runs pass (tolerance {Tolerance})");

    public string ToJson() => JsonSerializer.Serialize(this, Options);

    /// <summary>A Markdown table, one row per run, then <see cref="Summary"/>.</summary>
    public string ToMarkdown()
    {
        var c = CultureInfo.InvariantCulture;
        static string Value(double? v) => v is { } x ? x.ToString("F4", CultureInfo.InvariantCulture) : "—";
        var text = new StringBuilder();
        text.AppendLine("| run | rebuilt µAP | published µAP | backbone alone µAP | difference | verdict |");
        text.AppendLine("|---|---:|---:|---:|---:|---|");
        foreach (var r in Runs)
        {
            var difference = r.Difference is { } d ? d.ToString("+0.0000;-0.0000;0.0000", c) : "—";
            var verdict = r.Missing.Count > 0 ? $"{r.Verdict} (missing {string.Join(", ", r.Missing)})" : r.Verdict;
            text.AppendLine(c, $"| {r.Run} | {Value(r.Rebuilt)} | {Value(r.Published)} | {Value(r.BackboneAlone)} ({r.Backbone}) | {difference} | {verdict} |");
        }
        text.AppendLine();
        text.AppendLine(Summary);
        return text.ToString();
    }

    /// <summary>Writes <paramref name="jsonPath"/> (compare.json) and, beside it, compare.md, each atomically.</summary>
    public void Save(string jsonPath)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(jsonPath))!;
        System.IO.Directory.CreateDirectory(folder);
        AtomicFile.WriteAllText(jsonPath, ToJson() + "\n");
        AtomicFile.WriteAllText(TablePath(jsonPath), ToMarkdown());
    }

    /// <summary>compare.md beside the JSON file.</summary>
    public static string TablePath(string jsonPath) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(jsonPath))!, EvaluationFolder.ComparisonTableFileName);

    public static ModelComparison Load(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<ModelComparison>(File.ReadAllText(path), Options)
                ?? throw new InvalidDataException($"{path} holds no comparison (null)");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a readable comparison file ({e.Message}); write it again with isc compare", e);
        }
    }
}
