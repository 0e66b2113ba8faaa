using System.Diagnostics;
using System.Globalization;
using Isc.Imaging.Generation;
using Isc.Imaging.Pixels;
using Isc.Recipe;

// Images/s/core of the base chain at paper size: photo-like ~1024 px JPEG sources in, 256×256 q100 JPEGs out,
// through the real generator (decode once per id, 20 images per id, atomic writes), single-threaded and at full
// parallelism. Usage: ImagingBench [ids=48] [--font ttf] [--emoji dir]; prints a Markdown block for bench/RESULTS.md.
var ids = args.Length > 0 && int.TryParse(args[0], out var n) ? n : 48;
ids = Math.Max(ids, 4);
var font = Arg("--font") ?? "/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf";
var emoji = Arg("--emoji") ?? "/usr/share/rubygems-integration/all/gems/tanuki_emoji-0.6.0/app/assets/images/tanuki_emoji";
var root = Path.Combine(Path.GetTempPath(), "isc-imaging-bench");
var sources = Path.Combine(root, "src");
var overlays = Path.Combine(root, "ov");
const int OverlayCount = 200;
PhotoLike.MakeFolder(sources, "T", ids, 1024, 768, 0);
PhotoLike.MakeFolder(overlays, "O", OverlayCount, 1024, 683, 50_000);

if (args.Contains("--codec"))
{
    CodecTimes.Run(Directory.GetFiles(sources).Order(StringComparer.Ordinal).First());
    return;
}
if (args.Contains("--kernels"))
{
    KernelTimes.Run(Directory.GetFiles(sources).Order(StringComparer.Ordinal).First());
    return;
}
if (args.Contains("--steps"))
{
    StepTimes.Run(sources, overlays, OverlayCount, font, emoji, 600);
    return;
}

var profile = Profiles.Paper with
{
    Source = Profiles.Paper.Source with { TrainingImages = ids, IdStride = 1, OverlayImages = OverlayCount },
};
var cores = Environment.ProcessorCount;
// The underlay's overlay-decode cache, scaled down with the overlay count (200 here, 10,001 in the paper profile) so
// that it holds the same fraction of the overlays as the real cap would at paper scale (for overlays of this size).
var PaperScaleCacheBytes = Isc.Imaging.Assets.OverlayLibrary.DefaultCacheBytes * OverlayCount / Profiles.Paper.Source.OverlayImages;
// Warm-up: a full-size run, so the JIT's tiering (background recompilation, counted in process CPU time) and the
// glyph cache settle before anything is measured; a multi-million-image generation pays these once.
Console.WriteLine($"warm-up ...");
Run(cores, ids, "warmup");
var single = Run(1, ids, "single");
if (args.Contains("--single")) return;
var parallel = Run(cores, ids, "parallel");

var load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
var cpuName = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"))?.Split(':')[1].Trim() ?? "unknown CPU";
var images = ids * profile.Generation.ImagesPerId;
Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
    ### Imaging: base chain at paper size ({DateTime.UtcNow:yyyy-MM-dd})
    Machine: {cpuName}, {cores} cores, .NET {Environment.Version}, 1-minute load average {load} at the end (other jobs share
    these cores, so wall-clock rates understate; images per CPU-second is the per-core rate this process got).
    {ids} ids x 20 = {images} images per run (1024x768 photo-like JPEG sources, {OverlayCount} 1024x683 overlays,
    256x256 JPEG q100 out, files written).

    | run | jobs | wall s | CPU s | images/s (wall) | images/s/core (wall) | images per CPU-second |
    |---|---|---|---|---|---|---|
    | single-threaded | 1 | {single.Wall:F2} | {single.Cpu:F2} | {images / single.Wall:F1} | {images / single.Wall:F1} | {images / single.Cpu:F1} |
    | full parallelism | {cores} | {parallel.Wall:F2} | {parallel.Cpu:F2} | {images / parallel.Wall:F1} | {images / parallel.Wall / cores:F1} | {images / parallel.Cpu:F1} |

    Goal: >= 230 images/s/core.
    """));

(double Wall, double Cpu) Run(int jobs, int count, string tag)
{
    var p = profile with { Source = profile.Source with { TrainingImages = count } };
    var src = count == ids ? sources : Subset(count);
    var outDir = Path.Combine(root, "out-" + tag);
    if (Directory.Exists(outDir)) Directory.Delete(outDir, true);
    var request = new GenerationRequest(p, Datasets.Get("isc_100k_256_big"), src, overlays, outDir, null, font, emoji, jobs)
    {
        OverlayCacheBytes = PaperScaleCacheBytes,
    };
    var proc = Process.GetCurrentProcess();
    var cpu0 = proc.TotalProcessorTime;
    var sys0 = proc.PrivilegedProcessorTime;
    var gc0 = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
    var alloc0 = GC.GetTotalAllocatedBytes();
    var result = new DatasetGenerator(request, TextWriter.Null).Run();
    proc.Refresh();
    // CPU time of the whole run (loop, contact sheet and manifest hashing included), so slightly pessimistic.
    var cpu = (proc.TotalProcessorTime - cpu0).TotalSeconds;
    var sys = (proc.PrivilegedProcessorTime - sys0).TotalSeconds;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{tag}: kernel CPU {sys:F2} s, GCs {GC.CollectionCount(0) - gc0.Item1}/{GC.CollectionCount(1) - gc0.Item2}/{GC.CollectionCount(2) - gc0.Item3}, allocated {(GC.GetTotalAllocatedBytes() - alloc0) / 1e6:F0} MB"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{tag}: {result.Produced} images, {jobs} jobs, {result.Elapsed.TotalSeconds:F2} s wall, {cpu:F2} s CPU, {result.Produced / result.Elapsed.TotalSeconds:F1} images/s, {result.Produced / cpu:F1} images per CPU-second"));
    return (result.Elapsed.TotalSeconds, cpu);
}

string Subset(int count)
{
    var dir = Path.Combine(root, $"src-{count}");
    if (Directory.Exists(dir)) Directory.Delete(dir, true);
    Directory.CreateDirectory(dir);
    foreach (var f in Directory.GetFiles(sources).Order(StringComparer.Ordinal).Take(count))
        File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
    return dir;
}

string? Arg(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

/// <summary>Photo-like sources: crops of skimage's real photographs, resized to the target size, with mild noise.</summary>
static class PhotoLike
{
    static readonly string[] Photos =
        ["astronaut.png", "chelsea.png", "coffee.png", "motorcycle_left.png", "rocket.jpg", "retina.jpg", "hubble_deep_field.jpg", "ihc.png", "grass.png", "gravel.png"];

    public static void MakeFolder(string dir, string prefix, int count, int w, int h, int seed)
    {
        if (Directory.Exists(dir) && Directory.GetFiles(dir).Length == count) return;
        if (Directory.Exists(dir)) Directory.Delete(dir, true);
        Directory.CreateDirectory(dir);
        var photos = Photos.Select(p => Path.Combine("/usr/lib/python3/dist-packages/skimage/data", p)).Where(File.Exists)
            .Select(p => ImageCodec.Decode(p)).ToArray();
        if (photos.Length == 0) throw new InvalidOperationException("python3-skimage's sample photos are needed (apt-get install python3-skimage)");
        var rng = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var photo = photos[i % photos.Length];
            var cw = rng.Next(photo.Width * 2 / 3, photo.Width + 1);
            var ch = rng.Next(photo.Height * 2 / 3, photo.Height + 1);
            var x = rng.Next(0, photo.Width - cw + 1);
            var y = rng.Next(0, photo.Height - ch + 1);
            using var img = PillowResize.Resize(photo, x, y, x + cw, y + ch, w, h, ResizeFilter.Bicubic);
            var p = img.Pixels;
            for (var j = 0; j < p.Length; j++) p[j] = (byte)Math.Clamp(p[j] + rng.Next(-6, 7), 0, 255);
            File.WriteAllBytes(Path.Combine(dir, $"{prefix}{i:000000}.jpg"), ImageCodec.EncodeJpeg(img, 90));
        }
        foreach (var p in photos) p.Dispose();
    }
}
