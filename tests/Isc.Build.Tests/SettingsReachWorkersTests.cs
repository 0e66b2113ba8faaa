using System.Text.Json;
using NUnit.Framework;

namespace Isc.Build.Tests;

/// <summary>
/// What a worker runs with is what its stamp records: the real ./build.sh makes one demo training (and the source,
/// overlays, backbone and dataset it needs) with overrides aimed at Source, Overlays, the groups and the targets
/// themselves; then the settings the workers recorded themselves (the dataset's manifest.json, the run's run.json)
/// must be, key for key and byte for byte, the settings parameters of the stamps. About 30 s on a 2-core machine.
/// </summary>
[TestFixture]
public class SettingsReachWorkersTests
{
    const string Dataset = "isc_100k_256_big";
    const string Run = "baseline_CC_50";
    string _root = "";
    string Demo => Path.Combine(_root, "demo");

    [SetUp] public void SetUp() => _root = Harness.TempRoot("reach");
    [TearDown] public void TearDown() { try { Directory.Delete(_root, recursive: true); } catch (IOException) { } }

    static SortedDictionary<string, string> Strings(JsonElement o) =>
        new(o.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!), StringComparer.Ordinal);

    SortedDictionary<string, string> StampParams(string artifact) =>
        Strings(JsonDocument.Parse(File.ReadAllText(Path.Combine(Demo, ".stamps", artifact.Replace(':', '@') + ".json"))).RootElement.GetProperty("params"));

    /// <summary>The key=value lines of the settings under <paramref name="prefix"/>, in key order (so a failure names the setting).</summary>
    static List<string> Starting(SortedDictionary<string, string> all, string prefix) =>
        [.. all.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(kv => $"{kv.Key}={kv.Value}")];

    static SortedDictionary<string, string> Only(SortedDictionary<string, string> all, string prefix) =>
        new(all.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(kv => kv.Key, kv => kv.Value), StringComparer.Ordinal);

    [Test]
    public void The_settings_a_worker_records_are_exactly_the_settings_its_stamp_records()
    {
        var r = Harness.Build($"--target=Train:{Run}", "--profile=demo", $"--artifacts={_root}",
            "--set=Source.TrainingImages=120", "--set=Overlays.Seed=7",
            "--set=Datasets.JpegQuality=90", $"--set=Dataset:{Dataset}.ImagesPerId=10", $"--set=Dataset:{Dataset}.JpegQuality=85",
            "--set=Trainings.Epochs=2", $"--set=Train:{Run}.LearningRate=0.0002", $"--set=Train:{Run}.GemP=4", "--set=Trainings.Seed=3");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());

        var datasetStamp = StampParams($"Dataset:{Dataset}");
        Assert.That(datasetStamp, Does.ContainKey("generation.ImagesPerId").WithValue("10")
            .And.ContainKey("generation.JpegQuality").WithValue("85").And.ContainKey("source.trainingImages").WithValue("120"));
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(Demo, "datasets", Dataset, "manifest.json")));
        var used = Strings(manifest.RootElement.GetProperty("settings"));
        Assert.That(Starting(used, "generation."), Is.EqualTo(Starting(datasetStamp, "generation.")), "the generation settings the dataset was made with");
        foreach (var (key, value) in Only(datasetStamp, "source."))
            Assert.That(used.Single(kv => kv.Key.Equals(key, StringComparison.OrdinalIgnoreCase)).Value, Is.EqualTo(value), key);
        Assert.That(manifest.RootElement.GetProperty("identities").GetInt32(), Is.EqualTo(12), "120 training images at IdStride 10");

        var trainStamp = StampParams($"Train:{Run}");
        Assert.That(trainStamp, Does.ContainKey("training.Epochs").WithValue("2").And.ContainKey("training.LearningRate").WithValue("0.0002")
            .And.ContainKey("model.GemP").WithValue("4").And.ContainKey("training.Seed").WithValue("3"));
        var runJson = Strings(JsonDocument.Parse(File.ReadAllText(Path.Combine(Demo, "logs", "baseline_CC", "50", "run.json"))).RootElement);
        Assert.That(Starting(runJson, "training."), Is.EqualTo(Starting(trainStamp, "training.")), "the training settings the run was trained with");
        Assert.That(Starting(runJson, "model."), Is.EqualTo(Starting(trainStamp, "model.")), "the model settings the run was trained with");
        Assert.That(File.Exists(Path.Combine(Demo, "logs", "baseline_CC", "50", "checkpoint_1.pth.tar")), Is.True, "Trainings.Epochs=2: the last epoch is 1");

        foreach (var spec in Directory.GetFiles(Path.Combine(Demo, ".stamps"), "*.spec.json"))
        {
            var commands = JsonDocument.Parse(File.ReadAllText(spec)).RootElement.GetProperty("commands").EnumerateArray().SelectMany(c => c.EnumerateArray());
            Assert.That(commands.Select(a => a.GetString()), Has.None.EqualTo("--set"), $"{spec}: no override is passed to a worker as text");
        }
    }
}
