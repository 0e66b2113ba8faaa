using Isc.Imaging.Augmentations;
using Isc.Imaging.Pixels;
using Isc.Imaging.Randomness;
using Isc.Recipe.Chains;

namespace Isc.Imaging.Tests;

[TestFixture, Explicit]
public class DebugTrace
{
    [Test]
    public void Trace()
    {
        using var src = ImageCodec.Decode("/tmp/smoke/src/T000000.jpg");
        var ctx = TestAssets.Context("/tmp/smoke/ov", 24);
        var chain = new CompiledChain(DatasetChains.Base, ctx);
        foreach (var k in new[] { 7, 8 })
        {
            using var img = chain.Apply(src, ImageRandom.For("isc_100k_256_big", 0, k, 2021), (s, im) =>
            {
                long sum = 0; foreach (var b in im.Pixels) sum += b;
                TestContext.Out.WriteLine($"k={k} {s.Id} {im.Width}x{im.Height} mean={(double)sum / im.Length:F1}");
            });
        }
    }
}
