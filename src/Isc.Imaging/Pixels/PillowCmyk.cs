namespace Isc.Imaging.Pixels;

/// <summary>
/// Pillow's conversions between RGB and CMYK (libImaging/Convert.c). rgb2cmyk has no undercolour removal: C, M, Y are
/// the inverted colours and K is 0. cmyk2rgb is nk − MULDIV255(c, nk) with nk = 255 − K (Pillow PR #2699, released in
/// 4.3.0 of 2017 and unchanged through 8.x and 9.4), so 2021's scripts and Debian's Pillow 9.4 convert alike.
/// </summary>
public static class PillowCmyk
{
    /// <summary>convert("RGB") of a CMYK image, in place: the pixels become R, G, B and the K plane is dropped.</summary>
    public static void ToRgbInPlace(RgbImage img)
    {
        var k = img.Black;
        var p = img.Pixels;
        for (var i = 0; i < k.Length; i++)
        {
            int nk = 255 - k[i], o = 3 * i;
            p[o] = Channel(p[o], nk);
            p[o + 1] = Channel(p[o + 1], nk);
            p[o + 2] = Channel(p[o + 2], nk);
        }
        img.DropBlack();
    }

    static byte Channel(int c, int nk)
    {
        var t = c * nk + 128;
        return (byte)(nk - (((t >> 8) + t) >> 8)); // never below 0: MULDIV255(c, nk) ≤ nk
    }

    /// <summary>convert("CMYK") of an RGB (or RGBA: the alpha is ignored and dropped) image, in place.</summary>
    public static void FromRgbInPlace(RgbImage img)
    {
        img.DropAlpha();
        var p = img.Pixels;
        for (var i = 0; i < p.Length; i++) p[i] = (byte)(255 - p[i]);
        img.AddBlack();
    }
}
