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

    OutputRecord BuiltFolder(StampStore store)
    {
        var images = Path.Combine(_root, "ds", "ds");
        Directory.CreateDirectory(images);
        for (var i = 0; i < 5; i++) File.WriteAllText(Path.Combine(images, $"{i}_0.jpg"), new string('x', i + 1));
        File.WriteAllText(Path.Combine(_root, "ds", "manifest.json"), "{}");
        return store.Record(new OutputSpec("ds", OutputKind.Directory));
    }

    [Test]
    public void A_folder_output_notices_deleted_and_added_files_but_not_a_touch()
    {
        var store = new StampStore(_root);
        var record = BuiltFolder(store);
        Assert.That(store.Check(record, out var same), Is.Null);
        Assert.That(same, Is.SameAs(record), "unchanged folder times: trusted as recorded");

        var images = Path.Combine(_root, "ds", "ds");
        Directory.SetLastWriteTimeUtc(images, DateTime.UtcNow.AddHours(1));
        Assert.That(store.Check(record, out var touched), Is.Null, "a touched folder with the same files is unchanged");
        Assert.That(touched, Is.Not.EqualTo(record), "the new folder time is remembered");
        Assert.That(store.Check(touched, out var again), Is.Null);
        Assert.That(again, Is.SameAs(touched));

        File.Delete(Path.Combine(images, "3_0.jpg"));
        Assert.That(store.Check(record, out _), Is.EqualTo("output ds: 1 file(s) missing since it was built (e.g. ds/3_0.jpg)"));
        File.WriteAllText(Path.Combine(images, "3_0.jpg"), "xxxx");
        File.WriteAllText(Path.Combine(images, "7_0.jpg"), "new");
        Assert.That(store.Check(record, out _), Is.EqualTo("output ds: 1 file(s) added since it was built (e.g. ds/7_0.jpg)"));
        File.Delete(Path.Combine(images, "7_0.jpg"));
        File.WriteAllText(Path.Combine(images, "2_0.jpg"), "resized");
        Assert.That(store.Check(record, out _), Is.EqualTo("output ds: 1 file(s) changed size since it was built (e.g. ds/2_0.jpg)"));

        Directory.Delete(images, recursive: true);
        Assert.That(store.Check(record, out _), Is.EqualTo("output ds: 5 file(s) missing since it was built (e.g. ds/0_0.jpg)"));
        Directory.Delete(Path.Combine(_root, "ds"), recursive: true);
        Assert.That(store.Check(record, out _), Is.EqualTo("output ds missing"));
    }

    [Test]
    public void A_folder_output_recorded_before_folder_times_were_kept_is_adopted_as_it_is_now()
    {
        var store = new StampStore(_root);
        var old = new OutputRecord("ds", OutputKind.Directory, 0, 0, null);
        var current = BuiltFolder(store);
        Assert.That(store.Check(old, out var adopted), Is.Null);
        Assert.That(adopted.Folders, Is.EqualTo(current.Folders));
        Assert.That(adopted.Listing, Is.EqualTo(current.Listing));
        File.Delete(Path.Combine(_root, "ds", "ds", "1_0.jpg"));
        Assert.That(store.Check(adopted, out _), Does.StartWith("output ds: 1 file(s) missing"));
    }
}
