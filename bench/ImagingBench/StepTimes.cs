using System.Diagnostics;
using System.Globalization;
using Isc.Imaging.Assets;
using Isc.Imaging.Augmentations;
using Isc.Imaging.Pixels;
using Isc.Imaging.Randomness;
using Isc.Recipe.Chains;

/// <summary>`ImagingBench --steps`: mean milliseconds per applied step of the base chain (where the time goes).</summary>
static class StepTimes
{
    public static void Run(string sources, string overlays, int overlayCount, string font, string emoji, int draws)
    {
        var ctx = new AugmentationContext(256, OverlayLibrary.Open(overlays, overlayCount), EmojiLibrary.Open(emoji), TextRenderer.Open(font));
        var chain = new CompiledChain(DatasetChains.Base, ctx);
        var files = Directory.GetFiles(sources).Order(StringComparer.Ordinal).ToArray();
        var sums = new Dictionary<string, (double Ms, int N)>();
        var sw = new Stopwatch();
        double decode = 0, encode = 0;
        for (var i = 0; i < draws; i++)
        {
            var t0 = Stopwatch.GetTimestamp();
            using var src = ImageCodec.Decode(files[i % files.Length]);
            decode += Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            var last = Stopwatch.GetTimestamp();
            using var img = chain.Apply(src, ImageRandom.For("bench", i, 1, 0), (spec, _) =>
            {
                var now = Stopwatch.GetTimestamp();
                var ms = Stopwatch.GetElapsedTime(last, now).TotalMilliseconds;
                sums[spec.Id] = sums.TryGetValue(spec.Id, out var v) ? (v.Ms + ms, v.N + 1) : (ms, 1);
                last = Stopwatch.GetTimestamp();
            });
            t0 = Stopwatch.GetTimestamp();
            ImageCodec.EncodeJpeg(img, 100);
            encode += Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"decode source: {decode / draws:F2} ms/image, encode: {encode / draws:F2} ms/image"));
        foreach (var s in DatasetChains.Base.Steps)
            if (sums.TryGetValue(s.Id, out var v))
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{s.Id,-12} applied {v.N,4}x  {v.Ms / v.N,7:F2} ms each  {v.Ms / draws,6:F2} ms/image"));
    }
}
