namespace Isc.Imaging.Assets.Layout;

/// <summary>
/// Pillow's two text layout engines (docs/imaging.md, Faithfulness: semantics and quirks, each tested): BASIC draws the code points left to right, one
/// glyph each, unshaped; RAQM reorders them by the Unicode bidirectional algorithm and shapes them with HarfBuzz
/// (Arabic letters joined, right to left, marks stacked). Which one ran depended on the machine (FriBiDi present or not).
/// </summary>
public enum TextLayout { Basic, Raqm }

public static class TextLayouts
{
    /// <summary>The setting's values, as GenerationSettings.TextLayout accepts them.</summary>
    public static TextLayout Parse(string setting) => setting switch
    {
        "basic" => TextLayout.Basic,
        "raqm" => TextLayout.Raqm,
        _ => throw new ArgumentException($"text layout '{setting}' is not one of basic, raqm", nameof(setting)),
    };

    public static string Name(this TextLayout layout) => layout == TextLayout.Raqm ? "raqm" : "basic";
}
