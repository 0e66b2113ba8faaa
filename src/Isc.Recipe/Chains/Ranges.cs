using System.Globalization;

namespace Isc.Recipe.Chains;

/// <summary>A continuous uniform draw U(Lo, Hi) (Python <c>random.uniform</c>).</summary>
public sealed record UniformRange(double Lo, double Hi)
{
    public override string ToString() => $"U({Num(Lo)}, {Num(Hi)})";
    internal static string Num(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>A uniform integer draw, both ends included (Python <c>random.randint</c>).</summary>
public sealed record IntRange(int Lo, int Hi)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"int[{Lo}, {Hi}]");
}
