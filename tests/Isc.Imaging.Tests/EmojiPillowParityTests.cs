using System.Globalization;
using Isc.Imaging.Assets;
using Isc.Imaging.Augmentations;
using Isc.Imaging.Pixels;

namespace Isc.Imaging.Tests;

/// <summary>
/// The emoji overlay against AugLy's overlay_image run on the real Pillow of /usr/bin/python3, at every emoji side the
/// paper (≤ 306 px images) and demo chains can draw: palette emojis with per-entry alpha, as AugLy's are.
/// </summary>
[TestFixture]
public class EmojiPillowParityTests
{
    sealed record Case(int Side, int Height, int Width, double Size, double X, double Y, double Opacity);

    // AugLy 0.1.4's overlay_image, step for step, on a palette emoji; every output's RGB bytes appended to one file.
    const string Script = """
        import sys, numpy as np
        from PIL import Image
        folder = sys.argv[1]
        rs = np.random.RandomState(7)
        for side in (72, 128):
            em = Image.fromarray(rs.randint(0, 256, (side, side)).astype(np.uint8), 'P')
            em.putpalette(rs.randint(0, 256, 768).astype(np.uint8).tobytes())
            alpha = rs.randint(0, 256, 256).astype(np.uint8)
            alpha[:8] = 0
            alpha[8:16] = 255
            em.save(f'{folder}/emoji{side}.png', transparency=alpha.tobytes())
        with open(f'{folder}/out.raw', 'wb') as out:
            for line in open(f'{folder}/cases.txt'):
                side, h, w, size, x_pos, y_pos, opacity = line.split()
                h, w, size, x_pos, y_pos, opacity = int(h), int(w), float(size), float(x_pos), float(y_pos), float(opacity)
                base = np.fromfunction(lambda y, x, c: (x * 31 + y * 17 + c * 71) % 256, (h, w, 3), dtype=np.int64)
                image = Image.fromarray(base.astype(np.uint8), 'RGB')
                overlay = Image.open(f'{folder}/emoji{side}.png')
                new_h = max(1, int(h * size))
                new_w = int(overlay.width * new_h / overlay.height)
                overlay = overlay.resize((new_w, new_h))
                mask = Image.fromarray((np.array(overlay.convert('RGBA').getchannel('A')) * opacity).astype(np.uint8))
                result = image.convert('RGBA')
                result.paste(im=overlay, box=(int(w * x_pos), int(h * y_pos)), mask=mask)
                out.write(np.array(result.convert('RGB')).tobytes())
        """;

    static IEnumerable<Case> Cases()
    {
        // Sides 1…320 of the 72-px emojis (AugLy's; paper images at the emoji step are 256…306 px high) and 1…160 of the
        // 128-px ones (the demo's tanuki set also has them), placed 0…3 px in so that the whole emoji is compared,
        // plus a few that overhang the right and bottom edges.
        foreach (var (side, max) in new[] { (72, 320), (128, 160) })
            for (var n = 1; n <= max; n++)
            {
                int h = n + 5, w = n + 4;
                var opacity = n % 2 == 0 ? 1.0 : 0.6180339887;
                yield return new Case(side, h, w, (n + 0.5) / h, (n % 4 + 0.5) / w, (n / 4 % 4 + 0.5) / h, opacity);
            }
        foreach (var n in new[] { 15, 27, 45, 150 })
            yield return new Case(72, n + 5, n + 9, (n + 0.5) / (n + 5), 0.5, 0.45, 1.0);
    }

    static RgbImage Base(int width, int height)
    {
        var img = new RgbImage(width, height);
        var p = img.Pixels;
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                for (var c = 0; c < 3; c++)
                    p[(y * width + x) * 3 + c] = (byte)((x * 31 + y * 17 + c * 71) % 256);
        return img;
    }

    [Test]
    public void Overlay_matches_AugLy_on_Pillow_pixel_for_pixel_at_every_drawable_side()
    {
        var cases = Cases().ToList();
        var dir = TestAssets.TempDir("emoji-parity");
        try
        {
            File.WriteAllLines(Path.Combine(dir, "cases.txt"), cases.Select(c => string.Join(' ',
                c.Side.ToString(CultureInfo.InvariantCulture), c.Height.ToString(CultureInfo.InvariantCulture),
                c.Width.ToString(CultureInfo.InvariantCulture), c.Size.ToString("R", CultureInfo.InvariantCulture),
                c.X.ToString("R", CultureInfo.InvariantCulture), c.Y.ToString("R", CultureInfo.InvariantCulture),
                c.Opacity.ToString("R", CultureInfo.InvariantCulture))));
            PythonPillow.Exec(Script, dir);
            var emojis = new[] { 72, 128 }.ToDictionary(s => s, s =>
            {
                var (rgba, w, h) = ImageCodec.DecodeRgba(Path.Combine(dir, $"emoji{s}.png"));
                Assert.That((w, h), Is.EqualTo((s, s)));
                return new Emoji($"emoji{s}", rgba, w, h);
            });
            var theirs = File.ReadAllBytes(Path.Combine(dir, "out.raw"));

            var offset = 0;
            var mismatches = new List<string>();
            foreach (var c in cases)
            {
                using var mine = Base(c.Width, c.Height);
                EmojiOverlayStep.Overlay(mine, emojis[c.Side], c.Opacity, c.Size, c.X, c.Y);
                var expected = theirs.AsSpan(offset, mine.Length);
                offset += mine.Length;
                var first = mine.Pixels.CommonPrefixLength(expected);
                if (first < mine.Length)
                    mismatches.Add($"{c.Side}px emoji at side {(int)(c.Height * c.Size)}: first differing pixel (x {first / 3 % c.Width}, y {first / 3 / c.Width})");
            }
            Assert.That(offset, Is.EqualTo(theirs.Length), "one output per case");
            Assert.That(mismatches, Is.Empty, $"{mismatches.Count} of {cases.Count} cases differ from Pillow");
        }
        finally { Directory.Delete(dir, true); }
    }
}
