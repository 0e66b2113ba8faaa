using Isc.Imaging.Pixels;

namespace Isc.Imaging.Tests;

/// <summary>JPEG decode and encode against the real Pillow of /usr/bin/python3 (libjpeg-turbo both sides).</summary>
[TestFixture]
public class CodecParityTests
{
    string _dir = "";

    [SetUp]
    public void Setup() => _dir = TestAssets.TempDir("codec");

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    /// <summary>Writes a JPEG with Pillow (options as Python keyword arguments) from a noisy photo-like picture.</summary>
    string PillowJpeg(string name, string options, string mode = "RGB", int w = 203, int h = 151)
    {
        using var pic = TestAssets.Picture(w, h, name.Length);
        var noisy = Path.Combine(_dir, name + ".png");
        var p = pic.Pixels;
        var rng = new Random(7);
        for (var i = 0; i < p.Length; i++) p[i] = (byte)Math.Clamp(p[i] + rng.Next(-9, 10), 0, 255);
        File.WriteAllBytes(noisy, ImageCodec.EncodePng(pic));
        var path = Path.Combine(_dir, name + ".jpg");
        PythonPillow.Exec($"import sys\nfrom PIL import Image\nImage.open(sys.argv[1]).convert('{mode}').save(sys.argv[2], {options})", noisy, path);
        return path;
    }

    /// <summary>Pillow's decode (draft to the DCT scale when <paramref name="minSide"/> &gt; 0), as RGB.</summary>
    RgbImage PillowDecode(string jpeg, int minSide)
    {
        var outPath = Path.Combine(_dir, "pillow-decoded.png");
        PythonPillow.Exec($$"""
            import sys
            from PIL import Image
            im = Image.open(sys.argv[1])
            if {{minSide}} > 0:
                im.draft('RGB', ({{minSide}}, {{minSide}}))
            im.convert('RGB').save(sys.argv[2])
            """, jpeg, outPath);
        return ImageCodec.Decode(outPath);
    }

    [TestCase("baseline", "quality=90", "RGB", 0)]
    [TestCase("q100", "quality=100", "RGB", 0)]
    [TestCase("s444", "quality=95, subsampling=0", "RGB", 0)]
    [TestCase("progressive", "quality=85, progressive=True", "RGB", 0)]
    [TestCase("gray", "quality=90", "L", 0)]
    [TestCase("half", "quality=90", "RGB", 90)]
    [TestCase("quarter", "quality=90", "RGB", 40)]
    [TestCase("eighth", "quality=90", "RGB", 20)]
    [TestCase("gray-half", "quality=90", "L", 80)]
    public void Jpeg_decode_equals_Pillows_at_every_DCT_scale(string name, string options, string mode, int minSide)
    {
        var jpeg = PillowJpeg(name, options, mode);
        using var theirs = PillowDecode(jpeg, minSide);
        using var mine = ImageCodec.Decode(jpeg, minSide, minSide, out var fw, out var fh);
        Assert.That((fw, fh), Is.EqualTo((203, 151)));
        Assert.That(PythonPillow.MaxDiff(mine, theirs), Is.EqualTo(0));
    }

    [Test]
    public void Cmyk_jpeg_still_decodes_to_the_picture()
    {
        var jpeg = PillowJpeg("cmyk", "quality=95", "CMYK");
        using var theirs = PillowDecode(jpeg, 0);
        using var mine = ImageCodec.Decode(jpeg);
        Assert.That(PythonPillow.MaxDiff(mine, theirs), Is.LessThanOrEqualTo(3));
    }

    [TestCase(100)]
    [TestCase(75)]
    public void Jpeg_encode_gives_Pillows_bytes(int quality)
    {
        using var img = TestAssets.Picture(256, 256, 11);
        var png = Path.Combine(_dir, "in.png");
        File.WriteAllBytes(png, ImageCodec.EncodePng(img));
        var theirs = Path.Combine(_dir, "pillow.jpg");
        PythonPillow.Exec($"import sys\nfrom PIL import Image\nImage.open(sys.argv[1]).convert('RGB').save(sys.argv[2], quality={quality})", png, theirs);
        Assert.That(ImageCodec.EncodeJpeg(img, quality), Is.EqualTo(File.ReadAllBytes(theirs)));
    }

    [Test]
    public void Truncated_jpeg_is_an_error_not_a_grey_bottom()
    {
        var jpeg = PillowJpeg("cut", "quality=90");
        var bytes = File.ReadAllBytes(jpeg);
        File.WriteAllBytes(jpeg, bytes[..(bytes.Length * 2 / 3)]);
        var e = Assert.Throws<InvalidDataException>(() => ImageCodec.Decode(jpeg).Dispose());
        Assert.That(e!.Message, Does.Contain("corrupt or truncated").And.Contain("cut.jpg"));
    }
}
