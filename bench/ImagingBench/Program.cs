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
if (args.Contains("--loop"))
{
    // The generator's per-image work without the generator around it: where the rest of the time goes.
    var cacheBytes = Isc.Imaging.Assets.OverlayLibrary.DefaultCacheBytes * OverlayCount / Profiles.Paper.Source.OverlayImages;
    var ov = Isc.Imaging.Assets.OverlayLibrary.Open(overlays, OverlayCount, cacheBytes);
    var em = Isc.Imaging.Assets.EmojiLibrary.Open(emoji);
    var tx = Isc.Imaging.Assets.TextRenderer.Open(font);
    Isc.Imaging.Augmentations.CompiledChain Compile() => new(Isc.Recipe.Chains.DatasetChains.Base, new Isc.Imaging.Augmentations.AugmentationContext(256, ov, em, tx));
    var compiled = Compile();
    var files = Directory.GetFiles(sources).Order(StringComparer.Ordinal).ToArray();
    var outLoop = Path.Combine(root, "out-loop");
    Directory.CreateDirectory(outLoop);
    foreach (var (write, fresh) in new[] { (false, ""), (true, ""), (true, ""), (true, "overlays"), (true, "emoji"), (true, "font"), (true, "") })
    {
        // A new overlay library, emoji library or typeface, as each generator run makes.
        if (fresh == "overlays") ov = Isc.Imaging.Assets.OverlayLibrary.Open(overlays, OverlayCount, cacheBytes);
        if (fresh == "emoji") em = Isc.Imaging.Assets.EmojiLibrary.Open(emoji);
        if (fresh == "font") tx = Isc.Imaging.Assets.TextRenderer.Open(font);
        compiled = Compile();
        var pr = Process.GetCurrentProcess();
        var c0 = pr.TotalProcessorTime;
        var t0 = ThreadCpu.Now();
        for (var id = 0; id < files.Length; id++)
        {
            using var srcImg = ImageCodec.Decode(files[id]);
            for (var k = 0; k < 20; k++)
            {
                using var img = DatasetGenerator.Render(compiled, srcImg, "isc_100k_256_big", id, k, 0);
                var bytes = ImageCodec.EncodeJpeg(img, 100);
                if (write) AtomicFile.Write(Path.Combine(outLoop, $"{id}_{k}.jpg"), bytes);
            }
        }
        var thread = (ThreadCpu.Now() - t0) / 1e6;
        pr.Refresh();
        var count = files.Length * 20;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"loop (decode, render, encode{(write ? ", atomic write" : "")}{(fresh != "" ? ", fresh " + fresh : "")}): {thread / count:F2} ms thread CPU, {(pr.TotalProcessorTime - c0).TotalMilliseconds / count:F2} ms process CPU per image"));
    }
    Directory.Delete(outLoop, true);
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
// Outputs go to tmpfs where there is one (--out-root DIR to choose): on ext4, creating files shortly after deleting
// thousands (every run of this benchmark does) makes the kernel scan past the "recently deleted" inodes it will not
// reuse — measured at up to 1.5 ms of kernel CPU per image here, an artifact a real generation into a new folder does
// not have. Sources and overlays are read from the temp folder as before.
var OutputRoot = Arg("--out-root") ?? (Directory.Exists("/dev/shm") ? "/dev/shm/isc-imaging-bench" : Path.Combine(root, "out"));
Directory.CreateDirectory(OutputRoot);
// The underlay's overlay-decode cache, scaled down with the overlay count (200 here, 10,001 in the paper profile) so
// that it holds the same fraction of the overlays as the real cap would at paper scale (for overlays of this size).
var PaperScaleCacheBytes = Isc.Imaging.Assets.OverlayLibrary.DefaultCacheBytes * OverlayCount / Profiles.Paper.Source.OverlayImages;
// One set of asset libraries for all runs: the measured runs continue with the overlay-decode, emoji and glyph caches
// the warm-up filled, i.e. the steady state of one long generation (2,000,000 images per dataset in the paper).
// --cold opens them afresh for every run instead (each 960-image run then pays those first-use decodes itself).
var SharedAssets = new Isc.Imaging.Augmentations.AugmentationContext(profile.Generation.OutputSize,
    Isc.Imaging.Assets.OverlayLibrary.Open(overlays, OverlayCount, PaperScaleCacheBytes),
    Isc.Imaging.Assets.EmojiLibrary.Open(emoji), Isc.Imaging.Assets.TextRenderer.Open(font));
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
    256x256 JPEG q100 out, files written to {OutputRoot}; asset caches {(args.Contains("--cold") ? "cold for every run" : "warmed by the warm-up run")}).

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
    // A fresh folder per run, removed afterwards (outside the timing), on OutputRoot (see there).
    var outDir = Path.Combine(OutputRoot, $"out-{tag}-{Guid.NewGuid():N}");
    var request = new GenerationRequest(p, Datasets.Get("isc_100k_256_big"), src, overlays, outDir, null, font, emoji, jobs)
    {
        OverlayCacheBytes = PaperScaleCacheBytes,
        OpenedAssets = args.Contains("--cold") ? null : SharedAssets,
    };
    var proc = Process.GetCurrentProcess();
    var cpu0 = proc.TotalProcessorTime;
    var sys0 = proc.PrivilegedProcessorTime;
    var gc0 = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
    var alloc0 = GC.GetTotalAllocatedBytes();
    var result = new DatasetGenerator(request, args.Contains("--log") ? new CpuStampedLog() : TextWriter.Null).Run();
    proc.Refresh();
    // CPU time of the whole run (loop, contact sheet and manifest hashing included), so slightly pessimistic.
    var cpu = (proc.TotalProcessorTime - cpu0).TotalSeconds;
    var sys = (proc.PrivilegedProcessorTime - sys0).TotalSeconds;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{tag}: kernel CPU {sys:F2} s, GCs {GC.CollectionCount(0) - gc0.Item1}/{GC.CollectionCount(1) - gc0.Item2}/{GC.CollectionCount(2) - gc0.Item3}, allocated {(GC.GetTotalAllocatedBytes() - alloc0) / 1e6:F0} MB"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{tag}: {result.Produced} images, {jobs} jobs, {result.Elapsed.TotalSeconds:F2} s wall, {cpu:F2} s CPU, {result.Produced / result.Elapsed.TotalSeconds:F1} images/s, {result.Produced / cpu:F1} images per CPU-second"));
    if (args.Contains("--log"))
    {
        // The run's tail, piece by piece: contact sheet, its PNG, and the manifest's read-and-hash of every image.
        var imagesDir = Path.Combine(outDir, "isc_100k_256_big");
        RgbImage? sheet = null;
        var tSheet = ThreadCpu.Ms(() => sheet = ContactSheet.Render(imagesDir, 4, 20, 96));
        var tPng = ThreadCpu.Ms(() => ImageCodec.EncodePng(sheet!));
        var tHash = ThreadCpu.Ms(() =>
        {
            foreach (var f in Directory.GetFiles(imagesDir)) System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f));
        });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  tail: contact sheet {tSheet:F0} ms, its PNG {tPng:F0} ms, read+hash {Directory.GetFiles(imagesDir).Length} images {tHash:F0} ms"));
    }
    Directory.Delete(outDir, true);
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

/// <summary>`--log`: the generator's log lines, each with the process CPU seconds so far (where a run's time goes).</summary>
sealed class CpuStampedLog : TextWriter
{
    public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;
    public override void WriteLine(string? value) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  [cpu {Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds:F2} s] {value}"));
}
