using Isc.Imaging.Generation;
using Isc.Imaging.Pixels;
using Isc.Recipe;

namespace Isc.Imaging.Tests;

/// <summary>Valid but unusual training JPEGs (grayscale, CMYK, progressive, tiny, panoramic) generate normally.</summary>
[TestFixture]
public class UnusualSourceTests
{
    [Test]
    public void Grayscale_cmyk_progressive_tiny_and_extreme_aspect_sources_all_generate()
    {
        var root = TestAssets.TempDir("unusual");
        var src = Path.Combine(root, "src");
        Directory.CreateDirectory(src);
        PythonPillow.Exec("""
            import sys, numpy as np
            from PIL import Image
            d = sys.argv[1]
            y, x = np.mgrid[0:90, 0:120]
            rgb = np.stack([(x * 2) % 256, (y * 3) % 256, (x + y) % 256], -1).astype(np.uint8)
            img = Image.fromarray(rgb)
            img.convert('L').save(d + '/T000000.jpg', quality=90)
            img.convert('CMYK').save(d + '/T000001.jpg', quality=90)
            img.save(d + '/T000002.jpg', quality=90, progressive=True)
            img.resize((7, 5)).save(d + '/T000003.jpg', quality=90)
            img.resize((400, 20)).save(d + '/T000004.jpg', quality=90)
            img.resize((15, 300)).save(d + '/T000005.jpg', quality=90)
            for i in range(6, 24):
                img.save(d + '/T%06d.jpg' % i, quality=90)
            """, src);
        var ov = TestAssets.Overlays(root, 3, 50, 40);
        var profile = Profiles.Demo with
        {
            Source = Profiles.Demo.Source with { TrainingImages = 24, IdStride = 1, OverlayImages = 3 },
            Generation = Profiles.Demo.Generation with { ImagesPerId = 8 },
        };
        var outDir = Path.Combine(root, "out");
        var r = new DatasetGenerator(TestAssets.Request(root, src, ov, "isc_100k_256_big", 2, profile, null, outDir), new StringWriter()).Run();
        Assert.That(r.Plan.Identities, Has.Count.EqualTo(24));
        foreach (var f in Directory.GetFiles(Path.Combine(outDir, "isc_100k_256_big")))
        {
            using var img = ImageCodec.Decode(f);
            Assert.That((img.Width, img.Height), Is.EqualTo((64, 64)), f);
        }
        using (var gray = ImageCodec.Decode(Path.Combine(outDir, "isc_100k_256_big", "0_0.jpg")))
        {
            var p = gray.Pixels;
            Assert.That(p[300], Is.EqualTo(p[301]).Within(3), "a grayscale source stays gray at k = 0");
        }
        Directory.Delete(root, true);
    }
}
