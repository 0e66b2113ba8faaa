using System.Text;
using Isc.Artifacts;

namespace Isc.Evaluation;

/// <summary>
/// The challenge's ground-truth file: header <c>query_id,reference_id</c>, then one pair a line. A line with an empty
/// reference id is a query without a match (the challenge's public_ground_truth.csv lists its distractor queries so): it
/// counts as a query and adds no pair. A pair given twice, or a query listed both without and with a match, is an error.
/// </summary>
public static class GroundTruthCsv
{
    public const string Header = "query_id,reference_id";

    public static GroundTruth Read(string path)
    {
        var queries = new List<string>();
        var pairs = new List<GroundTruthPair>();
        var pairLine = new Dictionary<GroundTruthPair, int>();
        // The line of each query's first appearance, and whether that line had no match.
        var queryLine = new Dictionary<string, (int Line, bool Unmatched)>(StringComparer.Ordinal);
        foreach (var (line, f) in CsvLines.Read(path, "ground-truth", Header))
        {
            var (query, reference) = (f[0], f[1]);
            if (query.Length == 0)
                throw new InvalidDataException($"{path}:{line}: empty query_id; every line names a query (and its reference, or nothing for a query without a match)");
            var unmatched = reference.Length == 0;
            if (queryLine.TryGetValue(query, out var first))
            {
                if (unmatched || first.Unmatched)
                    throw new InvalidDataException(
                        $"{path}:{line}: query {query} is listed on lines {first.Line} and {line}, once without a match; list a query without a match once, and a query with matches only with its references");
            }
            else
            {
                queryLine[query] = (line, unmatched);
                queries.Add(query);
            }
            if (unmatched) continue;
            var pair = new GroundTruthPair(query, reference);
            if (!pairLine.TryAdd(pair, line))
                throw new InvalidDataException($"{path}:{line}: the pair ({query}, {reference}) is listed twice (lines {pairLine[pair]} and {line}); list each pair once");
            pairs.Add(pair);
        }
        return new GroundTruth(queries, pairs);
    }

    /// <summary>Writes <paramref name="truth"/> atomically: each query's pairs, or the query with an empty reference id.</summary>
    public static void Write(string path, GroundTruth truth)
    {
        var byQuery = truth.Pairs.ToLookup(p => p.QueryId, StringComparer.Ordinal);
        var text = new StringBuilder(Header).Append('\n');
        foreach (var query in truth.Queries)
        {
            PredictionsCsv.CheckId(query, "query id");
            if (!byQuery.Contains(query)) text.Append(query).Append(",\n");
            foreach (var p in byQuery[query])
            {
                PredictionsCsv.CheckId(p.ReferenceId, "reference id");
                text.Append(query).Append(',').Append(p.ReferenceId).Append('\n');
            }
        }
        AtomicFile.WriteAllText(path, text.ToString());
    }
}
