using System.Diagnostics;
using System.Globalization;
using Isc.Imaging.Assets;
using Isc.Imaging.Augmentations;
using Isc.Imaging.Pixels;
using Isc.Imaging.Randomness;
using Isc.Recipe.Chains;

/// <summary>`ImagingBench --steps`: mean thread-CPU milliseconds per applied step of the base chain (where the time goes).</summary>
static class StepTimes
{
    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
    struct TimeSpec { public long Sec; public long Nsec; }

    [System.Runtime.InteropServices.DllImport("libc")]
    static extern int clock_gettime(int clock, out TimeSpec t);

    /// <summary>This thread's CPU time in Stopwatch-like ticks (ns), so other processes on the machine do not count.</summary>
    static long Now() { clock_gettime(3 /* CLOCK_THREAD_CPUTIME_ID */, out var t); return t.Sec * 1_000_000_000 + t.Nsec; }
    static double Ms(long from, long to) => (to - from) / 1e6;

    public static void Run(string sources, string overlays, int overlayCount, string font, string emoji, int draws)
    {
        // The overlay-decode cache scaled to this overlay count, as at paper scale (see Program.cs).
        var cache = OverlayLibrary.DefaultCacheBytes * overlayCount / Isc.Recipe.Profiles.Paper.Source.OverlayImages;
        var ctx = new AugmentationContext(256, OverlayLibrary.Open(overlays, overlayCount, cache), EmojiLibrary.Open(emoji), TextRenderer.Open(font));
        var chain = new CompiledChain(DatasetChains.Base, ctx);
        var files = Directory.GetFiles(sources).Order(StringComparer.Ordinal).ToArray();
        var sums = new Dictionary<string, (double Ms, int N)>();
        var sw = new Stopwatch();
        double decode = 0, encode = 0;
        // Warm-up: let the JIT reach its optimised tiers before measuring.
        using (var warm = ImageCodec.Decode(files[0]))
            for (var i = 0; i < 300; i++) ImageCodec.EncodeJpeg(chain.Apply(warm, ImageRandom.For("warm", i, 1, 0)), 100);
        for (var i = 0; i < draws; i++)
        {
            var t0 = Now();
            using var src = ImageCodec.Decode(files[i % files.Length]);
            decode += Ms(t0, Now());
            var last = Now();
            using var img = chain.Apply(src, ImageRandom.For("bench", i, 1, 0), (spec, _) =>
            {
                var now = Now();
                var ms = Ms(last, now);
                sums[spec.Id] = sums.TryGetValue(spec.Id, out var v) ? (v.Ms + ms, v.N + 1) : (ms, 1);
                last = Now();
            });
            t0 = Now();
            ImageCodec.EncodeJpeg(img, 100);
            encode += Ms(t0, Now());
        }
        using (var probe = PillowResize.Resize(ImageCodec.Decode(files[0]), 256, 256, ResizeFilter.Bilinear))
        {
            foreach (var (name, op) in new (string, Action<RgbImage>)[]
            {
                ("jitter.brightness", im => ColorJitterStep.Brightness(im, 1.2f)),
                ("jitter.contrast", im => ColorJitterStep.Contrast(im, 1.2f)),
                ("jitter.saturation", im => ColorJitterStep.Saturation(im, 1.2f)),
                ("jitter.hue", im => ColorJitterStep.Hue(im, 0.1f)),
            })
            {
                // On a fresh copy each time (a repeatedly jittered image saturates and gets cheaper); copy time excluded.
                double total = 0;
                for (var i = 0; i < 250; i++)
                {
                    using var copy = probe.Clone();
                    var t = Now();
                    op(copy);
                    if (i >= 50) total += Ms(t, Now());
                }
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {total / 200:F3} ms"));
            }
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"overlay decode cache: {ctx.Overlays.CacheUse.Entries} of {overlayCount} overlays, {ctx.Overlays.CacheUse.Bytes / 1e6:F1} of {cache / 1e6:F1} MB (paper-scale fraction)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"decode source: {decode / draws:F2} ms/image, encode: {encode / draws:F2} ms/image"));
        foreach (var s in DatasetChains.Base.Steps)
            if (sums.TryGetValue(s.Id, out var v))
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{s.Id,-12} applied {v.N,4}x  {v.Ms / v.N,7:F2} ms each  {v.Ms / draws,6:F2} ms/image"));
    }
}
