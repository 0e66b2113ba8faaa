using System.Diagnostics;
using Isc.Recipe;
using Isc.Training.Model;
using Isc.Training.Runtime;
using Isc.Training.Training;
using Isc.Training.Util;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using TorchSharp;
using static TorchSharp.torch;

// Usage: TrainingBench [pipeline|step|demo|all] ; prints result lines to paste into bench/RESULTS.md.
var what = args.Length > 0 ? args[0] : "all";
Console.WriteLine(TorchRuntime.EnsureLoadable());
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, torch threads {get_num_threads()}, load {File.ReadAllText("/proc/loadavg").Trim()}");
var tmp = Directory.CreateTempSubdirectory("isc-bench-").FullName;
try
{
    if (what is "pipeline" or "all") Pipeline(tmp);
    if (what is "step" or "all") TrainStep();
    if (what is "demo" or "all") Demo(tmp);
}
finally { Directory.Delete(tmp, true); }

static void Pipeline(string tmp)
{
    // 64 distinct real 256x256 quality-100 JPEGs of noise-plus-gradient content, decoded repeatedly.
    var files = new List<string>();
    for (var i = 0; i < 64; i++)
    {
        var rng = DetRandom.For(1, i);
        using var img = new Image<Rgb24>(256, 256);
        for (var y = 0; y < 256; y++)
            for (var x = 0; x < 256; x++)
                img[x, y] = new Rgb24((byte)((x + i * 7) & 255), (byte)((y * 3 + rng.NextInt(40)) & 255), (byte)rng.NextInt(256));
        var f = Path.Combine(tmp, $"{i}_0.jpg");
        img.SaveAsJpeg(f, new SixLabors.ImageSharp.Formats.Jpeg.JpegEncoder { Quality = 100 });
        files.Add(f);
    }
    var p = ImagePipeline.ForTraining(Profiles.Paper.Training);
    var buf = new float[p.FloatsPerImage];
    for (var i = 0; i < 200; i++) p.Load(files[i % files.Count], DetRandom.For(0, i), buf); // JIT warm-up
    foreach (var threads in new[] { 1, Environment.ProcessorCount })
    {
        const int n = 2000;
        var sw = Stopwatch.StartNew();
        Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = threads }, () => new float[p.FloatsPerImage],
            (i, _, local) => { p.Load(files[i % files.Count], DetRandom.For(0, i), local); return local; }, _ => { });
        var s = sw.Elapsed.TotalSeconds;
        Console.WriteLine($"pipeline 256x256 (decode, flip, pad 10, crop, normalise): {threads} thread(s): {n / s:F0} images/s = {n / s / threads:F0} images/s/thread");
    }
}

static void TrainStep()
{
    random.manual_seed(0);
    using var model = new D2lvNet(Backbones.Resnet50, Profiles.Paper.Model, 1000) { Shards = 1 };
    model.train();
    var opt = new Adam(model.parameters().Where(q => q.requires_grad), 3.5e-4, 0.9, 0.999, 1e-8, 0);
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
    var data = Path.Combine(tmp, "demo");
    Directory.CreateDirectory(data);
    var ids = demo.Source.Identities;
    for (var id = 0; id < ids; id++)
        for (var k = 0; k < demo.Generation.ImagesPerId; k++)
        {
            var rng = DetRandom.For(5, id, k);
            using var img = new Image<Rgb24>(64, 64);
            for (var y = 0; y < 64; y++) for (var x = 0; x < 64; x++) img[x, y] = new Rgb24((byte)(id * 15), (byte)rng.NextInt(256), (byte)(x * 4));
            img.SaveAsJpeg(Path.Combine(data, $"{id}_{k}.jpg"));
        }
    foreach (var b in Backbones.All)
    {
        var sw = Stopwatch.StartNew();
        new Trainer(new TrainerOptions(b, demo.Model, demo.Training, data, null, Path.Combine(tmp, "run_" + b.Name), LogEverySeconds: 1000), TextWriter.Null).Run();
        Console.WriteLine($"demo training {b.Name} ({demo.Training.Epochs} epochs x {demo.Training.IterationsPerEpoch} it, batch {demo.Training.BatchSize}, {demo.Training.InputSize} px, width {demo.Model.StemWidth}), in-process: {sw.Elapsed.TotalSeconds:F1} s");
    }
}
