using Isc.Imaging.Faces;
using Isc.Imaging.Pixels;

namespace Isc.Imaging.Tests;

[TestFixture]
public class FaceTests
{
    [Test]
    public void Finds_the_face_in_a_real_photograph_and_none_in_synthetic_pictures()
    {
        var root = TestAssets.TempDir("faces");
        var src = Path.Combine(root, "src");
        Directory.CreateDirectory(src);
        using (var astronaut = ImageCodec.Decode(TestAssets.Astronaut))
        {
            TestAssets.WriteJpeg(Path.Combine(src, "T000003.jpg"), astronaut);
            using var small = PillowResize.Resize(astronaut, 256, 256, ResizeFilter.Bicubic);
            TestAssets.WriteJpeg(Path.Combine(src, "T000001.jpg"), small);
        }
        for (var i = 0; i < 4; i++)
        {
            using var pic = TestAssets.Picture(320, 240, 50 + i);
            TestAssets.WriteJpeg(Path.Combine(src, $"T00001{i}.jpg"), pic);
        }
        File.WriteAllText(Path.Combine(src, "T000020.jpg"), "broken");
        var outFile = Path.Combine(root, "lists", "faces.txt");
        var log = new StringWriter();
        var result = FaceSelection.Run(src, outFile, FaceDetector.DefaultCascade, 2, log);

        Assert.That(result.Faces, Is.EqualTo(new[] { "T000001.jpg", "T000003.jpg" }), "the astronaut at 512 and 256 px; no synthetic picture");
        Assert.That(result.Scanned, Is.EqualTo(7));
        Assert.That(result.Unreadable, Is.EqualTo(new[] { "T000020.jpg" }));
        var lines = File.ReadAllLines(outFile);
        Assert.That(lines, Is.EqualTo(new[] { "# skipped (unreadable): T000020.jpg", "T000001.jpg", "T000003.jpg" }));
        Assert.That(log.ToString(), Does.Contain("2 of 7 images contain a face").And.Contain("1 unreadable"));
        Assert.That(Directory.GetFiles(Path.GetDirectoryName(outFile)!), Has.Length.EqualTo(1), "no temp file left");
        Directory.Delete(root, true);
    }

    [Test]
    public void A_missing_cascade_is_a_clear_error()
    {
        var root = TestAssets.TempDir("faces-bad");
        using (var pic = TestAssets.Picture(64, 64, 1)) TestAssets.WriteJpeg(Path.Combine(root, "a.jpg"), pic);
        var e = Assert.Throws<FileNotFoundException>(() => FaceSelection.Run(root, Path.Combine(root, "f.txt"), "/no/cascade.xml", 1, new StringWriter()));
        Assert.That(e!.Message, Does.Contain("opencv-data"));
        Directory.Delete(root, true);
    }
}
