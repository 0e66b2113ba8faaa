namespace Isc.Imaging.Pixels;

/// <summary>Pillow Image.paste: the source's top-left at (x, y), clipped to the destination, negative offsets allowed.</summary>
public static class Paste
{
    /// <summary>Paste without mask: a plain copy (of the K plane too when both are CMYK; the modes must agree).</summary>
    public static void Copy(RgbImage src, RgbImage dst, int x, int y)
    {
        if (src.IsCmyk != dst.IsCmyk) throw new ArgumentException("paste between CMYK and another mode: convert the pasted image first");
        var (sx, sy, dx, dy, w, h) = Clip(src, dst, x, y);
        if (w <= 0 || h <= 0) return;
        for (var row = 0; row < h; row++)
        {
            src.Pixels.Slice(((sy + row) * src.Width + sx) * 3, w * 3)
               .CopyTo(dst.Pixels.Slice(((dy + row) * dst.Width + dx) * 3, w * 3));
            if (src.IsCmyk)
                src.Black.Slice((sy + row) * src.Width + sx, w).CopyTo(dst.Black.Slice((dy + row) * dst.Width + dx, w));
        }
    }

    /// <summary>Paste with a constant "L" mask value (Pillow BLEND rounding).</summary>
    public static void Blend(RgbImage src, RgbImage dst, int x, int y, int mask)
    {
        var (sx, sy, dx, dy, w, h) = Clip(src, dst, x, y);
        if (w <= 0 || h <= 0) return;
        var s = src.Pixels;
        var d = dst.Pixels;
        for (var row = 0; row < h; row++)
        {
            var si = ((sy + row) * src.Width + sx) * 3;
            var di = ((dy + row) * dst.Width + dx) * 3;
            for (var i = 0; i < w * 3; i++) d[di + i] = PillowColor.PasteBlend(d[di + i], s[si + i], mask);
        }
    }

    /// <summary>
    /// AugLy overlay_image of an RGBA image over an RGBA one of the same size at (0, 0): the mask is the source's alpha
    /// times <paramref name="opacity"/> (float64, truncated), and all four channels are pasted through it.
    /// </summary>
    public static void BlendThroughAlpha(RgbImage src, RgbImage dst, double opacity)
    {
        if ((src.Width, src.Height) != (dst.Width, dst.Height)) throw new ArgumentException("images differ in size");
        var sa = src.Alpha;
        var da = dst.Alpha;
        var s = src.Pixels;
        var d = dst.Pixels;
        for (var i = 0; i < sa.Length; i++)
        {
            var m = (int)(sa[i] * opacity);
            var o = 3 * i;
            d[o] = PillowColor.PasteBlend(d[o], s[o], m);
            d[o + 1] = PillowColor.PasteBlend(d[o + 1], s[o + 1], m);
            d[o + 2] = PillowColor.PasteBlend(d[o + 2], s[o + 2], m);
            da[i] = PillowColor.PasteBlend(da[i], sa[i], m);
        }
    }

    internal static (int Sx, int Sy, int Dx, int Dy, int W, int H) Clip(RgbImage src, RgbImage dst, int x, int y) =>
        Clip(src.Width, src.Height, dst.Width, dst.Height, x, y);

    internal static (int Sx, int Sy, int Dx, int Dy, int W, int H) Clip(int sw, int sh, int dw, int dh, int x, int y)
    {
        int sx = Math.Max(0, -x), sy = Math.Max(0, -y);
        int dx = Math.Max(0, x), dy = Math.Max(0, y);
        var w = Math.Min(sw - sx, dw - dx);
        var h = Math.Min(sh - sy, dh - dy);
        return (sx, sy, dx, dy, w, h);
    }
}
