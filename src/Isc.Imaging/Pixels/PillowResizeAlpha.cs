namespace Isc.Imaging.Pixels;

public static partial class PillowResize
{
    /// <summary>
    /// Pillow's resize of an RGBA image: the same size and no box is a plain copy; otherwise the colours are premultiplied
    /// by alpha (convert("RGBa")), the four channels resized alike, and the colours divided back (convert("RGBA")).
    /// NEAREST resizes RGBA as it is. An image whose alpha is 255 everywhere comes out exactly as its RGB resize with an
    /// alpha of 255 (premultiplying by 255 changes nothing, and normalised weights keep a constant 255), so that case
    /// skips the premultiplication.
    /// </summary>
    static RgbImage ResizeWithAlpha(RgbImage src, int x0, int y0, int x1, int y1, int width, int height, ResizeFilter filter, bool allowSimd)
    {
        if (x0 == 0 && y0 == 0 && x1 == src.Width && y1 == src.Height && width == src.Width && height == src.Height)
            return src.Clone();
        RgbImage result;
        if (filter == ResizeFilter.Nearest || IsOpaque(src.Alpha))
            result = ResizeColour(src, x0, y0, x1, y1, width, height, filter, allowSimd);
        else
        {
            using var premultiplied = Premultiplied(src);
            result = ResizeColour(premultiplied, x0, y0, x1, y1, width, height, filter, allowSimd);
        }
        result.AddAlpha();
        if (filter != ResizeFilter.Nearest && IsOpaque(src.Alpha)) return result;

        using var alpha = AlphaAsGray(src);
        using var resizedAlpha = ResizeColour(alpha, x0, y0, x1, y1, width, height, filter, allowSimd);
        var a = result.Alpha;
        var g = resizedAlpha.Pixels;
        for (var i = 0; i < a.Length; i++) a[i] = g[3 * i];
        if (filter != ResizeFilter.Nearest) Unpremultiply(result);
        return result;
    }

    /// <summary>CMYK: the C, M, Y channels as colours and K as a gray image, all with the same weights and rounding.</summary>
    static RgbImage ResizeCmyk(RgbImage src, int x0, int y0, int x1, int y1, int width, int height, ResizeFilter filter, bool allowSimd)
    {
        var result = ResizeColour(src, x0, y0, x1, y1, width, height, filter, allowSimd);
        using var black = PlaneAsGray(src.Width, src.Height, src.Black);
        using var resized = ResizeColour(black, x0, y0, x1, y1, width, height, filter, allowSimd);
        result.AddBlack();
        var k = result.Black;
        var g = resized.Pixels;
        for (var i = 0; i < k.Length; i++) k[i] = g[3 * i];
        return result;
    }

    static bool IsOpaque(ReadOnlySpan<byte> alpha) => !alpha.ContainsAnyExcept((byte)255);

    /// <summary>The alpha plane as an R = G = B image, so the RGB passes resize it with the colours' weights.</summary>
    static RgbImage AlphaAsGray(RgbImage src) => PlaneAsGray(src.Width, src.Height, src.Alpha);

    static RgbImage PlaneAsGray(int width, int height, ReadOnlySpan<byte> plane)
    {
        var g = new RgbImage(width, height, clear: false);
        var p = g.Pixels;
        for (var i = 0; i < plane.Length; i++) p[3 * i] = p[3 * i + 1] = p[3 * i + 2] = plane[i];
        return g;
    }

    /// <summary>RGBA → RGBa: each colour c·a/255, rounded as Pillow's MULDIV255.</summary>
    public static RgbImage Premultiplied(RgbImage src)
    {
        var dst = new RgbImage(src.Width, src.Height, clear: false);
        var a = src.Alpha;
        var s = src.Pixels;
        var d = dst.Pixels;
        for (var i = 0; i < a.Length; i++)
        {
            int alpha = a[i], o = 3 * i;
            d[o] = MulDiv255(s[o], alpha);
            d[o + 1] = MulDiv255(s[o + 1], alpha);
            d[o + 2] = MulDiv255(s[o + 2], alpha);
        }
        return dst;
    }

    static byte MulDiv255(int c, int a)
    {
        var t = c * a + 128;
        return (byte)(((t >> 8) + t) >> 8);
    }

    /// <summary>RGBa → RGBA in place: each colour 255·c / a (integer division), clipped; alpha 0 and 255 leave it as it is.</summary>
    public static void Unpremultiply(RgbImage img)
    {
        var a = img.Alpha;
        var p = img.Pixels;
        for (var i = 0; i < a.Length; i++)
        {
            int alpha = a[i];
            if (alpha is 0 or 255) continue;
            var o = 3 * i;
            p[o] = (byte)Math.Min(255, 255 * p[o] / alpha);
            p[o + 1] = (byte)Math.Min(255, 255 * p[o + 1] / alpha);
            p[o + 2] = (byte)Math.Min(255, 255 * p[o + 2] / alpha);
        }
    }
}
