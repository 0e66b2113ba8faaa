namespace Isc.Reporting;

/// <summary>Whether a rebuilt model reproduces the authors' published one on the evaluation set.</summary>
public enum Verdict { Pass, Fail, Incomplete }

/// <summary>A rebuilt run against its published model: the µAP difference (rebuilt − published) and the verdict.</summary>
public sealed record Reproduction(double? Difference, Verdict Verdict)
{
    /// <summary>
    /// The verdict of one run: <see cref="Verdict.Pass"/> when the rebuilt µAP is at least the published µAP minus
    /// <paramref name="tolerance"/> (the profile's Evaluation.CompareTolerance; the boundary itself passes, and a rebuilt
    /// model better than the published one passes), <see cref="Verdict.Fail"/> below that, <see cref="Verdict.Incomplete"/>
    /// when either µAP is unknown (not evaluated yet, or its metrics.json unreadable).
    /// </summary>
    public static Reproduction Judge(double? rebuilt, double? published, double tolerance)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tolerance);
        if (rebuilt is not { } r || published is not { } p) return new(null, Verdict.Incomplete);
        var difference = r - p;
        // µAP and tolerance are decimals held in binary: 0.48 - 0.5 is -0.020000000000000018, which would fail a 0.02
        // tolerance it meets. 1e-9 absorbs that rounding and is far below any µAP difference that means anything.
        return new(difference, difference >= -tolerance - 1e-9 ? Verdict.Pass : Verdict.Fail);
    }
}
