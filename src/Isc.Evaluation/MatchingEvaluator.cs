namespace Isc.Evaluation;

/// <summary>
/// The ISC 2021 matching-track metrics, as the challenge's evaluation code defines them:
/// <list type="bullet">
/// <item>All predictions form one global list, ranked by descending score. At equal scores a false match ranks before a
/// true one (pessimistic ties: giving every prediction the same score cannot raise the result).</item>
/// <item>A prediction is a true match when its (query, reference) pair is in the ground truth; every other prediction,
/// including those of queries the ground truth does not list, is a false match (the challenge keeps them too).</item>
/// <item>Cutting the list after its i-th prediction gives precision = true matches so far / i and recall = true matches
/// so far / number of ground-truth pairs (pairs never predicted count as missed).</item>
/// <item>Average precision (micro AP) = Σ over the list of (recall_i − recall_{i−1}) × precision_i.</item>
/// <item>Recall at P90 = the largest recall of a cut whose precision is at least 0.9, 0 when no cut reaches it; its
/// threshold is the score of the first such cut.</item>
/// <item>Recall at rank k = the fraction of ground-truth pairs whose reference is among the query's top k predictions:
/// the pair's rank is the number of the query's other predictions scoring at least as high as it (pessimistic ties), and
/// it counts when that rank is below k; a pair never predicted never counts.</item>
/// </list>
/// </summary>
public static class MatchingEvaluator
{
    public const double PrecisionTarget = 0.9;

    /// <param name="references">The number of references searched, when the caller knows it (e.g. the 1,000,000 of
    /// dev25k); default: the distinct reference ids of the ground truth. Reported only; no metric depends on it.</param>
    public static MatchingEvaluation Evaluate(GroundTruth truth, IReadOnlyList<PredictedMatch> predictions, int? references = null)
    {
        if (predictions.Count == 0)
            throw new InvalidDataException("there are no predictions to evaluate; a predictions file needs at least one line after its header");
        if (truth.Pairs.Count == 0)
            throw new InvalidDataException("the ground truth has no (query, reference) pair, so recall is undefined; give a ground truth with at least one match");
        if (references is { } r && r < truth.ReferenceCount)
            throw new InvalidDataException($"{r} references given, but the ground truth alone names {truth.ReferenceCount} distinct references; give the number of references searched");

        var truePairs = truth.Pairs.ToHashSet();
        var knownQueries = truth.Queries.ToHashSet(StringComparer.Ordinal);
        var n = predictions.Count;
        var scores = new double[n];
        var isTrue = new bool[n];
        var scoreOfPair = new Dictionary<GroundTruthPair, double>(n);
        var unknownQueries = 0;
        for (var i = 0; i < n; i++)
        {
            var p = predictions[i];
            if (!double.IsFinite(p.Score))
                throw new InvalidDataException($"prediction ({p.QueryId}, {p.ReferenceId}) has the score {p.Score}; scores must be finite numbers");
            var pair = new GroundTruthPair(p.QueryId, p.ReferenceId);
            if (!scoreOfPair.TryAdd(pair, p.Score))
                throw new InvalidDataException($"the pair ({p.QueryId}, {p.ReferenceId}) is predicted twice; keep one score per (query, reference) pair");
            scores[i] = p.Score;
            isTrue[i] = truePairs.Contains(pair);
            if (!knownQueries.Contains(p.QueryId)) unknownQueries++;
        }

        var curve = RankedCurve(scores, isTrue, truth.Pairs.Count);
        var averagePrecision = 0.0;
        var previousRecall = 0.0;
        var recallAtP90 = 0.0;
        double? thresholdAtP90 = null;
        for (var i = 0; i < n; i++)
        {
            averagePrecision += (curve.Recalls[i] - previousRecall) * curve.Precisions[i];
            previousRecall = curve.Recalls[i];
            if (curve.Precisions[i] >= PrecisionTarget && (thresholdAtP90 is null || curve.Recalls[i] > recallAtP90))
                (recallAtP90, thresholdAtP90) = (curve.Recalls[i], curve.Thresholds[i]);
        }

        var (atRank1, atRank10) = RecallAtRanks(truth, predictions, scoreOfPair);
        var metrics = new MatchingMetrics(
            averagePrecision, recallAtP90, thresholdAtP90, atRank1, atRank10,
            truth.Queries.Count, references ?? truth.ReferenceCount, truth.Pairs.Count, n, unknownQueries);
        return new MatchingEvaluation(metrics, curve);
    }

    /// <summary>The global list by descending score, false matches first within a tie (then input order, for determinism).</summary>
    static PrecisionRecallCurve RankedCurve(double[] scores, bool[] isTrue, int positives)
    {
        var order = new int[scores.Length];
        for (var i = 0; i < order.Length; i++) order[i] = i;
        Array.Sort(order, (a, b) =>
        {
            var byScore = scores[b].CompareTo(scores[a]);
            if (byScore != 0) return byScore;
            var byTruth = isTrue[a].CompareTo(isTrue[b]);
            return byTruth != 0 ? byTruth : a.CompareTo(b);
        });
        var precisions = new double[order.Length];
        var recalls = new double[order.Length];
        var thresholds = new double[order.Length];
        var found = 0;
        for (var i = 0; i < order.Length; i++)
        {
            if (isTrue[order[i]]) found++;
            precisions[i] = (double)found / (i + 1);
            recalls[i] = (double)found / positives;
            thresholds[i] = scores[order[i]];
        }
        return new PrecisionRecallCurve(precisions, recalls, thresholds);
    }

    static (double AtRank1, double AtRank10) RecallAtRanks(
        GroundTruth truth, IReadOnlyList<PredictedMatch> predictions, Dictionary<GroundTruthPair, double> scoreOfPair)
    {
        // Each query's scores, highest first.
        var byQuery = predictions.GroupBy(p => p.QueryId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(p => p.Score).OrderDescending().ToArray(), StringComparer.Ordinal);
        int atRank1 = 0, atRank10 = 0;
        foreach (var pair in truth.Pairs)
        {
            if (!scoreOfPair.TryGetValue(pair, out var score)) continue;
            var rank = CountAtLeast(byQuery[pair.QueryId], score) - 1;
            if (rank < 1) atRank1++;
            if (rank < 10) atRank10++;
        }
        return ((double)atRank1 / truth.Pairs.Count, (double)atRank10 / truth.Pairs.Count);
    }

    /// <summary>How many of <paramref name="descending"/> are &gt;= <paramref name="score"/>.</summary>
    static int CountAtLeast(double[] descending, double score)
    {
        int lo = 0, hi = descending.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (descending[mid] >= score) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}
