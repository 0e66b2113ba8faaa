namespace Isc.Evaluation;

/// <summary>
/// The ground truth of an evaluation set: every query (in the order first given), and the (query, reference) pairs that
/// are copies. A query may have no pair (a distractor: the challenge's public ground truth lists such queries with an
/// empty reference id); it still counts as a query. A query may have several pairs.
/// </summary>
public sealed class GroundTruth
{
    public IReadOnlyList<string> Queries { get; }
    public IReadOnlyList<GroundTruthPair> Pairs { get; }

    /// <summary>The distinct reference ids of <see cref="Pairs"/>.</summary>
    public int ReferenceCount { get; }

    /// <summary>
    /// <paramref name="queries"/> may list queries without a pair; the queries of <paramref name="pairs"/> are added when
    /// missing. A repeated pair or an empty id is an <see cref="ArgumentException"/>.
    /// </summary>
    public GroundTruth(IEnumerable<string> queries, IEnumerable<GroundTruthPair> pairs)
    {
        var pairList = pairs.ToList();
        var seen = new HashSet<GroundTruthPair>();
        foreach (var p in pairList)
        {
            if (string.IsNullOrEmpty(p.QueryId) || string.IsNullOrEmpty(p.ReferenceId))
                throw new ArgumentException($"a ground-truth pair has an empty id ('{p.QueryId}', '{p.ReferenceId}')", nameof(pairs));
            if (!seen.Add(p))
                throw new ArgumentException($"the ground-truth pair ({p.QueryId}, {p.ReferenceId}) is given twice", nameof(pairs));
        }
        var queryList = new List<string>();
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var q in queries.Concat(pairList.Select(p => p.QueryId)))
        {
            if (string.IsNullOrEmpty(q)) throw new ArgumentException("a ground-truth query id is empty", nameof(queries));
            if (known.Add(q)) queryList.Add(q);
        }
        Queries = queryList;
        Pairs = pairList;
        ReferenceCount = pairList.Select(p => p.ReferenceId).Distinct(StringComparer.Ordinal).Count();
    }
}
