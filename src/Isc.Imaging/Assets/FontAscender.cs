using System.Buffers.Binary;
using SkiaSharp;

namespace Isc.Imaging.Assets;

/// <summary>
/// The line's ascender in whole pixels as Pillow's FreeType gives it (<c>FreeTypeFont.getmetrics()[0]</c>, the top of
/// the "la" anchor AugLy draws with): the font's ascender in font units (hhea, else OS/2 typo, else OS/2 win, as
/// FreeType picks it), scaled by FreeType's 16.16 y-scale for an em of N pixels and rounded up to a whole pixel
/// (FreeType grid-fits the scaled ascender with a ceiling). Skia's float ascent rounded to nearest is one pixel short
/// at about half the sizes.
/// </summary>
public sealed class FontAscender
{
    readonly int _unitsPerEm;
    readonly int _ascender;

    FontAscender(int unitsPerEm, int ascender) => (_unitsPerEm, _ascender) = (unitsPerEm, ascender);

    /// <summary>Reads head/hhea/OS2; null when the font lacks the tables (the caller falls back to Skia's metrics).</summary>
    public static FontAscender? Of(SKTypeface typeface)
    {
        if (!typeface.TryGetTableData(Tag("head"), out var head) || head.Length < 54) return null;
        if (!typeface.TryGetTableData(Tag("hhea"), out var hhea) || hhea.Length < 36) return null;
        int unitsPerEm = BinaryPrimitives.ReadUInt16BigEndian(head.AsSpan(18));
        if (unitsPerEm == 0) return null;
        int ascender = BinaryPrimitives.ReadInt16BigEndian(hhea.AsSpan(4));
        int descender = BinaryPrimitives.ReadInt16BigEndian(hhea.AsSpan(6));
        if (ascender == 0 && descender == 0 && typeface.TryGetTableData(Tag("OS/2"), out var os2) && os2.Length >= 78)
        {
            ascender = BinaryPrimitives.ReadInt16BigEndian(os2.AsSpan(68));                   // sTypoAscender
            descender = BinaryPrimitives.ReadInt16BigEndian(os2.AsSpan(70));
            if (ascender == 0 && descender == 0) ascender = BinaryPrimitives.ReadUInt16BigEndian(os2.AsSpan(74)); // usWinAscent
        }
        return new FontAscender(unitsPerEm, ascender);
    }

    /// <summary>The ascender in pixels for an em of <paramref name="emPixels"/> pixels.</summary>
    public int Pixels(int emPixels)
    {
        var yScale = DivFix((long)emPixels << 6, _unitsPerEm);
        var scaled = MulFix(_ascender, yScale);   // 26.6
        return (int)((scaled + 63) & ~63L) >> 6;
    }

    // FreeType's FT_MulFix / FT_DivFix: on magnitudes, rounded half up, sign restored.
    static long MulFix(long a, long b)
    {
        var negative = (a < 0) != (b < 0);
        var r = (Math.Abs(a) * Math.Abs(b) + 0x8000) >> 16;
        return negative ? -r : r;
    }

    static long DivFix(long a, long b)
    {
        var negative = (a < 0) != (b < 0);
        (a, b) = (Math.Abs(a), Math.Abs(b));
        var r = ((a << 16) + (b >> 1)) / b;
        return negative ? -r : r;
    }

    static uint Tag(string s) => (uint)(s[0] << 24 | s[1] << 16 | s[2] << 8 | s[3]);
}
