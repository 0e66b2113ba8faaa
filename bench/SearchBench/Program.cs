using System.Diagnostics;
using System.Globalization;
using Isc.Recipe;
using Isc.Torch.Runtime;
using Isc.Training.Inference;
using Isc.Training.Model;
using TorchSharp;
using static TorchSharp.torch;

// Usage: SearchBench search [queries=25000] [references=1000000] [dim=PcaDimensions] [measured-queries=4096] [query-block] [reference-block] [device=cpu]
//        SearchBench extract [batch=8] [iterations=3] [device=cpu]
// Prints result lines to paste into bench/RESULTS.md.
var what = args.Length > 0 ? args[0] : "search";
int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], CultureInfo.InvariantCulture) : fallback;
Console.WriteLine(TorchRuntime.EnsureLoadable());
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, torch threads {get_num_threads()}, oneDNN {(TorchRuntime.OneDnnEnabled ? "on" : "off")}, load {File.ReadAllText("/proc/loadavg").Trim()}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
if (what == "search") return Search(Arg(1, 25000), Arg(2, 1_000_000), Arg(3, Profiles.Paper.Evaluation.PcaDimensions), Arg(4, 4096), Arg(5, SearchOptions.DefaultQueryBlock), Arg(6, SearchOptions.DefaultReferenceBlock), args.Length > 7 ? args[7] : "cpu");
if (what == "extract") return Extract(Arg(1, 8), Arg(2, 3), args.Length > 3 ? args[3] : "cpu");
Console.Error.WriteLine("usage: SearchBench search|extract ...");
return 2;

static string PeakRss()
{
    var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
    return $"{long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0 / 1024.0:F2} GiB";
}

static int Search(int q, int r, int d, int measured, int queryBlock, int referenceBlock, string deviceSpec)
{
    var device = TorchRuntime.Device(deviceSpec);
    measured = Math.Min(measured, q);
    var clock = Stopwatch.StartNew();
    var generator = new Generator(1);
    // Random unit vectors, normalised in place so the 1 GB reference matrix exists once.
    using var references = randn(r, d, generator: generator);
    using (var norms = references.norm(1, keepdim: true, p: 2)) references.div_(norms);
    using var queries = randn(q, d, generator: generator);
    using (var norms = queries.norm(1, keepdim: true, p: 2)) queries.div_(norms);
    Console.WriteLine($"random descriptors: {q} x {d} queries, {r} x {d} references ({r * (long)d * 4 / 1e9:F2} GB), {clock.Elapsed.TotalSeconds:F1} s; peak RSS so far {PeakRss()}");
    var options = new SearchOptions(Profiles.Paper.Evaluation.TopK, queryBlock, referenceBlock);
    using var part = queries.narrow(0, 0, measured);
    var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
    clock.Restart();
    var result = ExactSearch.TopK(part, references, device, options, Console.Out);
    var seconds = clock.Elapsed.TotalSeconds;
    var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
    var scale = (double)q / measured;
    Console.WriteLine($"search top-{options.K}, blocks {queryBlock} x {referenceBlock} on {deviceSpec}: {measured} queries x {r} references x {d}: {seconds:F1} s wall, {cpu:F1} s CPU ({result.Count} results)");
    Console.WriteLine($"  -> {q} queries (x {scale:F2}, linear): {seconds * scale:F0} s wall ({seconds * scale / 60:F1} min), {cpu * scale:F0} CPU-seconds; {2.0 * measured * r * d / seconds / 1e9:F1} GFLOP/s");
    Console.WriteLine($"  peak RSS {PeakRss()}; load after {File.ReadAllText("/proc/loadavg").Trim()}");
    return 0;
}

static int Extract(int batch, int iterations, string deviceSpec)
{
    var device = TorchRuntime.Device(deviceSpec);
    var size = Profiles.Paper.Training.InputSize;
    manual_seed(0);
    // The eval forward of the paper-width ResNet-50 D2LV (random weights: the cost does not depend on them); no image decoding.
    using var model = new D2lvNet(Backbones.Resnet50, Profiles.Paper.Model, 1000);
    model.to(device);
    using var x = randn(batch, 3, size, size).to(device);
    FeatureExtractor.Features(model, x); // warm-up
    var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    for (var i = 0; i < iterations; i++) FeatureExtractor.Features(model, x);
    var seconds = clock.Elapsed.TotalSeconds;
    var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
    var images = batch * iterations;
    Console.WriteLine($"extract: ResNet-50 D2LV eval forward, stem width {Profiles.Paper.Model.StemWidth}, {size} px, batch {batch}, {iterations} batches on {deviceSpec}: {images / seconds:F2} images/s wall, {images / cpu:F2} images per CPU-second; peak RSS {PeakRss()}; load after {File.ReadAllText("/proc/loadavg").Trim()}");
    return 0;
}
