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
        var (perm, after) = Cache.GetOrAdd((pixelCount, seed), key =>
        {
            var rng = new NumpyLegacyRandom((uint)key.Seed);
            var p = new int[key.N];
            for (var i = 0; i < p.Length; i++) p[i] = i;
            rng.Shuffle(p);
            return (p, rng);
        });
        var k = (int)(factor * pixelCount);
        var chosen = perm[..k];
        var order = new int[k];
        for (var i = 0; i < k; i++) order[i] = i;
        after.Clone().Shuffle(order);
        return (chosen, order);
    }

    public static void Shuffle(RgbImage image, double factor, int seed)
    {
        var (chosen, order) = Pattern(image.Width * image.Height, factor, seed);
        if (chosen.Length == 0) return;
        var p = image.Pixels;
        var gathered = new byte[chosen.Length * 3];
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
}
