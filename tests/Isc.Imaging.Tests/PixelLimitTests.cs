using Isc.Imaging.Faces;
using Isc.Imaging.Generation;
using Isc.Imaging.Pixels;
using Isc.Recipe;

namespace Isc.Imaging.Tests;

/// <summary>
/// A JPEG whose header claims 65000×65000 (a few KB on disk, 4.2 gigapixels declared) is refused from its header by every
/// decode path, with a message naming the file, its size and the limit; inside a generation it is the usual per-image failure.
/// </summary>
[TestFixture]
public class PixelLimitTests() : TinySourcesFixture("pixels")
{
    /// <summary>A real JPEG with its frame header (SOF) rewritten to claim <paramref name="width"/>×<paramref name="height"/>.</summary>
    public static byte[] Claiming(byte[] jpeg, int width, int height)
    {
        var bytes = (byte[])jpeg.Clone();
        for (var i = 2; i + 9 < bytes.Length; i++)
            if (bytes[i] == 0xFF && bytes[i + 1] is 0xC0 or 0xC1 or 0xC2)
            {
                bytes[i + 5] = (byte)(height >> 8); bytes[i + 6] = (byte)height;
                bytes[i + 7] = (byte)(width >> 8); bytes[i + 8] = (byte)width;
                return bytes;
            }
        throw new InvalidOperationException("no SOF marker in the test JPEG");
    }

    string Giant(string dir, string name)
    {
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, name);
        File.WriteAllBytes(path, Claiming(File.ReadAllBytes(Directory.GetFiles(_src)[0]), 65000, 65000));
        return path;
    }

    string Fresh(string name) => Path.Combine(_root, name + "-" + Guid.NewGuid().ToString("N")[..6]);

    static void AssertNamesSizeAndLimit(string message, string path)
    {
        Assert.That(message, Does.Contain(path).And.Contain("65,000×65,000").And.Contain("178,956,970").And.Contain("ISC_MAX_IMAGE_PIXELS"));
    }

    [Test]
    public void Decode_refuses_a_header_over_the_limit_before_decoding()
    {
        var path = Giant(Fresh("giant"), "huge.jpg");
        var e = Assert.Throws<InvalidDataException>(() => ImageCodec.Decode(path).Dispose())!;
        AssertNamesSizeAndLimit(e.Message, path);
        var reduced = Assert.Throws<InvalidDataException>(() => ImageCodec.Decode(path, 8, 8, out _, out _).Dispose())!;
        AssertNamesSizeAndLimit(reduced.Message, path);
    }

    [Test]
    public void Face_detection_refuses_it_too()
    {
        var path = Giant(Fresh("giant-face"), "huge.jpg");
        var detector = new FaceDetector(FaceDetector.DefaultCascade);
        var e = Assert.Throws<InvalidDataException>(() => detector.CountFaces(path))!;
        AssertNamesSizeAndLimit(e.Message, path);
    }

    [Test]
    public void In_a_generation_it_is_the_usual_per_image_failure_naming_the_file()
    {
        var src = Fresh("src-giant");
        Directory.CreateDirectory(src);
        foreach (var f in Directory.GetFiles(_src)) File.Copy(f, Path.Combine(src, Path.GetFileName(f)));
        var bad = Path.Combine(src, "T000010.jpg");
        File.WriteAllBytes(bad, Claiming(File.ReadAllBytes(bad), 65000, 65000));
        var outDir = Fresh("out-giant");

        var e = Assert.Throws<GenerationInputException>(() =>
            new DatasetGenerator(TestAssets.Request(_root, src, _ov, "isc_100k_256_big", 2, Small, null, outDir), new StringWriter()).Run())!;

        Assert.That(e.Message, Does.Contain("id 1"));
        AssertNamesSizeAndLimit(e.Message, bad);
        Assert.That(Directory.GetFiles(Path.Combine(outDir, "isc_100k_256_big")), Has.Length.EqualTo(9), "the other ids were finished");
    }

    [Test]
    public void A_giant_overlay_is_found_before_any_work()
    {
        var ov = Fresh("ov-giant");
        Directory.CreateDirectory(ov);
        foreach (var f in Directory.GetFiles(_ov)) File.Copy(f, Path.Combine(ov, Path.GetFileName(f)));
        var bad = Directory.GetFiles(ov).Order().First();
        File.WriteAllBytes(bad, Claiming(File.ReadAllBytes(bad), 65000, 65000));
        var outDir = Fresh("out-ovgiant");

        var e = Assert.Throws<GenerationInputException>(() =>
            new DatasetGenerator(TestAssets.Request(_root, _src, ov, "isc_100k_256_big", 2, Small, null, outDir), new StringWriter()).Run())!;

        AssertNamesSizeAndLimit(e.Message, bad);
        Assert.That(Directory.Exists(Path.Combine(outDir, "isc_100k_256_big")), Is.False);
    }
}
