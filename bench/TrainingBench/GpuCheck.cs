using System.Diagnostics;
using Isc.Recipe;
using Isc.Training.Model;
using Isc.Torch.Runtime;
using Isc.Training.Solver;
using Isc.Training.Engine;
using Isc.Training.Util;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>
/// The CUDA check, for a machine with an NVIDIA GPU: TorchSharp on CUDA, CUDA-vs-CPU features of the paper-width
/// model, paper-size train-step times per precision and layout, and real Trainer runs on the GPU (checkpoints left
/// in the work folder for the PyTorch reference to load). Writes gpu-check.md into the report folder as it goes.
/// </summary>
static class GpuCheck
{
    // The paper datasets' base identity count, from the catalog (the classifier is ProjectorOut x this).
    static readonly int PaperClasses = Profiles.Paper.Source.Identities;

    public static int Run(string reportDir, string workDir, string sections = "parity,timings,trainer")
    {
        var want = sections.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
        Directory.CreateDirectory(reportDir);
        Directory.CreateDirectory(workDir);
        var report = new List<string>();
        void Say(string line)
        {
            Console.WriteLine(line);
            report.Add(line);
            File.WriteAllLines(Path.Combine(reportDir, "gpu-check.md"), report);
        }
        Say(TorchRuntime.EnsureLoadable());
        if (!cuda.is_available())
        {
            Say("CUDA is not available to TorchSharp");
            return 2;
        }
        var dev = TorchRuntime.Device("cuda");
        Say($"CUDA devices: {cuda.device_count()}; host cores {Environment.ProcessorCount}; cuDNN TF32 allowed (PyTorch default): {backends.cudnn.allow_tf32}");
        if (want.Contains("parity")) Section(Say, "parity", () => Parity(Say, dev));
        if (want.Contains("timings")) Section(Say, "timings", () => Timings(Say, dev));
        if (want.Contains("trainer")) Section(Say, "trainer", () => TrainerRuns(Say, workDir));
        if (want.Contains("adam")) Section(Say, "adam", () => AdamShare(Say, dev));
        if (want.Contains("feed")) Section(Say, "feed", () => Feed(Say, dev, workDir));
        return 0;
    }

    static void Section(Action<string> say, string name, Action body)
    {
        try { body(); }
        catch (Exception e) { say($"{name} FAILED: {e.GetType().Name}: {e.Message}"); }
    }

    static double RelDiff(Tensor a, Tensor b) =>
        (a.to(float64) - b.to(float64)).abs().max().item<double>() / b.to(float64).abs().max().item<double>();

    static void Parity(Action<string> say, Device dev)
    {
        random.manual_seed(0);
        using var model = new D2lvNet(Backbones.Resnet50, Profiles.Paper.Model, 1000);
        model.eval();
        var x = randn(8, 3, 256, 256);
        Tensor onCpu;
        using (no_grad()) onCpu = model.Features(x);
        model.to(dev);
        foreach (var tf32 in new[] { false, true })
        {
            backends.cudnn.allow_tf32 = tf32;
            using (no_grad())
                say($"features, paper-width ResNet-50, eval, 8 x 256x256, CUDA (TF32 {(tf32 ? "on" : "off")}) vs CPU: max relative difference {RelDiff(model.Features(x.to(dev)).cpu(), onCpu):E2}");
        }
        MemoryLayout.ParametersToChannelsLast(model);
        using (no_grad())
            say($"features, same, CUDA channels-last vs CPU: {RelDiff(model.Features(MemoryLayout.ChannelsLast(x.to(dev))).cpu(), onCpu):E2}");
        foreach (var p in new[] { "bf16", "fp16" })
        {
            model.SetComputeType(ComputePrecision.Parse(p));
            using (no_grad())
                say($"features, same, CUDA {p} mixed precision vs CPU fp32: {RelDiff(model.Features(x.to(dev)).cpu(), onCpu):E2}");
        }
    }

    static void Timings(Action<string> say, Device dev)
    {
        var paper = Profiles.Paper.Training;
        say($"paper train step: ResNet-50 D2LV, {PaperClasses:N0} classes, batch {paper.BatchSize} ({paper.IdsPerBatch} ids x {paper.ImagesPerIdInBatch}), {paper.InputSize}x{paper.InputSize}, {paper.BatchNormShards} BN shards, random input already on the GPU; mean of 10 steps after 3 warm-up steps");
        say("| precision | channels-last | ms/step | images/s | GPU memory in use after the steps |");
        say("|---|---|---|---|---|");
        foreach (var (precision, channelsLast) in new[] { ("fp32", false), ("fp32", true), ("bf16", false), ("bf16", true), ("fp16", true) })
        {
            using var rig = new Rig(paper with { Precision = precision, ChannelsLast = channelsLast }, PaperClasses, dev);
            var mean = Enumerable.Range(0, 13).Select(i => rig.TimedStep(i, dev)).Skip(3).Average();
            say($"| {precision} | {(channelsLast ? "yes" : "no")} | {mean * 1000:F0} | {paper.BatchSize / mean:F0} | {MemoryInUse()} |");
        }
    }

    /// <summary>How much of a paper step (100,000 classes, bf16, channels-last) is the per-tensor Adam update.</summary>
    static void AdamShare(Action<string> say, Device dev)
    {
        using var rig = new Rig(Profiles.Paper.Training with { Precision = "bf16", ChannelsLast = true }, PaperClasses, dev);
        var steps = new List<double>();
        var adam = new List<double>();
        for (var i = 0; i < 8; i++)
        {
            steps.Add(rig.TimedStep(i, dev));
            var sw = Stopwatch.StartNew();
            rig.Optimizer.Step(); // a second update with the same gradients: timing only
            cuda.synchronize();
            adam.Add(sw.Elapsed.TotalSeconds);
        }
        var classifier = Profiles.Paper.Model.ProjectorOut * (long)PaperClasses;
        say($"Adam alone (bf16 channels-last paper step, {rig.Optimizer.Groups.Count} tensors, {classifier / 1e6:F0}M classifier weights): " +
            $"{adam.Skip(3).Average() * 1000:F1} ms of a {steps.Skip(3).Average() * 1000:F1} ms step");
    }

    /// <summary>Real Trainer runs at paper size on real 256x256 q100 JPEGs: does the host pipeline keep the GPU fed?</summary>
    static void Feed(Action<string> say, Device dev, string workDir)
    {
        const int ids = 1000, perId = 4;
        var sw = Stopwatch.StartNew();
        var data = BenchData.DemoLayout(Path.Combine(workDir, "feed_data"), ids, perId, 256, quality: 100);
        say($"feed: {ids * perId} JPEGs 256x256 q100 written in {sw.Elapsed.TotalSeconds:F1} s (mean {Directory.EnumerateFiles(data).Average(f => new FileInfo(f).Length) / 1024:F0} KiB)");
        foreach (var (precision, channelsLast) in new[] { ("fp32", false), ("bf16", true) })
        {
            var t = Profiles.Paper.Training with
            {
                Epochs = 2, IterationsPerEpoch = 60, WarmupEpochs = 1, ConstantUntilEpoch = 2, Precision = precision, ChannelsLast = channelsLast,
            };
            var console = new StringWriter();
            sw.Restart();
            new Trainer(new TrainerOptions(Backbones.Resnet50, Profiles.Paper.Model, t, data, null, Path.Combine(workDir, $"feed_{precision}"),
                Device: "cuda", Workers: Math.Max(1, Environment.ProcessorCount - 2), LogEverySeconds: 1000, StopAfterEpoch: 0), console).Run();
            var total = sw.Elapsed.TotalSeconds;
            var rates = System.Text.RegularExpressions.Regex.Matches(console.ToString(), @"([0-9.]+) it/s");
            var rate = double.Parse(rates[^1].Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            say($"feed: Trainer on cuda, paper ResNet-50, {ids} classes, batch {t.BatchSize} at 256 px from JPEG, {Math.Max(1, Environment.ProcessorCount - 2)} decode threads, {precision}{(channelsLast ? " channels-last" : "")}: " +
                $"{rate:F2} it/s = {rate * t.BatchSize:F0} images/s over {t.IterationsPerEpoch} iterations (first ones included); whole run with set-up and checkpoint {total:F1} s");
        }
        // The same steps on random input already on the GPU: the ceiling the pipeline is measured against.
        foreach (var (precision, channelsLast) in new[] { ("fp32", false), ("bf16", true) })
        {
            using var rig = new Rig(Profiles.Paper.Training with { Precision = precision, ChannelsLast = channelsLast }, ids, dev);
            var mean = Enumerable.Range(0, 13).Select(i => rig.TimedStep(i, dev)).Skip(3).Average();
            say($"feed: same model and batch on random GPU input, {precision}{(channelsLast ? " channels-last" : "")}: {mean * 1000:F0} ms/step = {rig.Settings.BatchSize / mean:F0} images/s");
        }
    }

    /// <summary>A paper-width ResNet-50 D2LV on the GPU set up for <paramref name="t"/>'s precision and layout, its Adam, and labels of 4 per id.</summary>
    sealed class Rig : IDisposable
    {
        public D2lvNet Model { get; }
        public Adam Optimizer { get; }
        public LossScaler? Scaler { get; }
        public Tensor Labels { get; }
        public TrainingSettings Settings { get; }

        public Rig(TrainingSettings t, int classes, Device dev)
        {
            Settings = t;
            random.manual_seed(0);
            Model = new D2lvNet(Backbones.Resnet50, Profiles.Paper.Model, classes) { Shards = t.BatchNormShards };
            Model.to(dev);
            Model.SetComputeType(ComputePrecision.Parse(t.Precision));
            if (t.ChannelsLast) MemoryLayout.ParametersToChannelsLast(Model);
            Model.train();
            Optimizer = new Adam(Model.parameters().Where(p => p.requires_grad), t.LearningRate, t.Beta1, t.Beta2, t.AdamEps, t.WeightDecay);
            Scaler = t.Precision == "fp16" ? new LossScaler() : null;
            Labels = tensor(Enumerable.Range(0, t.BatchSize).Select(i => (long)(i / t.ImagesPerIdInBatch)).ToArray()).to(dev);
        }

        /// <summary>Seconds of one step on random input already on the GPU (reading the loss back waits for the step).</summary>
        public double TimedStep(int i, Device dev)
        {
            using var scope = NewDisposeScope();
            var x = randn(new long[] { Settings.BatchSize, 3, Settings.InputSize, Settings.InputSize }, device: dev);
            cuda.synchronize();
            Model.Base.Waveblock.Random = DetRandom.For(0, 2, i);
            var sw = Stopwatch.StartNew();
            TrainingStep.Run(Model, Optimizer, Scaler, x, Labels, Settings).Read();
            return sw.Elapsed.TotalSeconds;
        }

        public void Dispose()
        {
            Optimizer.Dispose();
            Labels.Dispose();
            Model.Dispose();
        }
    }

    static string MemoryInUse()
    {
        try
        {
            var psi = new ProcessStartInfo("nvidia-smi", "--query-gpu=memory.used --format=csv,noheader") { RedirectStandardOutput = true };
            using var p = Process.Start(psi)!;
            return p.StandardOutput.ReadToEnd().Trim();
        }
        catch (Exception) { return "n/a"; }
    }

    static void TrainerRuns(Action<string> say, string workDir)
    {
        var demo = Profiles.Demo;
        var data = BenchData.DemoLayout(Path.Combine(workDir, "data"), demo.Source.Identities, demo.Generation.ImagesPerId, demo.Training.InputSize);
        foreach (var (backbone, precision, channelsLast) in new[] { (Backbones.Resnet50, "fp32", false), (Backbones.Resnet50, "bf16", true), (Backbones.Ibn, "fp16", true) })
        {
            var t = demo.Training with { Precision = precision, ChannelsLast = channelsLast };
            var dir = Path.Combine(workDir, $"run_{backbone.Name}_{precision}");
            var sw = Stopwatch.StartNew();
            var final = new Trainer(new TrainerOptions(backbone, Profiles.Paper.Model, t, data, null, dir, Device: "cuda", Workers: 8, LogEverySeconds: 2), Console.Out).Run();
            var trimmed = Path.Combine(dir, "trimmed.pth.tar");
            TrimmedModel.Trim(final, trimmed);
            say($"Trainer on cuda: {backbone.Name} paper width, {precision}{(channelsLast ? " channels-last" : "")}, {demo.Source.Identities} ids, {t.Epochs} epochs x {t.IterationsPerEpoch} it, batch {t.BatchSize} at {t.InputSize} px: " +
                $"{sw.Elapsed.TotalSeconds:F1} s; final {Path.GetFileName(final)} {new FileInfo(final).Length / 1e6:F0} MB, trimmed {new FileInfo(trimmed).Length / 1e6:F0} MB; last log line: {File.ReadLines(Path.Combine(dir, "log.txt")).Last()}");
        }
    }
}
