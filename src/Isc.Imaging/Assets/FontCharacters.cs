using System.Globalization;

namespace Isc.Imaging.Assets;

/// <summary>
/// AugLy's character list for NotoNaskhArabic-Regular.ttf (1020 code points): overlay_text draws text index c as
/// chr(list[c % 1020]). The list is used with whatever font the profile names (a font without a list of its own draws
/// missing glyphs as its .notdef, as FreeType would).
/// </summary>
public static class FontCharacters
{
    static readonly Lazy<int[]> Naskh = new(Load);

    public static IReadOnlyList<int> NaskhCodePoints => Naskh.Value;

    static int[] Load()
    {
        using var stream = typeof(FontCharacters).Assembly.GetManifestResourceStream("Isc.Imaging.naskh_chars.txt")
            ?? throw new InvalidOperationException("embedded resource naskh_chars.txt is missing from Isc.Imaging");
        using var reader = new StreamReader(stream);
        var list = new List<int>();
        while (reader.ReadLine() is { } line)
        {
            line = line.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            list.Add(int.Parse(line, CultureInfo.InvariantCulture));
        }
        return [.. list];
    }

    /// <summary>The string AugLy draws for these text indices.</summary>
    public static string TextFor(IEnumerable<int> indices)
    {
        var cps = Naskh.Value;
        return string.Concat(indices.Select(c => char.ConvertFromUtf32(cps[c % cps.Length])));
    }
}
