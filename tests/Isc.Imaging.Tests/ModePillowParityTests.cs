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
/// JPEGs in each mode Pillow opens them in (L, RGB, CMYK; <see cref="ModeJpegs"/>' kinds, CMYK as plain CMYK and as
/// YCCK): the decode, the overlay/underlay/opacity steps with such a file as the overlay image, and the k = 0 save,
/// against the real Pillow of /usr/bin/python3 doing what the original scripts do with Image.open(file) (no conversion
/// before paste/resize/save). Tolerance 0.
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

    static string OpenedMode(string path) =>
        PythonPillow.Exec("import sys\nfrom PIL import Image\nprint(Image.open(sys.argv[1]).mode)", path).Trim();

    [TestCase("L", "L", PillowMode.L)]
    [TestCase("RGB", "RGB", PillowMode.Rgb)]
    [TestCase("cmyk", "CMYK", PillowMode.Cmyk)]
    [TestCase("ycck-2x2", "CMYK", PillowMode.Cmyk)]
    public void Decode_reports_the_mode_Pillow_opens_the_file_in(string kind, string mode, PillowMode expected)
    {
        var path = ModeJpegs.Write(_dir, "m", kind, 97, 61, 3);
        Assert.That(OpenedMode(path), Is.EqualTo(mode));
        using var img = ImageCodec.Decode(path, (_, _) => (0, 0), out _, out _, out var got);
        Assert.That(got, Is.EqualTo(expected));
    }

    [TestCase("L")]
    [TestCase("RGB")]
    [TestCase("cmyk")]
    [TestCase("cmyk-progressive")]
    [TestCase("ycck-2x2")]
    [TestCase("ycck-1x1")]
    public void Decode_equals_Pillows_convert_RGB(string mode)
    {
        var path = ModeJpegs.Write(_dir, "d", mode, 203, 151, 5);
        using var mine = ImageCodec.Decode(path);
        using var theirs = ModeJpegs.Pillow(_dir, mine, path, "out = Image.open(path)");
        Assert.That(PythonPillow.MaxDiff(mine, theirs), Is.EqualTo(0));
    }

    /// <summary>
    /// random_image_overlay: the current image resized by s and pasted into Image.open(background) as it is; the
    /// background is full size here (output ≥ its size), so no reduced decode is involved and Pillow's result is exact.
    /// A CMYK background keeps the result CMYK (the pasted RGB image inverted, K = 0) until a later step converts it.
    /// </summary>
    [TestCase("L")]
    [TestCase("RGB")]
    [TestCase("cmyk")]
    [TestCase("ycck-2x2")]
    public void Overlay_onto_a_background_keeps_the_backgrounds_mode(string mode)
    {
        var path = ModeJpegs.Write(_dir, "ov", mode, 200, 150, 41);
        var overlays = OverlayLibrary.Open(Path.GetDirectoryName(path)!, 1);
        var spec = new ImageOverlay(1, new(0.3, 0.5), new(0, 0.5), new(0, 0.5));
        using var current = TestAssets.Picture(120, 90, 8);
        var draws = new ImageRandom(77);
        draws.IntInclusive(0, 0);
        double s = draws.Uniform(0.3, 0.5), x = draws.Uniform(0, 0.5), y = draws.Uniform(0, 0.5);
        using var mine = new ImageOverlayStep(spec, overlays, 256).Apply(current, new ImageRandom(77));
        using var theirs = ModeJpegs.Pillow(_dir, current, path, $"""
            base = Image.open(path)
            x = img.resize((int(img.size[0]*{F(s)}), int(img.size[1]*{F(s)})))
            base.paste(x, (int(base.size[0]*{F(x)}), int(base.size[1]*{F(y)})))
            out = base
            """);
        Assert.That(mine.IsCmyk, Is.EqualTo(ModeJpegs.IsCmyk(mode)), "the result keeps the background's mode");
        using var rgb = ModeJpegs.AsRgb(mine);
        Assert.That(PythonPillow.MaxDiff(rgb, theirs), Is.EqualTo(0));
        Assert.That(IsGray(rgb), Is.EqualTo(mode == "L"), "an L background makes the whole result gray");
    }

    /// <summary>random_image_underlay: Image.open(patch) resized in its own mode, pasted into the current (RGB) image.</summary>
    [TestCase("L")]
    [TestCase("RGB")]
    [TestCase("cmyk")]
    [TestCase("ycck-2x2")]
    public void Underlay_of_a_patch_converts_it_to_the_images_mode(string mode)
    {
        var path = ModeJpegs.Write(_dir, "un", mode, 200, 150, 42);
        var overlays = OverlayLibrary.Open(Path.GetDirectoryName(path)!, 1);
        // Scale near 1: the patch is decoded at full size, so the reduced-scale decode plays no part.
        var spec = new Underlay(1, new(0.6, 0.9), new(0, 0.5), new(0, 0.5));
        using var current = TestAssets.Picture(160, 120, 9);
        var draws = new ImageRandom(78);
        draws.IntInclusive(0, 0);
        double s = draws.Uniform(0.6, 0.9), x = draws.Uniform(0, 0.5), y = draws.Uniform(0, 0.5);
        using var theirs = ModeJpegs.Pillow(_dir, current, path, $"""
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
    [TestCase("cmyk")]
    [TestCase("ycck-2x2")]
    public void Opacity_blend_onto_a_background_of_each_mode(string mode)
    {
        var path = ModeJpegs.Write(_dir, "op", mode, 200, 150, 43);
        var overlays = OverlayLibrary.Open(Path.GetDirectoryName(path)!, 1);
        var spec = new OpacityBlend(1, new(0.2, 1.0));
        using var current = TestAssets.Picture(150, 110, 10);
        var draws = new ImageRandom(79);
        var opacity = draws.Uniform(0.2, 1.0);
        using var mine = new OpacityBlendStep(spec, overlays, 224).Apply(current, new ImageRandom(79));
        using var theirs = ModeJpegs.Pillow(_dir, current, path, $"""
            base = Image.open(path).resize((224, 224))
            x = img.resize((224, 224))
            mask = Image.fromarray((np.array(x.convert('RGBA').getchannel('A')) * {F(opacity)}).astype(np.uint8))
            out = base.convert('RGBA')
            out.paste(x, (0, 0), mask)
            """);
        Assert.That(PythonPillow.MaxDiff(mine, theirs), Is.EqualTo(0));
    }

    /// <summary>
    /// k = 0 is image.resize((n, n)).save(...) of Image.open(source): an L source gives a one-component JPEG and a CMYK
    /// source a CMYK JPEG, each with Pillow's bytes; BW sets go through convert('RGB') first, so theirs stay RGB.
    /// </summary>
    [TestCase("isc_100k_256_big", "L", "out = im.resize((64, 64))")]
    [TestCase("isc_100k_256_big", "RGB", "out = im.resize((64, 64))")]
    [TestCase("isc_100k_256_big", "cmyk", "out = im.resize((64, 64))")]
    [TestCase("isc_100k_256_big", "ycck-2x2", "out = im.resize((64, 64))")]
    [TestCase("isc_100k_256_big_bw", "L", "out = im.convert('RGB').convert('L').convert('RGB').resize((64, 64))")]
    [TestCase("isc_100k_256_big_bw", "cmyk", "out = im.convert('RGB').convert('L').convert('RGB').resize((64, 64))")]
    public void K0_is_saved_in_the_sources_mode_with_Pillows_bytes(string dataset, string kind, string body)
    {
        var first = ModeJpegs.Write(_dir, "one", kind, 160, 120, 1, quality: 90);
        var src = Path.Combine(_dir, "src");
        Directory.CreateDirectory(src);
        for (var i = 0; i < 40; i++) File.Copy(first, Path.Combine(src, $"T{i:D6}.jpg"));
        PythonPillow.Exec($"""
            import sys
            from PIL import Image
            im = Image.open(sys.argv[1])
            {body}
            out.save(sys.argv[2], quality=100)
            """, Path.Combine(src, "T000000.jpg"), Path.Combine(_dir, "theirs.jpg"));
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
