using System.Globalization;
using Isc.Imaging.Assets;
using Isc.Imaging.Augmentations;
using Isc.Imaging.Pixels;
using Isc.Imaging.Randomness;
using Isc.Recipe.Chains;

namespace Isc.Imaging.Tests;

/// <summary>
/// AugLy 0.1.4's overlays return RGBA, and the steps after them work on RGBA: each such step against the real Pillow of
/// /usr/bin/python3, alpha included, with small Python equivalents of the AugLy functions (AugLy is not installed),
/// and the tails of the base and opa chains end to end with fixed draws (degenerate ranges).
/// </summary>
[TestFixture]
public class RgbaPillowParityTests
{
    string _dir = "";

    [SetUp]
    public void Setup() => _dir = TestAssets.TempDir("rgba");

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Pillow's result has <paramref name="mode"/> and every channel, alpha included, equal to mine.</summary>
    static void AssertSame(string mode, RgbImage mine, (string Mode, RgbImage Image) theirs)
    {
        using var image = theirs.Image;
        Assert.That(theirs.Mode, Is.EqualTo(mode));
        Assert.That(PillowRgba.MaxDiff(mine, image), Is.EqualTo(0));
    }

    // AugLy 0.1.4 functions, step for step (pad: RGB canvas; overlay_image: RGBA paste through alpha·opacity; overlay_text
    // with the glyph coverage given as an "L" file: draw_bitmap is the fill through a mask that draw.text does).
    const string AugLy = """
        def pad(img, wf, hf, color):
            w, h = img.size
            l, t = int(wf * w), int(hf * h)
            out = Image.new('RGB', (w + 2 * l, h + 2 * t), color)
            out.paste(img, (l, t))
            return out
        def overlay_image(image, overlay, opacity, size, x_pos, y_pos):
            w, h = image.size
            nh = max(1, int(h * size))
            overlay = overlay.resize((int(overlay.width * nh / overlay.height), nh))
            mask = Image.fromarray((np.array(overlay.convert('RGBA').getchannel('A')) * opacity).astype(np.uint8))
            out = image.convert('RGBA')
            out.paste(im=overlay, box=(int(w * x_pos), int(h * y_pos)), mask=mask)
            return out
        def overlay_text(image, coverage, color, opacity):
            out = image.convert('RGBA')
            mask = Image.frombytes('L', out.size, open(coverage, 'rb').read())
            ImageDraw.Draw(out).bitmap((0, 0), mask, fill=(*color, round(opacity * 255)))
            return out
        def opaque(x, background, size, opacity):
            base = Image.open(background).resize((size, size))
            return overlay_image(base, x.resize((size, size)), opacity, 1, 0, 0)
        def image_overlay(x, background, s, x_pos, y_pos):
            base = Image.open(background)
            x = x.resize((int(x.size[0] * s), int(x.size[1] * s)))
            base.paste(x, (int(base.size[0] * x_pos), int(base.size[1] * y_pos)))
            return base
        """ + "\n";

    /// <summary>A palette PNG with per-entry alpha (AugLy's emojis are), written by Pillow.</summary>
    string PaletteEmoji()
    {
        var dir = Path.Combine(_dir, "emoji");
        Directory.CreateDirectory(dir);
        PythonPillow.Exec("""
            import sys, numpy as np
            from PIL import Image
            rs = np.random.RandomState(5)
            em = Image.fromarray(rs.randint(0, 256, (72, 72)).astype(np.uint8), 'P')
            em.putpalette(rs.randint(0, 256, 768).astype(np.uint8).tobytes())
            alpha = rs.randint(0, 256, 256).astype(np.uint8)
            alpha[:40] = 0
            alpha[40:120] = 255
            em.save(sys.argv[1], transparency=alpha.tobytes())
            """, Path.Combine(dir, "e.png"));
        return dir;
    }

    [TestCase(300, 200, 256, 256, ResizeFilter.Bilinear)]
    [TestCase(90, 70, 256, 256, ResizeFilter.Bilinear)]
    [TestCase(300, 200, 128, 180, ResizeFilter.Bicubic)]
    [TestCase(60, 50, 170, 140, ResizeFilter.Bicubic)]
    [TestCase(120, 90, 120, 61, ResizeFilter.Bicubic)]
    [TestCase(80, 60, 80, 60, ResizeFilter.Bilinear)]
    [TestCase(80, 60, 37, 91, ResizeFilter.Nearest)]
    public void Resize_of_RGBA_is_Pillows_premultiplied_resize(int w, int h, int tw, int th, ResizeFilter filter)
    {
        using var src = PillowRgba.PictureWithAlpha(w, h, 3);
        using var mine = PillowResize.Resize(src, tw, th, filter);
        var resample = filter switch { ResizeFilter.Bilinear => "BILINEAR", ResizeFilter.Bicubic => "BICUBIC", _ => "NEAREST" };
        AssertSame("RGBA", mine, PillowRgba.Run(src, $"out = img.resize(({tw}, {th}), Image.{resample})"));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Emoji_overlay_returns_RGBA_with_the_blended_alpha(bool rgbaInput)
    {
        var emojis = EmojiLibrary.Open(PaletteEmoji());
        using var image = rgbaInput ? PillowRgba.PictureWithAlpha(150, 110, 4) : TestAssets.Picture(150, 110, 4);
        using var mine = image.Clone();
        EmojiOverlayStep.Overlay(mine, emojis.Get(0), 0.73, 0.6, 0.1, 0.2);
        AssertSame("RGBA", mine, PillowRgba.Run(image, AugLy + """
            out = overlay_image(img, Image.open(args[0]), 0.73, 0.6, 0.1, 0.2)
            """, Path.Combine(emojis.Directory, "e.png")));
    }

    /// <summary>
    /// The text step on an RGB image and, again, on the RGBA result (the second text of the chain): the alpha takes
    /// the ink's round(opacity·255) through the glyph coverage, colours the full ink colour; where the alpha is 0
    /// (opacity 0 under a solid glyph), the next text's colours take the full ink.
    /// </summary>
    [Test]
    public void Text_overlay_puts_the_opacity_into_the_alpha_as_Pillow_does()
    {
        var renderer = TextRenderer.Open(TestAssets.NaskhFont);
        using var image = TestAssets.Picture(160, 120, 5);
        var first = new TextOverlay(1, new(5, 5), new(20, 20), new(200, 200), new(0.4, 0.4), new(0, 0), new(0.05, 0.05), new(0.1, 0.1));
        var second = first with { Channel = new(30, 30), Opacity = new(0.35, 0.35), X = new(0.08, 0.08), Y = new(0.12, 0.12) };
        using var mine = image.Clone();
        new TextOverlayStep(first, renderer).Apply(mine, new ImageRandom(1));
        Assert.That(mine.Alpha.Contains((byte)0), "opacity 0 under a solid glyph leaves alpha 0");
        new TextOverlayStep(second, renderer).Apply(mine, new ImageRandom(2));

        var text = FontCharacters.TextFor(Enumerable.Repeat(20, 5));
        var em = (int)(120 * 0.4);
        var c1 = Coverage(renderer, text, em, (int)(0.05 * 160), (int)(0.1 * 120), 160, 120, "c1");
        var c2 = Coverage(renderer, text, em, (int)(0.08 * 160), (int)(0.12 * 120), 160, 120, "c2");
        AssertSame("RGBA", mine, PillowRgba.Run(image, AugLy + """
            out = overlay_text(overlay_text(img, args[0], (200, 200, 200), 0.0), args[1], (30, 30, 30), 0.35)
            """, c1, c2));
    }

    string Coverage(TextRenderer renderer, string text, int em, int x, int y, int w, int h, string name)
    {
        var path = Path.Combine(_dir, name + ".raw");
        File.WriteAllBytes(path, renderer.Coverage(text, em, x, y, w, h));
        return path;
    }

    [Test]
    public void Opacity_step_pastes_an_RGBA_image_through_its_alpha_times_the_opacity()
    {
        var overlays = OverlayLibrary.Open(TestAssets.Overlays(_dir, 1), 1);
        using var current = PillowRgba.PictureWithAlpha(150, 110, 6);
        var spec = new OpacityBlend(1, new(0.2, 1.0));
        var opacity = new ImageRandom(9).Uniform(0.2, 1.0);
        using var mine = new OpacityBlendStep(spec, overlays, 128).Apply(current, new ImageRandom(9));
        AssertSame("RGBA", mine, PillowRgba.Run(current, AugLy + $"out = opaque(img, args[0], 128, {F(opacity)})",
            Path.Combine(_dir, "ov", "O00000.jpg")));
    }

    /// <summary>The background is no larger than twice the output, so it is decoded at full size and Pillow's result is exact.</summary>
    [Test]
    public void Image_overlay_resizes_an_RGBA_image_premultiplied_and_drops_its_alpha()
    {
        var overlays = OverlayLibrary.Open(TestAssets.Overlays(_dir, 1), 1);
        using var current = PillowRgba.PictureWithAlpha(70, 50, 7);
        var spec = new ImageOverlay(1, new(2.5, 3.5), new(0, 0.5), new(0, 0.5));
        var draws = new ImageRandom(10);
        draws.IntInclusive(0, 0);
        double s = draws.Uniform(2.5, 3.5), x = draws.Uniform(0, 0.5), y = draws.Uniform(0, 0.5);
        using var mine = new ImageOverlayStep(spec, overlays, 128).Apply(current, new ImageRandom(10));
        AssertSame("RGB", mine, PillowRgba.Run(current, AugLy + $"out = image_overlay(img, args[0], {F(s)}, {F(x)}, {F(y)})",
            Path.Combine(_dir, "ov", "O00000.jpg")));
    }

    /// <summary>torchvision 0.8 RandomGrayscale of an RGBA image: convert('L') (alpha ignored), three channels, RGB.</summary>
    [Test]
    public void Grayscale_of_RGBA_is_three_channel_RGB()
    {
        using var image = PillowRgba.PictureWithAlpha(50, 40, 8);
        using var mine = new GrayscaleStep().Apply(image.Clone(), new ImageRandom(1));
        AssertSame("RGB", mine, PillowRgba.Run(image, "g = np.array(img.convert('L'))\nout = Image.fromarray(np.dstack([g, g, g]), 'RGB')"));
    }

    [Test]
    public void A_step_without_an_RGBA_implementation_refuses_an_RGBA_image()
    {
        var ov = TestAssets.Overlays(_dir, 1);
        var chain = new Chain([new ToRgb(), Text("text", 0.5, 0.1), new HorizontalFlip(1)]);
        var compiled = new CompiledChain(chain, TestAssets.Context(ov, 1));
        using var src = TestAssets.Picture(64, 64, 1);
        Assert.That(() => compiled.Apply(src, new ImageRandom(1)),
            Throws.InvalidOperationException.With.Message.Contains("RGBA"));
    }

    static TextOverlay Text(string id, double opacity, double x, int channel = 200) =>
        new(1, new(6, 6), new(20, 20), new(channel, channel), new(0.3, 0.3), new(opacity, opacity), new(x, x), new(0.2, 0.2), id);

    static UniformRange At(double v) => new(v, v);

    /// <summary>
    /// The tail of the base chain from its first RGBA step, with fixed draws: pad (so that the final resize is a real
    /// one), emoji, two texts (the first at opacity 0, the second at 0.35 over it), [the opa step and the image overlay],
    /// resize to the output, to RGB, against the same AugLy/torchvision calls on Pillow.
    /// </summary>
    [TestCase(false)]
    [TestCase(true)]
    public void Chain_tail_with_texts_at_opacity_below_one_equals_Pillows(bool opaAndOverlay)
    {
        var emojiDir = PaletteEmoji();
        var ov = TestAssets.Overlays(_dir, 1);
        const int output = 128;
        var context = new AugmentationContext(output, OverlayLibrary.Open(ov, 1), EmojiLibrary.Open(emojiDir), TextRenderer.Open(TestAssets.NaskhFont));
        List<ChainStep> steps =
        [
            new ToRgb(),
            new Pad(1, At(0.07), At(0.05), new(30, 30)),
            new EmojiOverlay(1, At(0.8), At(0.45), At(0.3), At(0.25)),
            Text("text-1", 0, 0.1),
            Text("text-2", 0.35, 0.12, channel: 40),
        ];
        if (opaAndOverlay)
        {
            steps.Add(new OpacityBlend(1, At(0.6)));
            steps.Add(new ImageOverlay(1, At(2.5), At(0.1), At(0.15)));
        }
        steps.Add(new Resize());
        steps.Add(new ToRgb("to-rgb-end"));
        var compiled = new CompiledChain(new Chain(steps), context);

        using var source = TestAssets.Picture(200, 150, 11);
        var sizes = new Dictionary<string, (int W, int H)>();
        using var mine = compiled.Apply(source, new ImageRandom(1), (spec, img) => sizes[spec.Id] = (img.Width, img.Height));
        var (w, h) = sizes["pad"];
        var text = FontCharacters.TextFor(Enumerable.Repeat(20, 6));
        var em = (int)(Math.Min(w, h) * 0.3);
        var c1 = Coverage(context.Text, text, em, (int)(0.1 * w), (int)(0.2 * h), w, h, "t1");
        var c2 = Coverage(context.Text, text, em, (int)(0.12 * w), (int)(0.2 * h), w, h, "t2");
        var tail = opaAndOverlay
            ? $"x = image_overlay(opaque(x, args[3], {output}, 0.6), args[3], 2.5, 0.1, 0.15)\n"
            : "";
        AssertSame("RGB", mine, PillowRgba.Run(source, AugLy + $"""
            x = img.convert('RGB')
            x = pad(x, 0.07, 0.05, (30, 30, 30))
            x = overlay_image(x, Image.open(args[0]), 0.8, 0.45, 0.3, 0.25)
            x = overlay_text(x, args[1], (200, 200, 200), 0.0)
            x = overlay_text(x, args[2], (40, 40, 40), 0.35)
            {tail}x = x.resize(({output}, {output}), Image.BILINEAR)
            out = x.convert('RGB')
            """, Path.Combine(emojiDir, "e.png"), c1, c2, Path.Combine(ov, "O00000.jpg")));
    }
}
