using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Isc.Imaging.Pixels;

/// <summary>
/// The AVX2 passes of <see cref="PillowResize"/>, in Pillow's exact integer arithmetic. vpmaddwd multiplies 16-bit
/// values, so each 22-bit weight is split as w = hi·2^12 + lo with lo ∈ [0, 4096) and hi ∈ [−2048, 2048): both fit,
/// Σ p·lo and Σ p·hi are exact in 32 bits, and (Σ p·hi)·2^12 + Σ p·lo is the very integer Σ p·w of the scalar pass
/// (which itself never overflows: 255·Σ|w| &lt; 2^31). Clipping to 0…255 is the saturation of the packs.
/// </summary>
public static partial class PillowResize
{
    const int LoBits = 12;
    const int LoMask = (1 << LoBits) - 1;

    /// <summary>
    /// Four taps at a time: 16 source bytes from the group's first tap go to both 128-bit lanes; the low lane is
    /// shuffled to (R0 R1 G0 G1 B0 B1 0 0), the high lane to taps 2 and 3 likewise, as 16-bit values.
    /// </summary>
    static readonly Vector256<byte> TapPairs = Vector256.Create(
        (byte)0, 0x80, 3, 0x80, 1, 0x80, 4, 0x80, 2, 0x80, 5, 0x80, 0x80, 0x80, 0x80, 0x80,
        6, 0x80, 9, 0x80, 7, 0x80, 10, 0x80, 8, 0x80, 11, 0x80, 0x80, 0x80, 0x80, 0x80);

    /// <summary>(R0 G0 B0 0 R1 G1 B1 0 …) → 12 packed RGB bytes, in each lane.</summary>
    static readonly Vector256<byte> DropFourth256 = Vector256.Create(
        (byte)0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 0x80, 0x80, 0x80, 0x80,
        0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 0x80, 0x80, 0x80, 0x80);

    // Fully optimised at once: tiered/OSR code of these long-running loops measured 1.5–3× slower.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static unsafe void HorizontalPassAvx2(RgbImage src, int rowOffset, RgbImage dst, int[] bounds, int[] weights, int ksize)
    {
        int dw = dst.Width, dh = dst.Height, sstride = src.Stride, dstride = dst.Stride;
        var maxGroups = (ksize + 3) / 4;
        // Per output pixel and group of 4 taps: the lo and hi weight vectors (16 shorts each), taps ≥ xn weighted 0.
        var lo = new short[dw * maxGroups * 16];
        var hi = new short[dw * maxGroups * 16];
        var groups = new int[dw];
        for (var x = 0; x < dw; x++)
        {
            var xn = bounds[2 * x + 1];
            groups[x] = (xn + 3) / 4;
            for (var t = 0; t < groups[x] * 4; t++)
            {
                var w = t < xn ? weights[x * ksize + t] : 0;
                // Tap t sits in lane t/2 % 2 of group t/4, at short 0, 2, 4 (t even) or 1, 3, 5 (t odd).
                var at = (x * maxGroups + t / 4) * 16 + (t / 2 % 2) * 8 + t % 2;
                for (var c = 0; c < 3; c++)
                {
                    lo[at + 2 * c] = (short)(w & LoMask);
                    hi[at + 2 * c] = (short)(w >> LoBits);
                }
            }
        }

        // A row is done the vector way when every pixel's last 16-byte load stays inside the image (all but the last
        // row or so); such rows go two at a time, sharing the weights and the addressing.
        var reach = 0;
        for (var x = 0; x < dw; x++) reach = Math.Max(reach, bounds[2 * x] * 3 + 12 * groups[x] + 4);
        var offsets = new int[dw];
        for (var x = 0; x < dw; x++) offsets[x] = bounds[2 * x] * 3;
        fixed (byte* s0 = src.Pixels, d0 = dst.Pixels)
        fixed (int* b = bounds, k0 = weights, gs = groups, off = offsets)
        fixed (short* lo0 = lo, hi0 = hi)
        {
            var end = s0 + src.Length;
            var wstep = maxGroups * 16;
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
                // The second row repeats the first when it is not available (its result is then not stored).
                var pair = y + 1 < dh && srow + sstride + reach <= end;
                var next = pair ? sstride : 0;
                var o1 = o0 + dstride;
                var xx = 0;
                for (; xx + 4 <= dw; xx += 4)
                {
                    var wl = lo0 + xx * wstep;
                    var wh = hi0 + xx * wstep;
                    var r0 = TwoRows(srow + off[xx], next, gs[xx], wl, wh);
                    var r1 = TwoRows(srow + off[xx + 1], next, gs[xx + 1], wl + wstep, wh + wstep);
                    var r2 = TwoRows(srow + off[xx + 2], next, gs[xx + 2], wl + 2 * wstep, wh + 2 * wstep);
                    var r3 = TwoRows(srow + off[xx + 3], next, gs[xx + 3], wl + 3 * wstep, wh + 3 * wstep);
                    // In-lane packs: lane 0 = row 0's four pixels, lane 1 = row 1's, as (R G B 0)×4 bytes, then RGB×4.
                    var bytes = Avx2.PackUnsignedSaturate(Avx2.PackSignedSaturate(r0, r1), Avx2.PackSignedSaturate(r2, r3));
                    var rgb = Avx2.Shuffle(bytes, DropFourth256);
                    Store12(o0 + xx * 3, rgb.GetLower());
                    if (pair) Store12(o1 + xx * 3, rgb.GetUpper());
                }
                for (; xx < dw; xx++)
                {
                    var r = TwoRows(srow + off[xx], next, gs[xx], lo0 + xx * wstep, hi0 + xx * wstep);
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

    /// <summary>One output pixel for two rows (<paramref name="next"/> bytes apart): (R G B 0 | R G B 0), shifted, unclipped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static unsafe Vector256<int> TwoRows(byte* si, int next, int groups, short* wl, short* wh)
    {
        Vector256<int> lo0 = default, hi0 = default, lo1 = default, hi1 = default;
        for (var k = 0; k < groups; k++, si += 12, wl += 16, wh += 16)
        {
            var wL = Vector256.Load(wl);
            var wH = Vector256.Load(wh);
            var p0 = Avx2.Shuffle(Avx2.BroadcastVector128ToVector256(si), TapPairs).AsInt16();
            var p1 = Avx2.Shuffle(Avx2.BroadcastVector128ToVector256(si + next), TapPairs).AsInt16();
            lo0 += Avx2.MultiplyAddAdjacent(p0, wL);
            hi0 += Avx2.MultiplyAddAdjacent(p0, wH);
            lo1 += Avx2.MultiplyAddAdjacent(p1, wL);
            hi1 += Avx2.MultiplyAddAdjacent(p1, wH);
        }
        var t0 = (hi0 << LoBits) + lo0;
        var t1 = (hi1 << LoBits) + lo1;
        // (row 0's two lanes summed | row 1's two lanes summed)
        var sum = Avx2.Permute2x128(t0, t1, 0x20) + Avx2.Permute2x128(t0, t1, 0x31) + Vector256.Create(Half);
        return Avx2.ShiftRightArithmetic(sum, Precision);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static unsafe void Store12(byte* o, Vector128<byte> rgb)
    {
        *(ulong*)o = rgb.AsUInt64().ToScalar();
        *(uint*)(o + 8) = rgb.AsUInt32().GetElement(2);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static unsafe void VerticalPassAvx2(RgbImage src, RgbImage dst, int[] bounds, int[] weights, int ksize)
    {
        var stride = src.Stride;
        var pairs = (ksize + 1) / 2;
        if (pairs > 1024) { VerticalPass(src, dst, bounds, weights, ksize); return; } // a huge reduction: keep the stack small
        var rowA = stackalloc byte*[pairs];
        var rowB = stackalloc byte*[pairs];
        var wLo = stackalloc Vector256<short>[pairs];
        var wHi = stackalloc Vector256<short>[pairs];
        var half = Vector256.Create(Half);
        fixed (byte* s0 = src.Pixels, d0 = dst.Pixels)
        {
            for (var yy = 0; yy < dst.Height; yy++)
            {
                int ymin = bounds[2 * yy], yn = bounds[2 * yy + 1];
                var np = (yn + 1) / 2;
                for (var p = 0; p < np; p++)
                {
                    var w0 = weights[yy * ksize + 2 * p];
                    var w1 = 2 * p + 1 < yn ? weights[yy * ksize + 2 * p + 1] : 0;
                    rowA[p] = s0 + (long)(ymin + 2 * p) * stride;
                    rowB[p] = 2 * p + 1 < yn ? rowA[p] + stride : rowA[p]; // weight 0: any row in the image will do
                    wLo[p] = Vector256.Create((w0 & LoMask) | ((w1 & LoMask) << 16)).AsInt16();
                    wHi[p] = Vector256.Create((int)(ushort)(short)(w0 >> LoBits) | ((w1 >> LoBits) << 16)).AsInt16();
                }
                var drow = d0 + (long)yy * stride;
                var x = 0;
                for (; x + 16 <= stride; x += 16)
                {
                    Vector256<int> lo0 = default, hi0 = default, lo1 = default, hi1 = default;
                    for (var p = 0; p < np; p++)
                    {
                        var a = Avx2.ConvertToVector256Int16(rowA[p] + x);
                        var c = Avx2.ConvertToVector256Int16(rowB[p] + x);
                        // In-lane interleave: pixels 0–3 | 8–11 and 4–7 | 12–15, each as (row A, row B) pairs.
                        var first = Avx2.UnpackLow(a, c);
                        var second = Avx2.UnpackHigh(a, c);
                        lo0 += Avx2.MultiplyAddAdjacent(first, wLo[p]);
                        hi0 += Avx2.MultiplyAddAdjacent(first, wHi[p]);
                        lo1 += Avx2.MultiplyAddAdjacent(second, wLo[p]);
                        hi1 += Avx2.MultiplyAddAdjacent(second, wHi[p]);
                    }
                    var t0 = Avx2.ShiftRightArithmetic((hi0 << LoBits) + lo0 + half, Precision);
                    var t1 = Avx2.ShiftRightArithmetic((hi1 << LoBits) + lo1 + half, Precision);
                    // The in-lane packs undo the interleave's order: words 0–7 | 8–15.
                    var words = Avx2.PackSignedSaturate(t0, t1);
                    var bytes = Avx2.PackUnsignedSaturate(words, words);
                    Avx2.Permute4x64(bytes.AsUInt64(), 0b_00_00_10_00).GetLower().AsByte().Store(drow + x);
                }
                for (; x < stride; x++)
                {
                    var acc = Half;
                    for (var y = 0; y < yn; y++) acc += s0[(long)(ymin + y) * stride + x] * weights[yy * ksize + y];
                    drow[x] = Clip8(acc);
                }
            }
        }
    }
}
