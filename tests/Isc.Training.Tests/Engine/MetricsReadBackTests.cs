using System.Buffers.Binary;
using Isc.Recipe;
using Isc.Torch.Runtime;
using Isc.Training.Engine;
using Isc.Training.Solver;
using Isc.Training.Tests.Support;
using TorchSharp;

namespace Isc.Training.Tests.Engine;

/// <summary>
/// The trainer reads the steps' logged numbers back every MetricsEvery steps and at each epoch's end: the run's files
/// are those of a read after every step, and a run killed between two reads resumes to the same files.
/// </summary>
[TestFixture]
public class MetricsReadBackTests
{
    const int Epochs = 2, Iterations = 5;
    string root = "";
    string data = "";
    string everyStep = "";

    [OneTimeSetUp]
    public void Setup()
    {
        TorchRuntime.EnsureLoadable();
        root = Directory.CreateTempSubdirectory("isc-metrics-").FullName;
        data = TinyDataset.Create(Path.Combine(root, "data"), ids: 8, perId: 6, size: 32);
        everyStep = Path.Combine(root, "every-step");
        new Trainer(Options(everyStep, metricsEvery: 1), TextWriter.Null).Run();
    }

    [OneTimeTearDown]
    public void Clean() { if (Directory.Exists(root)) Directory.Delete(root, true); }

    TrainerOptions Options(string outDir, int metricsEvery, double logEvery = 100) => new(
        Backbones.Resnet50,
        Profiles.Demo.Model with { StemWidth = 4, ProjectorHidden = 64, ProjectorOut = 64 },
        Profiles.Demo.Training with { Epochs = Epochs, IterationsPerEpoch = Iterations, IdsPerBatch = 4, InputSize = 32, Pad = 2, WarmupEpochs = 1, ConstantUntilEpoch = 2, KeepCheckpoints = 3, LearningRate = 3.5e-4 },
        data, null, outDir, Workers: 2, LogEverySeconds: logEvery, MetricsEvery: metricsEvery);

    static void AssertSameOutputs(string expected, string actual, bool events = true)
    {
        Assert.That(File.ReadAllBytes(Path.Combine(actual, "metrics.csv")), Is.EqualTo(File.ReadAllBytes(Path.Combine(expected, "metrics.csv"))), "metrics.csv");
        Assert.That(File.ReadAllLines(Path.Combine(actual, "metrics.csv")), Has.Length.EqualTo(1 + Epochs * Iterations));
        Assert.That(Checkpoints.Epochs(actual), Is.EqualTo(Checkpoints.Epochs(expected)));
        foreach (var e in Checkpoints.Epochs(expected))
            Assert.That(File.ReadAllBytes(Checkpoints.PathFor(actual, e)), Is.EqualTo(File.ReadAllBytes(Checkpoints.PathFor(expected, e))), $"checkpoint {e}");
        if (events) Assert.That(EventsWithoutTimes(actual), Is.EqualTo(EventsWithoutTimes(expected)), "TensorBoard scalars");
    }

    /// <summary>The TensorBoard records' payloads after the wall time (the Event's first field: tag byte and a double).</summary>
    static List<byte[]> EventsWithoutTimes(string dir)
    {
        var bytes = File.ReadAllBytes(Directory.GetFiles(dir, "events.out.tfevents.*").Single());
        var records = new List<byte[]>();
        for (var pos = 0; pos < bytes.Length;)
        {
            var len = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(pos));
            records.Add(bytes.AsSpan(pos + 12 + 9, len - 9).ToArray());
            pos += 12 + len + 4;
        }
        return records;
    }

    // 3 does not divide the run's 10 steps: the last read is the epoch end's.
    [TestCase(3)]
    [TestCase(4 * Iterations)]
    public void ReadingEveryFewStepsWritesTheFilesOfAReadAfterEveryStep(int metricsEvery)
    {
        var dir = Path.Combine(root, $"every-{metricsEvery}");
        new Trainer(Options(dir, metricsEvery), TextWriter.Null).Run();
        AssertSameOutputs(everyStep, dir);
    }

    [Test]
    public void TheNumbersReadBackAreThoseOfAReadOfEachTensor()
    {
        using var scope = torch.NewDisposeScope();
        torch.random.manual_seed(3);
        var losses = torch.rand(3) * 10;
        var logits = torch.randn(7, 5);
        var labels = torch.tensor(new long[] { 0, 1, 2, 3, 4, 0, 1 });
        var v = TrainingStep.Result.Of(losses[0], losses[1], losses[2], Losses.TopOnePrecisionOnDevice(logits, labels)).Read();
        Assert.That(new[] { v.Loss, v.CrossEntropy, v.Triplet }, Is.EqualTo(new[] { losses[0].item<float>(), losses[1].item<float>(), losses[2].item<float>() }));
        Assert.That(v.Precision, Is.EqualTo(Losses.TopOnePrecision(logits, labels)));
        Assert.That(v.Precision, Is.EqualTo(logits.argmax(1).eq(labels).sum().item<long>() / 7.0).Within(1e-15));
        // A float64 model's losses (the reference comparison) are rounded to float, as .item() read them before.
        var wide = torch.tensor(1.0000000001, torch.float64);
        Assert.That(TrainingStep.Result.Of(wide, wide, wide, wide).Read().Loss, Is.EqualTo((float)1.0000000001));
    }

    /// <summary>Cancels the run once a console line contains the text (the trainer checks before each step).</summary>
    sealed class CancelOnLine(string text, CancellationTokenSource cancel) : StringWriter
    {
        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value is not null && value.Contains(text, StringComparison.Ordinal)) cancel.Cancel();
        }
    }

    [Test]
    public void ARunStoppedBetweenTwoReadsResumesToTheSameFiles()
    {
        var dir = Path.Combine(root, "stopped");
        using var cancel = new CancellationTokenSource();
        // Progress after every step; reads after steps 3 and 5 of each epoch: stop after the 4th step of epoch 2.
        var console = new CancelOnLine($"epoch 2/{Epochs} iter 4/{Iterations}", cancel);
        Assert.Throws<OperationCanceledException>(() => new Trainer(Options(dir, metricsEvery: 3, logEvery: 0), console).Run(cancel.Token));
        var rows = File.ReadAllLines(Path.Combine(dir, "metrics.csv"));
        Assert.That(rows, Has.Length.EqualTo(1 + Iterations + 3), "epoch 1 and the first read of epoch 2; the 4th step was not read");
        Assert.That(rows[^1], Does.StartWith("1,2,"));
        Assert.That(Checkpoints.Epochs(dir), Is.EqualTo(new[] { 0 }));
        var lines = console.ToString();
        Assert.That(lines, Does.Contain($"epoch 1/{Epochs} iter 1/{Iterations} (no metrics read back yet)"));
        Assert.That(lines, Does.Match($@"epoch 2/{Epochs} iter 4/{Iterations} loss [0-9.]+ \(ce [0-9.]+ triplet [0-9.]+\) prec [0-9.]+ \(at iter 3\)"));

        // A kill can also cut a row short; the resume drops it with the rows of the epoch it redoes.
        File.AppendAllText(Path.Combine(dir, "metrics.csv"), "1,3,8,5.9");
        new Trainer(Options(dir, metricsEvery: 3), TextWriter.Null).Run();
        AssertSameOutputs(everyStep, dir, events: false);
    }
}
