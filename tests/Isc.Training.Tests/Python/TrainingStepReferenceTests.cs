using System.Text.Json;
using Isc.Recipe;
using Isc.Torch.Pickle;
using Isc.Torch.Serialization;
using Isc.Training.Engine;
using Isc.Training.Model;
using Isc.Training.Solver;
using Isc.Training.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace Isc.Training.Tests.Python;

/// <summary>
/// Two training steps of the C# trainer (TrainingStep.Run on a 4-shard D2lvNet, the paper's losses and Adam) against an
/// independent PyTorch implementation written from the recipe (tests/python/training_reference.py), on the same weights,
/// batch and Waveblock bands: the losses, every parameter's first-step gradient, every state_dict tensor after the two
/// Adam steps (BatchNorm running statistics and num_batches_tracked included).
/// </summary>
[TestFixture]
public class TrainingStepReferenceTests
{
    // The demo's width-8 ResNet-50 with a small projector: a 32-image batch of 64 px runs in about a second.
    static readonly ModelSettings Small = Profiles.Demo.Model with { StemWidth = 8, ProjectorHidden = 64, ProjectorOut = 128 };
    static readonly TrainingSettings Paper = Profiles.Paper.Training;
    const int Classes = 16, Size = 64, Shards = 4, Steps = 2;
    static readonly int[] Ids = [5, 0, 12, 9, 3, 14, 7, 10];

    string dir = "";
    Tensor x = null!, y = null!;
    int[][][] bands = [];

    [OneTimeSetUp]
    public void Setup()
    {
        PyTorch.RequireTorch();
        dir = Directory.CreateTempSubdirectory("isc-stepref-").FullName;
        using (var model = NewModel()) SaveStateDict(model, Path.Combine(dir, "weights.pth"));
        torch.random.manual_seed(11);
        x = torch.randn(Ids.Length * Paper.ImagesPerIdInBatch, 3, Size, Size);
        y = torch.tensor(Ids.SelectMany(i => Enumerable.Repeat((long)i, Paper.ImagesPerIdInBatch)).ToArray());
        Npy.WriteFloat32(Path.Combine(dir, "x.npy"), x.data<float>().ToArray(), x.shape);
        bands = Bands(new Random(5));
        File.WriteAllText(Path.Combine(dir, "meta.json"), JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["backbone"] = "resnet50", ["width"] = Small.StemWidth, ["hidden"] = Small.ProjectorHidden, ["out"] = Small.ProjectorOut,
            ["classes"] = Classes, ["shards"] = Shards, ["labels"] = y.data<long>().ToArray(), ["bands"] = bands,
            ["wave_ratio"] = Small.WaveblockRatio, ["wave_factor"] = Small.WaveblockFactor,
            ["lr"] = Paper.LearningRate, ["beta1"] = Paper.Beta1, ["beta2"] = Paper.Beta2, ["eps"] = Paper.AdamEps, ["weight_decay"] = Paper.WeightDecay,
            ["label_smoothing"] = Paper.LabelSmoothing, ["ce_weight"] = Paper.CrossEntropyWeight, ["tri_weight"] = Paper.TripletWeight,
        }));
    }

    [OneTimeTearDown]
    public void Clean()
    {
        x?.Dispose();
        y?.Dispose();
        if (Directory.Exists(dir)) Directory.Delete(dir, true);
    }

    /// <summary>Deterministic weights: a fresh model under a fixed seed, with BatchNorm buffers and affine terms moved off their defaults.</summary>
    static D2lvNet NewModel()
    {
        torch.random.manual_seed(3);
        var model = new D2lvNet(Backbones.Resnet50, Small, Classes) { Shards = Shards };
        using (no_grad())
            foreach (var (k, t) in StateDicts.Ordered(model))
            {
                if (k.EndsWith("running_var")) t.copy_(torch.rand_like(t) + 0.5);
                else if (k.EndsWith("running_mean")) t.copy_(torch.randn_like(t) * 0.1);
                else if (k.EndsWith(".bias") && t.dim() == 1) t.copy_(torch.randn_like(t) * 0.1);
            }
        return model;
    }

    static void SaveStateDict(D2lvNet model, string path)
    {
        var sd = new PyOrderedDict();
        foreach (var (k, v) in StateDicts.Ordered(model)) sd.Add(k, v);
        TorchZip.Save(path, sd);
    }

    /// <summary>Band starts per step, shard and Waveblock call (after layer2: an 8-row map at 64 px; after layer3: 4 rows).</summary>
    int[][][] Bands(Random rng)
    {
        var wave = new Waveblock(Small.WaveblockRatio, Small.WaveblockFactor);
        int Start(long h) => rng.Next((int)(h - wave.BandHeight(h)) + 1);
        return [.. Enumerable.Range(0, Steps).Select(_ => Enumerable.Range(0, Shards).Select(_ => new[] { Start(Size / 8), Start(Size / 16) }).ToArray())];
    }

    sealed record Outcome(double[] Loss, Dictionary<string, Tensor> Grad, Dictionary<string, Tensor> After);

    Outcome RunCSharp(ScalarType dtype)
    {
        using var model = NewModel();
        model.to(dtype);
        model.train();
        var optimizer = new Adam(model.parameters().Where(p => p.requires_grad), Paper.LearningRate, Paper.Beta1, Paper.Beta2, Paper.AdamEps, Paper.WeightDecay);
        using var xd = x.to(dtype);
        var loss = new double[Steps];
        var grad = new Dictionary<string, Tensor>();
        for (var step = 0; step < Steps; step++)
        {
            model.Base.Waveblock.GivenStarts = new Queue<int>(bands[step].SelectMany(s => s));
            loss[step] = TrainingStep.Run(model, optimizer, null, xd, y, Paper).Loss;
            Assert.That(model.Base.Waveblock.GivenStarts, Is.Empty, "every given band was used");
            if (step == 0)
                foreach (var (k, p) in model.named_parameters().Where(p => p.parameter.requires_grad))
                    grad[k] = p.grad!.detach().clone();
        }
        var after = StateDicts.Ordered(model).ToDictionary(kv => kv.Item1, kv => kv.Item2.detach().clone());
        return new Outcome(loss, grad, after);
    }

    Outcome RunPython(string dtype)
    {
        PyTorch.Run(["step", "--dir", dir, "--dtype", dtype]);
        var d = ((Dictionary<object, object?>)TorchFile.Load(Path.Combine(dir, $"out_{dtype}.pth"))!).ToDictionary(kv => (string)kv.Key, kv => (Tensor)kv.Value!);
        Dictionary<string, Tensor> With(string prefix) => d.Where(kv => kv.Key.StartsWith(prefix)).ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value);
        return new Outcome(d["loss"].data<double>().ToArray(), With("grad."), With("after."));
    }

    /// <summary>max |mine − theirs| over max |theirs|: the error in units of the tensor's own scale.</summary>
    static double Error(Tensor mine, Tensor theirs)
    {
        using var scope = NewDisposeScope();
        var a = mine.to(float64);
        var b = theirs.to(float64);
        var scale = Math.Max(b.abs().max().item<double>(), 1e-30);
        return (a - b).abs().max().item<double>() / scale;
    }

    static void Report(string what, Outcome mine, Outcome theirs)
    {
        TestContext.Out.WriteLine($"{what}: loss {mine.Loss[0]:R} {mine.Loss[1]:R} vs {theirs.Loss[0]:R} {theirs.Loss[1]:R}");
        foreach (var (name, m, t) in new[] { ("grad", mine.Grad, theirs.Grad), ("after", mine.After, theirs.After) })
        {
            var worst = m.Keys.Where(k => k.Contains("num_batches") is false).Select(k => (k, e: Error(m[k], t[k]))).OrderByDescending(p => p.e).Take(3);
            TestContext.Out.WriteLine($"  {name}: " + string.Join(", ", worst.Select(p => $"{p.k} {p.e:E2}")));
        }
    }

    [Test]
    public void Measure()
    {
        var py64 = RunPython("float64");
        var py32 = RunPython("float32");
        var cs64 = RunCSharp(float64);
        var cs32 = RunCSharp(float32);
        Report("cs64 vs py64", cs64, py64);
        Report("py32 vs py64", py32, py64);
        Report("cs32 vs py64", cs32, py64);
        Report("cs32 vs py32", cs32, py32);
    }
}
