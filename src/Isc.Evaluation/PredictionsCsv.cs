using System.Globalization;
using System.Text;
using Isc.Artifacts;

namespace Isc.Evaluation;

/// <summary>
/// The challenge's predictions file: header <c>query_id,reference_id,score</c>, then one (query, reference, score) a
/// line, in any order. A (query, reference) pair given twice, an empty id or a score that is not a finite number is an
/// error naming the line(s). Scores are written in the invariant culture, round-trippable (they read back bit-exact).
/// </summary>
public static class PredictionsCsv
{
    public const string Header = "query_id,reference_id,score";

    public static List<PredictedMatch> Read(string path)
    {
        var predictions = new List<PredictedMatch>();
        var firstLine = new Dictionary<(string, string), int>();
        foreach (var (line, f) in CsvLines.Read(path, "predictions", Header))
        {
            if (f[0].Length == 0 || f[1].Length == 0)
                throw new InvalidDataException($"{path}:{line}: empty {(f[0].Length == 0 ? "query_id" : "reference_id")}; every prediction names a query and a reference");
            if (!double.TryParse(f[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var score) || !double.IsFinite(score))
                throw new InvalidDataException($"{path}:{line}: score '{f[2]}' is not a finite number (write it like 0.8125, in the invariant culture)");
            if (!firstLine.TryAdd((f[0], f[1]), line))
                throw new InvalidDataException(
                    $"{path}:{line}: the pair ({f[0]}, {f[1]}) is predicted twice (lines {firstLine[(f[0], f[1])]} and {line}); keep one score per (query, reference) pair");
            predictions.Add(new PredictedMatch(f[0], f[1], score));
        }
        return predictions;
    }

    /// <summary>Writes <paramref name="predictions"/> atomically; refuses what <see cref="Read"/> would refuse.</summary>
    public static void Write(string path, IEnumerable<PredictedMatch> predictions)
    {
        var text = new StringBuilder(Header).Append('\n');
        var seen = new HashSet<(string, string)>();
        foreach (var p in predictions)
        {
            CheckId(p.QueryId, "query id");
            CheckId(p.ReferenceId, "reference id");
            if (!double.IsFinite(p.Score))
                throw new ArgumentException($"prediction ({p.QueryId}, {p.ReferenceId}) has a score that is not finite ({p.Score})", nameof(predictions));
            if (!seen.Add((p.QueryId, p.ReferenceId)))
                throw new ArgumentException($"the pair ({p.QueryId}, {p.ReferenceId}) is predicted twice", nameof(predictions));
            text.Append(p.QueryId).Append(',').Append(p.ReferenceId).Append(',')
                .Append(p.Score.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }
        AtomicFile.WriteAllText(path, text.ToString());
    }

    /// <summary>An id the plain CSV can carry: not empty, no comma, no line break, no surrounding spaces.</summary>
    internal static void CheckId(string id, string what)
    {
        if (string.IsNullOrEmpty(id) || id.AsSpan().IndexOfAny(",\r\n") >= 0 || id.Trim() != id)
            throw new ArgumentException($"{what} '{id}' cannot be written to the CSV (empty, or holds a comma, a line break or surrounding spaces)", nameof(id));
    }
}
