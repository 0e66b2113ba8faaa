using System.Globalization;
using Isc.Imaging.Augmentations;
using Isc.Imaging.Pixels;
using Isc.Imaging.Randomness;
using Isc.Recipe.Chains;

/// <summary>`ImagingBench --kernels`: vectorised vs scalar reference of the hot kernels, same inputs, same process (A/B under equal load).</summary>
static class KernelTimes
{
    public static void Run(string sourceFile)
    {
        using var src = ImageCodec.Decode(sourceFile);
        var crop = new RandomResizedCropStep((RandomResizedCrop)DatasetChains.Base["crop"], 256);
        var boxes = Enumerable.Range(0, 100).Select(i => crop.Box(src.Width, src.Height, ImageRandom.For("kernels", i, 1, 0))).ToArray();
        using var small = PillowResize.Resize(src, 256, 256, ResizeFilter.Bilinear);
        var cases = new (string Name, Action<bool> Run)[]
        {
            ("crop resize 1024x768 box -> 256 (bilinear)", simd =>
            {
                foreach (var (l, t, w, h) in boxes)
                    PillowResize.Resize(src, l, t, l + w, t + h, 256, 256, ResizeFilter.Bilinear, simd).Dispose();
            }),
            ("horizontal only 1024x768 -> 256x768 (x10)", simd =>
            {
                for (var i = 0; i < 10; i++) PillowResize.Resize(src, 0, 0, src.Width, src.Height, 256, src.Height, ResizeFilter.Bilinear, simd).Dispose();
            }),
            ("vertical only 1024x768 -> 1024x256 (x10)", simd =>
            {
                for (var i = 0; i < 10; i++) PillowResize.Resize(src, 0, 0, src.Width, src.Height, src.Width, 256, ResizeFilter.Bilinear, simd).Dispose();
            }),
            ("bicubic 256 -> 700 -> 256", simd =>
            {
                for (var i = 0; i < 10; i++)
                {
                    using var big = PillowResize.Resize(small, 0, 0, 256, 256, 700, 700, ResizeFilter.Bicubic, simd);
                    PillowResize.Resize(big, 0, 0, 700, 700, 256, 256, ResizeFilter.Bicubic, simd).Dispose();
                }
            }),
        };
        double Only(string name, Action a)
        {
            a();
            var best = double.MaxValue;
            for (var rep = 0; rep < 5; rep++) best = Math.Min(best, ThreadCpu.Ms(a));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {best:F2} ms per batch (best of 5)"));
            return best;
        }
        var jpeg = ImageCodec.EncodeJpeg(small, 100);
        var dir = Path.Combine(Path.GetTempPath(), "isc-imaging-bench", "write-probe");
        Directory.CreateDirectory(dir);
        var proc = System.Diagnostics.Process.GetCurrentProcess();
        var sys0 = proc.PrivilegedProcessorTime;
        var wt = Only($"atomic write of a {jpeg.Length / 1024} KB JPEG (x100)", () =>
        {
            for (var i = 0; i < 100; i++) Isc.Imaging.Generation.AtomicFile.Write(Path.Combine(dir, $"{i}.jpg"), jpeg);
        });
        proc.Refresh();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  of which kernel: {(proc.PrivilegedProcessorTime - sys0).TotalMilliseconds / 600:F3} ms per file"));
        Directory.Delete(dir, true);
        Only("blur radius 1.05 on 256x256 (x20)", () => { for (var i = 0; i < 20; i++) { using var c = small.Clone(); GaussianBlurStep.Blur(c, 1.05f); } });
        Only("clone 256x256 (x20)", () => { for (var i = 0; i < 20; i++) small.Clone().Dispose(); });
        Only("perspective sigma 25 on 256x256 (x20)", () => { for (var i = 0; i < 20; i++) PerspectiveStep.Warp(small, 25, 42).Dispose(); });
        var text = new Isc.Imaging.Assets.TextRenderer[] { Isc.Imaging.Assets.TextRenderer.Open("/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf") }[0];
        Only("text 10 chars em 120 on 256x256 (x20)", () => { for (var i = 0; i < 20; i++) { using var c = small.Clone(); text.Draw(c, Isc.Imaging.Assets.FontCharacters.TextFor([1, 5, 9, 13, 17, 21, 25, 29, 33, 37]), 120, 30, 40, 200, 10, 10); } });
        // Text as the chain draws it: 0–20 of 100 characters at a random em size 0–255 (min side 256 × U(0, 1)).
        var rngT = new Random(1);
        var texts = Enumerable.Range(0, 3000).Select(_ => (Isc.Imaging.Assets.FontCharacters.TextFor(Enumerable.Range(0, rngT.Next(0, 21)).Select(_ => rngT.Next(0, 100)).ToArray()), rngT.Next(0, 256))).ToArray();
        if (Environment.GetEnvironmentVariable("FONTCACHE_MB") is { } mb)
        {
            SkiaSharp.SKGraphics.SetFontCacheLimit(long.Parse(mb) << 20);
            SkiaSharp.SKGraphics.SetFontCacheCountLimit(1 << 16);
        }
        Console.WriteLine($"skia font cache {SkiaSharp.SKGraphics.GetFontCacheUsed() / 1e6:F1} of {SkiaSharp.SKGraphics.GetFontCacheLimit() / 1e6:F1} MB, count limit {SkiaSharp.SKGraphics.GetFontCacheCountLimit()}");
        ThreadCpu.Ms(() => { foreach (var (t, em) in texts.Take(1500)) text.Coverage(t, em, 30, 40, 256, 256); });
        var tm = 2 * ThreadCpu.Ms(() => { foreach (var (t, em) in texts.Skip(1500)) text.Coverage(t, em, 30, 40, 256, 256); });
        var clipped = 2 * ThreadCpu.Ms(() => { foreach (var (t, em) in texts.Skip(1500)) text.Coverage(t, em, 3000, 40, 256, 256); });
        var firstOnly = 2 * ThreadCpu.Ms(() => { foreach (var (t, em) in texts.Skip(1500)) text.Coverage(t.Length > 0 ? t[..1] : t, em, 30, 40, 256, 256); });
        if (Environment.GetEnvironmentVariable("GLYPH_ALL") is not null)
        {
            // Every character at every em size once: the whole glyph set's cache footprint.
            var all = ThreadCpu.Ms(() => { for (var em = 1; em < 256; em++) for (var c = 0; c < 100; c += 10) text.Coverage(Isc.Imaging.Assets.FontCharacters.TextFor([c, c + 1, c + 2, c + 3, c + 4, c + 5, c + 6, c + 7, c + 8, c + 9]), em, 0, 0, 4096, 4096); });
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"all 100 characters x 255 sizes: {all:F0} ms, cache used {SkiaSharp.SKGraphics.GetFontCacheUsed() / 1e6:F1} MB"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"same texts entirely off the canvas: {clipped / 1500:F3} ms each; first character only: {firstOnly / 1500:F3} ms each"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"3000 chain-like texts: {tm / 3000:F3} ms each, cache used {SkiaSharp.SKGraphics.GetFontCacheUsed() / 1e6:F1} MB"));
        Only("text coverage only (x20)", () => { for (var i = 0; i < 20; i++) text.Coverage(Isc.Imaging.Assets.FontCharacters.TextFor([1, 5, 9, 13, 17, 21, 25, 29, 33, 37]), 120, 30, 40, 256, 256); });
        foreach (var (name, run) in cases)
        {
            run(true); run(false);
            double fast = 0, slow = 0;
            for (var rep = 0; rep < 5; rep++)
            {
                fast += ThreadCpu.Ms(() => run(true));
                slow += ThreadCpu.Ms(() => run(false));
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: vectorised {fast / 5:F1} ms, scalar {slow / 5:F1} ms per batch"));
        }
    }
}

static class ThreadCpu
{
    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
    struct TimeSpec { public long Sec; public long Nsec; }

    [System.Runtime.InteropServices.DllImport("libc")]
    static extern int clock_gettime(int clock, out TimeSpec t);

    /// <summary>This thread's CPU time in ns (other processes on the machine do not count).</summary>
    public static long Now() { clock_gettime(3 /* CLOCK_THREAD_CPUTIME_ID */, out var t); return t.Sec * 1_000_000_000 + t.Nsec; }

    public static double Ms(Action a) { var t = Now(); a(); return (Now() - t) / 1e6; }
}
