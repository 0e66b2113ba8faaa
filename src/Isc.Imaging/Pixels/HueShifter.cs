using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Isc.Imaging.Pixels;

/// <summary>
/// torchvision adjust_hue on Pillow (RGB → Pillow HSV, H += shift mod 256, → RGB) with the per-pixel divisions and
/// products taken from small tables of the very same float32 operations, so results equal
/// <see cref="PillowColor.RgbToHsv"/>/<see cref="PillowColor.HsvToRgb"/> bit for bit, several times faster.
/// </summary>
public static partial class HueShifter
{
    static readonly float[] Div = BuildDiv();          // [a·256 + d] = (float)a / d
    static readonly float[] HsvSf = new float[256];     // (float)(s / 255.0)
    static readonly int[] HsvI = new int[256];          // floor(h·6/255)
    static readonly float[] HsvF = new float[256];      // (float)(h·6/255 − i)

    static HueShifter()
    {
        for (var x = 0; x < 256; x++)
        {
            HsvSf[x] = (float)(x / 255.0);
            HsvI[x] = (int)Math.Floor(x * 6.0 / 255.0);
            HsvF[x] = (float)(x * 6.0 / 255.0 - HsvI[x]);
        }
    }

    static float[] BuildDiv()
    {
        var t = new float[256 * 256];
        for (var a = 0; a < 256; a++)
            for (var d = 1; d < 256; d++) t[(a << 8) | d] = (float)a / d;
        return t;
    }

    public static unsafe void Shift(RgbImage img, byte shift, bool allowSimd = true)
    {
        fixed (byte* p0 = img.Pixels)
        fixed (float* div = Div)
        {
            var end = p0 + img.Length;
            var p = p0;
            if (allowSimd && Avx2.IsSupported) p = Shift8(p, end, shift);
            for (; p < end; p += 3)
            {
                int r = p[0], g = p[1], b = p[2];
                int max = Math.Max(r, Math.Max(g, b)), min = Math.Min(r, Math.Min(g, b));
                if (max == min) continue; // S = 0: grey stays grey whatever the hue
                var cr = max - min;
                var sat = (int)(div[(cr << 8) | max] * 255.0);
                float rc = div[((max - r) << 8) | cr], gc = div[((max - g) << 8) | cr], bc = div[((max - b) << 8) | cr];
                float hh = r == max ? bc - gc : g == max ? (float)(2.0 + rc - bc) : (float)(4.0 + gc - rc);
                var t = hh / 6.0 + 1.0;
                var hf = (float)(t >= 1.0 ? t - 1.0 : t);
                var h = (byte)((int)(hf * 255.0) + shift);
                ToRgb(h, (byte)sat, (byte)max, p);
            }
        }
    }

    /// <summary>.NET's Math.Round(x, AwayFromZero) for x ≥ 0, clamped to [0, 255].</summary>
    static Vector256<double> Round(Vector256<double> x) =>
        Vector256.Min(Vector256.Create(255.0), Vector256.Max(Vector256<double>.Zero,
            Vector256.Truncate(x + Vector256.Create(0.49999999999999994))));

    static unsafe void ToRgb(byte h, byte s, byte v, byte* o)
    {
        if (s == 0) { o[0] = o[1] = o[2] = v; return; }
        var i = HsvI[h];
        var f = HsvF[h];
        var sf = HsvSf[s];
        var pp = Round(v * (1.0 - sf));
        var q = Round(v * (1.0 - sf * f));
        var t = Round(v * (1.0 - sf * (1.0 - f)));
        switch (i % 6)
        {
            case 0: o[0] = v; o[1] = t; o[2] = pp; break;
            case 1: o[0] = q; o[1] = v; o[2] = pp; break;
            case 2: o[0] = pp; o[1] = v; o[2] = t; break;
            case 3: o[0] = pp; o[1] = q; o[2] = v; break;
            case 4: o[0] = t; o[1] = pp; o[2] = v; break;
            default: o[0] = v; o[1] = pp; o[2] = q; break;
        }
    }

    static byte Round(double x)
    {
        var v = Math.Round(x, MidpointRounding.AwayFromZero);
        return v <= 0 ? (byte)0 : v >= 255 ? (byte)255 : (byte)v;
    }
}
