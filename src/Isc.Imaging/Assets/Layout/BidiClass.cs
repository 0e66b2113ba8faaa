using System.Globalization;

namespace Isc.Imaging.Assets.Layout;

/// <summary>The Unicode bidirectional character types the layout needs (UAX #9, table 4); explicit formatting codes are not used by the recipe.</summary>
public enum BidiType : byte { L, R, AL, EN, ES, ET, AN, CS, NSM, BN, B, S, WS, ON }

/// <summary>
/// Bidi_Class of a code point. .NET does not expose the Unicode property, so it is derived from the general category
/// plus the exceptions listed in UnicodeData.txt for the scripts the recipe's fonts cover (Latin, Arabic and its
/// presentation forms, Hebrew). Other scripts' letters are L, their marks NSM, which is right for all but a few.
/// </summary>
public static class BidiClass
{
    public static BidiType Of(int cp)
    {
        switch (cp)
        {
            case '\t' or 0x1F or 0x0B: return BidiType.S;
            case '\n' or '\r' or 0x1C or 0x1D or 0x1E or 0x85 or 0x2029: return BidiType.B;
            case '+' or '-' or 0x207A or 0x207B or 0x208A or 0x208B or 0x2212 or 0xFB29 or 0xFE62 or 0xFE63 or 0xFF0B or 0xFF0D: return BidiType.ES;
            case '#' or '$' or '%' or 0xA2 or 0xA3 or 0xA4 or 0xA5 or 0xB0 or 0xB1 or 0x0609 or 0x060A or 0x066A or 0x2030 or 0x2031: return BidiType.ET;
            case ',' or '.' or '/' or ':' or 0xA0 or 0x060C or 0x202F or 0x2044 or 0xFE50 or 0xFE52 or 0xFE55 or 0xFF0C or 0xFF0E or 0xFF0F or 0xFF1A: return BidiType.CS;
            case 0x200E: return BidiType.L;
            case 0x200F: return BidiType.R;
            case 0x061C: return BidiType.AL;
            case 0x0606 or 0x0607 or 0x060E or 0x060F or 0x06DE or 0x06E9 or 0xFD3E or 0xFD3F or 0xFDFD: return BidiType.ON;
            case 0x066B or 0x066C or 0x06DD or 0x0890 or 0x0891 or 0x08E2: return BidiType.AN;
        }
        if (cp is >= 0x0600 and <= 0x0605) return BidiType.AN;
        if (cp is >= 0x0660 and <= 0x0669) return BidiType.AN;
        if (cp is >= 0x06F0 and <= 0x06F9) return BidiType.EN;
        var cat = CharUnicodeInfo.GetUnicodeCategory(cp);
        if (cat is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark) return BidiType.NSM;
        if (cp == 0xFEFF) return BidiType.BN;
        if (IsArabic(cp)) return cat is UnicodeCategory.SpaceSeparator ? BidiType.WS : BidiType.AL;
        if (cp is >= 0x0590 and <= 0x05FF or >= 0xFB1D and <= 0xFB4F) return BidiType.R;
        return cat switch
        {
            UnicodeCategory.DecimalDigitNumber => cp < 0x80 || cp is >= 0xFF10 and <= 0xFF19 ? BidiType.EN : BidiType.L,
            UnicodeCategory.OtherNumber when cp is 0xB2 or 0xB3 or 0xB9 or >= 0x2070 and <= 0x2089 => BidiType.EN,
            UnicodeCategory.SpaceSeparator => BidiType.WS,
            UnicodeCategory.Format or UnicodeCategory.Control => BidiType.BN,
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.LetterNumber
                or UnicodeCategory.SpacingCombiningMark => BidiType.L,
            _ => BidiType.ON,
        };
    }

    /// <summary>Arabic, Arabic Supplement, Extended-A/B, Presentation Forms-A and -B.</summary>
    public static bool IsArabic(int cp) =>
        cp is >= 0x0600 and <= 0x06FF or >= 0x0750 and <= 0x077F or >= 0x0870 and <= 0x08FF
            or >= 0xFB50 and <= 0xFDFF or >= 0xFE70 and <= 0xFEFF;
}
