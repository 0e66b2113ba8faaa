using Isc.Recipe;
using Isc.Training.Model;
using Isc.Torch.Runtime;
using Isc.Torch.Serialization;
using Isc.Training.Tests.Support;
using Isc.Training.Solver;
using Isc.Training.Engine;
using TorchSharp;
using static TorchSharp.torch;

namespace Isc.Training.Tests.Engine;

/// <summary>The opt-in speed options of issue 4 item 6: channels-last storage and bf16/fp16 mixed precision.</summary>
[TestFixture]
public class MixedPrecisionTests
{
    static readonly ModelSettings Tiny = Profiles.Demo.Model with { StemWidth = 4, ProjectorHidden = 32, ProjectorOut = 32 };
    string root = "";

    [OneTimeSetUp]
    public void Setup()
    {
        TorchRuntime.EnsureLoadable();
        root = Directory.CreateTempSubdirectory("isc-amp-").FullName;
    }

    [OneTimeTearDown]
    public void Clean() { if (Directory.Exists(root)) Directory.Delete(root, true); }

    static D2lvNet Model(Backbone b)
    {
        random.manual_seed(7);
        return new D2lvNet(b, Tiny, 8);
    }

    static double RelDiff(Tensor a, Tensor b) =>
        (a.to(float64) - b.to(float64)).abs().max().item<double>() / b.to(float64).abs().max().item<double>();

    [Test]
    public void ChannelsLastKeepsValuesShapesAndCheckpointBytes()
    {
        var x = randn(2, 3, 5, 7);
        using var cl = MemoryLayout.ChannelsLast(x);
        Assert.That(cl.shape, Is.EqualTo(x.shape));
        Assert.That(cl.stride(), Is.EqualTo(new long[] { 105, 1, 21, 3 }));
        Assert.That(MemoryLayout.IsChannelsLast(cl) && !MemoryLayout.IsChannelsLast(x));
        Assert.That(cl.eq(x).all().item<bool>());

        using var plain = Model(Backbones.Ibn);
        using var moved = Model(Backbones.Ibn);
        var converted = MemoryLayout.ParametersToChannelsLast(moved);
        // 1x1 convolution weights are NHWC-dense already (PyTorch too calls them both); the 3x3 and 7x7 ones move.
        Assert.That(converted, Is.EqualTo(moved.parameters().Count(p => p.dim() == 4 && p.shape[2] > 1)).And.GreaterThan(10));
        Assert.That(moved.parameters().Where(p => p.dim() == 4).All(MemoryLayout.IsChannelsLast));
        Assert.That(moved.parameters().All(p => p.requires_grad == true || p.dim() == 1), "still trainable parameters");

        // Same function: eval features agree (different kernels, so to float rounding).
        plain.eval(); moved.eval();
        var input = randn(3, 3, 32, 32);
        using (no_grad())
            Assert.That(RelDiff(moved.Features(MemoryLayout.ChannelsLast(input)), plain.Features(input)), Is.LessThan(1e-5));

        // Checkpoints are written NCHW-contiguous: the same bytes whichever layout the model trained in.
        var a = Path.Combine(root, "plain.pth.tar");
        var b = Path.Combine(root, "cl.pth.tar");
        TorchZip.Save(a, StateDicts.Ordered(plain).ToDictionary(kv => (object)kv.Key, kv => (object?)kv.Value));
        TorchZip.Save(b, StateDicts.Ordered(moved).ToDictionary(kv => (object)kv.Key, kv => (object?)kv.Value));
        Assert.That(File.ReadAllBytes(b), Is.EqualTo(File.ReadAllBytes(a)));
    }

    [TestCase("bf16", 3e-2)]
    [TestCase("fp16", 5e-3)]
    public void MixedPrecisionConvolvesInTheReducedTypeAndKeepsFp32Weights(string precision, double tolerance)
    {
        using var reference = Model(Backbones.Resnet50);
        using var mixed = Model(Backbones.Resnet50);
        mixed.SetComputeType(ComputePrecision.Parse(precision));
        var x = randn(4, 3, 32, 32);
        var y = tensor(new long[] { 0, 0, 1, 1 });
        // Eval mode for the comparison: train-mode BatchNorm over 4 samples at 1x1 spatial size amplifies any rounding.
        reference.eval(); mixed.eval();
        using (no_grad())
            Assert.That(RelDiff(mixed.Features(x), reference.Features(x)), Is.GreaterThan(0).And.LessThan(tolerance),
                "reduced-precision convolutions change the result, a little");

        mixed.train();
        mixed.Shards = 1;
        var (f1, l1) = mixed.call(x);
        Assert.That(f1.dtype, Is.EqualTo(ScalarType.Float32), "GeM and the head run in fp32");
        Assert.That(l1.dtype, Is.EqualTo(ScalarType.Float32));
        var loss = Losses.SmoothedCrossEntropy(l1, y, 0.1) * 10 + Losses.SoftTripletBatchHard(f1, y);
        loss.backward();
        foreach (var (name, p) in mixed.named_parameters())
        {
            Assert.That(p.dtype, Is.EqualTo(ScalarType.Float32), name);
            if (p.requires_grad && p.grad is { } g)
            {
                Assert.That(g.dtype, Is.EqualTo(ScalarType.Float32), name);
                Assert.That(g.isfinite().all().item<bool>(), name);
            }
        }
        Assert.That(StateDicts.Ordered(mixed).Select(kv => kv.Value).Where(t => t.dtype != ScalarType.Int64).All(t => t.dtype == ScalarType.Float32));
    }

    [Test]
    public void AnUnknownPrecisionIsRefusedWithTheChoices()
    {
        var e = Assert.Throws<RecipeException>(() => ComputePrecision.Parse("fp8"));
        Assert.That(e!.Message, Does.Contain("fp32, bf16, fp16").And.Contains("fp8"));
    }

    [Test]
    public void TheLossScalerFollowsGradScalersRule()
    {
        var s = new LossScaler(initialScale: 1024, growthInterval: 3);
        var p = new TorchSharp.Modules.Parameter(ones(3));
        p.grad = full(3, 2048f);
        Assert.That(s.Unscale([p]), Is.True);
        Assert.That(p.grad!.data<float>().ToArray(), Is.EqualTo(new[] { 2f, 2f, 2f }));
        s.Update(true); s.Update(true);
        Assert.That(s.Scale, Is.EqualTo(1024));
        s.Update(true);
        Assert.That(s.Scale, Is.EqualTo(2048), "doubles after growthInterval clean steps");
        p.grad = tensor(new[] { 1f, float.PositiveInfinity, 0f });
        Assert.That(s.Unscale([p]), Is.False);
        s.Update(false);
        Assert.That(s.Scale, Is.EqualTo(1024));
        Assert.That(s.SkippedSteps, Is.EqualTo(1));
        p.grad = tensor(new[] { float.NaN, 0f, 0f });
        Assert.That(s.Unscale([p]), Is.False, "NaN counts as non-finite");

        var restored = new LossScaler();
        restored.LoadStateDict(s.StateDict());
        Assert.That((restored.Scale, restored.GrowthTracker), Is.EqualTo((s.Scale, s.GrowthTracker)));
    }

    [Test]
    public void AnInterruptedFp16RunResumesWithItsLossScaleAndEndsWithTheSameWeights()
    {
        var data = TinyDataset.Create(Path.Combine(root, "resume-data"), ids: 8, perId: 4, size: 32);
        var t = Profiles.Demo.Training with
        {
            Epochs = 3, IterationsPerEpoch = 3, IdsPerBatch = 4, InputSize = 32, Pad = 2, WarmupEpochs = 1, ConstantUntilEpoch = 2,
            Precision = "fp16",
        };
        TrainerOptions Options(string dir, int? stop = null) =>
            new(Backbones.Resnet50, Tiny, t, data, null, dir, Workers: 2, LogEverySeconds: 100, StopAfterEpoch: stop);
        var whole = Path.Combine(root, "fp16-whole");
        var parts = Path.Combine(root, "fp16-parts");
        new Trainer(Options(whole), TextWriter.Null).Run();
        new Trainer(Options(parts, stop: 0), TextWriter.Null).Run();
        var first = (Dictionary<object, object?>)((Dictionary<object, object?>)TorchZip.Load(Checkpoints.PathFor(parts, 0))!)["scaler"]!;
        Assert.That(Convert.ToDouble(first["scale"]), Is.LessThan(65536), "the first epoch's overflows lowered the scale: a restart from 65536 would differ");
        new Trainer(Options(parts), TextWriter.Null).Run();

        var a = (Dictionary<object, object?>)TorchZip.Load(Checkpoints.PathFor(whole, 2))!;
        var b = (Dictionary<object, object?>)TorchZip.Load(Checkpoints.PathFor(parts, 2))!;
        Assert.That(((Dictionary<object, object?>)b["scaler"]!)["scale"], Is.EqualTo(((Dictionary<object, object?>)a["scaler"]!)["scale"]));
        var wa = Checkpoints.StateDict(a);
        var wb = Checkpoints.StateDict(b);
        foreach (var k in wa.Keys)
            Assert.That((wa[k] - wb[k]).abs().max().to(float64).item<double>(), Is.EqualTo(0.0), k);
    }

    [Test]
    public void AnFp16ChannelsLastRunTrainsAndItsCheckpointLoadsInPyTorch()
    {
        var data = TinyDataset.Create(Path.Combine(root, "data"), ids: 8, perId: 4, size: 32);
        var outDir = Path.Combine(root, "fp16");
        var t = Profiles.Demo.Training with
        {
            Epochs = 2, IterationsPerEpoch = 2, IdsPerBatch = 4, InputSize = 32, Pad = 2, WarmupEpochs = 1, ConstantUntilEpoch = 2,
            Precision = "fp16", ChannelsLast = true,
        };
        var console = new StringWriter();
        new Trainer(new TrainerOptions(Backbones.Resnet50, Tiny, t, data, null, outDir, Workers: 2, LogEverySeconds: 100), console).Run();
        Assert.That(console.ToString(), Does.Contain("precision fp16, channels-last"));
        var root0 = (Dictionary<object, object?>)TorchZip.Load(Checkpoints.PathFor(outDir, 1))!;
        var scaler = (Dictionary<object, object?>)root0["scaler"]!;
        Assert.That(Convert.ToDouble(scaler["scale"]), Is.GreaterThan(0));
        Assert.That(Checkpoints.StateDict(root0).Values.All(v => v.isfinite().all().item<bool>()), "finite weights after fp16 steps");

        var r = PyTorch.Run(["check", "--file", Checkpoints.PathFor(outDir, 1), "--backbone", "resnet50", "--width", "4",
            "--classes", "8", "--hidden", "32", "--proj-out", "32"]);
        Assert.That(r.GetProperty("epoch").GetInt32(), Is.EqualTo(2));
        Assert.That(r.GetProperty("scaler").GetProperty("growth_interval").GetInt32(), Is.EqualTo(2000));
    }
}
