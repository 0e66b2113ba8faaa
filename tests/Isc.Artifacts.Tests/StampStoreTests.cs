using Isc.Artifacts;
using NUnit.Framework;

namespace Isc.Artifacts.Tests;

[TestFixture]
public class StampStoreTests
{
    string _root = "";

    [SetUp] public void SetUp() => Directory.CreateDirectory(_root = Path.Combine(Path.GetTempPath(), "isc-stamps-" + Guid.NewGuid().ToString("N")));
    [TearDown] public void TearDown() => Directory.Delete(_root, recursive: true);

    Stamp Sample(StampStore store, string file)
    {
        File.WriteAllText(Path.Combine(_root, file), "weights");
        return new Stamp
        {
            Artifact = "Model:baseline_CC_50", Step = "trim", StepVersion = 1,
            Params = new() { ["a"] = "1" }, Inputs = new() { ["Train:baseline_CC_50"] = "abc" },
            Outputs = [store.Record(new OutputSpec(file, OutputKind.File))],
        };
    }

    [Test]
    public void A_written_stamp_reads_back_and_an_edited_one_reads_as_not_built()
    {
        var store = new StampStore(_root);
        store.Write(Sample(store, "m.pth"));
        var read = store.Read("Model:baseline_CC_50");
        Assert.That(read, Is.Not.Null);
        Assert.That(read!.Hash, Is.EqualTo(read.ComputeHash()));
        Assert.That(Path.GetFileName(store.PathOf("Model:baseline_CC_50")), Is.EqualTo("Model@baseline_CC_50.json"));

        File.WriteAllText(store.PathOf("Model:baseline_CC_50"), File.ReadAllText(store.PathOf("Model:baseline_CC_50")).Replace("\"a\": \"1\"", "\"a\": \"2\""));
        Assert.That(store.Read("Model:baseline_CC_50"), Is.Null, "a stamp whose content does not match its hash is not trusted");
        File.WriteAllText(store.PathOf("Model:baseline_CC_50"), "{ truncated");
        Assert.That(store.Read("Model:baseline_CC_50"), Is.Null);
    }

    [Test]
    public void The_identity_hash_ignores_times_but_not_content()
    {
        var store = new StampStore(_root);
        var s = Sample(store, "m.pth");
        var later = s with { StartedUtc = DateTime.UtcNow, Seconds = 99, Outputs = [s.Outputs[0] with { MtimeTicks = 1 }] };
        Assert.That(later.ComputeHash(), Is.EqualTo(s.ComputeHash()));
        Assert.That((s with { Outputs = [s.Outputs[0] with { Sha256 = "0" }] }).ComputeHash(), Is.Not.EqualTo(s.ComputeHash()));
        Assert.That((s with { StepVersion = 2 }).ComputeHash(), Is.Not.EqualTo(s.ComputeHash()));
    }

    [Test]
    public void Check_rehashes_a_touched_file_and_spots_a_changed_or_missing_one()
    {
        var store = new StampStore(_root);
        var record = Sample(store, "m.pth").Outputs[0];
        var path = Path.Combine(_root, "m.pth");
        Assert.That(store.Check(record, out _), Is.Null);

        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddHours(1));
        Assert.That(store.Check(record, out var refreshed), Is.Null, "same content, new mtime: unchanged");
        Assert.That(refreshed.MtimeTicks, Is.Not.EqualTo(record.MtimeTicks));

        File.WriteAllText(path, "weightz");
        Assert.That(store.Check(record, out _), Is.EqualTo("output m.pth changed (content)"));
        File.WriteAllText(path, "longer weights");
        Assert.That(store.Check(record, out _), Does.StartWith("output m.pth changed (size"));
        File.Delete(path);
        Assert.That(store.Check(record, out _), Is.EqualTo("output m.pth missing"));
    }
}
