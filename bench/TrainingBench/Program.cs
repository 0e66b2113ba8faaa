using System.Diagnostics;
using Isc.Recipe;
using Isc.Training.Model;
using Isc.Torch.Runtime;
using Isc.Training.Data;
using Isc.Training.Solver;
using Isc.Training.Engine;
using Isc.Training.Util;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using TorchSharp;
using static TorchSharp.torch;

// Usage: TrainingBench [pipeline|step|demo|adam|shards|all] ; prints result lines to paste into bench/RESULTS.md.
//        TrainingBench gpu [report-dir] [work-dir] [parity,timings,trainer,adam,feed] : the CUDA check and timings (GpuCheck.cs).
//        TrainingBench sidebyside [--device ...] : the harness's side of bench/side-by-side.sh (SideBySide.cs).
//        TrainingBench host [repeats=3] [N,N,...=1,50] [cpu|cuda] : the trainer's step time reading its metrics back every N steps (HostBench.cs).
//        TrainingBench micro [--mode onepass|micro ...] : one mode of bench/micro-batch.sh (MicroBatchBench.cs).
var what = args.Length > 0 ? args[0] : "all";
if (what == "gpu") return GpuCheck.Run(args.Length > 1 ? args[1] : ".", args.Length > 2 ? args[2] : Path.Combine(Path.GetTempPath(), "isc-gpu"),
    args.Length > 3 ? args[3] : "parity,timings,trainer");
if (what == "sidebyside") return SideBySide.Run(args[1..]);
if (what == "host") return HostBench.Run(args[1..]);
if (what == "micro") return MicroBatchBench.Run(args[1..]);
Console.WriteLine(TorchRuntime.EnsureLoadable());
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, torch threads {get_num_threads()}, load {File.ReadAllText("/proc/loadavg").Trim()}");
var tmp = Directory.CreateTempSubdirectory("isc-bench-").FullName;
try
{
    if (what is "pipeline" or "all") Pipeline(tmp);
    if (what is "step" or "all") TrainStep();
    if (what is "demo" or "all") Demo(tmp);
    if (what is "adam" or "all") AdamBench.Run();
    if (what is "shards" or "all") ShardsBench.Run();
}
finally { Directory.Delete(tmp, true); }
return 0;

static void Pipeline(string tmp)
{
    // 64 distinct real 256x256 quality-100 JPEGs (smooth colour fields with mild noise, ~photo-like file sizes), decoded repeatedly.
    var files = new List<string>();
    for (var i = 0; i < 64; i++)
    {
        var rng = DetRandom.For(1, i);
        using var img = new Image<Rgb24>(256, 256);
        for (var y = 0; y < 256; y++)
            for (var x = 0; x < 256; x++)
                img[x, y] = new Rgb24((byte)((x + i * 7) & 255), (byte)((y + x / 2 + rng.NextInt(12)) & 255), (byte)(128 + 100 * Math.Sin((x + y + i) / 20.0) + rng.NextInt(8)));
        var f = Path.Combine(tmp, $"{i}_0.jpg");
        img.SaveAsJpeg(f, new SixLabors.ImageSharp.Formats.Jpeg.JpegEncoder { Quality = 100 });
        files.Add(f);
    }
    Console.WriteLine($"bench JPEGs: mean {files.Average(f => new FileInfo(f).Length) / 1024:F0} KiB");
    var p = ImagePipeline.ForTraining(Profiles.Paper.Training);
    var buf = new byte[p.BytesPerImage];
    for (var i = 0; i < 200; i++) p.LoadBytes(files[i % files.Count], DetRandom.For(0, i), buf); // JIT warm-up
    foreach (var threads in new[] { 1, Environment.ProcessorCount })
    {
        const int n = 2000;
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = threads }, () => new byte[p.BytesPerImage],
            (i, _, local) => { p.LoadBytes(files[i % files.Count], DetRandom.For(0, i), local); return local; }, _ => { });
        var s = sw.Elapsed.TotalSeconds;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
        // On a shared machine wall time includes other people's work; images per CPU-second is the per-core rate.
        Console.WriteLine($"pipeline 256x256 (decode, flip, pad 10, crop; the trainer's byte path, normalised on the device): {threads} thread(s): {n / s:F0} images/s wall, {n / cpu:F0} images per CPU-second");
    }
}

static void TrainStep()
{
    random.manual_seed(0);
    using var model = new D2lvNet(Backbones.Resnet50, Profiles.Paper.Model, 1000) { Shards = 1 };
    model.train();
    using var opt = new Adam(model.parameters().Where(q => q.requires_grad), 3.5e-4, 0.9, 0.999, 1e-8, 0);
    foreach (var (batch, size) in new[] { (4, 128), (8, 64) })
    {
        var times = new List<double>();
        for (var i = 0; i < 4; i++)
        {
            using var scope = NewDisposeScope();
            var x = randn(batch, 3, size, size);
            var y = tensor(Enumerable.Range(0, batch).Select(j => (long)(j / 2)).ToArray());
            var sw = Stopwatch.StartNew();
            var (f, logits) = model.call(x);
            var loss = Losses.SmoothedCrossEntropy(logits, y, 0.1) * 10 + Losses.SoftTripletBatchHard(f, y);
            opt.ZeroGrad();
            loss.backward();
            opt.Step();
            times.Add(sw.Elapsed.TotalSeconds);
        }
        Console.WriteLine($"train step, paper-width ResNet-50 D2LV (1,000 classes), CPU, batch {batch} at {size}x{size}: " +
                          $"first {times[0]:F2} s, then mean {times.Skip(1).Average():F2} s (min {times.Skip(1).Min():F2})");
    }
}

static void Demo(string tmp)
{
    var demo = Profiles.Demo;
    var data = BenchData.DemoLayout(Path.Combine(tmp, "demo"), demo.Source.Identities, demo.Generation.ImagesPerId, 64);
    foreach (var b in Backbones.All)
    {
        var sw = Stopwatch.StartNew();
        new Trainer(new TrainerOptions(b, demo.Model, demo.Training, data, null, Path.Combine(tmp, "run_" + b.Name), LogEverySeconds: 1000), TextWriter.Null).Run();
        Console.WriteLine($"demo training {b.Name} ({demo.Training.Epochs} epochs x {demo.Training.IterationsPerEpoch} it, batch {demo.Training.BatchSize}, {demo.Training.InputSize} px, width {demo.Model.StemWidth}), in-process: {sw.Elapsed.TotalSeconds:F1} s");
    }
}
