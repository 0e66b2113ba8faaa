using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Isc.Imaging.Pixels;
using Isc.Imaging.Randomness;
using Isc.Recipe.Chains;

namespace Isc.Imaging.Augmentations;

/// <summary>
/// PIL ImageFilter.GaussianBlur(radius), quirk included: not a true Gaussian but Pillow's extended box blur —
/// radius (float32) → fractional box radius by Gwosdek's formula, then 3 horizontal and 3 vertical passes, each
/// with 24-bit integer weights and rounded to 8 bits, edges extended.
/// </summary>
public sealed class GaussianBlurStep(GaussianBlur spec, int outputSize) : IAugmentation
{
    const int Passes = 3;
    public bool MutatesInput => true;

    public RgbImage Apply(RgbImage image, ImageRandom random)
    {
        Blur(image, (float)(random.Uniform(spec.Radius.Lo, spec.Radius.Hi) * outputSize / spec.ReferenceSize));
        return image;
    }

    /// <summary>Pillow's _gaussian_blur_radius in float32: the extended box radius of one pass.</summary>
    public static float BoxRadius(float radius, int passes = Passes)
    {
        var sigma2 = radius * radius / passes;
        var L = MathF.Sqrt(12.0f * sigma2 + 1.0f);
        var l = MathF.Floor((L - 1.0f) / 2.0f);
        var a = (2 * l + 1) * (l * (l + 1) - 3 * sigma2);
        a /= 6 * (sigma2 - (l + 1) * (l + 1));
        return l + a;
    }

    /// <summary>(inner weight ww on the 2·int(r)+1 centre taps, edge weight fw on the two next taps), out of 2^24.</summary>
    public static (uint Inner, uint Edge, int Radius) Weights(float boxRadius)
    {
        var r = (int)boxRadius;
        var ww = (uint)((1 << 24) / (boxRadius * 2 + 1));
        var fw = ((1u << 24) - (uint)(r * 2 + 1) * ww) / 2;
        return (ww, fw, r);
    }

    public static void Blur(RgbImage img, float radius, bool allowSimd = true)
    {
        if (radius <= 0) return;
        var (ww, fw, r) = Weights(BoxRadius(radius));
        int w = img.Width, h = img.Height;
        var p = img.Pixels;
        // Pillow: 3 horizontal passes, then 3 vertical. Horizontal passes run as vertical (SIMD) passes on the transpose.
        // Pooled: 256×256 buffers are above the large-object threshold and would churn the LOH.
        var a = ArrayPool<byte>.Shared.Rent(p.Length);
        var b = ArrayPool<byte>.Shared.Rent(p.Length);
        var acc = ArrayPool<uint>.Shared.Rent(Math.Max(w, h) * 3);
        // 16-bit box sums need 255·(2r + 1) ≤ 32767 (r ≤ 63: radius ≤ ~190 px).
        var narrow = allowSimd && Avx2.IsSupported && r <= 63;
        try
        {
        Transpose(p, a, w, h);
        for (var pass = 0; pass < Passes; pass++)
        {
            if (narrow) BlurKernels.VerticalPass(a, b, h, w, ww, fw, r, acc);
            else VerticalPass(a, b, h, w, ww, fw, r, acc);
            (a, b) = (b, a);
        }
        Transpose(a, b, h, w);
        for (var pass = 0; pass < Passes; pass++)
        {
            if (narrow) BlurKernels.VerticalPass(b, a, w, h, ww, fw, r, acc);
            else VerticalPass(b, a, w, h, ww, fw, r, acc);
            (a, b) = (b, a);
        }
        b.AsSpan(0, p.Length).CopyTo(p);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(a);
            ArrayPool<byte>.Shared.Return(b);
            ArrayPool<uint>.Shared.Return(acc);
        }
    }

    /// <summary>
    /// RGB transpose: pixel (x, y) of the w×h source goes to (y, x) of the h×w destination. The destination is written
    /// in order with 4-byte moves, each one's spare byte overwritten by the next; the very last pixel moves bytewise.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static unsafe void Transpose(ReadOnlySpan<byte> src, Span<byte> dst, int w, int h)
    {
        fixed (byte* s = src, d = dst)
        {
            var sstride = w * 3;
            var o = d;
            for (var x = 0; x < w; x++)
            {
                var col = s + x * 3;
                var n = x == w - 1 ? h - 1 : h;
                for (var y = 0; y < n; y++, o += 3, col += sstride) *(uint*)o = *(uint*)col;
            }
            o[0] = s[(w * h - 1) * 3]; o[1] = s[(w * h - 1) * 3 + 1]; o[2] = s[(w * h - 1) * 3 + 2];
        }
    }

    /// <summary>
    /// One vertical pass: out[y] = (ww·Σ_{|i|≤r} in[y+i] + fw·(in[y−r−1] + in[y+r+1]) + 2^23) >> 24, rows clamped at the
    /// edges. The weights sum to at most 2^24, so every sum fits in 32 bits (255·2^24 + 2^23 &lt; 2^32).
    /// </summary>
    static unsafe void VerticalPass(byte[] src, byte[] dst, int w, int h, uint ww, uint fw, int r, uint[] acc)
    {
        var stride = w * 3;
        var last = h - 1;
        Array.Clear(acc, 0, stride);
        fixed (byte* s0 = src, d0 = dst)
        fixed (uint* a = acc)
        {
            for (var i = -r; i <= r; i++)
            {
                var row = s0 + Math.Clamp(i, 0, last) * stride;
                for (var x = 0; x < stride; x++) a[x] += row[x];
            }
            var wwv = Vector256.Create(ww);
            var fwv = Vector256.Create(fw);
            var round = Vector256.Create(1u << 23);
            for (var y = 0; y < h; y++)
            {
                var up = s0 + Math.Clamp(y - r - 1, 0, last) * stride;
                var down = s0 + Math.Clamp(y + r + 1, 0, last) * stride;
                var leave = s0 + Math.Clamp(y - r, 0, last) * stride;
                var o = d0 + y * stride;
                var x = 0;
                if (Vector256.IsHardwareAccelerated)
                    for (; x + 8 <= stride; x += 8)
                    {
                        var av = Vector256.Load(a + x);
                        var upv = Widen8(up + x);
                        var downv = Widen8(down + x);
                        var res = Vector256.ShiftRightLogical(av * wwv + (upv + downv) * fwv + round, 24);
                        var n16 = Vector128.Narrow(res.GetLower(), res.GetUpper());
                        *(ulong*)(o + x) = Vector128.Narrow(n16, n16).AsUInt64().ToScalar();
                        (av + downv - Widen8(leave + x)).Store(a + x);
                    }
                for (; x < stride; x++)
                {
                    o[x] = (byte)((a[x] * ww + (uint)(up[x] + down[x]) * fw + (1u << 23)) >> 24);
                    a[x] += (uint)down[x] - leave[x];
                }
            }
        }
    }

    static unsafe Vector256<uint> Widen8(byte* p)
    {
        var words = Vector128.WidenLower(Vector128.CreateScalarUnsafe(*(ulong*)p).AsByte());
        var (lo, hi) = Vector128.Widen(words);
        return Vector256.Create(lo, hi);
    }
}
