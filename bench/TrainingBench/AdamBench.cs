using System.Diagnostics;
using Isc.Recipe;
using Isc.Torch.Runtime;
using Isc.Training.Engine;
using Isc.Training.Model;
using Isc.Training.Solver;
using static TorchSharp.torch;

/// <summary>
/// Adam's time per step on the CPU, per-tensor (<see cref="PerTensorAdam"/>, the former form) against the flat-buffer
/// <see cref="Adam"/>, on the gradients of one real backward, next to the time of a whole train step.
/// </summary>
static class AdamBench
{
    public static void Run()
    {
        Measure("demo ResNet-50 (width 8, 16 classes), batch 16 at 64 px", Backbones.Resnet50, Profiles.Demo.Model, 16, Profiles.Demo.Training, 40);
        Measure("demo ResNet-152 (width 8, 16 classes), batch 16 at 64 px", Backbones.Resnet152, Profiles.Demo.Model, 16, Profiles.Demo.Training, 40);
        Measure("paper-width ResNet-50 (1,000 classes), batch 8 at 64 px", Backbones.Resnet50, Profiles.Paper.Model, 1000,
            Profiles.Paper.Training with { IdsPerBatch = 2, InputSize = 64 }, 6);
    }

    static void Measure(string what, Backbone backbone, ModelSettings m, int classes, TrainingSettings t, int repeats)
    {
        var threads = TorchRuntime.ConfigureCpuThreads(0, m.StemWidth);
        random.manual_seed(0);
        using var model = new D2lvNet(backbone, m, classes) { Shards = 1 };
        model.train();
        var trainable = model.parameters().Where(p => p.requires_grad).ToList();
        using var flat = new Adam(trainable, t.LearningRate, t.Beta1, t.Beta2, t.AdamEps, t.WeightDecay);
        using var perTensor = new PerTensorAdam(trainable, t.LearningRate, t.Beta1, t.Beta2, t.AdamEps, t.WeightDecay);
        using var x = randn(t.BatchSize, 3, t.InputSize, t.InputSize);
        using var y = tensor(Enumerable.Range(0, t.BatchSize).Select(i => (long)(i / t.ImagesPerIdInBatch % classes)).ToArray());
        var steps = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            var sw = Stopwatch.StartNew();
            TrainingStep.Run(model, flat, null, x, y, t).Read();
            steps.Add(sw.Elapsed.TotalSeconds);
        }
        // Both update the same parameters with the gradients of the last backward, alternately, so that both see the same
        // load. On a shared machine wall time includes other people's work; the process's CPU time per update is the
        // fairer figure (libtorch's threads are this process's).
        var before = new List<(double Wall, double Cpu)>();
        var after = new List<(double Wall, double Cpu)>();
        for (var i = 0; i < repeats + 2; i++)
        {
            before.Add(Time(perTensor.Step));
            after.Add(Time(flat.Step));
        }
        var step = steps.Skip(1).Average();
        var (b, a) = (before.Skip(2).Average(s => s.Wall), after.Skip(2).Average(s => s.Wall));
        Console.WriteLine($"Adam, {what}, {trainable.Count} tensors, {trainable.Sum(p => p.numel()) / 1e6:F2}M weights, {threads} torch thread(s), {repeats} updates each: " +
                          $"per-tensor {b * 1000:F2} ms wall (min {before.Skip(2).Min(s => s.Wall) * 1000:F2}), {before.Skip(2).Average(s => s.Cpu) * 1000:F2} ms CPU; " +
                          $"flat {a * 1000:F2} ms wall (min {after.Skip(2).Min(s => s.Wall) * 1000:F2}), {after.Skip(2).Average(s => s.Cpu) * 1000:F2} ms CPU; " +
                          $"train step {step * 1000:F0} ms wall with the flat one: Adam {b / (step - a + b) * 100:F1} % of the step before, {a / step * 100:F1} % after; " +
                          $"load {File.ReadAllText("/proc/loadavg").Trim()}");
    }

    static (double Wall, double Cpu) Time(Action a)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        a();
        return (sw.Elapsed.TotalSeconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
    }
}
