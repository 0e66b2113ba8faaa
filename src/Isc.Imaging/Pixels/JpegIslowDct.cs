namespace Isc.Imaging.Pixels;

/// <summary>
/// The 8×8 integer ("ISLOW") DCTs of libjpeg-turbo (jfdctint.c/jidctint.c, the Loeffler–Ligtenberg–Moschytz
/// algorithm with 13-bit constants and 2 extra bits after the first pass), with its level shift, quantisation
/// rounding and output range limiting: the arithmetic Pillow's JPEG codec does, so coefficients and samples come out
/// as libjpeg-turbo's. Coefficients and quantisation tables are in natural (row-major) order.
/// </summary>
static class JpegIslowDct
{
    const int ConstBits = 13, Pass1Bits = 2;
    const int F0298 = 2446, F0390 = 3196, F0541 = 4433, F0765 = 6270, F0899 = 7373, F1175 = 9633,
        F1501 = 12299, F1847 = 15137, F1961 = 16069, F2053 = 16819, F2562 = 20995, F3072 = 25172;

    static int Descale(long x, int n) => (int)((x + (1L << (n - 1))) >> n);

    /// <summary>Dequantises <paramref name="coef"/> and writes the 8×8 samples at <paramref name="output"/> (row stride <paramref name="stride"/>).</summary>
    public static void Inverse(ReadOnlySpan<short> coef, ReadOnlySpan<int> quant, Span<byte> output, int stride)
    {
        Span<int> ws = stackalloc int[64];
        for (var c = 0; c < 8; c++)
        {
            long z2 = coef[16 + c] * quant[16 + c], z3 = coef[48 + c] * quant[48 + c];
            var z1 = (z2 + z3) * F0541;
            long tmp2 = z1 - z3 * F1847, tmp3 = z1 + z2 * F0765;
            z2 = coef[c] * quant[c];
            z3 = coef[32 + c] * quant[32 + c];
            long tmp0 = (z2 + z3) << ConstBits, tmp1 = (z2 - z3) << ConstBits;
            long t10 = tmp0 + tmp3, t13 = tmp0 - tmp3, t11 = tmp1 + tmp2, t12 = tmp1 - tmp2;
            Odd(coef[56 + c] * quant[56 + c], coef[40 + c] * quant[40 + c], coef[24 + c] * quant[24 + c], coef[8 + c] * quant[8 + c],
                out var o0, out var o1, out var o2, out var o3);
            const int n = ConstBits - Pass1Bits;
            ws[c] = Descale(t10 + o3, n); ws[56 + c] = Descale(t10 - o3, n);
            ws[8 + c] = Descale(t11 + o2, n); ws[48 + c] = Descale(t11 - o2, n);
            ws[16 + c] = Descale(t12 + o1, n); ws[40 + c] = Descale(t12 - o1, n);
            ws[24 + c] = Descale(t13 + o0, n); ws[32 + c] = Descale(t13 - o0, n);
        }
        for (var r = 0; r < 8; r++)
        {
            var w = ws.Slice(8 * r, 8);
            long z2 = w[2], z3 = w[6];
            var z1 = (z2 + z3) * F0541;
            long tmp2 = z1 - z3 * F1847, tmp3 = z1 + z2 * F0765;
            long tmp0 = ((long)w[0] + w[4]) << ConstBits, tmp1 = ((long)w[0] - w[4]) << ConstBits;
            long t10 = tmp0 + tmp3, t13 = tmp0 - tmp3, t11 = tmp1 + tmp2, t12 = tmp1 - tmp2;
            Odd(w[7], w[5], w[3], w[1], out var o0, out var o1, out var o2, out var o3);
            const int n = ConstBits + Pass1Bits + 3;
            var row = output.Slice(r * stride, 8);
            row[0] = Limit(Descale(t10 + o3, n)); row[7] = Limit(Descale(t10 - o3, n));
            row[1] = Limit(Descale(t11 + o2, n)); row[6] = Limit(Descale(t11 - o2, n));
            row[2] = Limit(Descale(t12 + o1, n)); row[5] = Limit(Descale(t12 - o1, n));
            row[3] = Limit(Descale(t13 + o0, n)); row[4] = Limit(Descale(t13 - o0, n));
        }
    }

    /// <summary>The odd part shared by both passes of both directions (inputs 7, 5, 3, 1 of the inverse).</summary>
    static void Odd(long t0, long t1, long t2, long t3, out long o0, out long o1, out long o2, out long o3)
    {
        long z1 = t0 + t3, z2 = t1 + t2, z3 = t0 + t2, z4 = t1 + t3;
        var z5 = (z3 + z4) * F1175;
        t0 *= F0298; t1 *= F2053; t2 *= F3072; t3 *= F1501;
        z1 *= -F0899; z2 *= -F2562; z3 = z3 * -F1961 + z5; z4 = z4 * -F0390 + z5;
        o0 = t0 + z1 + z3; o1 = t1 + z2 + z4; o2 = t2 + z2 + z3; o3 = t3 + z1 + z4;
    }

    /// <summary>libjpeg's post-IDCT range limit: the value plus 128 clamped to 0…255, after wrapping to 10 bits.</summary>
    static byte Limit(int x)
    {
        var m = x & 1023;
        var v = (m < 512 ? m : m - 1024) + 128;
        return (byte)Math.Clamp(v, 0, 255);
    }

    /// <summary>
    /// The forward DCT of the 8×8 samples at <paramref name="input"/> (level-shifted by 128), quantised by
    /// <paramref name="quant"/> with libjpeg's rounding (divide by 8·q, halves away from zero).
    /// </summary>
    public static void Forward(ReadOnlySpan<byte> input, int stride, ReadOnlySpan<int> quant, Span<short> coef)
    {
        Span<int> d = stackalloc int[64];
        for (var r = 0; r < 8; r++)
        {
            var s = input.Slice(r * stride, 8);
            var o = d.Slice(8 * r, 8);
            int i0 = s[0] - 128, i1 = s[1] - 128, i2 = s[2] - 128, i3 = s[3] - 128,
                i4 = s[4] - 128, i5 = s[5] - 128, i6 = s[6] - 128, i7 = s[7] - 128;
            ForwardLine(i0, i1, i2, i3, i4, i5, i6, i7, firstPass: true,
                out o[0], out o[1], out o[2], out o[3], out o[4], out o[5], out o[6], out o[7]);
        }
        Span<int> t = stackalloc int[8];
        for (var c = 0; c < 8; c++)
        {
            ForwardLine(d[c], d[8 + c], d[16 + c], d[24 + c], d[32 + c], d[40 + c], d[48 + c], d[56 + c], firstPass: false,
                out t[0], out t[1], out t[2], out t[3], out t[4], out t[5], out t[6], out t[7]);
            for (var k = 0; k < 8; k++) d[8 * k + c] = t[k];
        }
        for (var i = 0; i < 64; i++)
        {
            var q = quant[i] << 3;
            var v = d[i];
            coef[i] = (short)(v < 0 ? -((-v + (q >> 1)) / q) : (v + (q >> 1)) / q);
        }
    }

    static void ForwardLine(long d0, long d1, long d2, long d3, long d4, long d5, long d6, long d7, bool firstPass,
        out int o0, out int o1, out int o2, out int o3, out int o4, out int o5, out int o6, out int o7)
    {
        long tmp0 = d0 + d7, tmp7 = d0 - d7, tmp1 = d1 + d6, tmp6 = d1 - d6;
        long tmp2 = d2 + d5, tmp5 = d2 - d5, tmp3 = d3 + d4, tmp4 = d3 - d4;
        long t10 = tmp0 + tmp3, t13 = tmp0 - tmp3, t11 = tmp1 + tmp2, t12 = tmp1 - tmp2;
        var n = firstPass ? ConstBits - Pass1Bits : ConstBits + Pass1Bits;
        if (firstPass) { o0 = (int)((t10 + t11) << Pass1Bits); o4 = (int)((t10 - t11) << Pass1Bits); }
        else { o0 = Descale(t10 + t11, Pass1Bits); o4 = Descale(t10 - t11, Pass1Bits); }
        var z1 = (t12 + t13) * F0541;
        o2 = Descale(z1 + t13 * F0765, n);
        o6 = Descale(z1 - t12 * F1847, n);
        // The forward odd part takes (tmp4, tmp5, tmp6, tmp7) where the inverse takes inputs (7, 5, 3, 1).
        Odd(tmp4, tmp5, tmp6, tmp7, out var a, out var b, out var c, out var e);
        o7 = Descale(a, n); o5 = Descale(b, n); o3 = Descale(c, n); o1 = Descale(e, n);
    }
}
