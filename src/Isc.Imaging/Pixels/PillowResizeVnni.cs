using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Isc.Imaging.Pixels;

/// <summary>
/// The horizontal pass with AVX-VNNI's vpdpbusd (4 unsigned-byte × signed-byte products summed into each int32 lane,
/// no saturation): each weight is written in balanced base-256 digits, w = d2·2^16 + d1·2^8 + d0 with d ∈ [−128, 127]
/// (|w| &lt; 2^23 fits), one digit plane per instruction, so 8 taps of one row cost 3 instructions. The planes' sums
/// recombined as (s2 &lt;&lt; 16) + (s1 &lt;&lt; 8) + s0 are Σ p·w exactly (mod 2^32, and the true sum fits), as in the
/// scalar pass.
/// </summary>
public static partial class PillowResize
{
    /// <summary>Whether the AVX-VNNI horizontal pass may run where the CPU has it (false: the AVX2 one; for tests).</summary>
    public static bool PreferVnni { get; set; } = true;

    static bool UseVnni => PreferVnni && AvxVnni.IsSupported;

    /// <summary>Per 128-bit lane (4 taps from its own 16-byte load): R of taps 0–3, G of taps 0–3, B of taps 0–3, zeros.</summary>
    static readonly Vector256<byte> ChannelQuads = Vector256.Create(
        (byte)0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11, 0x80, 0x80, 0x80, 0x80,
        0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11, 0x80, 0x80, 0x80, 0x80);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static unsafe void HorizontalPassVnni(RgbImage src, int rowOffset, RgbImage dst, int[] bounds, int[] weights, int ksize)
    {
        int dw = dst.Width, dh = dst.Height, sstride = src.Stride, dstride = dst.Stride;
        var maxGroups = (ksize + 7) / 8;
        // Per output pixel and group of 8 taps: three digit planes of 32 signed bytes (lane = 4 taps, R G B quads).
        var planes = new sbyte[dw * maxGroups * 96];
        var groups = new int[dw];
        for (var x = 0; x < dw; x++)
        {
            var xn = bounds[2 * x + 1];
            groups[x] = (xn + 7) / 8;
            for (var t = 0; t < groups[x] * 8; t++)
            {
                var w = t < xn ? weights[x * ksize + t] : 0;
                var digit0 = ((w + 128) & 255) - 128;
                var rest = (w - digit0) >> 8;
                var digit1 = ((rest + 128) & 255) - 128;
                var digit2 = (rest - digit1) >> 8;
                if (digit2 is < -128 or > 127) throw new InvalidOperationException($"resize weight {w} outside ±2^23");
                var at = (x * maxGroups + t / 8) * 96 + (t / 4 % 2) * 16 + t % 4;
                for (var c = 0; c < 3; c++)
                {
                    planes[at + 4 * c] = (sbyte)digit0;
                    planes[at + 32 + 4 * c] = (sbyte)digit1;
                    planes[at + 64 + 4 * c] = (sbyte)digit2;
                }
            }
        }
        // The last group's second load reads 16 bytes from 12 bytes past its start.
        var reach = 0;
        for (var x = 0; x < dw; x++) reach = Math.Max(reach, bounds[2 * x] * 3 + 24 * groups[x] + 4);
        var offsets = new int[dw];
        for (var x = 0; x < dw; x++) offsets[x] = bounds[2 * x] * 3;
        fixed (byte* s0 = src.Pixels, d0 = dst.Pixels)
        fixed (int* b = bounds, k0 = weights, gs = groups, off = offsets)
        fixed (sbyte* p0 = planes)
        {
            var end = s0 + src.Length;
            var wstep = maxGroups * 96;
            for (var y = 0; y < dh; y++)
            {
                var srow = s0 + (long)(y + rowOffset) * sstride;
                var o0 = d0 + (long)y * dstride;
                if (srow + reach > end)
                {
                    for (var x = 0; x < dw; x++, o0 += 3)
                    {
                        var (r, g, bl) = Taps(srow + b[2 * x] * 3, k0 + x * ksize, b[2 * x + 1]);
                        o0[0] = Clip8(r); o0[1] = Clip8(g); o0[2] = Clip8(bl);
                    }
                    continue;
                }
                var pair = y + 1 < dh && srow + sstride + reach <= end;
                var next = pair ? sstride : 0;
                var o1 = o0 + dstride;
                var xx = 0;
                for (; xx + 4 <= dw; xx += 4)
                {
                    var w = p0 + xx * wstep;
                    var r0 = TwoRowsVnni(srow + off[xx], next, gs[xx], w);
                    var r1 = TwoRowsVnni(srow + off[xx + 1], next, gs[xx + 1], w + wstep);
                    var r2 = TwoRowsVnni(srow + off[xx + 2], next, gs[xx + 2], w + 2 * wstep);
                    var r3 = TwoRowsVnni(srow + off[xx + 3], next, gs[xx + 3], w + 3 * wstep);
                    var bytes = Avx2.PackUnsignedSaturate(Avx2.PackSignedSaturate(r0, r1), Avx2.PackSignedSaturate(r2, r3));
                    var rgb = Avx2.Shuffle(bytes, DropFourth256);
                    Store12(o0 + xx * 3, rgb.GetLower());
                    if (pair) Store12(o1 + xx * 3, rgb.GetUpper());
                }
                for (; xx < dw; xx++)
                {
                    var r = TwoRowsVnni(srow + off[xx], next, gs[xx], p0 + xx * wstep);
                    var words = Avx2.PackSignedSaturate(r, r);
                    var bytes = Avx2.PackUnsignedSaturate(words, words);
                    for (var c = 0; c < 3; c++)
                    {
                        o0[xx * 3 + c] = bytes.GetElement(c);
                        if (pair) o1[xx * 3 + c] = bytes.GetElement(16 + c);
                    }
                }
                if (pair) y++;
            }
        }
    }

    /// <summary>One output pixel for two rows: (R G B 0 | R G B 0), shifted, unclipped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static unsafe Vector256<int> TwoRowsVnni(byte* si, int next, int groups, sbyte* w)
    {
        Vector256<int> a0 = default, a1 = default, a2 = default, b0 = default, b1 = default, b2 = default;
        for (var k = 0; k < groups; k++, si += 24, w += 96)
        {
            var w0 = Vector256.Load(w);
            var w1 = Vector256.Load(w + 32);
            var w2 = Vector256.Load(w + 64);
            var p = Avx2.Shuffle(Vector256.Create(Vector128.Load(si), Vector128.Load(si + 12)), ChannelQuads);
            var q = Avx2.Shuffle(Vector256.Create(Vector128.Load(si + next), Vector128.Load(si + next + 12)), ChannelQuads);
            a0 = AvxVnni.MultiplyWideningAndAdd(a0, p, w0);
            a1 = AvxVnni.MultiplyWideningAndAdd(a1, p, w1);
            a2 = AvxVnni.MultiplyWideningAndAdd(a2, p, w2);
            b0 = AvxVnni.MultiplyWideningAndAdd(b0, q, w0);
            b1 = AvxVnni.MultiplyWideningAndAdd(b1, q, w1);
            b2 = AvxVnni.MultiplyWideningAndAdd(b2, q, w2);
        }
        var t0 = (a2 << 16) + (a1 << 8) + a0;
        var t1 = (b2 << 16) + (b1 << 8) + b0;
        var sum = Avx2.Permute2x128(t0, t1, 0x20) + Avx2.Permute2x128(t0, t1, 0x31) + Vector256.Create(Half);
        return Avx2.ShiftRightArithmetic(sum, Precision);
    }
}
