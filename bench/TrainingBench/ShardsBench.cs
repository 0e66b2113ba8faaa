using System.Diagnostics;
using Isc.Recipe;
using Isc.Torch.Runtime;
using Isc.Training.Engine;
using Isc.Training.Model;
using Isc.Training.Solver;
using Isc.Training.Util;
using static TorchSharp.torch;

/// <summary>
/// A whole 4-shard train step (forward, losses, backward, Adam), shard after shard (the former form) against one pass
/// (ghost BatchNorm), alternately on two models with the same weights; CPU time is the process's own.
/// </summary>
static class ShardsBench
{
    public static void Run()
    {
        Measure("demo ResNet-50 (width 8, 16 classes), batch 16 at 64 px", Backbones.Resnet50, Profiles.Demo.Model, 16, Profiles.Demo.Training, 20);
        Measure("demo IBN-a (width 8, 16 classes), batch 16 at 64 px", Backbones.Ibn, Profiles.Demo.Model, 16, Profiles.Demo.Training, 20);
        Measure("width-32 ResNet-50 (projector 2048/4096, 64 classes), batch 32 at 96 px", Backbones.Resnet50,
            Profiles.Demo.Model with { StemWidth = 32, ProjectorHidden = 2048, ProjectorOut = 4096 }, 64,
            Profiles.Demo.Training with { IdsPerBatch = 8, InputSize = 96 }, 5);
    }

    static void Measure(string what, Backbone backbone, ModelSettings m, int classes, TrainingSettings t, int repeats)
    {
        var threads = TorchRuntime.ConfigureCpuThreads(0, m.StemWidth);
        D2lvNet Model(bool onePass)
        {
            random.manual_seed(0);
            var model = new D2lvNet(backbone, m, classes) { Shards = 4, OnePass = onePass };
            model.train();
            return model;
        }
        using var sequential = Model(false);
        using var onePass = Model(true);
        using var adamS = new Adam(sequential.parameters().Where(p => p.requires_grad), t.LearningRate, t.Beta1, t.Beta2, t.AdamEps, t.WeightDecay);
        using var adamO = new Adam(onePass.parameters().Where(p => p.requires_grad), t.LearningRate, t.Beta1, t.Beta2, t.AdamEps, t.WeightDecay);
        using var x = randn(t.BatchSize, 3, t.InputSize, t.InputSize);
        using var y = tensor(Enumerable.Range(0, t.BatchSize).Select(i => (long)(i / t.ImagesPerIdInBatch % classes)).ToArray());
        var wall = new List<double>[] { [], [] };
        var cpu = new List<double>[] { [], [] };
        for (var i = 0; i < repeats + 2; i++)
            foreach (var (k, model, adam) in new[] { (0, sequential, adamS), (1, onePass, adamO) })
            {
                model.Base.Waveblock.Random = DetRandom.For(0, 2, i);
                var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
                var sw = Stopwatch.StartNew();
                TrainingStep.Run(model, adam, null, x, y, t).Read();
                if (i < 2) continue; // warm-up
                wall[k].Add(sw.Elapsed.TotalMilliseconds);
                cpu[k].Add((Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMilliseconds);
            }
        string Line(int k) => $"wall mean {wall[k].Average():F1} ms, min {wall[k].Min():F1}; CPU {cpu[k].Average():F1} ms";
        Console.WriteLine($"4-shard train step, {what}, {threads} torch thread(s), {repeats} steps each: shard after shard {Line(0)}; " +
                          $"one pass {Line(1)}; min ratio {wall[0].Min() / wall[1].Min():F2}x, load {File.ReadAllText("/proc/loadavg").Trim()}");
    }
}
