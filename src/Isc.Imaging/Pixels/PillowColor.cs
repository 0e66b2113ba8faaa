namespace Isc.Imaging.Pixels;

/// <summary>Pillow's 8-bit colour arithmetic (docs/imaging.md, Pillow's arithmetic).</summary>
public static class PillowColor
{
    /// <summary>RGB→L: (19595R + 38470G + 7471B + 32768) >> 16.</summary>
    public static byte Luma(byte r, byte g, byte b) => (byte)((19595 * r + 38470 * g + 7471 * b + 32768) >> 16);

    /// <summary>The L channel of an RGB image, one byte per pixel.</summary>
    public static byte[] LumaPlane(RgbImage img)
    {
        var p = img.Pixels;
        var l = new byte[img.Width * img.Height];
        for (int i = 0, o = 0; o < l.Length; i += 3, o++) l[o] = Luma(p[i], p[i + 1], p[i + 2]);
        return l;
    }

    /// <summary>convert('L').convert('RGB') in place (eight pixels at a time where AVX2 exists: the same integer formula).</summary>
    public static unsafe void GrayscaleInPlace(RgbImage img, bool allowSimd = true)
    {
        fixed (byte* p0 = img.Pixels)
        {
            var end = p0 + img.Length;
            var p = p0;
            if (allowSimd && System.Runtime.Intrinsics.X86.Avx2.IsSupported)
                for (; p + RgbLanes.ReadBytes <= end; p += 3 * RgbLanes.Pixels)
                {
                    RgbLanes.Load(p, out var r, out var g, out var b);
                    var l = RgbLanes.Luma(r, g, b);
                    RgbLanes.Store(p, l, l, l);
                }
            for (; p < end; p += 3) p[0] = p[1] = p[2] = Luma(p[0], p[1], p[2]);
        }
    }

    /// <summary>Image.paste with an "L" mask value m: (dst·(255−m) + src·m + 128) rounded /255 (Pillow's BLEND macro).</summary>
    public static byte PasteBlend(int dst, int src, int m)
    {
        var t = dst * (255 - m) + src * m + 128;
        return (byte)((t + (t >> 8)) >> 8);
    }

    /// <summary>Image.blend / ImageEnhance: deg + f·(img − deg) in float32; truncated inside [0, 255], clamped outside.</summary>
    public static byte EnhanceBlend(byte degenerate, byte image, float f)
    {
        var v = degenerate + f * (image - degenerate);
        if (v <= 0) return 0;
        if (v >= 255) return 255;
        return (byte)(int)v;
    }

    /// <summary>Pillow rgb2hsv for one pixel (8-bit, float maths, truncation).</summary>
    public static void RgbToHsv(byte r, byte g, byte b, out byte h, out byte s, out byte v)
    {
        var max = Math.Max(r, Math.Max(g, b));
        var min = Math.Min(r, Math.Min(g, b));
        v = max;
        if (max == min) { h = 0; s = 0; return; }
        float cr = r, cg = g, cb = b, maxc = max, minc = min;
        var delta = maxc - minc;
        s = (byte)(int)(delta / maxc * 255.0);
        var rc = (maxc - cr) / delta;
        var gc = (maxc - cg) / delta;
        var bc = (maxc - cb) / delta;
        float hh;
        if (cr == maxc) hh = bc - gc;
        else if (cg == maxc) hh = (float)(2.0 + rc - bc);
        else hh = (float)(4.0 + gc - rc);
        // fmod(h/6 + 1, 1) with h/6 + 1 in [5/6, 11/6): subtracting 1 is exact (Sterbenz), and far cheaper than fmod.
        var t = hh / 6.0 + 1.0;
        var hf = (float)(t >= 1.0 ? t - 1.0 : t);
        h = (byte)(int)(hf * 255.0);
    }

    /// <summary>Pillow hsv2rgb for one pixel (C round, half away from zero).</summary>
    public static void HsvToRgb(byte h, byte s, byte v, out byte r, out byte g, out byte b)
    {
        if (s == 0) { r = g = b = v; return; }
        var i = (int)Math.Floor(h * 6.0 / 255.0);
        var f = (float)(h * 6.0 / 255.0 - i);
        var sf = (float)(s / 255.0);
        var p = Round(v * (1.0 - sf));
        var q = Round(v * (1.0 - sf * f));
        var t = Round(v * (1.0 - sf * (1.0 - f)));
        switch (i % 6)
        {
            case 0: r = v; g = t; b = p; break;
            case 1: r = q; g = v; b = p; break;
            case 2: r = p; g = v; b = t; break;
            case 3: r = p; g = q; b = v; break;
            case 4: r = t; g = p; b = v; break;
            default: r = v; g = p; b = q; break;
        }
    }

    static byte Round(double x)
    {
        var v = Math.Round(x, MidpointRounding.AwayFromZero);
        return v <= 0 ? (byte)0 : v >= 255 ? (byte)255 : (byte)v;
    }
}
