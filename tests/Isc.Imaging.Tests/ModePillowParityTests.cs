using System.Globalization;
using Isc.Imaging.Assets;
using Isc.Imaging.Augmentations;
using Isc.Imaging.Generation;
using Isc.Imaging.Pixels;
using Isc.Imaging.Randomness;
using Isc.Recipe;
using Isc.Recipe.Chains;

namespace Isc.Imaging.Tests;

/// <summary>
/// JPEGs in each mode Pillow opens them in (L, RGB, CMYK), written by Pillow: the decode, the overlay/underlay/opacity
/// steps with such a file as the overlay image, and the k = 0 save, against the real Pillow of /usr/bin/python3 doing
/// what the original scripts do with Image.open(file) (no conversion before paste/resize/save).
/// </summary>
[TestFixture]
public class ModePillowParityTests
{
    string _dir = "";

    [SetUp]
    public void Setup() => _dir = TestAssets.TempDir("modes");

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A photo-like picture saved by Pillow as a JPEG in <paramref name="mode"/> (one file per folder).</summary>
    string PillowJpeg(string folder, string mode, int w, int h, int seed, int quality = 92)
    {
        var dir = Path.Combine(_dir, folder);
        Directory.CreateDirectory(dir);
        using var pic = TestAssets.Picture(w, h, seed);
        var png = Path.Combine(_dir, folder + ".png");
        File.WriteAllBytes(png, ImageCodec.EncodePng(pic));
        var path = Path.Combine(dir, "O00000.jpg");
        PythonPillow.Exec($"import sys\nfrom PIL import Image\nImage.open(sys.argv[1]).convert('{mode}').save(sys.argv[2], quality={quality})", png, path);
        return path;
    }

    /// <summary>Runs <paramref name="body"/> with `img` (the current image, RGB) and `path` (the overlay file); `out` is compared as RGB.</summary>
    RgbImage Pillow(RgbImage current, string overlayPath, string body)
    {
        var inPath = Path.Combine(_dir, "current.png");
        var outPath = Path.Combine(_dir, "pillow-out.png");
        File.WriteAllBytes(inPath, ImageCodec.EncodePng(current));
        PythonPillow.Exec($"import sys, numpy as np\nfrom PIL import Image\nimg = Image.open(sys.argv[1]).convert('RGB')\npath = sys.argv[2]\n{body}\nout.convert('RGB').save(sys.argv[3])",
            inPath, overlayPath, outPath);
        return ImageCodec.Decode(outPath);
    }

    static string OpenedMode(string path) =>
        PythonPillow.Exec("import sys\nfrom PIL import Image\nprint(Image.open(sys.argv[1]).mode)", path).Trim();

    [TestCase("L", PillowMode.L)]
    [TestCase("RGB", PillowMode.Rgb)]
    [TestCase("CMYK", PillowMode.Cmyk)]
    public void Decode_reports_the_mode_Pillow_opens_the_file_in(string mode, PillowMode expected)
    {
        var path = PillowJpeg("m", mode, 97, 61, 3);
        Assert.That(OpenedMode(path), Is.EqualTo(mode));
        using var img = ImageCodec.Decode(path, (_, _) => (0, 0), out _, out _, out var got);
        Assert.That(got, Is.EqualTo(expected));
    }

    [TestCase("L")]
    [TestCase("RGB")]
    public void Decode_equals_Pillows_convert_RGB(string mode)
    {
        var path = PillowJpeg("d", mode, 203, 151, 5);
        using var mine = ImageCodec.Decode(path);
        using var theirs = Pillow(mine, path, "out = Image.open(path)");
        Assert.That(PythonPillow.MaxDiff(mine, theirs), Is.EqualTo(0));
    }

    /// <summary>
    /// random_image_overlay: the current image resized by s and pasted into Image.open(background) as it is; the
    /// background is full size here (output ≥ its size), so no reduced decode is involved and Pillow's result is exact.
    /// </summary>
    [TestCase("L")]
    [TestCase("RGB")]
    public void Overlay_onto_a_background_keeps_the_backgrounds_mode(string mode)
    {
        var path = PillowJpeg("ov", mode, 200, 150, 41);
        var overlays = OverlayLibrary.Open(Path.GetDirectoryName(path)!, 1);
        var spec = new ImageOverlay(1, new(0.3, 0.5), new(0, 0.5), new(0, 0.5));
        using var current = TestAssets.Picture(120, 90, 8);
        var draws = new ImageRandom(77);
        draws.IntInclusive(0, 0);
        double s = draws.Uniform(0.3, 0.5), x = draws.Uniform(0, 0.5), y = draws.Uniform(0, 0.5);
        using var mine = new ImageOverlayStep(spec, overlays, 256).Apply(current, new ImageRandom(77));
        using var theirs = Pillow(current, path, $"""
            base = Image.open(path)
            x = img.resize((int(img.size[0]*{F(s)}), int(img.size[1]*{F(s)})))
            base.paste(x, (int(base.size[0]*{F(x)}), int(base.size[1]*{F(y)})))
            out = base
            """);
        Assert.That(PythonPillow.MaxDiff(mine, theirs), Is.EqualTo(0));
        Assert.That(IsGray(mine), Is.EqualTo(mode == "L"), "an L background makes the whole result gray");
    }

    /// <summary>random_image_underlay: Image.open(patch) resized in its own mode, pasted into the current (RGB) image.</summary>
    [TestCase("L")]
    [TestCase("RGB")]
    public void Underlay_of_a_patch_converts_it_to_the_images_mode(string mode)
    {
        var path = PillowJpeg("un", mode, 200, 150, 42);
        var overlays = OverlayLibrary.Open(Path.GetDirectoryName(path)!, 1);
        // Scale near 1: the patch is decoded at full size, so the reduced-scale decode plays no part.
        var spec = new Underlay(1, new(0.6, 0.9), new(0, 0.5), new(0, 0.5));
        using var current = TestAssets.Picture(160, 120, 9);
        var draws = new ImageRandom(78);
        draws.IntInclusive(0, 0);
        double s = draws.Uniform(0.6, 0.9), x = draws.Uniform(0, 0.5), y = draws.Uniform(0, 0.5);
        using var theirs = Pillow(current, path, $"""
            up = Image.open(path)
            up = up.resize((int(up.size[0]*{F(s)}), int(up.size[1]*{F(s)})))
            img.paste(up, (int(img.size[0]*{F(x)}), int(img.size[1]*{F(y)})))
            out = img
            """);
        using var mine = new UnderlayStep(spec, overlays).Apply(current.Clone(), new ImageRandom(78));
        Assert.That(PythonPillow.MaxDiff(mine, theirs), Is.EqualTo(0));
    }

    /// <summary>random_image_opaque: Image.open(background).resize in its own mode, then AugLy overlay_image converts it to RGBA.</summary>
    [TestCase("L")]
    [TestCase("RGB")]
    public void Opacity_blend_onto_a_background_of_each_mode(string mode)
    {
        var path = PillowJpeg("op", mode, 200, 150, 43);
        var overlays = OverlayLibrary.Open(Path.GetDirectoryName(path)!, 1);
        var spec = new OpacityBlend(1, new(0.2, 1.0));
        using var current = TestAssets.Picture(150, 110, 10);
        var draws = new ImageRandom(79);
        var opacity = draws.Uniform(0.2, 1.0);
        using var mine = new OpacityBlendStep(spec, overlays, 224).Apply(current, new ImageRandom(79));
        using var theirs = Pillow(current, path, $"""
            base = Image.open(path).resize((224, 224))
            x = img.resize((224, 224))
            mask = Image.fromarray((np.array(x.convert('RGBA').getchannel('A')) * {F(opacity)}).astype(np.uint8))
            out = base.convert('RGBA')
            out.paste(x, (0, 0), mask)
            """);
        Assert.That(PythonPillow.MaxDiff(mine, theirs), Is.EqualTo(0));
    }

    /// <summary>
    /// k = 0 is image.resize((n, n)).save(...) of Image.open(source): an L source gives a one-component JPEG with
    /// Pillow's bytes; BW sets go through convert('RGB') first, so theirs stay RGB.
    /// </summary>
    [TestCase("isc_100k_256_big", "L", "out = im.resize((64, 64))")]
    [TestCase("isc_100k_256_big", "RGB", "out = im.resize((64, 64))")]
    [TestCase("isc_100k_256_big_bw", "L", "out = im.convert('RGB').convert('L').convert('RGB').resize((64, 64))")]
    public void K0_is_saved_in_the_sources_mode_with_Pillows_bytes(string dataset, string mode, string body)
    {
        var src = Path.Combine(_dir, "src");
        Directory.CreateDirectory(src);
        using (var pic = TestAssets.Picture(160, 120, 1))
            File.WriteAllBytes(Path.Combine(_dir, "pic.png"), ImageCodec.EncodePng(pic));
        PythonPillow.Exec($"""
            import sys
            from PIL import Image
            base = Image.open(sys.argv[1]).convert('{mode}')
            for i in range(40):
                base.save('%s/T%06d.jpg' % (sys.argv[2], i), quality=90)
            im = Image.open('%s/T000000.jpg' % sys.argv[2])
            {body}
            out.save(sys.argv[3], quality=100)
            """, Path.Combine(_dir, "pic.png"), src, Path.Combine(_dir, "theirs.jpg"));
        var ov = TestAssets.Overlays(_dir, 3);
        var request = TestAssets.Request(_dir, src, ov, dataset, 1, TestAssets.TinyProfile);
        new DatasetGenerator(request, new StringWriter()).Run();
        var mine = File.ReadAllBytes(Path.Combine(request.ImagesDirectory, GenerationRequest.ImageName(0, 0)));
        Assert.That(mine, Is.EqualTo(File.ReadAllBytes(Path.Combine(_dir, "theirs.jpg"))));
    }

    static bool IsGray(RgbImage img)
    {
        var p = img.Pixels;
        for (var i = 0; i < p.Length; i += 3)
            if (p[i] != p[i + 1] || p[i] != p[i + 2]) return false;
        return true;
    }
}
