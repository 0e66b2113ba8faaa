using Isc.Recipe;
using Isc.Training.Model;
using Isc.Torch.Runtime;
using Isc.Torch.Serialization;
using Isc.Training.Tests.Support;
using Isc.Training.Engine;
using TorchSharp;

namespace Isc.Training.Tests.Engine;

[TestFixture]
public class TrainerTests
{
    string root = "";
    string data = "";

    [OneTimeSetUp]
    public void Setup()
    {
        TorchRuntime.EnsureLoadable();
        root = Directory.CreateTempSubdirectory("isc-train-").FullName;
        data = TinyDataset.Create(Path.Combine(root, "data"), ids: 8, perId: 6, size: 32);
    }

    [OneTimeTearDown]
    public void Clean() { if (Directory.Exists(root)) Directory.Delete(root, true); }

    static TrainerOptions Options(string data, string outDir, int epochs = 3, int iters = 3, int? stopAfter = null) => new(
        Backbones.Resnet50,
        Profiles.Demo.Model with { StemWidth = 4, ProjectorHidden = 64, ProjectorOut = 64 },
        Profiles.Demo.Training with { Epochs = epochs, IterationsPerEpoch = iters, IdsPerBatch = 4, InputSize = 32, Pad = 2, WarmupEpochs = 1, ConstantUntilEpoch = 2, KeepCheckpoints = 2, LearningRate = 3.5e-4 },
        data, null, outDir, Workers: 2, LogEverySeconds: 100, StopAfterEpoch: stopAfter);

    static Dictionary<string, torch.Tensor> Weights(string ckpt) =>
        Checkpoints.StateDict((Dictionary<object, object?>)TorchZip.Load(ckpt)!);

    [Test]
    public void ResumeAtAnEpochBoundaryEqualsAnUninterruptedRun()
    {
        var a = Path.Combine(root, "uninterrupted");
        var b = Path.Combine(root, "interrupted");
        new Trainer(Options(data, a), TextWriter.Null).Run();
        new Trainer(Options(data, b, stopAfter: 0), TextWriter.Null).Run();
        Assert.That(File.Exists(Checkpoints.PathFor(b, 0)) && !File.Exists(Checkpoints.PathFor(b, 1)));
        new Trainer(Options(data, b), TextWriter.Null).Run();
        var wa = Weights(Checkpoints.PathFor(a, 2));
        var wb = Weights(Checkpoints.PathFor(b, 2));
        Assert.That(wb.Keys, Is.EqualTo(wa.Keys));
        foreach (var k in wa.Keys)
            Assert.That((wa[k] - wb[k]).abs().max().to(torch.float64).item<double>(), Is.EqualTo(0.0), k);
        // Retention: the newest 2 (which include the final one).
        Assert.That(Checkpoints.Epochs(a), Is.EqualTo(new[] { 2, 1 }));
        Assert.That(File.ReadAllLines(Path.Combine(b, "metrics.csv")), Has.Length.EqualTo(1 + 3 * 3), "redone rows are not duplicated");
        Assert.That(Directory.GetFiles(a, "events.out.tfevents.*"), Is.Not.Empty);
    }

    [Test]
    public void ARunFolderOfOtherSettingsIsRefusedNamingWhatDiffers()
    {
        var dir = Path.Combine(root, "other-settings");
        new Trainer(Options(data, dir, stopAfter: 0), TextWriter.Null).Run();
        var same = Options(data, dir);
        var other = same with { Training = same.Training with { LearningRate = 1e-3 } };
        var e = Assert.Throws<InvalidDataException>(() => new Trainer(other, TextWriter.Null).Run())!;
        Assert.That(e.Message, Does.Contain($"{dir} holds a run trained from other settings or data (training.LearningRate 0.00035 → 0.001)"));
        Assert.That(Checkpoints.Epochs(dir), Is.EqualTo(new[] { 0 }), "nothing was trained into the folder");

        new Trainer(same, TextWriter.Null).Run();
        Assert.That(Checkpoints.Epochs(dir), Is.EqualTo(new[] { 2, 1 }), "the same settings resume");
    }

    [Test]
    public void CheckpointsWithoutARecordOfWhatMadeThemAreNotResumed()
    {
        var dir = Path.Combine(root, "no-record");
        new Trainer(Options(data, dir, stopAfter: 0), TextWriter.Null).Run();
        File.Delete(Path.Combine(dir, RunRecord.FileName));
        var e = Assert.Throws<InvalidDataException>(() => new Trainer(Options(data, dir), TextWriter.Null).Run())!;
        Assert.That(e.Message, Does.Contain("holds checkpoints but no readable run.json"));
    }

    [Test]
    public void ACorruptNewestCheckpointFallsBackToThePreviousOne()
    {
        var dir = Path.Combine(root, "corrupt");
        new Trainer(Options(data, dir, stopAfter: 1), TextWriter.Null).Run();
        var newest = Checkpoints.PathFor(dir, 1);
        var bytes = File.ReadAllBytes(newest);
        File.WriteAllBytes(newest, bytes[..(bytes.Length * 2 / 3)]);
        var lines = new StringWriter();
        var found = Checkpoints.LoadNewestValid(dir, lines.WriteLine);
        Assert.That(found?.Epoch, Is.EqualTo(0));
        Assert.That(lines.ToString(), Does.Contain("checkpoint_1.pth.tar is unreadable"));
        var console = new StringWriter();
        new Trainer(Options(data, dir), console).Run();
        Assert.That(console.ToString(), Does.Contain("resuming from").And.Contains("checkpoint_0.pth.tar"));
        Assert.That(File.Exists(Checkpoints.PathFor(dir, 2)));
    }

    [Test]
    public void AFewStepsLowerTheLoss()
    {
        var dir = Path.Combine(root, "learn");
        var o = Options(data, dir, epochs: 1, iters: 40);
        o = o with
        {
            Model = o.Model with { StemWidth = 8 },
            Training = o.Training with { LearningRate = 3e-3, WarmupEpochs = 0, ConstantUntilEpoch = 1, BatchNormShards = 1 },
        };
        new Trainer(o, TextWriter.Null).Run();
        var losses = File.ReadAllLines(Path.Combine(dir, "metrics.csv")).Skip(1)
            .Select(l => double.Parse(l.Split(',')[3], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.That(losses, Has.Count.EqualTo(40));
        Assert.That(losses.TakeLast(8).Average(), Is.LessThan(losses.Take(8).Average() * 0.95), string.Join(" ", losses));
        TestContext.Out.WriteLine(string.Join(" ", losses));
    }
}
