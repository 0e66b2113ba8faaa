using System.Globalization;
using Isc.Imaging.Augmentations;
using Isc.Imaging.Pixels;

namespace Isc.Imaging.Tests;

/// <summary>The Pillow arithmetic the chains rely on, checked against the real Pillow of /usr/bin/python3 (9.4; these routines are unchanged since 8.3).</summary>
[TestFixture]
public class PillowParityTests
{
    static RgbImage Pic(int w = 97, int h = 83, int seed = 3) => TestAssets.Picture(w, h, seed);

    [TestCase(40, 30, ResizeFilter.Bilinear, "BILINEAR")]
    [TestCase(256, 200, ResizeFilter.Bilinear, "BILINEAR")]
    [TestCase(31, 77, ResizeFilter.Bicubic, "BICUBIC")]
    [TestCase(300, 161, ResizeFilter.Bicubic, "BICUBIC")]
    [TestCase(13, 200, ResizeFilter.Nearest, "NEAREST")]
    public void Resize_matches_Pillow_exactly(int w, int h, ResizeFilter filter, string pil)
    {
        using var src = Pic();
        using var mine = PillowResize.Resize(src, w, h, filter);
        using var theirs = PythonPillow.Run(src, $"out = img.resize(({w}, {h}), Image.{pil})");
        Assert.That(PythonPillow.MaxDiff(mine, theirs), Is.EqualTo(0));
    }

    [TestCase(25, 33)]
    [TestCase(14, 11)]
    [TestCase(47, 71)]
    public void Nearest_resize_steps_its_coordinate_as_Pillow_does(int w, int h)
    {
        // 120 → 25 and 90 → 33 (and the others) are sizes where (i + 0.5)·in/out computed per pixel picks one source
        // row or column more than Pillow's running sum.
        using var src = Pic(120, 90);
        using var mine = PillowResize.Resize(src, w, h, ResizeFilter.Nearest);
        using var theirs = PythonPillow.Run(src, $"out = img.resize(({w}, {h}), Image.NEAREST)");
        Assert.That(PythonPillow.MaxDiff(mine, theirs), Is.EqualTo(0));
    }

    [Test]
    public void Resize_of_a_box_matches_crop_then_resize()
    {
        using var src = Pic(120, 90);
        using var mine = PillowResize.Resize(src, 10, 7, 90, 80, 64, 64, ResizeFilter.Bilinear);
        using var theirs = PythonPillow.Run(src, "out = img.crop((10, 7, 90, 80)).resize((64, 64), Image.BILINEAR)");
        Assert.That(PythonPillow.MaxDiff(mine, theirs), Is.EqualTo(0));
    }

    [TestCase(0.1f)]
    [TestCase(1.3f)]
    [TestCase(2.0f)]
    [TestCase(7.5f)]
    [TestCase(20f)]
    public void GaussianBlur_is_Pillows_extended_box_blur_exactly(float radius)
    {
        using var img = Pic();
        using var theirs = PythonPillow.Run(img, $"out = img.filter(ImageFilter.GaussianBlur(radius={radius.ToString("R", CultureInfo.InvariantCulture)}))");
        GaussianBlurStep.Blur(img, radius);
        Assert.That(PythonPillow.MaxDiff(img, theirs), Is.EqualTo(0));
    }

    [TestCase(17.3)]
    [TestCase(-42.9)]
    [TestCase(49.99)]
    public void Rotation_matches_Pillow_rotate_nearest(double degrees)
    {
        using var src = Pic(96, 70);
        using var mine = RotationStep.Rotate(src, degrees);
        using var theirs = PythonPillow.Run(src, $"out = img.rotate({degrees.ToString("R", CultureInfo.InvariantCulture)}, Image.NEAREST, expand=False, fillcolor=0)");
        Assert.That(PythonPillow.DiffFraction(mine, theirs), Is.LessThan(0.002), "at most a few boundary pixels may round differently");
    }

    [Test]
    public void Colorize_lut_is_ImageOps_colorize_with_floor_division()
    {
        using var src = Pic();
        byte[] black = [200, 10, 90], white = [5, 250, 30], mid = [120, 60, 255];
        var lut = ColorizeStep.Lut(black, white, mid);
        using var mine = new RgbImage(src.Width, src.Height);
        var s = src.Pixels; var d = mine.Pixels;
        for (var i = 0; i < s.Length; i += 3)
        {
            var l = PillowColor.Luma(s[i], s[i + 1], s[i + 2]);
            d[i] = lut[0][l]; d[i + 1] = lut[1][l]; d[i + 2] = lut[2][l];
        }
        using var theirs = PythonPillow.Run(src, "out = ImageOps.colorize(img.convert('L'), black=(200,10,90), white=(5,250,30), mid=(120,60,255))");
        Assert.That(PythonPillow.MaxDiff(mine, theirs), Is.EqualTo(0));
        Assert.That(lut[1][254], Is.EqualTo(60 + 127 * 190 / 128), "254 is not white: the ramp stops short");
        Assert.That(lut[1][254], Is.Not.EqualTo(250));
        Assert.That(lut[0][1], Is.EqualTo(200 + ColorizeStep.FloorDiv(-80, 127)), "descending ramp floors toward -inf");
        Assert.That(lut[0][1], Is.EqualTo(199), "C# integer division would give 200");
    }

    [Test]
    public void Grayscale_is_Pillows_convert_L()
    {
        using var img = Pic();
        using var theirs = PythonPillow.Run(img, "out = img.convert('L')");
        PillowColor.GrayscaleInPlace(img);
        Assert.That(PythonPillow.MaxDiff(img, theirs), Is.EqualTo(0));
    }

    [TestCase(0, 0.63f)]
    [TestCase(0, 1.41f)]
    [TestCase(1, 0.52f)]
    [TestCase(1, 1.37f)]
    [TestCase(2, 0.71f)]
    [TestCase(2, 1.29f)]
    public void Enhance_ops_match_ImageEnhance(int op, float f)
    {
        using var img = Pic();
        var name = op switch { 0 => "Brightness", 1 => "Contrast", _ => "Color" };
        using var theirs = PythonPillow.Run(img, $"out = ImageEnhance.{name}(img).enhance(np.float32({f.ToString("R", CultureInfo.InvariantCulture)}))");
        if (op == 0) ColorJitterStep.Brightness(img, f);
        else if (op == 1) ColorJitterStep.Contrast(img, f);
        else ColorJitterStep.Saturation(img, f);
        Assert.That(PythonPillow.MaxDiff(img, theirs), Is.LessThanOrEqualTo(1));
        Assert.That(PythonPillow.DiffFraction(img, theirs), Is.LessThan(0.001));
    }

    [TestCase(0.13f)]
    [TestCase(-0.1f)]
    [TestCase(-0.2f)]
    public void Hue_matches_torchvision_adjust_hue_on_Pillow(float hue)
    {
        using var img = Pic();
        using var theirs = PythonPillow.Run(img, $$"""
            h, s, v = img.convert('HSV').split()
            nh = np.array(h, dtype=np.uint8)
            with np.errstate(over='ignore'):
                nh += np.array({{hue.ToString("R", CultureInfo.InvariantCulture)}} * 255).astype(np.int64).astype(np.uint8)
            out = Image.merge('HSV', (Image.fromarray(nh, 'L'), s, v)).convert('RGB')
            """);
        ColorJitterStep.Hue(img, hue);
        Assert.That(PythonPillow.DiffFraction(img, theirs), Is.LessThan(0.01));
        Assert.That(PythonPillow.MaxDiff(img, theirs), Is.LessThanOrEqualTo(2));
    }

    [Test]
    public void Hue_shift_wraps_like_numpy_uint8()
    {
        Assert.That(ColorJitterStep.HueShift(-0.1f), Is.EqualTo(231));
        Assert.That(ColorJitterStep.HueShift(-0.2f), Is.EqualTo(205));
        Assert.That(ColorJitterStep.HueShift(0.2f), Is.EqualTo(51));
    }
}

[TestFixture]
public class HueShifterTests
{
    [Test]
    public void Table_driven_hue_equals_the_per_pixel_reference_bit_for_bit()
    {
        // Every 4th value per channel (64³ = 262,144 colours) under several shifts.
        using var img = new RgbImage(64 * 64, 64);
        var p = img.Pixels;
        var i = 0;
        for (var r = 0; r < 256; r += 4) for (var g = 0; g < 256; g += 4) for (var b = 0; b < 256; b += 4)
        { p[i++] = (byte)(r + 3 * (g & 1)); p[i++] = (byte)g; p[i++] = (byte)(b + (r & 3)); }
        // Half of the rows again with random colours and near-greys (saturation rounding to 0).
        var rng = new Random(5);
        for (var j = p.Length / 2; j < p.Length; j += 3)
        {
            var baseV = rng.Next(256);
            var near = rng.Next(2) == 0;
            p[j] = (byte)(near ? baseV : rng.Next(256));
            p[j + 1] = (byte)(near ? Math.Clamp(baseV + rng.Next(-1, 2), 0, 255) : rng.Next(256));
            p[j + 2] = (byte)(near ? baseV : rng.Next(256));
        }
        foreach (var hue in new[] { 0.2f, -0.1f, -0.2f, 0.07f, 0f })
        {
            using var a = img.Clone();
            using var b = img.Clone();
            ColorJitterStep.Hue(a, hue);
            ColorJitterStep.HueReference(b, hue);
            Assert.That(PythonPillow.MaxDiff(a, b), Is.Zero, $"hue {hue}");
            using var c = img.Clone();
            HueShifter.Shift(c, ColorJitterStep.HueShift(hue), allowSimd: false);
            Assert.That(PythonPillow.MaxDiff(c, b), Is.Zero, $"scalar tables, hue {hue}");
        }
    }
}
