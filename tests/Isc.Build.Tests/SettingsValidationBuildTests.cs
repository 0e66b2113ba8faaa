using System.Security.Cryptography;
using NUnit.Framework;

namespace Isc.Build.Tests;

/// <summary>
/// Bad settings are refused by the real ./build.sh before any step runs: exit code 2, an error naming the target,
/// the setting, the value and what is accepted, and a finished dataset left exactly as it was. One demo dataset is
/// built once for the whole fixture (about 10 s on a 2-core machine).
/// </summary>
[TestFixture]
public class SettingsValidationBuildTests
{
    const string Dataset = "Dataset:isc_100k_256_big";
    string _root = "";
    string Demo => Path.Combine(_root, "demo");

    [OneTimeSetUp]
    public void BuildOneDataset()
    {
        _root = Harness.TempRoot("settings");
        var built = Build($"--target={Dataset}");
        Assert.That(built.ExitCode, Is.EqualTo(0), built.ToString());
        TestContext.Progress.WriteLine($"one demo dataset (Source, Overlays, {Dataset}) built in {built.Elapsed.TotalSeconds:F1} s");
    }

    [OneTimeTearDown]
    public void TearDown()
    {
        if (_root != "" && Directory.Exists(_root)) try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    Harness.Result Build(params string[] extra) => Harness.Build([.. extra, "--profile=demo", $"--artifacts={_root}"]);

    /// <summary>Every file under the profile's root with its size, modification time and SHA-256.</summary>
    Dictionary<string, string> Snapshot() =>
        Directory.EnumerateFiles(Demo, "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}.logs{Path.DirectorySeparatorChar}"))
            .ToDictionary(f => Path.GetRelativePath(Demo, f), f =>
            {
                var info = new FileInfo(f);
                using var s = File.OpenRead(f);
                return $"{info.Length} {info.LastWriteTimeUtc:O} {Convert.ToHexString(SHA256.HashData(s))}";
            });

    void AssertRefusedAndUntouched(string target, string set, params string[] expected)
    {
        var before = Snapshot();
        Assert.That(before.Keys, Has.Some.StartsWith("datasets/isc_100k_256_big/isc_100k_256_big/"));
        Assert.That(before.Keys, Has.Member(".stamps/Dataset@isc_100k_256_big.json"));
        var r = Build($"--target={target}", $"--set={set}");
        Assert.That(r.ExitCode, Is.EqualTo(2), r.ToString());
        foreach (var text in expected) Assert.That(r.Output, Does.Contain(text), r.ToString());
        Assert.That(Harness.Built(r.Output), Is.Empty, r.ToString());
        Assert.That(Snapshot(), Is.EqualTo(before), "a refused setting must leave every file and stamp as it was");
    }

    [Test]
    public void A_negative_output_size_is_refused_before_the_finished_dataset_is_touched() =>
        AssertRefusedAndUntouched(Dataset, $"{Dataset}.OutputSize=-64",
            $"error: {Dataset}: OutputSize=-64 is not accepted", "GenerationSettings.OutputSize accepts an integer with 16 <= x <= 8192");

    [Test]
    public void A_jpeg_quality_of_1000_is_refused() =>
        AssertRefusedAndUntouched(Dataset, "Datasets.JpegQuality=1000",
            $"error: {Dataset}: JpegQuality=1000 is not accepted", "an integer with 1 <= x <= 100");

    [Test]
    public void A_NaN_learning_rate_is_refused_before_anything_runs()
    {
        AssertRefusedAndUntouched("Model:baseline_CC_50", "Train:baseline_CC_50.learningRate=NaN",
            "error: Train:baseline_CC_50: LearningRate=NaN is not accepted", "a finite number with x > 0");
        Assert.That(Directory.Exists(Path.Combine(Demo, "logs")), Is.False, "no training may have started");
        Assert.That(Directory.Exists(Path.Combine(Demo, "pretrained")), Is.False, "no step may have run");
    }

    [Test]
    public void A_setting_aimed_at_an_artifact_without_settings_is_refused() =>
        AssertRefusedAndUntouched("Model:baseline_CC_50", "Model:baseline_CC_50.epochs=2",
            "Model:baseline_CC_50 has no settings");
}

/// <summary>The dataset worker run by hand checks its --set values with the same declared ranges, before it writes anything.</summary>
[TestFixture]
public class WorkerSettingsValidationTests
{
    [Test]
    public void Generate_refuses_an_out_of_range_setting_before_writing()
    {
        var dir = Harness.TempRoot("worker-set");
        try
        {
            var output = Path.Combine(dir, "out");
            var r = Harness.Isc("generate", "--profile", "demo", "--dataset", "isc_100k_256_big", "--source", Path.Combine(dir, "none"),
                "--overlays", Path.Combine(dir, "none"), "--out", output, "--set", "JpegQuality=1000");
            Assert.That(r.ExitCode, Is.Not.Zero, r.ToString());
            Assert.That(r.Output, Does.Contain("--set: JpegQuality=1000 is not accepted (GenerationSettings.JpegQuality accepts an integer with 1 <= x <= 100)"), r.ToString());
            Assert.That(Directory.Exists(output), Is.False);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
