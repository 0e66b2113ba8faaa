using System.Globalization;
using Isc.Imaging.Assets;
using Isc.Imaging.Assets.Layout;

namespace Isc.Imaging.Tests;

/// <summary>
/// The text layouts against Debian's Pillow (which has RAQM: libraqm, FriBiDi and HarfBuzz) drawing the same line with
/// ImageDraw.text(layout_engine=BASIC or RAQM) into an "L" image. FreeType's hinted rasteriser is not SkiaSharp's, so
/// the coverage is compared as ink (coverage ≥ 128): the ink boxes within <see cref="BoxSlack"/> px on every side and
/// the ink sets overlapping by at least <see cref="MinInkIoU"/> (intersection over union). Measured here: boxes within
/// 1 px, IoU 0.68–0.90 (hinting). The wrong layout moves the box edge by tens of pixels on Arabic lines.
/// </summary>
[TestFixture]
public class TextLayoutPillowParityTests
{
    const int BoxSlack = 2;
    const double MinInkIoU = 0.6;
    const int W = 420, H = 90;

    /// <summary>Chain-like lines: Naskh character-list indices 0–99 (Arabic letters, marks, digits, punctuation).</summary>
    static IEnumerable<TestCaseData> Cases()
    {
        int[][] naskh =
        [
            [60, 66, 62, 70, 76, 80],           // Arabic letters only: joined, right to left
            [30, 5, 6, 7, 50, 51, 52, 1],       // Arabic around European digits and '!'
            [18, 66, 94, 70, 95, 3, 58],        // marks (fatha, kasra) stacked on letters, '.' and a number sign
            [4, 8, 2, 9, 15, 16, 14],           // no Arabic letter: digits, ',', '«', '»', ':' (left to right)
            [0, 40, 41, 42, 43, 44, 45, 46, 47], // U+0000 first, then letters
        ];
        var layouts = new[] { TextLayout.Basic, TextLayout.Raqm };
        foreach (var layout in layouts)
        {
            foreach (var (idx, k) in naskh.Select((a, k) => (a, k)))
                foreach (var em in new[] { 23, 48 })
                    yield return new TestCaseData(layout, TestAssets.NaskhFont, FontCharacters.TextFor(idx), em).SetArgDisplayNames(layout.Name(), "naskh", $"line{k}", $"em{em}");
            yield return new TestCaseData(layout, TestAssets.Font, "Hello, Wave! AV To 42", 40).SetArgDisplayNames(layout.Name(), "dejavu", "latin", "em40");
            yield return new TestCaseData(layout, TestAssets.Font, "office fj AVAWAY", 31).SetArgDisplayNames(layout.Name(), "dejavu", "ligatures-kerning", "em31");
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void Line_lays_out_as_Pillows(TextLayout layout, string font, string text, int em)
    {
        const int x = 7, y = 11;
        var mine = TextRenderer.Open(font, layout).Coverage(text, em, x, y, W, H);
        var theirs = Pillow(layout, font, text, em, x, y);
        var (boxMine, boxTheirs) = (InkBox(mine), InkBox(theirs));
        var iou = InkIoU(mine, theirs);
        var codes = string.Join(" ", text.EnumerateRunes().Select(r => r.Value.ToString("X4", CultureInfo.InvariantCulture)));
        var what = $"{codes}: ink box [{string.Join(",", boxMine)}] vs Pillow's [{string.Join(",", boxTheirs)}], ink IoU {iou:F3}, shifted {Best(mine, theirs)}";
        TestContext.Out.WriteLine(what);
        Assert.Multiple(() =>
        {
            for (var s = 0; s < 4; s++) Assert.That(Math.Abs(boxMine[s] - boxTheirs[s]), Is.LessThanOrEqualTo(BoxSlack), what);
            Assert.That(iou, Is.GreaterThanOrEqualTo(MinInkIoU), what);
        });
    }

    static byte[] Pillow(TextLayout layout, string font, string text, int em, int x, int y)
    {
        var dir = TestAssets.TempDir("text-layout");
        try
        {
            var textPath = Path.Combine(dir, "text.txt");
            var outPath = Path.Combine(dir, "mask.raw");
            File.WriteAllText(textPath, text, new System.Text.UTF8Encoding(false));
            PythonPillow.Exec($$"""
                import sys
                from PIL import Image, ImageDraw, ImageFont, features
                assert features.check('raqm'), 'this Pillow has no RAQM'
                text = open(sys.argv[1], encoding='utf-8').read()
                engine = ImageFont.Layout.{{(layout == TextLayout.Raqm ? "RAQM" : "BASIC")}}
                font = ImageFont.truetype(sys.argv[2], {{em}}, layout_engine=engine)
                img = Image.new('L', ({{W}}, {{H}}), 0)
                ImageDraw.Draw(img).text(({{x}}, {{y}}), text, fill=255, font=font)
                open(sys.argv[3], 'wb').write(img.tobytes())
                """, textPath, font, outPath);
            return File.ReadAllBytes(outPath);
        }
        finally { Directory.Delete(dir, true); }
    }

    /// <summary>(left, top, right, bottom) of the pixels with coverage ≥ 128, exclusive right/bottom; zeros if none.</summary>
    static int[] InkBox(byte[] mask)
    {
        int l = W, t = H, r = 0, b = 0;
        for (var i = 0; i < mask.Length; i++)
        {
            if (mask[i] < 128) continue;
            int px = i % W, py = i / W;
            l = Math.Min(l, px); t = Math.Min(t, py); r = Math.Max(r, px + 1); b = Math.Max(b, py + 1);
        }
        return r == 0 ? [0, 0, 0, 0] : [l, t, r, b];
    }

    static string Best(byte[] a, byte[] b)
    {
        var best = (0.0, 0, 0);
        for (var dy = -3; dy <= 3; dy++)
            for (var dx = -3; dx <= 3; dx++)
            {
                var s = new byte[a.Length];
                for (var i = 0; i < a.Length; i++)
                {
                    int px = i % W + dx, py = i / W + dy;
                    if (px >= 0 && px < W && py >= 0 && py < H) s[py * W + px] = a[i];
                }
                var v = InkIoU(s, b);
                if (v > best.Item1) best = (v, dx, dy);
            }
        return $"{best.Item1:F3} at {best.Item2},{best.Item3}";
    }

    static double InkIoU(byte[] a, byte[] b)
    {
        int both = 0, either = 0;
        for (var i = 0; i < a.Length; i++)
        {
            bool ia = a[i] >= 128, ib = b[i] >= 128;
            if (ia && ib) both++;
            if (ia || ib) either++;
        }
        return either == 0 ? 1 : (double)both / either;
    }
}
