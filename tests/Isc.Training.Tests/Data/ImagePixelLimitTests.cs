using Isc.Training.Data;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Isc.Training.Tests.Data;

/// <summary>The trainer's decode refuses an image whose header claims more pixels than the limit, before allocating.</summary>
[TestFixture]
public class ImagePixelLimitTests
{
    [Test]
    public void A_jpeg_claiming_65000_by_65000_is_refused_naming_the_file_its_size_and_the_limit()
    {
        var dir = Directory.CreateTempSubdirectory("isc-giant-").FullName;
        try
        {
            var path = Path.Combine(dir, "0_0.jpg");
            using (var img = new Image<Rgb24>(16, 16)) img.SaveAsJpeg(path);
            var bytes = File.ReadAllBytes(path);
            var sof = Enumerable.Range(2, bytes.Length - 10).First(i => bytes[i] == 0xFF && bytes[i + 1] is 0xC0 or 0xC2);
            bytes[sof + 5] = 0xFD; bytes[sof + 6] = 0xE8; // height 65000
            bytes[sof + 7] = 0xFD; bytes[sof + 8] = 0xE8; // width 65000
            File.WriteAllBytes(path, bytes);

            var pipeline = ImagePipeline.ForEval(32);
            var e = Assert.Throws<InvalidDataException>(() => pipeline.LoadBytes(path, null, new byte[3 * 32 * 32]))!;
            Assert.That(e.Message, Does.Contain(path).And.Contain("65,000×65,000").And.Contain("178,956,970").And.Contain("ISC_MAX_IMAGE_PIXELS"));
        }
        finally { Directory.Delete(dir, true); }
    }
}
