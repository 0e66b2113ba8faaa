using Isc.Evaluation;
using Isc.Recipe;
using Isc.Recipe.Layouts;

namespace Isc.Reporting;

/// <summary>One of the 33 runs on the evaluation set: its rebuilt model, the authors' published one, and the verdict.</summary>
public sealed record RunEvaluation(Run Run, ModelMetrics Rebuilt, ModelMetrics Published, Reproduction Reproduction);

/// <summary>A pretrained backbone alone (GeM pooling, no training) on the evaluation set: the baseline the runs improve on.</summary>
public sealed record BaselineEvaluation(Backbone Backbone, ModelMetrics Metrics);

/// <summary>One curve of a precision-recall plot: a run's model, or a backbone baseline (drawn dashed).</summary>
public sealed record CurveLine(string Label, PrecisionRecallCurve Curve, bool Baseline);

/// <summary>The curves of one dataset family (Dataset.Family): its runs' models, then the backbone baselines.</summary>
public sealed record FamilyCurves(string Family, IReadOnlyList<CurveLine> Lines);

/// <summary>
/// What the report shows of the evaluation set <c>eval/&lt;set&gt;/</c>: every run's and every baseline's metrics.json
/// (the verdicts computed here, with the profile's tolerance), and precision-recall curves recomputed from each model's
/// predictions.csv against the set's ground_truth.csv. Whatever is missing or damaged becomes a line of
/// <see cref="Problems"/>, never an exception: a report of a partial evaluation still shows what there is.
/// </summary>
public sealed class EvaluationResults
{
    /// <summary>Points per curve in a plot: enough for a smooth line, few enough for a small picture.</summary>
    public const int CurvePoints = 400;

    public required string Set { get; init; }
    public required string Directory { get; init; }
    public required double Tolerance { get; init; }
    /// <summary>The 33 runs, in catalog order.</summary>
    public required IReadOnlyList<RunEvaluation> Runs { get; init; }
    /// <summary>The three backbones, in catalog order.</summary>
    public required IReadOnlyList<BaselineEvaluation> Baselines { get; init; }
    /// <summary>The families (in catalog order) of which at least one run has a curve.</summary>
    public required IReadOnlyList<FamilyCurves> Curves { get; init; }
    /// <summary>What could not be read, one sentence each: a damaged metrics.json, no ground truth, unreadable predictions.</summary>
    public required IReadOnlyList<string> Problems { get; init; }

    /// <summary>True when the set's folder holds any metrics.json of a catalog model (read or not).</summary>
    public bool Any => Runs.Any(r => r.Rebuilt.Exists || r.Published.Exists) || Baselines.Any(b => b.Metrics.Exists);

    /// <summary>Every metrics.json that was read.</summary>
    public IEnumerable<ModelMetrics> Read =>
        Runs.SelectMany(r => new[] { r.Rebuilt, r.Published }).Concat(Baselines.Select(b => b.Metrics)).Where(m => m.Metrics is not null);

    public static EvaluationResults Gather(string artifactsRoot, EvaluationSettings settings)
    {
        var directory = EvaluationFolder.Directory(artifactsRoot, settings.Set);
        var problems = new List<string>();
        var runs = Isc.Recipe.Runs.All.Select(run =>
        {
            var rebuilt = ModelMetrics.Read(directory, EvaluationFolder.ModelName(run));
            var published = ModelMetrics.Read(directory, EvaluationFolder.PublishedModelName(run));
            return new RunEvaluation(run, rebuilt, published,
                Reproduction.Judge(rebuilt.Metrics?.AveragePrecision, published.Metrics?.AveragePrecision, settings.CompareTolerance));
        }).ToList();
        var baselines = Backbones.All.Select(b => new BaselineEvaluation(b, ModelMetrics.Read(directory, EvaluationFolder.PretrainedModelName(b)))).ToList();
        foreach (var m in runs.SelectMany(r => new[] { r.Rebuilt, r.Published }).Concat(baselines.Select(b => b.Metrics)))
            if (m.Problem is not null) problems.Add($"{m.Model}: metrics.json unreadable ({m.Path}): {m.Problem}");
        var any = runs.Any(r => r.Rebuilt.Exists || r.Published.Exists) || baselines.Any(b => b.Metrics.Exists);
        return new EvaluationResults
        {
            Set = settings.Set, Directory = directory, Tolerance = settings.CompareTolerance, Runs = runs, Baselines = baselines,
            // The plots belong to an evaluation: without any metrics.json the section says only that there is none yet.
            Curves = any ? FamilyCurvesOf(directory, problems) : [],
            Problems = problems,
        };
    }

    static List<FamilyCurves> FamilyCurvesOf(string directory, List<string> problems)
    {
        var truthPath = EvaluationFolder.GroundTruth(directory);
        if (!File.Exists(truthPath))
        {
            problems.Add($"no ground truth ({truthPath}), so no precision-recall plots; the evaluation set's target writes it (./build.sh --target=Evaluations)");
            return [];
        }
        GroundTruth truth;
        try
        {
            truth = GroundTruthCsv.Read(truthPath);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            problems.Add($"the ground truth is unreadable, so no precision-recall plots: {e.Message}");
            return [];
        }

        CurveLine? Curve(string model, string label, bool baseline)
        {
            var path = EvaluationFolder.Predictions(EvaluationFolder.ModelDirectory(directory, model));
            if (!File.Exists(path)) return null;
            try
            {
                var curve = MatchingEvaluator.Evaluate(truth, PredictionsCsv.Read(path)).Curve.Thin(CurvePoints);
                return new CurveLine(label, curve, baseline);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                problems.Add($"{model}: no precision-recall curve, its predictions are unreadable ({path}): {e.Message}");
                return null;
            }
        }

        var baselines = Backbones.All.Select(b => Curve(EvaluationFolder.PretrainedModelName(b), $"{b.Name} alone", baseline: true))
            .OfType<CurveLine>().ToList();
        var families = new List<FamilyCurves>();
        foreach (var family in Datasets.All.Select(d => d.Family).Distinct())
        {
            var lines = Isc.Recipe.Runs.All.Where(r => r.Dataset.Family == family)
                .Select(r => Curve(EvaluationFolder.ModelName(r), r.Name, baseline: false)).OfType<CurveLine>().ToList();
            if (lines.Count > 0) families.Add(new FamilyCurves(family, [.. lines, .. baselines]));
        }
        return families;
    }
}
