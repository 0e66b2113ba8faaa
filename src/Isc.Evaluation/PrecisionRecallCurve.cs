namespace Isc.Evaluation;

/// <summary>
/// The precision-recall curve of a global ranked list: point i is the list cut after its (i+1)-th prediction (by
/// descending score, false matches first within a tie), with that prediction's score as the threshold. Recall never
/// decreases along the arrays.
/// </summary>
public sealed record PrecisionRecallCurve(double[] Precisions, double[] Recalls, double[] Thresholds)
{
    public int Count => Precisions.Length;

    /// <summary>
    /// At most <paramref name="maxPoints"/> points for a plot: evenly spaced along the list, the first and last kept.
    /// </summary>
    public PrecisionRecallCurve Thin(int maxPoints)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, 2);
        if (Count <= maxPoints) return this;
        var keep = new SortedSet<int>();
        for (var k = 0; k < maxPoints - 1; k++) keep.Add((int)((long)k * (Count - 1) / (maxPoints - 1)));
        keep.Add(Count - 1);
        return new([.. keep.Select(i => Precisions[i])], [.. keep.Select(i => Recalls[i])], [.. keep.Select(i => Thresholds[i])]);
    }
}
