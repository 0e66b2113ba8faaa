using Isc.Recipe;
using Isc.Torch.Runtime;
using Isc.Training.Engine;
using Isc.Training.Model;
using Isc.Torch.Serialization;
using Isc.Training.Solver;
using Isc.Training.Tests.Support;
using Isc.Training.Util;
using TorchSharp;
using static Isc.Training.Tests.Support.DemoShardedModels;
using static TorchSharp.torch;

namespace Isc.Training.Tests.Engine;

/// <summary>
/// The micro-batch step (<see cref="MicroBatchStep"/>: each BatchNorm shard run on its own, twice) against the one-pass
/// 4-shard step on the same weights and batches: the demo's width-8 networks, 16 images of 64 px in 4 shards of 4.
/// </summary>
[TestFixture]
public class MicroBatchStepTests
{

    [OneTimeSetUp] public void Load() => TorchRuntime.EnsureLoadable();

    sealed record Outcome(List<TrainingStep.Values> Results, List<Dictionary<string, Tensor>> Grads, Dictionary<string, Tensor> After,
        ulong NextDraw, double? Scale);

    /// <summary>
    /// <paramref name="steps"/> calls of <see cref="TrainingStep.Run"/> (forward, losses, backward, Adam), the Waveblock keyed per
    /// step as the trainer keys it: each step's result and gradients, the state_dict after the steps, and the generator's
    /// next draw (a step must leave it where the one-pass step does).
    /// </summary>
    static Outcome Run(Backbone backbone, bool micro, ScalarType dtype, int steps, bool channelsLast = false, string precision = "fp32", double? lossScale = null)
    {
        using var model = NewModel(backbone, dtype);
        model.SetComputeType(ComputePrecision.Parse(precision));
        if (channelsLast) MemoryLayout.ParametersToChannelsLast(model);
        using var optimizer = new Adam(model.parameters().Where(p => p.requires_grad), DemoTraining.LearningRate, DemoTraining.Beta1, DemoTraining.Beta2, DemoTraining.AdamEps, DemoTraining.WeightDecay);
        var scaler = lossScale is { } initial ? new LossScaler(initial) : null;
        var t = DemoTraining with { MicroBatch = micro, ChannelsLast = channelsLast, Precision = precision };
        var results = new List<TrainingStep.Values>();
        var grads = new List<Dictionary<string, Tensor>>();
        var random = new DetRandom(0);
        for (var step = 0; step < steps; step++)
        {
            random = DetRandom.For(DemoTraining.Seed, 2, step);
            model.Base.Waveblock.Random = random;
            var (x, y) = Batch(step, dtype);
            results.Add(TrainingStep.Run(model, optimizer, scaler, x, y, t).Read());
            grads.Add(model.named_parameters().Where(p => p.parameter.requires_grad).ToDictionary(p => p.name, p => p.parameter.grad!.detach().clone()));
            Assert.That(model.Shards, Is.EqualTo(Shards));
            Assert.That(model.modules().OfType<BatchNorm>().All(n => n.Shards == 1 && n.UpdatesRunningStatistics), "the step leaves the BatchNorms as it found them");
            Assert.That(model.Base.Waveblock.Random, Is.SameAs(random));
            x.Dispose();
            y.Dispose();
        }
        var after = StateDicts.Ordered(model).ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
        return new Outcome(results, grads, after, random.NextULong(), scaler?.Scale);
    }

    /// <summary>max |a − b| over b's own scale (max |b|), floored.</summary>
    static double Error(Tensor a, Tensor b, double floor)
    {
        using var scope = NewDisposeScope();
        var (x, y) = (a.to(float64), b.to(float64));
        return (x - y).abs().max().item<double>() / Math.Max(y.abs().max().item<double>(), floor);
    }

    /// <summary>
    /// Losses, every gradient of every step within <paramref name="tolerance"/> of the reference tensor's scale (gradients
    /// floored at 1e-5 of the step's largest: the Linear biases before a BatchNorm have an exact gradient of 0, rounding
    /// noise in both modes), the state_dict after the steps within <paramref name="afterTolerance"/> (null: not compared),
    /// num_batches_tracked exactly one per step.
    /// </summary>
    static void Compare(Outcome mine, Outcome reference, double lossTolerance, double tolerance, double? afterTolerance)
    {
        var failures = new List<string>();
        var all = new List<(string What, double Error)>();
        void Check(string what, Tensor a, Tensor b, double floor, double bound)
        {
            Assert.That(a.shape, Is.EqualTo(b.shape), what);
            var e = Error(a, b, floor);
            all.Add((what, e));
            if (!(e <= bound)) failures.Add($"{what} {e:E2}");
        }
        for (var s = 0; s < reference.Results.Count; s++)
        {
            var (m, r) = (mine.Results[s], reference.Results[s]);
            foreach (var (what, a, b) in new[] { ("loss", m.Loss, r.Loss), ("ce", m.CrossEntropy, r.CrossEntropy), ("triplet", m.Triplet, r.Triplet) })
            {
                var e = Math.Abs(a - (double)b) / Math.Abs(b);
                all.Add(($"step {s + 1} {what}", e));
                if (!(e <= lossTolerance)) failures.Add($"step {s + 1} {what} {a} vs {b}");
            }
            var grads = reference.Grads[s];
            var floor = 1e-5 * grads.Values.Max(g => g.abs().max().to(float64).item<double>());
            Assert.That(mine.Grads[s].Keys, Is.EquivalentTo(grads.Keys));
            foreach (var (k, g) in mine.Grads[s]) Check($"step {s + 1} grad.{k}", g, grads[k], floor, tolerance);
        }
        Assert.That(mine.After.Keys, Is.EqualTo(reference.After.Keys));
        foreach (var (k, t) in mine.After)
        {
            if (k.EndsWith("num_batches_tracked"))
            {
                if (t.item<long>() != reference.Results.Count || t.item<long>() != reference.After[k].item<long>())
                    failures.Add($"{k} {t.item<long>()}, not one count per step ({reference.After[k].item<long>()})");
            }
            else if (afterTolerance is { } bound) Check(k, t, reference.After[k], 0, bound);
        }
        if (mine.NextDraw != reference.NextDraw) failures.Add("the Waveblock's generator is not left where the one-pass step leaves it");
        if (mine.Scale != reference.Scale) failures.Add($"loss scale {mine.Scale} vs {reference.Scale}");
        TestContext.Out.WriteLine("largest relative differences: " + string.Join(", ", all.OrderByDescending(a => a.Error).Take(6).Select(a => $"{a.What} {a.Error:E2}")));
        Assert.That(failures, Is.Empty, $"failures: {failures.Count}; beyond {lossTolerance:E0} (losses), {tolerance:E0} (gradients) or {afterTolerance:E0} (after the steps)");
    }

    /// <summary>
    /// float64, two full Adam steps (so step 2 runs on weights step 1 moved), also channels-last and with an fp16-style loss
    /// scaler (a power of two: exact in float64, so the scaled micro-batch step must match the scaled one-pass step as the
    /// unscaled ones match). The two modes compute the same sums cut differently (a weight's gradient summed over four
    /// backwards instead of one; the head's matrix products over 4 rows instead of 16); float64 rounding is 1e-16 relative
    /// and grows to about 1e-12 through the network; 1e-9 is the bound for losses and gradients. After the steps the bound
    /// is 1e-7, as for the one-pass test (Model/OnePassShardsTests): Adam's first steps are about lr·g/(|g|+ε), whose
    /// sensitivity to g is lr/ε = 1e6 where |g| is near ε (the zero-gradient biases before a BatchNorm). A broken
    /// mechanism moves tensors by far more: the first pass updating the running statistics moves them by a momentum step
    /// (1e-2 of their scale), another Waveblock band in the second pass changes the gradients at 1e-1.
    /// The losses are compared as the step reports them, floats: one float rounding of nearly equal doubles, 1e-7.
    /// </summary>
    [TestCase("resnet50", false, false)]
    [TestCase("resnet_ibn50a", false, false)]
    [TestCase("resnet152", false, false)]
    [TestCase("resnet50", true, false)]
    [TestCase("resnet50", false, true)]
    public void In_float64_two_Adam_steps_equal_the_one_pass_step_to_rounding(string backbone, bool channelsLast, bool scaled)
    {
        var b = Backbones.Get(backbone);
        double? scale = scaled ? 65536 : null;
        var reference = Run(b, micro: false, float64, 2, channelsLast, lossScale: scale);
        var mine = Run(b, micro: true, float64, 2, channelsLast, lossScale: scale);
        Compare(mine, reference, 1e-7, 1e-9, 1e-7);
        for (var s = 0; s < 2; s++) Assert.That(mine.Results[s].Precision, Is.EqualTo(reference.Results[s].Precision), "top-1 precision");
    }

    /// <summary>
    /// float32, what training runs, one step (the gradients on the same weights; after an Adam step, float32 noise in
    /// gradients near 0 becomes steps of up to lr, which would compare the noise, not the modes; the float64 test runs
    /// Adam), at 1 and 2 torch threads. The running statistics after the step depend on the forward only and are compared.
    /// Same bound as the one-pass test's float32 comparison (Model/OnePassShardsTests): 5e-4 of each tensor's scale,
    /// the projector's BatchNorm1d normalising 4 values per shard amplifying float32 rounding (6e-8) most.
    /// </summary>
    [TestCase("resnet50", 1)]
    [TestCase("resnet_ibn50a", 2)]
    public void In_float32_one_step_equals_the_one_pass_step_within_rounding(string backbone, int threads)
    {
        var b = Backbones.Get(backbone);
        var before = get_num_threads();
        set_num_threads(threads);
        try
        {
            var reference = Run(b, micro: false, float32, 1);
            var mine = Run(b, micro: true, float32, 1);
            Compare(mine, reference, 1e-5, 5e-4, null);
            foreach (var k in mine.After.Keys.Where(k => k.Contains("running_")))
                Assert.That(Error(mine.After[k], reference.After[k], 0), Is.LessThan(5e-4), k);
        }
        finally { set_num_threads(before); }
    }

    /// <summary>
    /// Mixed precision: the convolutions in bf16 or fp16 (with the loss scaler for fp16, starting at 1024: at the default
    /// 65536 this model's fp16 backward overflows on the CPU and both modes skip the step), one step on a float32 model.
    /// The two modes run the same reduced-precision convolutions on 4 images instead of 16, whose rounding (bf16: 4e-3
    /// relative, fp16: 5e-4) need not be the same, so only the gross agreement is checked: the loss within 1e-2, every
    /// gradient within 5e-2 of its scale, the same loss scale and counters; what would break the mode (another band,
    /// the running statistics, the scaling applied twice or not at all) moves these by far more.
    /// </summary>
    [TestCase("bf16")]
    [TestCase("fp16")]
    public void Mixed_precision_steps_agree_with_the_one_pass_step(string precision)
    {
        var b = Backbones.Resnet50;
        double? scale = precision == "fp16" ? 128 : null;
        var reference = Run(b, micro: false, float32, 1, precision: precision, lossScale: scale);
        var mine = Run(b, micro: true, float32, 1, precision: precision, lossScale: scale);
        Compare(mine, reference, 1e-2, 5e-2, null);
        Assert.That(mine.Scale, Is.EqualTo(scale), "the step was taken, not skipped");
    }

    [Test]
    public void A_forward_that_keeps_the_running_statistics_leaves_them_untouched_and_normalises_as_usual()
    {
        random.manual_seed(1);
        using var bn = BatchNorm.Of2d(6);
        using (no_grad())
        {
            bn.running_mean!.copy_(randn(6));
            bn.running_var!.copy_(rand(6) + 0.5);
        }
        bn.train();
        using var x = randn(4, 6, 5, 5);
        using var mean = bn.running_mean!.clone();
        using var variance = bn.running_var!.clone();
        bn.UpdatesRunningStatistics = false;
        using var kept = bn.call(x);
        Assert.That(Same(bn.running_mean!, mean) && Same(bn.running_var!, variance), "running statistics untouched");
        Assert.That(bn.num_batches_tracked!.item<long>(), Is.EqualTo(0));
        bn.UpdatesRunningStatistics = true;
        using var updated = bn.call(x);
        Assert.That(Same(kept, updated), "the same output, bit for bit");
        Assert.That(Same(bn.running_mean!, mean), Is.False, "a normal forward updates them");
        Assert.That(bn.num_batches_tracked!.item<long>(), Is.EqualTo(1));
    }

    static bool Same(Tensor a, Tensor b) => a.allclose(b, 0, 0);

    [Test]
    public void Micro_batches_must_be_the_shards()
    {
        using var model = NewModel(Backbones.Resnet50, float32);
        using var optimizer = new Adam(model.parameters().Where(p => p.requires_grad), 1e-3, 0.9, 0.999, 1e-8, 0);
        using var x = randn(10, 3, 32, 32);
        using var y = arange(10);
        var t = DemoTraining with { MicroBatch = true };
        Assert.That(() => TrainingStep.Run(model, optimizer, null, x, y, t), Throws.ArgumentException.With.Message.Contains("does not split into 4 equal shards"));
        model.Shards = 1;
        using var x16 = randn(16, 3, 32, 32);
        Assert.That(() => TrainingStep.Run(model, optimizer, null, x16, arange(16), t), Throws.ArgumentException);
    }

    /// <summary>
    /// The trainer takes the setting (the step dispatches on it) and records it in run.json like every training setting:
    /// a run folder trained in one mode is not resumed in the other, since the results differ by float rounding.
    /// </summary>
    [Test]
    public void The_trainer_runs_the_mode_and_a_run_folder_is_not_resumed_in_the_other_mode()
    {
        var root = Directory.CreateTempSubdirectory("isc-micro-").FullName;
        try
        {
            var data = TinyDataset.Create(Path.Combine(root, "data"), ids: 8, perId: 6, size: 32);
            var dir = Path.Combine(root, "run");
            var options = new TrainerOptions(Backbones.Resnet50, DemoModel with { StemWidth = 4, ProjectorHidden = 64, ProjectorOut = 64 },
                DemoTraining with { Epochs = 2, IterationsPerEpoch = 2, IdsPerBatch = 4, InputSize = 32, Pad = 2, MicroBatch = true },
                data, null, dir, Workers: 2, LogEverySeconds: 100, StopAfterEpoch: 0);
            new Trainer(options, TextWriter.Null).Run();
            Assert.That(File.ReadAllText(Path.Combine(dir, RunRecord.FileName)), Does.Contain("\"training.MicroBatch\": \"true\""));
            var root0 = (Dictionary<object, object?>)TorchZip.Load(Checkpoints.PathFor(dir, 0))!;
            var counts = Checkpoints.StateDict(root0).Where(kv => kv.Key.EndsWith("num_batches_tracked")).Select(kv => kv.Value.item<long>()).Distinct();
            Assert.That(counts, Is.EqualTo(new[] { 2L }), "one count per step");
            var other = options with { Training = options.Training with { MicroBatch = false }, StopAfterEpoch = null };
            var e = Assert.Throws<InvalidDataException>(() => new Trainer(other, TextWriter.Null).Run())!;
            Assert.That(e.Message, Does.Contain("training.MicroBatch true → (none)"));
        }
        finally { Directory.Delete(root, true); }
    }
}
