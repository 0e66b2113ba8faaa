using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Isc.Imaging.Randomness;

/// <summary>
/// The per-image random stream (xoshiro256**), seeded from a hash of (dataset, id, k, seed) so every output
/// image is a pure function of those, whatever the parallelism or resume order.
/// Python/numpy/torch streams are not replicated; the distributions drawn from this one are the recipe's.
/// </summary>
public sealed class ImageRandom
{
    ulong _s0, _s1, _s2, _s3;

    public ImageRandom(ulong seed)
    {
        // SplitMix64 expands the seed into a state that is never all zero.
        _s0 = SplitMix(ref seed); _s1 = SplitMix(ref seed); _s2 = SplitMix(ref seed); _s3 = SplitMix(ref seed);
    }

    public static ImageRandom For(string dataset, int id, int k, int seed)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{dataset}\n{id}\n{k}\n{seed}")));
        return new ImageRandom(BinaryPrimitives.ReadUInt64LittleEndian(bytes));
    }

    public ulong NextUInt64()
    {
        var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3; _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Python random.uniform(lo, hi): lo + (hi − lo)·U[0, 1).</summary>
    public double Uniform(double lo, double hi) => lo + (hi - lo) * NextDouble();

    /// <summary>Uniform integer in [lo, hi], both ends included, unbiased.</summary>
    public int IntInclusive(int lo, int hi)
    {
        if (hi < lo) throw new ArgumentException($"empty range [{lo}, {hi}]");
        var span = (ulong)((long)hi - lo + 1);
        var limit = ulong.MaxValue - ulong.MaxValue % span;
        ulong v;
        do v = NextUInt64(); while (v >= limit);
        return (int)(lo + (long)(v % span));
    }

    /// <summary>True with probability <paramref name="p"/> (one draw, always consumed).</summary>
    public bool Chance(double p) => NextDouble() < p;

    static ulong SplitMix(ref ulong x)
    {
        var z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
