using Isc.Build.Core;
using Isc.Build.Host;
using NUnit.Framework;

namespace Isc.Build.Tests;

/// <summary>
/// Configuration files are strict (unknown keys and wrong types are errors naming the file and the key path) and
/// isc.local.json merges into isc.json key by key. Real files in a temp folder; two cases through the real ./build.sh.
/// </summary>
[TestFixture]
public class ConfigStrictnessTests
{
    string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Harness.TempRoot("config");

    [TearDown]
    public void TearDown()
    {
        if (_dir != "" && Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    string Write(string name, string json)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, json);
        return path;
    }

    [TestCase("""{ "inputs": { "trainImages": 42 } }""", "inputs.trainImages must be a string or null, got 42 (number)")]
    [TestCase("""{ "datasets": "steal" }""", "datasets must be \"generate\" or \"download\", got \"steal\"")]
    [TestCase("""{ "profile": "papr" }""", "profile must be one of \"paper\", \"demo\", got \"papr\"")]
    [TestCase("""{ "profile": 1 }""", "profile must be a string or null, got 1 (number)")]
    [TestCase("""{ "inputz": {} }""", "unknown key \"inputz\"; known top-level keys: profile, artifacts, inputs")]
    [TestCase("""{ "inputs": { "trainImage": "/data" } }""", "unknown key \"inputs.trainImage\"; known keys of inputs: trainImages")]
    [TestCase("""{ "inputs": "/data" }""", "inputs must be an object, got \"/data\" (string)")]
    [TestCase("""{ "inputs": { "files": { "Pretrained:resnet50": 5 } } }""", "inputs.files.Pretrained:resnet50 must be a string, got 5 (number)")]
    [TestCase("""{ "urls": [] }""", "urls must be an object, got a list")]
    [TestCase("""{ "device": "gpu" }""", "device must be \"cpu\", \"cuda\" or \"cuda:N\", got \"gpu\"")]
    [TestCase("""{ "set": { "Dataset:isc_100k_256_big": { "OutputSize": -64 } } }""",
        "set.Dataset:isc_100k_256_big.OutputSize: OutputSize=-64 is not accepted (GenerationSettings.OutputSize accepts an integer with 16 <= x <= 8192)")]
    [TestCase("""{ "set": { "Datasets": { "jpegQuality": 1000 } } }""", "set.Datasets.jpegQuality: JpegQuality=1000 is not accepted")]
    [TestCase("""{ "set": { "Train:baseline_CC_50": { "learningRate": "NaN" } } }""", "set.Train:baseline_CC_50.learningRate: LearningRate=NaN is not accepted")]
    [TestCase("""{ "set": { "Trainings": { "gemP": 0 } } }""", "set.Trainings.gemP: GemP=0 is not accepted")]
    [TestCase("""{ "set": { "Trainings": { "epoch": 2 } } }""", "set.Trainings.epoch: 'epoch' is not a setting of TrainingSettings or ModelSettings")]
    [TestCase("""{ "set": { "Model:baseline_CC_50": { "epochs": 2 } } }""", "set.Model:baseline_CC_50: Model:baseline_CC_50 has no settings")]
    [TestCase("""{ "set": { "Source": { "seed": [1] } } }""", "set.Source.seed must be a number, string or true/false, got a list")]
    [TestCase("""{ "slurm": { "partitoin": "gpu" } }""", "unknown key \"partitoin\"")]
    [TestCase("""{ "slurm": { "checkStorage": "yes" } }""", "slurm.checkStorage must be true or false")]
    [TestCase("""{ "slurm": { "extraArgs": ["--qos=normal", 3] } }""", "slurm.extraArgs must be a list of sbatch arguments")]
    [TestCase("""{ "slurm": { "resources": { "training": { "gpus": 1.5 } } } }""", "slurm.resources.training.gpus must be a whole number")]
    [TestCase("""{ "slurm": { "resources": { "training": { "gpu": 1 } } } }""", "slurm.resources.training.gpu: unknown")]
    public void A_wrong_key_or_value_is_an_error_naming_the_file_and_the_key_path(string json, string expected)
    {
        var file = Write("bad.json", json);
        var e = Assert.Throws<BuildUsageException>(() => BuildConfig.Load(_dir, file))!;
        Assert.That(e.Message, Does.StartWith($"configuration file {file}: ").And.Contain(expected));
    }

    [Test]
    public void The_local_file_is_checked_too_and_named()
    {
        Write("isc.json", """{ "profile": "demo" }""");
        var local = Write("isc.local.json", """{ "inputs": { "trainImages": 42 } }""");
        var e = Assert.Throws<BuildUsageException>(() => BuildConfig.Load(_dir, null))!;
        Assert.That(e.Message, Does.StartWith($"configuration file {local}: inputs.trainImages must be a string"));
    }

    [Test]
    public void The_committed_example_is_valid()
    {
        var config = BuildConfig.Load(Harness.RepoRoot, Path.Combine(Harness.RepoRoot, "isc.json"));
        Assert.That(config["profile"], Is.EqualTo("paper"));
    }

    [Test]
    public void The_local_file_merges_into_isc_json_key_by_key()
    {
        Write("isc.json", """
            // committed
            {
              "profile": "demo",
              "inputs": { "trainImages": "committed/train", "files": { "Pretrained:resnet50": "weights/resnet50.pth" } },
              "set": { "Dataset:isc_100k_256_big": { "seed": 3, "jpegQuality": 90 }, "Trainings": { "epochs": 2 } },
              "slurm": { "partition": "gpu", "account": "lab" }
            }
            """);
        Write("isc.local.json", """
            {
              "inputs": { "trainImages": "/data/disc21/train" },
              "set": { "Dataset:isc_100k_256_big": { "seed": 7 } },
              "slurm": { "account": "me" }
            }
            """);
        var config = BuildConfig.Load(_dir, null);
        Assert.That(config["train-images"], Is.EqualTo("/data/disc21/train"));
        Assert.That(config.Files, Does.ContainKey("Pretrained:resnet50"), "a local inputs section must not drop isc.json's inputs.files");
        Assert.That(config.Files["Pretrained:resnet50"], Is.EqualTo(Path.Combine(_dir, "weights/resnet50.pth")));
        Assert.That(config["profile"], Is.EqualTo("demo"));
        Assert.That(config.Sets, Is.EquivalentTo(new[]
        {
            ("Dataset:isc_100k_256_big", "seed", "7"), ("Dataset:isc_100k_256_big", "jpegQuality", "90"), ("Trainings", "epochs", "2"),
        }));
        Assert.That(config.Sections["slurm"]["partition"]!.GetValue<string>(), Is.EqualTo("gpu"));
        Assert.That(config.Sections["slurm"]["account"]!.GetValue<string>(), Is.EqualTo("me"));
    }

    [Test]
    public void The_real_build_refuses_a_bad_config_file_before_any_work()
    {
        var artifacts = Path.Combine(_dir, "artifacts");
        var file = Write("typo.json", """{ "inputs": { "trainImages": 42 } }""");
        var r = Harness.Build("--profile=demo", $"--artifacts={artifacts}", $"--config={file}", "--target=Source");
        Assert.That(r.ExitCode, Is.EqualTo(2), r.ToString());
        Assert.That(r.Output, Does.Contain($"error: configuration file {file}: inputs.trainImages must be a string or null, got 42 (number)"));
        Assert.That(Directory.Exists(artifacts), Is.False, r.ToString());

        var sets = Write("sets.json", """{ "set": { "Dataset:isc_100k_256_big": { "OutputSize": -64 } } }""");
        r = Harness.Build("--profile=demo", $"--artifacts={artifacts}", $"--config={sets}", "--target=Source");
        Assert.That(r.ExitCode, Is.EqualTo(2), r.ToString());
        Assert.That(r.Output, Does.Contain($"configuration file {sets}: set.Dataset:isc_100k_256_big.OutputSize: OutputSize=-64 is not accepted"));
        Assert.That(Directory.Exists(artifacts), Is.False, r.ToString());
    }
}
