using Isc.Recipe;
using Isc.Training.Inference;
using Isc.Training.Model;
using Isc.Torch.Pickle;
using Isc.Torch.Runtime;
using Isc.Torch.Serialization;
using Isc.Training.Tests.Support;
using Isc.Training.Solver;
using Isc.Training.Engine;
using TorchSharp;

namespace Isc.Training.Tests.Python;

/// <summary>Every file the C# side writes loads into the PyTorch reference with strict=True, and eval features agree within 1e-4 relative.</summary>
[TestFixture]
public class PyTorchParityTests
{
    string dir = "";
    static readonly ModelSettings Small = Profiles.Demo.Model with { StemWidth = 8, ProjectorHidden = 64, ProjectorOut = 128 };

    [OneTimeSetUp]
    public void Setup()
    {
        PyTorch.RequireTorch();
        TorchRuntime.EnsureLoadable();
        dir = Directory.CreateTempSubdirectory("isc-parity-").FullName;
    }

    [OneTimeTearDown]
    public void Clean() { if (Directory.Exists(dir)) Directory.Delete(dir, true); }

    string[] Arch(string backbone, ModelSettings m, int classes) =>
        ["--backbone", backbone, "--width", m.StemWidth.ToString(), "--classes", classes.ToString(),
         "--hidden", m.ProjectorHidden.ToString(), "--proj-out", m.ProjectorOut.ToString()];

    [TestCase("resnet50")]
    [TestCase("resnet152")]
    [TestCase("ibn")]
    public void TrimmedModelLoadsStrictlyAndGivesTheSameFeatures(string backbone)
    {
        torch.random.manual_seed(3);
        using var model = new D2lvNet(Backbones.Get(backbone), Small, 8);
        using (torch.no_grad())
            foreach (var (k, t) in StateDicts.Ordered(model))
            {
                if (k.EndsWith("running_var")) t.copy_(torch.rand_like(t).Plus(0.5));
                else if (k.EndsWith("running_mean")) t.copy_(torch.randn_like(t).Times(0.1));
                else if (k.EndsWith(".bias") || k.EndsWith("IN.weight")) t.copy_(torch.randn_like(t).Times(0.1).Plus(k.EndsWith("weight") ? 1 : 0));
            }
        using (torch.no_grad()) model.Base.Gem.P.fill_(3.3);
        var full = Path.Combine(dir, $"{backbone}_full.pth.tar");
        var sd = new PyOrderedDict();
        foreach (var (k, v) in StateDicts.Ordered(model)) sd.Add(k, v);
        TorchZip.Save(full, new Dictionary<object, object?> { ["state_dict"] = sd, ["epoch"] = 1L, ["optimizer"] = new Adam(model.parameters(), 1e-3, 0.9, 0.999, 1e-8, 0).StateDict(),
            ["lr_scheduler"] = new Dictionary<object, object?> { ["base_lrs"] = new List<object?>(), ["last_epoch"] = 1L, ["lr_lambdas"] = new List<object?>() } });
        var trimmed = Path.Combine(dir, $"{backbone}.pth.tar");
        Assert.That(TrimmedModel.Trim(full, trimmed), Is.EqualTo(4));

        torch.random.manual_seed(4);
        using var x = torch.randn(3, 3, 64, 64);
        var input = Path.Combine(dir, $"{backbone}_x.npy");
        Npy.WriteFloat32(input, x.data<float>().ToArray(), 3, 3, 64, 64);
        using var reloaded = TrimmedModel.Load(trimmed, Profiles.Demo.Model);
        var mine = FeatureExtractor.Features(reloaded, x);

        var pyOut = Path.Combine(dir, $"{backbone}_f.npy");
        var r = PyTorch.Run(["check", "--file", trimmed, "--trimmed", .. Arch(backbone, Small, 8), "--input", input, "--out", pyOut]);
        Assert.That(r.GetProperty("keys").GetInt32(), Is.EqualTo(StateDicts.Ordered(model).Count - 4));
        var (theirs, shape) = Npy.ReadFloat32(pyOut);
        Assert.That(shape, Is.EqualTo(new long[] { 3, Small.FeatureDim }));
        var scale = theirs.Max(Math.Abs);
        var worst = mine.Zip(theirs).Max(p => Math.Abs(p.First - p.Second));
        Assert.That(worst / scale, Is.LessThan(1e-4), $"max abs diff {worst} at scale {scale}");
    }

    [Test]
    public void TrainingCheckpointLoadsWithOptimizerAndSchedulerAndSteps()
    {
        var data = TinyDataset.Create(Path.Combine(dir, "data"), ids: 8, perId: 4, size: 32);
        var outDir = Path.Combine(dir, "run");
        var m = Small with { StemWidth = 4 };
        var t = Profiles.Demo.Training with { Epochs = 2, IterationsPerEpoch = 2, IdsPerBatch = 4, InputSize = 32, Pad = 2, WarmupEpochs = 1, ConstantUntilEpoch = 2 };
        new Trainer(new TrainerOptions(Backbones.Ibn, m, t, data, null, outDir, Workers: 2, LogEverySeconds: 100), TextWriter.Null).Run();
        var r = PyTorch.Run(["check", "--file", Checkpoints.PathFor(outDir, 1), .. Arch("ibn", m, 8)]);
        Assert.That(r.GetProperty("epoch").GetInt32(), Is.EqualTo(2));
        Assert.That(r.GetProperty("last_epoch").GetInt32(), Is.EqualTo(2));
        Assert.That(r.GetProperty("steps").GetInt32(), Is.EqualTo(4 + 1), "4 C# steps, then one PyTorch step on the loaded state");
        Assert.That(r.GetProperty("lr").GetDouble(), Is.EqualTo(t.LearningRate * LearningRateSchedule.Factor(t, 2)).Within(1e-12));
        var trimmed = Path.Combine(dir, "ibn_trimmed.pth.tar");
        TrimmedModel.Trim(Checkpoints.PathFor(outDir, 1), trimmed);
        PyTorch.Run(["check", "--file", trimmed, "--trimmed", .. Arch("ibn", m, 8)]);
    }
}
