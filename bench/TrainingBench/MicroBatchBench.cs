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
/// One mode of the 4-shard train step per process (bench/micro-batch.sh runs both): the one-pass step or the micro-batch
/// step (<see cref="MicroBatchStep"/>), paper settings, random input already on the device, timed per step. Prints one
/// JSON line: wall and process CPU ms per step (the first <c>warmup</c> are warm-up), the resident set after set-up and its peak (VmHWM), each step's loss.
/// Options: --mode onepass|micro --backbone resnet50|resnet152|ibn --device cpu|cuda --width W --batch B --classes K
/// --size S --steps N --warmup N --precision fp32|bf16|fp16 --channels-last --threads T
/// </summary>
static class MicroBatchBench
{
    public static int Run(string[] args)
    {
        var o = BenchArgs.Parse(args);
        var mode = o.GetValueOrDefault("mode", "micro");
        if (mode is not ("onepass" or "micro")) throw new ArgumentException("--mode onepass or micro");
        var backbone = Backbones.Get(o.GetValueOrDefault("backbone", "resnet50"));
        var width = BenchArgs.Int(o, "width", Profiles.Paper.Model.StemWidth);
        var classes = BenchArgs.Int(o, "classes", BenchArgs.PaperClasses);
        var steps = BenchArgs.Int(o, "steps", 2);
        var warmup = BenchArgs.Int(o, "warmup", 1);
        var threads = TorchRuntime.ConfigureCpuThreads(BenchArgs.Int(o, "threads", 0), width);
        var dev = TorchRuntime.Device(o.GetValueOrDefault("device", "cpu"));
        var m = BenchArgs.PaperModelAtWidth(width);
        var t = (Profiles.Paper.Training with
        {
            IdsPerBatch = BenchArgs.Int(o, "batch", Profiles.Paper.Training.BatchSize) / Profiles.Paper.Training.ImagesPerIdInBatch,
            InputSize = BenchArgs.Int(o, "size", Profiles.Paper.Training.InputSize),
            Precision = o.GetValueOrDefault("precision", "fp32"),
            ChannelsLast = o.ContainsKey("channels-last"),
            MicroBatch = mode == "micro",
        }).Validated("micro-batch bench");
        random.manual_seed(0);
        using var model = new D2lvNet(backbone, m, classes) { Shards = t.BatchNormShards };
        model.to(dev);
        var computeType = ComputePrecision.Parse(t.Precision);
        model.SetComputeType(computeType);
        if (t.ChannelsLast) MemoryLayout.ParametersToChannelsLast(model);
        model.train();
        using var adam = new Adam(model.parameters().Where(p => p.requires_grad), t.LearningRate, t.Beta1, t.Beta2, t.AdamEps, t.WeightDecay);
        var scaler = computeType == ScalarType.Float16 ? new LossScaler() : null;
        using var x = randn(new long[] { t.BatchSize, 3, t.InputSize, t.InputSize }, device: dev);
        using var y = tensor(Enumerable.Range(0, t.BatchSize).Select(i => (long)(i / t.ImagesPerIdInBatch % classes)).ToArray()).to(dev);
        var setupMb = BenchArgs.ProcStatusMb("VmRSS:");
        var ms = new List<double>();
        var cpuMs = new List<double>();
        var losses = new List<float>();
        for (var i = 0; i < warmup + steps; i++)
        {
            if (dev.type == DeviceType.CUDA) cuda.synchronize();
            model.Base.Waveblock.Random = DetRandom.For(0, 2, i);
            var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            losses.Add(TrainingStep.Run(model, adam, scaler, x, y, t).Read().Loss); // reading the loss back waits for the step
            ms.Add(sw.Elapsed.TotalMilliseconds);
            cpuMs.Add((Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMilliseconds);
        }
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            mode,
            backbone = backbone.Name,
            width,
            classes,
            batch = t.BatchSize,
            size = t.InputSize,
            precision = t.Precision,
            channels_last = t.ChannelsLast,
            device = dev.ToString(),
            threads,
            onednn = TorchRuntime.OneDnnEnabled,
            warmup,
            ms,
            cpu_ms = cpuMs,
            setup_rss_mb = setupMb,
            peak_rss_mb = BenchArgs.ProcStatusMb("VmHWM:"),
            losses,
        }));
        return 0;
    }
}
