using Isc.Imaging.Pixels;
using Isc.Imaging.Randomness;
using Isc.Recipe.Chains;

namespace Isc.Imaging.Augmentations;

/// <summary>
/// torchvision 0.8 ColorJitter.forward: a random permutation of (brightness, contrast, saturation, hue) is drawn
/// first, then each enabled op draws its factor when its turn comes and applies Pillow's arithmetic
/// (ImageEnhance float32 blends with truncation; hue through Pillow's 8-bit HSV with uint8 wrap-around).
/// </summary>
public sealed class ColorJitterStep(ColorJitter spec) : IAugmentation
{
    public bool MutatesInput => true;

    public RgbImage Apply(RgbImage image, ImageRandom random)
    {
        Span<int> order = [0, 1, 2, 3];
        for (var i = 0; i < 3; i++)
        {
            var j = i + random.IntInclusive(0, 3 - i);
            (order[i], order[j]) = (order[j], order[i]);
        }
        foreach (var op in order)
        {
            var range = op switch { 0 => spec.Brightness, 1 => spec.Contrast, 2 => spec.Saturation, _ => spec.Hue };
            if (range is null) continue;
            var f = (float)random.Uniform(range.Lo, range.Hi);
            switch (op)
            {
                case 0: Brightness(image, f); break;
                case 1: Contrast(image, f); break;
                case 2: Saturation(image, f); break;
                default: Hue(image, f); break;
            }
        }
        return image;
    }

    public static void Brightness(RgbImage img, float f, bool allowSimd = true)
    {
        if (allowSimd && EnhanceKernels.Vectorised) EnhanceKernels.BlendConstant(img, 0, f);
        else ApplyLut(img, Lut(0, f));
    }

    /// <summary>blend(degenerate, x, f) for every byte x: the enhance ops with a constant degenerate are table lookups.</summary>
    static byte[] Lut(byte degenerate, float f)
    {
        var lut = new byte[256];
        for (var x = 0; x < 256; x++) lut[x] = PillowColor.EnhanceBlend(degenerate, (byte)x, f);
        return lut;
    }

    static void ApplyLut(RgbImage img, byte[] lut)
    {
        var p = img.Pixels;
        for (var i = 0; i < p.Length; i++) p[i] = lut[p[i]];
    }

    public static void Contrast(RgbImage img, float f, bool allowSimd = true)
    {
        var simd = allowSimd && EnhanceKernels.Vectorised;
        long sum = 0;
        if (simd) sum = EnhanceKernels.LumaSum(img);
        else
        {
            var p = img.Pixels;
            for (var i = 0; i < p.Length; i += 3) sum += PillowColor.Luma(p[i], p[i + 1], p[i + 2]);
        }
        var mean = (byte)(int)((double)sum / (img.Width * img.Height) + 0.5);
        if (simd) EnhanceKernels.BlendConstant(img, mean, f);
        else ApplyLut(img, Lut(mean, f));
    }

    public static void Saturation(RgbImage img, float f, bool allowSimd = true)
    {
        if (allowSimd && EnhanceKernels.Vectorised)
        {
            EnhanceKernels.BlendLuma(img, f);
            return;
        }
        // blend(L, x, f) tabulated over (L, x): 64 K entries instead of three float blends per pixel.
        var lut = new byte[256 * 256];
        for (var l = 0; l < 256; l++)
            for (var x = 0; x < 256; x++) lut[(l << 8) | x] = PillowColor.EnhanceBlend((byte)l, (byte)x, f);
        var p = img.Pixels;
        for (var i = 0; i < p.Length; i += 3)
        {
            var l = PillowColor.Luma(p[i], p[i + 1], p[i + 2]) << 8;
            p[i] = lut[l | p[i]];
            p[i + 1] = lut[l | p[i + 1]];
            p[i + 2] = lut[l | p[i + 2]];
        }
    }

    /// <summary>The hue shift numpy's uint8 cast gives: truncate toward zero, then wrap (−0.1 → 231).</summary>
    public static byte HueShift(float hue) => unchecked((byte)(int)(hue * 255f));

    public static void Hue(RgbImage img, float hue) => HueShifter.Shift(img, HueShift(hue));

    /// <summary>The straightforward per-pixel version of <see cref="Hue"/> (reference for the table-driven one).</summary>
    public static void HueReference(RgbImage img, float hue)
    {
        var shift = HueShift(hue);
        var p = img.Pixels;
        for (var i = 0; i < p.Length; i += 3)
        {
            PillowColor.RgbToHsv(p[i], p[i + 1], p[i + 2], out var h, out var s, out var v);
            h = unchecked((byte)(h + shift));
            PillowColor.HsvToRgb(h, s, v, out p[i], out p[i + 1], out p[i + 2]);
        }
    }
}
