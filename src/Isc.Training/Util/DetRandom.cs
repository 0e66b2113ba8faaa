namespace Isc.Training.Util;

/// <summary>
/// A small deterministic generator (SplitMix64) that can be keyed by (seed, stream, step, slot), so every random
/// draw of a training step is a pure function of where it happens: a run resumed at an epoch boundary draws
/// exactly what the uninterrupted run drew, whatever thread did the work.
/// </summary>
public sealed class DetRandom
{
    ulong state;

    public DetRandom(ulong seed) => state = seed;

    public static DetRandom For(long seed, params long[] keys)
    {
        var s = Mix((ulong)seed ^ 0x9E3779B97F4A7C15UL);
        foreach (var k in keys) s = Mix(s ^ Mix((ulong)k + 0x632BE59BD9B4E019UL));
        return new DetRandom(s);
    }

    /// <summary>A generator in this one's state: it draws what this one will draw next, independently of it.</summary>
    public DetRandom Copy() => new(state);

    public ulong NextULong()
    {
        state += 0x9E3779B97F4A7C15UL;
        return Mix(state);
    }

    /// <summary>Uniform integer in [0, n).</summary>
    public int NextInt(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n));
        return IntFrom(NextULong(), n);
    }

    /// <summary>
    /// The integer <see cref="NextInt"/> makes of a raw draw: every NextInt takes exactly one <see cref="NextULong"/>,
    /// so a caller may take the raw draws first and choose the bounds later.
    /// </summary>
    public static int IntFrom(ulong raw, int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n));
        return (int)(raw % (ulong)n);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    public void Shuffle<T>(IList<T> list)
    {
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
    }

    static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
