using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Isc.Artifacts;
using NUnit.Framework;

namespace Isc.Build.Tests;

/// <summary>
/// What a rebuild may trust. Each test starts from a copy of one built demo chain (dataset, backbone, training and
/// trimmed model of baseline_CC_50). A step resumes only from work made for the same identity (inputs, parameters,
/// step version): after one kind of input changes, the trimmed model is really rebuilt (its bytes change) and Verify
/// agrees. Temporary files a killed step left are removed when the step runs again.
/// </summary>
[TestFixture]
public class TrustworthyRebuildTests
{
    const string Model = "Model:baseline_CC_50";
    const string TrimmedModel = "V5_baseline_CC/baseline_cc_50.pth.tar";
    const string RunFolder = "logs/baseline_CC/50";

    string _base = "";
    string _baseModelSha = "";
    string _root = "";
    string Demo => Path.Combine(_root, "demo");

    [OneTimeSetUp]
    public void BuildOneChain()
    {
        _base = Harness.TempRoot("identity-base");
        var first = Harness.Build("--profile=demo", $"--artifacts={_base}", $"--target={Model}");
        Assert.That(first.ExitCode, Is.EqualTo(0), first.ToString());
        _baseModelSha = Sha(Path.Combine(_base, "demo", TrimmedModel));
    }

    [OneTimeTearDown]
    public void RemoveBase()
    {
        if (Directory.Exists(_base)) Directory.Delete(_base, recursive: true);
    }

    [SetUp]
    public void CopyBase()
    {
        _root = Harness.TempRoot("identity");
        // cp -a keeps modification times, so the copy is as up to date as the original.
        var copy = Harness.Run("cp", ["-a", Path.Combine(_base, "demo"), _root], TimeSpan.FromMinutes(1));
        Assert.That(copy.ExitCode, Is.EqualTo(0), copy.ToString());
    }

    [TearDown]
    public void RemoveCopy()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    Harness.Result Build(params string[] extra) => Harness.Build([.. extra, "--profile=demo", $"--artifacts={_root}"]);

    string TrainLog => File.ReadAllText(Path.Combine(Demo, ".logs", "Train@baseline_CC_50.log"));

    static string Sha(string path) => Sha(File.ReadAllBytes(path));

    static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    void AssertRetrainedAndVerified(Harness.Result rebuilt, string[] sets, string because, string? previousSha = null)
    {
        Assert.That(rebuilt.ExitCode, Is.EqualTo(0), rebuilt.ToString());
        Assert.That(Harness.Built(rebuilt.Output), Does.Contain("Train:baseline_CC_50").And.Contain(Model), rebuilt.Output);
        Assert.That(Sha(Path.Combine(Demo, TrimmedModel)), Is.Not.EqualTo(previousSha ?? _baseModelSha), "the trimmed model kept the old weights");
        Assert.That(TrainLog, Does.Contain($"discarded {RunFolder} (it was made from other inputs or settings: {because}"));
        Assert.That(TrainLog, Does.Not.Contain("already finished"));
        var verify = Build([.. sets, "--target=Verify"]);
        Assert.That(verify.ExitCode, Is.EqualTo(0), verify.ToString());
        Assert.That(verify.Output, Does.Match($@"{Model}\s+ok"));
    }

    [Test]
    public void A_changed_dataset_parameter_retrains_from_scratch_instead_of_resuming_the_old_run()
    {
        string[] sets = ["--set=Dataset:isc_100k_256_big.seed=7"];
        AssertRetrainedAndVerified(Build([.. sets, $"--target={Model}"]), sets, "input Dataset:isc_100k_256_big changed");
    }

    [Test]
    public void A_changed_training_setting_retrains_from_scratch()
    {
        string[] sets = ["--set=Train:baseline_CC_50.seed=5"];
        AssertRetrainedAndVerified(Build([.. sets, $"--target={Model}"]), sets, "parameter training.Seed 2021 → 5");
    }

    [Test]
    public void A_changed_pretrained_file_retrains_from_scratch()
    {
        var mine = Path.Combine(_root, "my_resnet50.pth");
        Backbone(mine, seed: 99);
        // A configuration of the test's own, so the repository's downloads.lock.json is never written.
        var config = Path.Combine(_root, "isc.test.json");
        File.WriteAllText(config, JsonSerializer.Serialize(new Dictionary<string, string> { ["downloadsLock"] = Path.Combine(_root, "lock.json") }));
        string[] options = [$"--config={config}", $"--file:Pretrained:resnet50={mine}"];
        AssertRetrainedAndVerified(Build([.. options, $"--target={Model}"]), options, "input Pretrained:resnet50 changed");

        // The same path with other content is another input too (its pin must go first: it is not the pinned file).
        var first = Sha(Path.Combine(Demo, TrimmedModel));
        Backbone(mine, seed: 100);
        File.Delete(Path.Combine(_root, "lock.json"));
        AssertRetrainedAndVerified(Build([.. options, $"--target={Model}"]), options, "input Pretrained:resnet50 changed", first);
    }

    static void Backbone(string path, int seed)
    {
        var made = Harness.Isc("synth-pretrained", "--profile", "demo", "--backbone", "resnet50", "--out", path, "--seed", seed.ToString());
        Assert.That(made.ExitCode, Is.EqualTo(0), made.ToString());
    }

    [Test]
    public void A_changed_step_version_discards_the_state_of_the_old_version()
    {
        // Another run's valid final checkpoint: found in the run folder and resumed, it would be taken as finished.
        Assert.That(Build("--set=Train:baseline_CC_50.seed=5", "--target=Train:baseline_CC_50").ExitCode, Is.EqualTo(0));
        var final = Path.Combine(Demo, RunFolder, "checkpoint_2.pth.tar");
        var foreign = File.ReadAllBytes(final);
        var second = Build("--target=Train:baseline_CC_50");
        Assert.That(second.ExitCode, Is.EqualTo(0), second.ToString() + "\nTRAINLOG:\n" + TrainLog);
        var original = Sha(final);
        Assert.That(Convert.ToHexStringLower(SHA256.HashData(foreign)), Is.Not.EqualTo(original), "the planted checkpoint must differ from the one the step makes");
        File.WriteAllBytes(final, foreign);

        // The spec a newer build (train step version + 1) hands the worker, over the state the current version left.
        var spec = JsonNode.Parse(File.ReadAllText(Path.Combine(Demo, ".stamps", "Train@baseline_CC_50.spec.json")))!.AsObject();
        var version = spec["stepVersion"]!.GetValue<int>();
        spec["stepVersion"] = version + 1;
        var newer = Path.Combine(_root, "newer.spec.json");
        File.WriteAllText(newer, spec.ToJsonString());

        var run = Harness.Isc("step", "--spec", newer);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(Sha(final), Is.EqualTo(original), "the step kept the checkpoint it found instead of training again");
        Assert.That(run.Output, Does.Contain($"discarded {RunFolder} (it was made from other inputs or settings: step train v{version} → train v{version + 1}"));
        Assert.That(run.Output, Does.Not.Contain("already finished"));
        Assert.That(new StampStore(Demo).Read("Train:baseline_CC_50")!.StepVersion, Is.EqualTo(version + 1));
    }

    [Test]
    public void Temporary_files_left_by_killed_writers_are_removed_when_their_step_or_task_runs_again()
    {
        string Orphan(string dir, string name)
        {
            var path = Path.Combine(Demo, dir, $".{name}.999999.{Guid.NewGuid():N}.tmp");
            File.WriteAllText(path, "half written");
            return path;
        }
        var trim = Orphan("V5_baseline_CC", "baseline_cc_50.pth.tar");
        var stamp = Orphan(".stamps", "Model@baseline_CC_50.json");
        var report = Orphan("", "report.html");
        var othersTrim = Orphan("V5_baseline_CC", "baseline_cc_152.pth.tar");

        Assert.That(Build($"--target=Clean:{Model}").ExitCode, Is.EqualTo(0));
        var rebuilt = Build($"--target={Model}");
        Assert.That(rebuilt.ExitCode, Is.EqualTo(0), rebuilt.ToString());
        Assert.That(File.Exists(trim), Is.False, "the trim step's own leftover");
        Assert.That(File.Exists(stamp), Is.False, "the leftover of the artifact's stamp");
        Assert.That(File.Exists(othersTrim), Is.True, "another artifact's leftover waits for that artifact's step");
        Assert.That(Build("--target=Report").ExitCode, Is.EqualTo(0));
        Assert.That(File.Exists(report), Is.False, "the report's leftover");
    }
}
