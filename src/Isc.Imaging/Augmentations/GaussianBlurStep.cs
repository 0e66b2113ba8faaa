using System.Runtime.Intrinsics;
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

    public static void Blur(RgbImage img, float radius)
    {
        if (radius <= 0) return;
        var (ww, fw, r) = Weights(BoxRadius(radius));
        int w = img.Width, h = img.Height;
        var p = img.Pixels;
        // Horizontal: each row copied into a buffer padded by r+1 edge pixels on both sides, so no index clamps.
        var pad = r + 1;
        var a = new byte[(w + 2 * pad) * 3];
        var b = new byte[a.Length];
        for (var y = 0; y < h; y++)
        {
            var row = p.Slice(y * w * 3, w * 3);
            row.CopyTo(a.AsSpan(pad * 3));
            for (var pass = 0; pass < Passes; pass++)
            {
                ExtendEdges(a, w, pad);
                HorizontalLine(a, b, w, pad, ww, fw, r);
                (a, b) = (b, a);
            }
            a.AsSpan(pad * 3, w * 3).CopyTo(row);
        }
        // Vertical: running column sums over whole rows (cache-friendly), rows clamped at the edges.
        var stride = w * 3;
        var src = p.ToArray();
        var dst = new byte[src.Length];
        var acc = new uint[stride];
        for (var pass = 0; pass < Passes; pass++)
        {
            VerticalPass(src, dst, w, h, ww, fw, r, acc);
            (src, dst) = (dst, src);
        }
        src.AsSpan().CopyTo(p);
    }

    static void ExtendEdges(byte[] line, int w, int pad)
    {
        for (var i = 0; i < pad; i++)
        {
            line[3 * i] = line[3 * pad]; line[3 * i + 1] = line[3 * pad + 1]; line[3 * i + 2] = line[3 * pad + 2];
            var l = 3 * (pad + w - 1);
            var o = 3 * (pad + w + i);
            line[o] = line[l]; line[o + 1] = line[l + 1]; line[o + 2] = line[l + 2];
        }
    }

    /// <summary>One pass: out[x] = (ww·Σ_{|i|≤r} in[x+i] + fw·(in[x−r−1] + in[x+r+1]) + 2^23) >> 24 (input padded by r+1).</summary>
    /// <remarks>The weights sum to at most 2^24, so every sum fits in 32 bits (255·2^24 + 2^23 &lt; 2^32).</remarks>
    static unsafe void HorizontalLine(byte[] input, byte[] output, int w, int pad, uint ww, uint fw, int r)
    {
        fixed (byte* inp = input, outp = output)
        {
            for (var c = 0; c < 3; c++)
            {
                var i0 = inp + c;
                var o0 = outp + c;
                uint acc = 0;
                for (var i = -r; i <= r; i++) acc += i0[(pad + i) * 3];
                var lead = i0 + (pad + r + 1) * 3;   // in[x+r+1]
                var trail = i0 + (pad - r - 1) * 3;  // in[x−r−1]
                var o = o0 + pad * 3;
                for (var x = 0; x < w; x++, lead += 3, trail += 3, o += 3)
                {
                    *o = (byte)((acc * ww + (uint)(*trail + *lead) * fw + (1u << 23)) >> 24);
                    acc += (uint)*lead - trail[3];
                }
            }
        }
    }

    static unsafe void VerticalPass(byte[] src, byte[] dst, int w, int h, uint ww, uint fw, int r, uint[] acc)
    {
        var stride = w * 3;
        var last = h - 1;
        Array.Clear(acc);
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
