using System.Globalization;
using Isc.Evaluation;
using Isc.Recipe.Layouts;

namespace Isc.Cli.Commands;

/// <summary>Scores a predictions file against a ground truth with the ISC 2021 matching-track metrics; prints them and writes metrics.json.</summary>
public sealed class MetricsCommand : IWorkerCommand
{
    public string Name => "metrics";
    public string Summary => "score a predictions CSV against a ground truth (ISC 2021 matching track: µAP, recall at P90, at rank 1 and 10)";
    public string Usage => $"""
        usage: isc metrics --predictions <csv> --ground-truth <csv> [--out <metrics.json>] [--references N]

        --predictions   the challenge's predictions file: header '{PredictionsCsv.Header}', one line per prediction
        --ground-truth  the challenge's ground truth: header '{GroundTruthCsv.Header}'; an empty reference_id is a
                        query without a match (public_ground_truth.csv lists its distractor queries so)
        --out           where to write the metrics (default: {EvaluationFolder.MetricsFileName} beside the predictions)
        --references    the number of references searched, reported as "references" (default: the distinct
                        reference ids of the ground truth); no metric depends on it

        One global list of all predictions, by descending score; at equal scores a false match ranks before a true one.
        Average precision (micro AP) over that list, with the number of ground-truth pairs as the recall denominator;
        recall at precision 0.9 (the largest recall of a cut of the list with precision >= 0.9; 0 if none); recall at
        rank 1 and 10 (the fraction of ground-truth pairs whose reference is among the query's 1 or 10 best-scored
        predictions, ties counted against it). Predictions of queries the ground truth does not list are false matches.
        """;

    public Task<int> RunAsync(CommandArgs args, CancellationToken cancel)
    {
        var predictionsPath = args.Required("predictions");
        var truthPath = args.Required("ground-truth");
        var output = args.Optional("out")
            ?? EvaluationFolder.Metrics(Path.GetDirectoryName(Path.GetFullPath(predictionsPath))!);
        var references = args.Int("references", 0);
        args.RejectUnknown();
        if (args.Optional("references") is not null && references <= 0)
            throw new UsageException($"--references must be a positive number of references, got {references}");

        var truth = GroundTruthCsv.Read(truthPath);
        var predictions = PredictionsCsv.Read(predictionsPath);
        if (predictions.Count == 0)
            throw new InvalidDataException($"{predictionsPath}: no predictions after the header line; nothing to score (write one line '{PredictionsCsv.Header}' per prediction)");
        cancel.ThrowIfCancellationRequested();
        MatchingMetrics metrics;
        try
        {
            metrics = MatchingEvaluator.Evaluate(truth, predictions, references > 0 ? references : null).Metrics;
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{predictionsPath} against {truthPath}: {e.Message}", e);
        }
        metrics.Save(output);
        Print(metrics, predictionsPath, truthPath, output);
        return Task.FromResult(0);
    }

    static void Print(MatchingMetrics m, string predictions, string truth, string output)
    {
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"{predictions} against {truth}: {m.Predictions} predictions; {m.Queries} queries, {m.References} references, {m.GroundTruthPairs} ground-truth pairs"));
        Console.WriteLine(string.Create(c, $"  average precision (µAP)  {m.AveragePrecision:F5}"));
        Console.WriteLine(m.ThresholdAtP90 is { } threshold
            ? string.Create(c, $"  recall at precision 0.9  {m.RecallAtP90:F5}  (scores >= {threshold:G6})")
            : "  recall at precision 0.9  0.00000  (precision 0.9 is never reached)");
        Console.WriteLine(string.Create(c, $"  recall at rank 1         {m.RecallAtRank1:F5}"));
        Console.WriteLine(string.Create(c, $"  recall at rank 10        {m.RecallAtRank10:F5}"));
        if (m.PredictionsOfUnknownQueries > 0)
            Console.WriteLine(string.Create(c, $"  {m.PredictionsOfUnknownQueries} predictions are of queries the ground truth does not list (counted as false matches)"));
        Console.WriteLine($"metrics -> {output}");
    }
}
