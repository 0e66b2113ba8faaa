using System.Buffers;
using System.Collections.Concurrent;
using Isc.Imaging.Pixels;
using Isc.Imaging.Randomness;
using Isc.Recipe.Chains;

namespace Isc.Imaging.Augmentations;

/// <summary>
/// AugLy shuffle_pixels, quirk included: numpy's global RNG is reseeded with the constant seed on every call, so
/// the chosen positions (legacy <c>choice(N, k, replace=False)</c> = the first k of <c>permutation(N)</c>) and
/// their shuffle are a fixed pattern for a given image size; only the factor (hence k) varies.
/// The permutation of N and the generator state after it are cached per N.
/// </summary>
public sealed class ShufflePixelsStep(ShufflePixels spec) : IAugmentation
{
    static readonly ConcurrentDictionary<(int N, int Seed), (int[] Perm, NumpyLegacyRandom After)> Cache = new();

    public bool MutatesInput => true;

    public RgbImage Apply(RgbImage image, ImageRandom random)
    {
        var factor = random.Uniform(spec.Factor.Lo, spec.Factor.Hi);
        Shuffle(image, factor, spec.Seed);
        return image;
    }

    /// <summary>The (source position → destination position) pairs of one call: pixel at Chosen[Order[i]] moves to Chosen[i].</summary>
    public static (int[] Chosen, int[] Order) Pattern(int pixelCount, double factor, int seed)
    {
        var k = (int)(factor * pixelCount);
        var order = new int[k];
        var perm = PatternInto(pixelCount, k, seed, order);
        return (perm[..k], order);
    }

    /// <summary>Fills order[0..k) and returns the cached permutation whose first k entries are the chosen positions.</summary>
    static int[] PatternInto(int pixelCount, int k, int seed, Span<int> order)
    {
        var (perm, after) = Cache.GetOrAdd((pixelCount, seed), key =>
        {
            var rng = new NumpyLegacyRandom((uint)key.Seed);
            var p = new int[key.N];
            for (var i = 0; i < p.Length; i++) p[i] = i;
            rng.Shuffle(p);
            return (p, rng);
        });
        for (var i = 0; i < k; i++) order[i] = i;
        after.Clone().Shuffle(order);
        return perm;
    }

    public static void Shuffle(RgbImage image, double factor, int seed)
    {
        var n = image.Width * image.Height;
        var k = (int)(factor * n);
        if (k == 0) return;
        var orderBuf = ArrayPool<int>.Shared.Rent(k);
        var gathered = ArrayPool<byte>.Shared.Rent(k * 3);
        try
        {
        var order = orderBuf.AsSpan(0, k);
        var chosen = PatternInto(n, k, seed, order).AsSpan(0, k);
        var p = image.Pixels;
        for (var i = 0; i < chosen.Length; i++)
        {
            var s = chosen[i] * 3;
            gathered[3 * i] = p[s]; gathered[3 * i + 1] = p[s + 1]; gathered[3 * i + 2] = p[s + 2];
        }
        for (var i = 0; i < chosen.Length; i++)
        {
            int d = chosen[i] * 3, s = order[i] * 3;
            p[d] = gathered[s]; p[d + 1] = gathered[s + 1]; p[d + 2] = gathered[s + 2];
        }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(orderBuf);
            ArrayPool<byte>.Shared.Return(gathered);
        }
    }
}
