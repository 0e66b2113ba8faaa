using System.Globalization;
using Isc.Imaging.Assets;
using Isc.Imaging.Augmentations;
using Isc.Imaging.Pixels;
using Isc.Imaging.Randomness;
using Isc.Recipe.Chains;

namespace Isc.Imaging.Tests;

/// <summary>The AugLy 0.1.4 quirks that shaped the published datasets, each checked against real numpy/Pillow where one runs here.</summary>
[TestFixture]
public class AugLyQuirkTests
{
    [Test]
    public void Perspective_corners_are_numpy_seed_42_normals()
    {
        var z = PerspectiveStep.CornerNormals(42);
        double[] expected = [0.4967141530112327, -0.13826430117118466, 0.6476885381006925, 1.5230298564080254,
            -0.23415337472333597, -0.23413695694918055, 1.5792128155073915, 0.7674347291529088];
        Assert.That(z, Is.EqualTo(expected).Within(1e-15));
        var numpy = PythonPillow.Exec("import numpy as np; r=np.random.RandomState(42); print(' '.join(repr(r.normal(0,1)) for _ in range(8)))");
        var fromNumpy = numpy.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => double.Parse(s, CultureInfo.InvariantCulture));
        Assert.That(z, Is.EqualTo(fromNumpy).Within(1e-15));
    }

    [Test]
    public void Perspective_is_one_fixed_shape_scaled_by_sigma_and_matches_Pillow_transform()
    {
        using var img = TestAssets.Picture(120, 100, 5);
        foreach (var sigma in new[] { 7.5, 31.0 })
        {
            using var mine = PerspectiveStep.Warp(img, sigma, 42);
            // AugLy 0.1.x: dst corners from RandomState(42).normal, coefficients dst->src by normal equations, BICUBIC transform.
            using var theirs = PythonPillow.Run(img, $$"""
                w, h = img.size
                rng = np.random.RandomState(42)
                src = [(0, 0), (w, 0), (w, h), (0, h)]
                dst = [(rng.normal(x, {{sigma.ToString("R", CultureInfo.InvariantCulture)}}), rng.normal(y, {{sigma.ToString("R", CultureInfo.InvariantCulture)}})) for x, y in src]
                m = []
                for p1, p2 in zip(dst, src):
                    m.append([p1[0], p1[1], 1, 0, 0, 0, -p2[0] * p1[0], -p2[0] * p1[1]])
                    m.append([0, 0, 0, p1[0], p1[1], 1, -p2[1] * p1[0], -p2[1] * p1[1]])
                A = np.matrix(m, dtype=float)
                B = np.array(src).reshape(8)
                c = np.array(np.dot(np.linalg.inv(A.T * A) * A.T, B)).reshape(8)
                out = img.transform((w, h), Image.PERSPECTIVE, c, Image.BICUBIC)
                """);
            Assert.That(PythonPillow.DiffFraction(mine, theirs), Is.LessThan(0.01), $"sigma {sigma}");
            Assert.That(PythonPillow.MaxDiff(mine, theirs), Is.LessThanOrEqualTo(2), $"sigma {sigma}");
        }
    }

    [Test]
    public void Perspective_vectorised_and_scalar_sampling_agree_exactly()
    {
        using var img = TestAssets.Picture(131, 97, 8);
        // Noise too: its overshoots exercise the clamping to 0 and 255.
        using var noise = new RgbImage(256, 256, clear: false);
        new Random(4).NextBytes(noise.Pixels);
        foreach (var src in new[] { img, noise })
            foreach (var sigma in new[] { 3.0, 25.0, 50.0 })
            {
                using var fast = PerspectiveStep.Warp(src, sigma, 42);
                using var slow = PerspectiveStep.Warp(src, sigma, 42, allowSimd: false);
                Assert.That(PythonPillow.MaxDiff(fast, slow), Is.Zero, $"{src.Width}x{src.Height} sigma {sigma}");
            }
    }

    [Test]
    public void Perspective_warp_does_not_depend_on_the_image_random_stream()
    {
        using var img = TestAssets.Picture(64, 64, 1);
        var step = new PerspectiveStep(new Perspective(1, new(20, 20), 42, 64), 64);
        using var a = step.Apply(img, new ImageRandom(1));
        using var b = step.Apply(img, new ImageRandom(999));
        Assert.That(PythonPillow.MaxDiff(a, b), Is.EqualTo(0), "same sigma, different streams: the same warp");
    }

    [Test]
    public void Shuffle_pattern_is_numpy_seed_10_choice_then_shuffle()
    {
        const int n = 48 * 40;
        const double factor = 0.37;
        var (chosen, order) = ShufflePixelsStep.Pattern(n, factor, 10);
        var k = (int)(factor * n);
        var numpy = PythonPillow.Exec($"""
            import numpy as np
            np.random.seed(10)
            idx = np.random.choice({n}, {k}, replace=False)
            vals = np.arange({k})
            np.random.shuffle(vals)
            print(' '.join(map(str, idx))); print(' '.join(map(str, vals)))
            """).Split('\n');
        Assert.That(chosen, Is.EqualTo(numpy[0].Split(' ').Select(int.Parse).ToArray()));
        Assert.That(order, Is.EqualTo(numpy[1].Split(' ').Select(int.Parse).ToArray()));
    }

    [Test]
    public void Shuffle_moves_whole_pixels_and_is_the_same_for_every_image_of_a_size()
    {
        using var img = TestAssets.Picture(32, 24, 2);
        using var a = img.Clone();
        using var b = img.Clone();
        ShufflePixelsStep.Shuffle(a, 0.3, 10);
        ShufflePixelsStep.Shuffle(b, 0.3, 10);
        Assert.That(PythonPillow.MaxDiff(a, b), Is.EqualTo(0));
        var before = Pixels(img).OrderBy(x => x).ToArray();
        var after = Pixels(a).OrderBy(x => x).ToArray();
        Assert.That(after, Is.EqualTo(before), "a permutation of whole pixels");
        Assert.That(PythonPillow.DiffFraction(img, a), Is.GreaterThan(0.05));
        using var c = img.Clone();
        ShufflePixelsStep.Shuffle(c, 0, 10);
        Assert.That(PythonPillow.MaxDiff(img, c), Is.EqualTo(0), "factor 0 leaves the image alone");
    }

    static IEnumerable<int> Pixels(RgbImage img)
    {
        var p = img.Pixels.ToArray();
        for (var i = 0; i < p.Length; i += 3) yield return (p[i] << 16) | (p[i + 1] << 8) | p[i + 2];
    }

    [Test]
    public void Text_opacity_has_no_visible_effect()
    {
        var renderer = TextRenderer.Open(TestAssets.Font);
        var spec = new TextOverlay(1, new(12, 12), new(4, 14), new(200, 200), new(0.4, 0.4), new(0, 1), new(0.05, 0.05), new(0.2, 0.2));
        var step = new TextOverlayStep(spec, renderer);
        // Two streams that agree on everything but the opacity draw: replay one stream with the opacity draw replaced.
        using var baseImg = TestAssets.Picture(128, 96, 4);
        using var a = step.Apply(baseImg.Clone(), new ImageRandom(5));
        var specLowOpacity = spec with { Opacity = new(0.01, 0.01) };
        var specHighOpacity = spec with { Opacity = new(0.99, 0.99) };
        using var lo = new TextOverlayStep(specLowOpacity, renderer).Apply(baseImg.Clone(), new ImageRandom(5));
        using var hi = new TextOverlayStep(specHighOpacity, renderer).Apply(baseImg.Clone(), new ImageRandom(5));
        Assert.That(PythonPillow.MaxDiff(lo, hi), Is.EqualTo(0), "opacity 0.01 and 0.99 draw the same pixels");
        Assert.That(PythonPillow.DiffFraction(baseImg, hi), Is.GreaterThan(0.01), "the text itself is drawn");
    }

    [Test]
    public void Text_indices_map_through_the_Naskh_code_point_list()
    {
        Assert.That(FontCharacters.NaskhCodePoints, Has.Count.EqualTo(1020));
        Assert.That(FontCharacters.TextFor([1, 2, 3, 4, 13]), Is.EqualTo("!,.09"));
        Assert.That(FontCharacters.TextFor([999]), Is.EqualTo("\uFEDF"));
        Assert.That(FontCharacters.TextFor([1021]), Is.EqualTo("!"), "indices wrap modulo 1020");
        Assert.That(FontCharacters.TextFor([17]), Is.EqualTo("\u0600"));
    }

    [Test]
    public void Emoji_is_scaled_nearest_and_blended_with_truncated_alpha_times_opacity()
    {
        // A 4x4 emoji with a hard checker and one half-transparent pixel, scaled to 8x8: every source pixel becomes a 2x2 block.
        var rgba = new byte[4 * 4 * 4];
        for (var i = 0; i < 16; i++)
        {
            var on = ((i % 4) + (i / 4)) % 2 == 0;
            rgba[4 * i] = on ? (byte)255 : (byte)0; rgba[4 * i + 1] = 0; rgba[4 * i + 2] = on ? (byte)0 : (byte)255; rgba[4 * i + 3] = 255;
        }
        rgba[3] = 128; // pixel (0,0) alpha 128
        var emoji = new Emoji("test", rgba, 4, 4);
        using var img = RgbImage.Filled(16, 16, 0, 200, 0);
        EmojiOverlayStep.Overlay(img, emoji, opacity: 0.5, size: 0.5, xPos: 0.25, yPos: 0.25);
        var p = img.Pixels.ToArray();
        byte At(int x, int y, int c) => p[(y * 16 + x) * 3 + c];
        // Nearest: (4,4)-(5,5) is source (0,0); (6,4) is source (1,0), with no blending between them.
        Assert.That(At(4, 4, 0), Is.EqualTo(At(5, 5, 0)));
        Assert.That(At(6, 4, 2), Is.EqualTo(At(7, 5, 2)));
        // Mask: trunc(128·0.5) = 64 for (0,0); trunc(255·0.5) = 127 elsewhere; Pillow's BLEND rounding.
        Assert.That(At(4, 4, 0), Is.EqualTo(PillowColor.PasteBlend(0, 255, 64)));
        Assert.That(At(6, 4, 2), Is.EqualTo(PillowColor.PasteBlend(0, 255, 127)));
        Assert.That(At(3, 3, 1), Is.EqualTo(200), "outside the emoji untouched");
        Assert.That(At(12, 12, 1), Is.EqualTo(200));
    }
}
