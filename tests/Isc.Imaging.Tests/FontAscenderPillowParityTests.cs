using System.Globalization;
using Isc.Imaging.Assets;
using SkiaSharp;

namespace Isc.Imaging.Tests;

/// <summary>
/// The text line's top (Pillow's "la" anchor) is FreeType's scaled ascender in whole pixels: compared with Debian's
/// Pillow <c>FreeTypeFont.getmetrics()[0]</c> at every em size the chains draw (1–255), for the recipe's Naskh font and
/// two DejaVu fonts (whose head flags ask for integer ppem, the other FreeType branch).
/// </summary>
[TestFixture]
public class FontAscenderPillowParityTests
{
    const int MaxEm = 255;

    [TestCase(TestAssets.NaskhFont)]
    [TestCase(TestAssets.Font)]
    [TestCase("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")]
    public void Ascender_is_Pillows_at_every_em_size(string font)
    {
        var pillow = PythonPillow.Exec($$"""
            import sys
            from PIL import ImageFont
            print(' '.join(str(ImageFont.truetype(sys.argv[1], em).getmetrics()[0]) for em in range(1, {{MaxEm + 1}})))
            """, font).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        using var typeface = SKTypeface.FromFile(font);
        var ascender = FontAscender.Of(typeface) ?? throw new AssertionException($"{font}: no head/hhea table");
        var wrong = Enumerable.Range(1, MaxEm).Where(em => ascender.Pixels(em) != pillow[em - 1])
            .Select(em => $"em {em}: {ascender.Pixels(em)} vs Pillow's {pillow[em - 1]}").ToList();
        Assert.That(wrong, Is.Empty, string.Join("; ", wrong.Take(10)));
    }

    [Test]
    public void Drawn_line_top_is_Pillows_where_Skias_rounded_ascent_is_not()
    {
        // DejaVu's hinted "H": its top edge is grid-fitted by both rasterisers, so its first ink row is the line top +
        // ascender − cap height, the same in both when the ascenders agree. (Naskh is unhinted: the rasterisers'
        // own rounding of a letter's top differs by a row at some sizes whatever the ascender.)
        const int x = 3, y = 5, size = 160;
        const string font = TestAssets.Font, text = "H";
        using var typeface = SKTypeface.FromFile(font);
        var ascender = FontAscender.Of(typeface)!;
        var ems = Enumerable.Range(8, 100).Where(em =>
        {
            using var f = new SKFont(typeface, em);
            return (int)MathF.Round(-f.Metrics.Ascent) != ascender.Pixels(em);
        }).Take(12).ToArray();
        Assert.That(ems, Is.Not.Empty, "no size where Skia's rounded ascent differs: the test would prove nothing");
        var pillow = PythonPillow.Exec($$"""
            import sys
            from PIL import Image, ImageDraw, ImageFont
            rows = []
            for em in map(int, sys.argv[2].split(',')):
                img = Image.new('L', ({{size}}, {{size}}), 0)
                ImageDraw.Draw(img).text(({{x}}, {{y}}), sys.argv[3], fill=255, font=ImageFont.truetype(sys.argv[1], em, layout_engine=ImageFont.Layout.BASIC))
                px = img.load()
                rows.append(next(r for r in range({{size}}) if any(px[c, r] >= 128 for c in range({{size}}))))
            print(' '.join(map(str, rows)))
            """, font, string.Join(",", ems), text).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var renderer = TextRenderer.Open(font);
        var wrong = new List<string>();
        for (var i = 0; i < ems.Length; i++)
        {
            var mask = renderer.Coverage(text, ems[i], x, y, size, size);
            var top = Enumerable.Range(0, size).First(r => Enumerable.Range(0, size).Any(c => mask[r * size + c] >= 128));
            if (top != pillow[i]) wrong.Add($"em {ems[i]}: first ink row {top} vs Pillow's {pillow[i]}");
        }
        Assert.That(wrong, Is.Empty, string.Join("; ", wrong));
    }
}
