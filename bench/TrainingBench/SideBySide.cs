using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Isc.Recipe;
using Isc.Torch.Runtime;
using Isc.Training.Engine;
using Isc.Training.Model;
using Isc.Training.Solver;
using Isc.Training.Util;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>
/// The harness's side of bench/side-by-side.sh: <see cref="TrainingStep"/> on a ResNet-50 D2LV of the given width (the
/// paper profile's settings otherwise), random input already on the device, timed per step after warm-up. Prints one
/// JSON line like bench/python/side_by_side.py's.
/// Options: --device cpu|cuda --width W --batch B --classes K --size S --steps N --warmup N --precision fp32|bf16
/// --channels-last --threads T --sequential (shard after shard instead of the trainer's one pass).
/// </summary>
static class SideBySide
{
    public static int Run(string[] args)
    {
        var o = BenchArgs.Parse(args);
        var device = o.GetValueOrDefault("device", "cpu");
        var width = BenchArgs.Int(o, "width", 8);
        var classes = BenchArgs.Int(o, "classes", 1000);
        var steps = BenchArgs.Int(o, "steps", 5);
        var warmup = BenchArgs.Int(o, "warmup", 2);
        var onePass = !o.ContainsKey("sequential");
        var threads = TorchRuntime.ConfigureCpuThreads(BenchArgs.Int(o, "threads", 0), width);
        var dev = TorchRuntime.Device(device); // fails with a clear message where CUDA is absent
        var m = BenchArgs.PaperModelAtWidth(width);
        var t = Profiles.Paper.Training with
        {
            IdsPerBatch = BenchArgs.Int(o, "batch", 16) / Profiles.Paper.Training.ImagesPerIdInBatch,
            InputSize = BenchArgs.Int(o, "size", 64),
            Precision = o.GetValueOrDefault("precision", "fp32"),
            ChannelsLast = o.ContainsKey("channels-last"),
        };
        random.manual_seed(0);
        using var model = new D2lvNet(Backbones.Resnet50, m, classes) { Shards = t.BatchNormShards, OnePass = onePass };
        model.to(dev);
        model.SetComputeType(ComputePrecision.Parse(t.Precision));
        if (t.ChannelsLast) MemoryLayout.ParametersToChannelsLast(model);
        model.train();
        using var adam = new Adam(model.parameters().Where(p => p.requires_grad), t.LearningRate, t.Beta1, t.Beta2, t.AdamEps, t.WeightDecay);
        using var x = randn(new long[] { t.BatchSize, 3, t.InputSize, t.InputSize }, device: dev);
        using var y = tensor(Enumerable.Range(0, t.BatchSize).Select(i => (long)(i / t.ImagesPerIdInBatch % classes)).ToArray()).to(dev);
        var ms = new List<double>();
        var loss = 0f;
        for (var i = 0; i < warmup + steps; i++)
        {
            if (dev.type == DeviceType.CUDA) cuda.synchronize();
            model.Base.Waveblock.Random = DetRandom.For(0, 2, i);
            var sw = Stopwatch.StartNew();
            loss = TrainingStep.Run(model, adam, null, x, y, t).Read().Loss; // reading the loss back waits for the step
            if (i >= warmup) ms.Add(sw.Elapsed.TotalMilliseconds);
        }
        // On CUDA the driver samples the device's memory from outside; VmHWM is this process's peak resident set.
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            side = onePass ? "harness" : "harness-sequential",
            version = "TorchSharp " + typeof(torch).Assembly.GetName().Version,
            threads,
            onednn = TorchRuntime.OneDnnEnabled,
            ms,
            peak_mb = BenchArgs.ProcStatusMb("VmHWM:"),
            loss,
        }));
        return 0;
    }
}
