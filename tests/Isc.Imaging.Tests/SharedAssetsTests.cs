using System.Security.Cryptography;
using Isc.Imaging.Generation;
using Isc.Recipe;

namespace Isc.Imaging.Tests;

/// <summary>Asset libraries handed to the generator (warm caches) give the same bytes as fresh ones, and must match the request.</summary>
[TestFixture]
public class SharedAssetsTests
{
    [Test]
    public void Warm_shared_assets_give_the_same_images_and_foreign_ones_are_refused()
    {
        var root = TestAssets.TempDir("shared");
        try
        {
            var src = TestAssets.Sources(root, 8, 160, 120);
            var ov = TestAssets.Overlays(root, 5);
            var profile = Profiles.Demo with
            {
                Source = Profiles.Demo.Source with { TrainingImages = 8, IdStride = 1, OverlayImages = 5 },
                Generation = Profiles.Demo.Generation with { ImagesPerId = 10 },
            };
            var shared = TestAssets.Context(ov, 5, profile.Generation.OutputSize);
            string Run(string name, bool warm)
            {
                var outDir = Path.Combine(root, name);
                var request = TestAssets.Request(root, src, ov, "isc_100k_256_big", 2, profile, null, outDir) with { OpenedAssets = warm ? shared : null };
                new DatasetGenerator(request, new StringWriter()).Run();
                return string.Join(",", Directory.GetFiles(Path.Combine(outDir, "isc_100k_256_big")).Order(StringComparer.Ordinal)
                    .Select(f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))));
            }
            var fresh = Run("fresh", warm: false);
            Assert.That(Run("warm-1", warm: true), Is.EqualTo(fresh));
            Assert.That(Run("warm-2", warm: true), Is.EqualTo(fresh), "second run on the now-warm caches");

            var other = TestAssets.Context(src, 5, profile.Generation.OutputSize); // the source folder as "overlays": not the request's
            var bad = TestAssets.Request(root, src, ov, "isc_100k_256_big", 1, profile, null, Path.Combine(root, "bad")) with { OpenedAssets = other };
            Assert.That(() => new DatasetGenerator(bad, new StringWriter()).Run(), Throws.ArgumentException.With.Message.Contains("not the request's own"));
        }
        finally { Directory.Delete(root, true); }
    }
}
