using Isc.Artifacts;
using NUnit.Framework;

namespace Isc.Artifacts.Tests;

/// <summary>Resumable state is kept only for a step of the same identity; the rest is moved aside and deleted, with a reason.</summary>
[TestFixture]
public class StepStateTests
{
    const string Artifact = "Train:baseline_CC_50";
    string _root = "";
    StampStore _store = null!;
    string RunFolder => Path.Combine(_root, "logs", "run");
    string Checkpoint => Path.Combine(RunFolder, "checkpoint_0.pth.tar");

    [SetUp]
    public void SetUp()
    {
        Directory.CreateDirectory(_root = Path.Combine(Path.GetTempPath(), "isc-state-" + Guid.NewGuid().ToString("N")));
        _store = new StampStore(_root);
        WriteCheckpoint();
    }

    void WriteCheckpoint()
    {
        Directory.CreateDirectory(RunFolder);
        File.WriteAllText(Checkpoint, "epoch 0");
    }

    [TearDown] public void TearDown() => Directory.Delete(_root, recursive: true);

    static ArtifactIdentity Identity(string lr = "0.00035", string dataset = "d1", int version = 2) =>
        new(Artifact, "train", version, new() { ["training.LearningRate"] = lr }, new() { ["Dataset:x"] = dataset });

    IReadOnlyList<string> Bind(ArtifactIdentity identity) => new StepState(_store, Artifact).Bind(identity, ["logs/run"]);

    [Test]
    public void State_with_no_record_of_its_identity_is_discarded()
    {
        var notes = Bind(Identity());
        Assert.That(File.Exists(Checkpoint), Is.False);
        Assert.That(notes, Has.One.EqualTo("discarded logs/run (no record of what it was made from)"));
        Assert.That(Directory.GetFileSystemEntries(Path.Combine(_root, "logs")), Is.Empty, "nothing is left beside it");
    }

    [Test]
    public void State_of_the_same_identity_is_kept_for_resuming()
    {
        Bind(Identity());
        WriteCheckpoint();
        var notes = Bind(Identity());
        Assert.That(File.ReadAllText(Checkpoint), Is.EqualTo("epoch 0"));
        Assert.That(notes, Has.One.EqualTo("resuming from state made for the same inputs and settings"));
    }

    [TestCase("0.001", "d1", 2, "parameter training.LearningRate 0.00035 → 0.001")]
    [TestCase("0.00035", "d2", 2, "input Dataset:x changed")]
    [TestCase("0.00035", "d1", 3, "step train v2 → train v3")]
    public void State_of_another_identity_is_discarded_naming_what_changed(string lr, string dataset, int version, string change)
    {
        Bind(Identity());
        WriteCheckpoint();
        var notes = Bind(Identity(lr, dataset, version));
        Assert.That(File.Exists(Checkpoint), Is.False);
        Assert.That(notes, Has.One.EqualTo($"discarded logs/run (it was made from other inputs or settings: {change})"));
        Assert.That(new StepState(_store, Artifact).Read()!.Identity, Is.EqualTo(Identity(lr, dataset, version).Hash));
    }

    [Test]
    public void Leftovers_of_an_interrupted_discard_and_of_killed_writers_are_swept()
    {
        Bind(Identity());
        WriteCheckpoint();
        var halfDeleted = Path.Combine(_root, "logs", ".run.discarded.0123456789abcdef0123456789abcdef");
        Directory.CreateDirectory(halfDeleted);
        File.WriteAllText(Path.Combine(halfDeleted, "checkpoint_1.pth.tar"), "x");
        var checkpointTemp = Path.Combine(RunFolder, $".checkpoint_1.pth.tar.4242.{Guid.NewGuid():N}.tmp");
        var stampTemp = Path.Combine(_store.Directory, $".Train@baseline_CC_50.json.4242.{Guid.NewGuid():N}.tmp");
        var otherStampTemp = Path.Combine(_store.Directory, $".Train@baseline_CC_152.json.4242.{Guid.NewGuid():N}.tmp");
        foreach (var f in new[] { checkpointTemp, stampTemp, otherStampTemp }) File.WriteAllText(f, "partial");

        var notes = Bind(Identity());
        Assert.That(Directory.Exists(halfDeleted), Is.False);
        Assert.That(File.Exists(checkpointTemp), Is.False);
        Assert.That(File.Exists(stampTemp), Is.False);
        Assert.That(File.Exists(otherStampTemp), Is.True, "another artifact's temporary file is that artifact's step's business");
        Assert.That(File.Exists(Checkpoint), Is.True);
        Assert.That(notes, Does.Contain("removed 3 temporary file(s) an interrupted run left"));
    }

    [Test]
    public void A_second_holder_of_an_artifact_lock_waits_then_fails_naming_the_first()
    {
        using var first = ArtifactLock.Acquire(_store, Artifact, TimeSpan.Zero, _ => { });
        var waited = new List<string>();
        var e = Assert.Throws<LockedException>(() => ArtifactLock.Acquire(_store, Artifact, TimeSpan.FromMilliseconds(300), waited.Add));
        Assert.That(e!.Message, Does.Contain($"{Artifact} is being built by process {Environment.ProcessId}"));
        Assert.That(waited, Has.Count.EqualTo(1));
        first.Dispose();
        using var second = ArtifactLock.Acquire(_store, Artifact, TimeSpan.Zero, _ => { });
    }
}
