using System.Text.Json;
using System.Text.Json.Serialization;
using Isc.Artifacts;

namespace Isc.Evaluation;

/// <summary>
/// The matching-track metrics of one predictions file against one ground truth (<see cref="MatchingEvaluator"/> says
/// how each is computed), as <c>metrics.json</c> holds them.
/// </summary>
public sealed record MatchingMetrics(
    [property: JsonPropertyName("average_precision")] double AveragePrecision,
    [property: JsonPropertyName("recall_at_p90")] double RecallAtP90,
    // The lowest score kept at the recall-at-P90 operating point; null when precision 0.9 is never reached.
    [property: JsonPropertyName("threshold_at_p90")] double? ThresholdAtP90,
    [property: JsonPropertyName("recall_at_rank1")] double RecallAtRank1,
    [property: JsonPropertyName("recall_at_rank10")] double RecallAtRank10,
    [property: JsonPropertyName("queries")] int Queries,
    [property: JsonPropertyName("references")] int References,
    [property: JsonPropertyName("ground_truth_pairs")] int GroundTruthPairs,
    [property: JsonPropertyName("predictions")] int Predictions,
    // Predictions whose query the ground truth does not list: counted as false matches, as the challenge does.
    [property: JsonPropertyName("predictions_of_unknown_queries")] int PredictionsOfUnknownQueries)
{
    // Every field is required when read: a metrics.json without "average_precision" must not read as a µAP of 0.
    static readonly JsonSerializerOptions Options = new() { WriteIndented = true, RespectRequiredConstructorParameters = true };

    public string ToJson() => JsonSerializer.Serialize(this, Options);

    /// <summary>Writes metrics.json atomically.</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, ToJson() + "\n");

    // Reading requires every field: a metrics.json without average_precision is damaged, not a µAP of 0.
    static readonly JsonSerializerOptions ReadOptions = new() { RespectRequiredConstructorParameters = true };

    /// <summary>Reads a metrics.json; a damaged or incomplete one is an <see cref="InvalidDataException"/> naming the file.</summary>
    public static MatchingMetrics Load(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<MatchingMetrics>(File.ReadAllText(path), ReadOptions)
                ?? throw new InvalidDataException($"{path} holds no metrics record (null)");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a readable metrics file ({e.Message}); write it again with isc metrics", e);
        }
    }
}

/// <summary>The metrics and the precision-recall curve they were read from.</summary>
public sealed record MatchingEvaluation(MatchingMetrics Metrics, PrecisionRecallCurve Curve);
