using Isc.Imaging.Augmentations;
using Isc.Imaging.Pixels;

namespace Isc.Imaging.Tests;

/// <summary>The AVX2 resize passes against the plain scalar ones (Pillow's arithmetic), on random pictures, boxes and sizes.</summary>
[TestFixture]
public class ResizeKernelTests
{
    [Test]
    public void Vectorised_resize_equals_the_scalar_passes_bit_for_bit()
    {
        Assume.That(PillowResize.Vectorised, "AVX2 not available: only the scalar passes run here");
        var rng = new Random(5);
        for (var i = 0; i < 60; i++)
        {
            int w = rng.Next(1, 700), h = rng.Next(1, 500);
            using var src = new RgbImage(w, h, clear: false);
            rng.NextBytes(src.Pixels);
            if (i % 2 == 0)
                using (var smooth = TestAssets.Picture(w, h, i)) smooth.Pixels.CopyTo(src.Pixels); // photo-like too, not only noise
            int x0 = rng.Next(0, w), y0 = rng.Next(0, h);
            int x1 = rng.Next(x0 + 1, w + 1), y1 = rng.Next(y0 + 1, h + 1);
            if (i % 3 == 0) (x0, y0, x1, y1) = (0, 0, w, h);
            // Reductions up to ×50 (wide kernels), enlargements up to ×4, and the crop's typical 1024 → 256.
            int ow = Math.Max(1, (int)((x1 - x0) * Math.Exp(rng.NextDouble() * 5.3 - 3.9)));
            int oh = Math.Max(1, (int)((y1 - y0) * Math.Exp(rng.NextDouble() * 5.3 - 3.9)));
            foreach (var filter in new[] { ResizeFilter.Bilinear, ResizeFilter.Bicubic })
            {
                using var slow = PillowResize.Resize(src, x0, y0, x1, y1, ow, oh, filter, allowSimd: false);
                // Both vector horizontal passes (AVX-VNNI where the CPU has it, and plain AVX2).
                foreach (var vnni in new[] { true, false })
                {
                    PillowResize.PreferVnni = vnni;
                    try
                    {
                        using var fast = PillowResize.Resize(src, x0, y0, x1, y1, ow, oh, filter);
                        Assert.That(fast.Pixels.SequenceEqual(slow.Pixels), Is.True,
                            $"{filter} {w}x{h} box ({x0},{y0},{x1},{y1}) -> {ow}x{oh}, VNNI preferred: {vnni}");
                    }
                    finally { PillowResize.PreferVnni = true; }
                }
            }
        }
    }

    [Test]
    public void Extreme_reduction_and_one_pixel_images_match_too()
    {
        using var src = TestAssets.Picture(3000, 7, 1);
        foreach (var (w, h) in new[] { (1, 1), (2, 7), (1, 3), (3000, 1), (7, 7) })
            foreach (var filter in new[] { ResizeFilter.Bilinear, ResizeFilter.Bicubic })
                foreach (var vnni in new[] { true, false })
                {
                    PillowResize.PreferVnni = vnni;
                    try
                    {
                        using var fast = PillowResize.Resize(src, w, h, filter);
                        using var slow = PillowResize.Resize(src, 0, 0, 3000, 7, w, h, filter, allowSimd: false);
                        Assert.That(fast.Pixels.SequenceEqual(slow.Pixels), Is.True, $"{filter} -> {w}x{h}, VNNI preferred: {vnni}");
                    }
                    finally { PillowResize.PreferVnni = true; }
                }
    }
}

/// <summary>The AVX2 ImageEnhance blends against the scalar per-byte tables, bit for bit.</summary>
[TestFixture]
public class EnhanceKernelTests
{
    [Test]
    public void Vectorised_brightness_contrast_saturation_grayscale_equal_the_scalar_forms()
    {
        Assume.That(EnhanceKernels.Vectorised, "AVX2 not available: only the scalar forms run here");
        var rng = new Random(9);
        for (var i = 0; i < 40; i++)
        {
            int w = rng.Next(1, 300), h = rng.Next(1, 120);
            using var img = new RgbImage(w, h, clear: false);
            rng.NextBytes(img.Pixels);
            if (i % 2 == 0) using (var pic = TestAssets.Picture(w, h, i)) pic.Pixels.CopyTo(img.Pixels);
            // The jitter's ranges and beyond, plus factors that hit the rounding edges (exact halves, 1, 0).
            var f = i switch { 0 => 1f, 1 => 0f, 2 => 1.5f, 3 => 0.5f, _ => (float)(rng.NextDouble() * 2.2) };
            using (var gFast = img.Clone())
            using (var gSlow = img.Clone())
            {
                PillowColor.GrayscaleInPlace(gFast);
                PillowColor.GrayscaleInPlace(gSlow, allowSimd: false);
                Assert.That(gFast.Pixels.SequenceEqual(gSlow.Pixels), Is.True, $"grayscale on {w}x{h}");
            }
            foreach (var op in new Action<RgbImage, float, bool>[] { ColorJitterStep.Brightness, ColorJitterStep.Contrast, ColorJitterStep.Saturation })
            {
                using var fast = img.Clone();
                using var slow = img.Clone();
                op(fast, f, true);
                op(slow, f, false);
                Assert.That(fast.Pixels.SequenceEqual(slow.Pixels), Is.True, $"{op.Method.Name} f={f} on {w}x{h}");
            }
        }
    }
}

/// <summary>The vectorised hue shift against the per-pixel Pillow reference on every 24-bit colour.</summary>
[TestFixture]
public class HueKernelTests
{
    [Test]
    public void Vectorised_hue_equals_the_reference_on_all_16_million_colours()
    {
        using var img = new RgbImage(4096, 4096, clear: false);
        var p = img.Pixels;
        for (int c = 0, i = 0; c < 1 << 24; c++, i += 3) { p[i] = (byte)(c >> 16); p[i + 1] = (byte)(c >> 8); p[i + 2] = (byte)c; }
        foreach (var hue in new[] { 0.13f, -0.2f })
        {
            using var fast = img.Clone();
            using var slow = img.Clone();
            ColorJitterStep.Hue(fast, hue);
            ColorJitterStep.HueReference(slow, hue);
            var f = fast.Pixels;
            var s = slow.Pixels;
            var first = -1;
            for (var i = 0; i < f.Length && first < 0; i++) if (f[i] != s[i]) first = i;
            Assert.That(first, Is.EqualTo(-1), first < 0 ? "" :
                $"hue {hue}: colour ({p[first / 3 * 3]}, {p[first / 3 * 3 + 1]}, {p[first / 3 * 3 + 2]}) differs");
        }
    }
}

/// <summary>The AVX2 box passes of the Gaussian blur against the scalar ones.</summary>
[TestFixture]
public class BlurKernelTests
{
    [Test]
    public void Vectorised_blur_equals_the_scalar_passes()
    {
        var rng = new Random(3);
        foreach (var radius in new[] { 0.1f, 0.5f, 1.05f, 2f, 3.7f, 7.5f, 20f, 60f })
            for (var i = 0; i < 4; i++)
            {
                int w = rng.Next(1, 300), h = rng.Next(1, 300);
                using var img = new RgbImage(w, h, clear: false);
                rng.NextBytes(img.Pixels);
                if (i % 2 == 0) using (var pic = TestAssets.Picture(w, h, i)) pic.Pixels.CopyTo(img.Pixels);
                using var fast = img.Clone();
                GaussianBlurStep.Blur(fast, radius);
                GaussianBlurStep.Blur(img, radius, allowSimd: false);
                Assert.That(fast.Pixels.SequenceEqual(img.Pixels), Is.True, $"radius {radius} on {w}x{h}");
            }
    }
}

/// <summary>Skia's enlarged glyph cache changes speed only: a cached glyph draws the same coverage as a fresh one.</summary>
[TestFixture]
public class GlyphCacheTests
{
    [Test]
    public void Text_coverage_is_the_same_from_a_cold_and_a_warm_glyph_cache()
    {
        var renderer = Isc.Imaging.Assets.TextRenderer.Open(TestAssets.NaskhFont);
        Assert.That(SkiaSharp.SKGraphics.GetFontCacheLimit(), Is.GreaterThanOrEqualTo(Isc.Imaging.Assets.TextRenderer.GlyphCacheBytes));
        // Each text twice in a row: the first after emptying the cache, the second from it.
        var rng = new Random(2);
        for (var i = 0; i < 40; i++)
        {
            var text = Isc.Imaging.Assets.FontCharacters.TextFor([.. Enumerable.Range(0, rng.Next(1, 21)).Select(_ => rng.Next(0, 100))]);
            var em = rng.Next(1, 256);
            int x = rng.Next(-20, 100), y = rng.Next(-20, 100);
            SkiaSharp.SKGraphics.PurgeFontCache();
            var cold = renderer.Coverage(text, em, x, y, 256, 256);
            var warm = renderer.Coverage(text, em, x, y, 256, 256);
            Assert.That(warm, Is.EqualTo(cold), $"text {i} at em {em}");
        }
    }
}

/// <summary>Text drawing through the reused per-thread mask equals blending the freshly rendered coverage.</summary>
[TestFixture]
public class TextDrawTests
{
    [Test]
    public void Draw_equals_a_paste_blend_through_the_coverage_mask()
    {
        var renderer = Isc.Imaging.Assets.TextRenderer.Open(TestAssets.NaskhFont);
        var rng = new Random(8);
        for (var i = 0; i < 30; i++)
        {
            // Sizes change between calls, so the reused mask is rebuilt and reused in turn.
            int w = i % 3 == 0 ? 64 : 256, h = i % 3 == 0 ? 48 : 256;
            using var img = TestAssets.Picture(w, h, i);
            using var expected = img.Clone();
            var text = Isc.Imaging.Assets.FontCharacters.TextFor([.. Enumerable.Range(0, rng.Next(0, 21)).Select(_ => rng.Next(0, 100))]);
            int em = rng.Next(0, 200), x = rng.Next(-10, w / 2), y = rng.Next(-10, h / 2);
            byte r = (byte)rng.Next(256), g = (byte)rng.Next(256), b = (byte)rng.Next(256);
            var mask = renderer.Coverage(text, em, x, y, w, h);
            var e = expected.Pixels;
            for (var j = 0; j < mask.Length; j++)
            {
                if (mask[j] == 0) continue;
                e[3 * j] = PillowColor.PasteBlend(e[3 * j], r, mask[j]);
                e[3 * j + 1] = PillowColor.PasteBlend(e[3 * j + 1], g, mask[j]);
                e[3 * j + 2] = PillowColor.PasteBlend(e[3 * j + 2], b, mask[j]);
            }
            var touched = renderer.Draw(img, text, em, x, y, r, g, b);
            Assert.That(img.Pixels.SequenceEqual(expected.Pixels), Is.True, $"text {i}, em {em}, {w}x{h}");
            Assert.That(touched, Is.EqualTo(mask.Count(m => m != 0)));
        }
    }
}

/// <summary>The underlay's 1/8-scale overlay decodes served from the capped cache are the decoder's own output.</summary>
[TestFixture]
public class OverlayCacheTests
{
    [Test]
    public void Cached_eighth_scale_decodes_equal_fresh_ones_and_only_those_are_kept()
    {
        var root = TestAssets.TempDir("ovcache");
        try
        {
            var dir = TestAssets.Overlays(root, 4, 333, 250);
            var library = Isc.Imaging.Assets.OverlayLibrary.Open(dir, 4);
            Assert.That(library.FindUnreadable(), Is.Empty);
            Func<int, int, (int, int)> patch = (w, h) => ((int)(w * 0.07), (int)(h * 0.07));
            Func<int, int, (int, int)> background = (_, _) => (100, 100);
            for (var round = 0; round < 2; round++)
                for (var i = 0; i < 4; i++)
                {
                    using var viaLibrary = library.Load(i, patch, out var fw, out var fh);
                    using var fresh = ImageCodec.Decode(library.PathOf(i), patch, out _, out _);
                    Assert.That((fw, fh), Is.EqualTo((333, 250)));
                    Assert.That((viaLibrary.Width, viaLibrary.Height), Is.EqualTo((42, 32)), "1/8 scale, rounded up");
                    Assert.That(viaLibrary.Pixels.SequenceEqual(fresh.Pixels), Is.True, $"overlay {i}, round {round}");
                    using var big = library.Load(i, background, out _, out _);
                    using var bigFresh = ImageCodec.Decode(library.PathOf(i), background, out _, out _);
                    Assert.That(big.Pixels.SequenceEqual(bigFresh.Pixels), Is.True, "a larger decode is never served from the 1/8 cache");
                }
            Assert.That(library.CacheUse, Is.EqualTo((4L * 42 * 32 * 3, 4)), "only the four 1/8-scale decodes are kept");
        }
        finally { Directory.Delete(root, true); }
    }
}
