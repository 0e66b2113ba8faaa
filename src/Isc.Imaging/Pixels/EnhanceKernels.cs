using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Isc.Imaging.Pixels;

/// <summary>
/// AVX2 forms of Pillow's ImageEnhance blends, out = deg + f·(x − deg) in float32 (the same operations in the same
/// order as <see cref="PillowColor.EnhanceBlend"/>, eight lanes at a time), truncated and clamped to 0…255.
/// Tested equal to the scalar per-byte form.
/// </summary>
public static class EnhanceKernels
{
    public static bool Vectorised => Avx2.IsSupported;

    /// <summary>Every byte blended with the constant <paramref name="degenerate"/> (Brightness: 0; Contrast: the mean luma).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void BlendConstant(RgbImage img, byte degenerate, float f)
    {
        var order = Vector256.Create(0, 4, 1, 5, 2, 6, 3, 7);
        var deg = Vector256.Create((int)degenerate);
        var degF = Vector256.Create((float)degenerate);
        var fv = Vector256.Create(f);
        fixed (byte* p0 = img.Pixels)
        {
            var end = p0 + img.Length;
            var p = p0;
            for (; p + 32 <= end; p += 32)
            {
                var a = Blend(deg, degF, Avx2.ConvertToVector256Int32(p), fv);
                var b = Blend(deg, degF, Avx2.ConvertToVector256Int32(p + 8), fv);
                var c = Blend(deg, degF, Avx2.ConvertToVector256Int32(p + 16), fv);
                var d = Blend(deg, degF, Avx2.ConvertToVector256Int32(p + 24), fv);
                // The in-lane packs leave 4-byte groups in the order a0 b0 c0 d0 | a1 b1 c1 d1: put them back.
                var bytes = Avx2.PackUnsignedSaturate(Avx2.PackSignedSaturate(a, b), Avx2.PackSignedSaturate(c, d));
                Avx2.PermuteVar8x32(bytes.AsInt32(), order).AsByte().Store(p);
            }
            for (; p < end; p++) *p = PillowColor.EnhanceBlend(degenerate, *p, f);
        }
    }

    /// <summary>Every channel blended with its pixel's luma (ImageEnhance.Color).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void BlendLuma(RgbImage img, float f)
    {
        var fv = Vector256.Create(f);
        fixed (byte* p0 = img.Pixels)
        {
            var end = p0 + img.Length;
            var p = p0;
            for (; p + RgbLanes.ReadBytes <= end; p += 3 * RgbLanes.Pixels)
            {
                RgbLanes.Load(p, out var r, out var g, out var b);
                var l = RgbLanes.Luma(r, g, b);
                var lf = Avx.ConvertToVector256Single(l);
                RgbLanes.Store(p, Blend(l, lf, r, fv), Blend(l, lf, g, fv), Blend(l, lf, b, fv));
            }
            for (; p < end; p += 3)
            {
                var l = PillowColor.Luma(p[0], p[1], p[2]);
                p[0] = PillowColor.EnhanceBlend(l, p[0], f);
                p[1] = PillowColor.EnhanceBlend(l, p[1], f);
                p[2] = PillowColor.EnhanceBlend(l, p[2], f);
            }
        }
    }

    /// <summary>Σ luma over the image (ImageStat's mean of the L image is this over the pixel count).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe long LumaSum(RgbImage img)
    {
        long sum = 0;
        fixed (byte* p0 = img.Pixels)
        {
            var end = p0 + img.Length;
            var p = p0;
            while (p + RgbLanes.ReadBytes <= end)
            {
                // At most 4096 groups per int accumulator: 4096·255 per lane, far from overflow.
                var acc = Vector256<int>.Zero;
                for (var n = 0; n < 4096 && p + RgbLanes.ReadBytes <= end; n++, p += 3 * RgbLanes.Pixels)
                {
                    RgbLanes.Load(p, out var r, out var g, out var b);
                    acc += RgbLanes.Luma(r, g, b);
                }
                sum += Vector256.Sum(acc);
            }
            for (; p < end; p += 3) sum += PillowColor.Luma(p[0], p[1], p[2]);
        }
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<int> Blend(Vector256<int> deg, Vector256<float> degF, Vector256<int> x, Vector256<float> f)
    {
        var v = degF + f * Avx.ConvertToVector256Single(x - deg);
        // Truncation then clamping equals Pillow's "≤ 0 → 0, ≥ 255 → 255, else (int)v".
        return Vector256.Min(Vector256.Max(Avx.ConvertToVector256Int32WithTruncation(v), Vector256<int>.Zero), Vector256.Create(255));
    }
}
