using Isc.Cli.Commands;
using Isc.Evaluation;
using Isc.Recipe;
using Isc.Recipe.Layouts;
using NUnit.Framework;

namespace Isc.Cli.Tests;

/// <summary>`isc compare` on crafted metrics.json files: exit codes, the two files, the tolerance's source, the run list.</summary>
[TestFixture]
public class CompareCommandTests
{
    string set = "";

    [SetUp]
    public void CreateFolder() => set = Directory.CreateTempSubdirectory("isc-compare-cmd-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(set, true);

    static Task<int> Run(params string[] args) => new CompareCommand().RunAsync(new CommandArgs(args), CancellationToken.None);

    void Metrics(string model, double averagePrecision)
    {
        var folder = EvaluationFolder.ModelDirectory(set, model);
        Directory.CreateDirectory(folder);
        new MatchingMetrics(averagePrecision, 0.1, 0.9, 0.2, 0.3, 40, 40, 20, 400, 0).Save(EvaluationFolder.Metrics(folder));
    }

    void Run3(string run, double rebuilt, double published)
    {
        var r = Runs.Get(run);
        Metrics(EvaluationFolder.ModelName(r), rebuilt);
        Metrics(EvaluationFolder.PublishedModelName(r), published);
        Metrics(EvaluationFolder.PretrainedModelName(r.Backbone), 0.1);
    }

    string Json => Path.Combine(set, EvaluationFolder.ComparisonJsonFileName);
    string Table => Path.Combine(set, EvaluationFolder.ComparisonTableFileName);

    [Test]
    public async Task Every_run_passing_exits_0_and_writes_both_files()
    {
        Run3("baseline_CC_50", 0.6, 0.6);
        Run3("baseline_CC_152", 0.59, 0.6);
        Assert.That(await Run("--set-dir", set, "--out", Json, "--runs", "baseline_CC_50,baseline_CC_152", "--profile", "demo"), Is.Zero);
        Assert.That(ModelComparison.Load(Json).Runs.Select(r => r.Verdict), Is.All.EqualTo(ComparisonVerdict.Pass));
        Assert.That(File.ReadAllLines(Table)[^1], Is.EqualTo("2 of 2 runs pass (tolerance 0.02)"));
    }

    [Test]
    public async Task A_failing_run_exits_1_and_the_files_are_still_written()
    {
        Run3("baseline_CC_50", 0.48, 0.5);
        Run3("baseline_CC_152", 0.48 - 1e-6, 0.5);
        var error = new StringWriter();
        var stderr = Console.Error;
        Console.SetError(error);
        int code;
        try { code = await Run("--set-dir", set, "--out", Json, "--runs", "baseline_CC_50,baseline_CC_152", "--tolerance", "0.02"); }
        finally { Console.SetError(stderr); }
        Assert.That(code, Is.EqualTo(1));
        Assert.That(error.ToString(), Does.Contain("1 of 2 runs fail").And.Contain("baseline_CC_152").And.Not.Contain("baseline_CC_50,"));
        Assert.That(ModelComparison.Load(Json).FailedRuns, Is.EqualTo(new[] { "baseline_CC_152" }));
        Assert.That(File.ReadAllLines(Table)[^1], Is.EqualTo("1 of 2 runs pass (tolerance 0.02)"));
    }

    [Test]
    public async Task With_exit_zero_a_failing_run_exits_0_once_the_files_hold_the_verdict()
    {
        Run3("baseline_CC_50", 0.3, 0.5);
        Assert.That(await Run("--set-dir", set, "--out", Json, "--runs", "baseline_CC_50", "--exit-zero"), Is.Zero);
        Assert.That(ModelComparison.Load(Json).FailedRuns, Is.EqualTo(new[] { "baseline_CC_50" }));
    }

    [Test]
    public async Task Without_runs_all_33_are_compared_and_the_missing_ones_are_incomplete()
    {
        Run3("baseline_CC_50", 0.6, 0.6);
        Assert.That(await Run("--set-dir", set, "--out", Json), Is.Zero, "incomplete runs do not fail");
        var c = ModelComparison.Load(Json);
        Assert.That(c.Runs.Select(r => r.Run), Is.EqualTo(Runs.All.Select(r => r.Name)));
        Assert.That((c.Passed, c.Failed, c.Incomplete), Is.EqualTo((1, 0, 32)));
        Assert.That(c.Runs.Single(r => r.Run == "baseline_CC_152").Missing,
            Is.EqualTo(new[] { "baseline_CC_152/metrics.json", "Published_baseline_CC_152/metrics.json", "Pretrained_resnet152/metrics.json" }));
    }

    [Test]
    public async Task The_tolerance_comes_from_the_step_spec()
    {
        Run3("baseline_CC_50", 0.45, 0.5);
        using var specs = new SpecFiles();
        var spec = specs.Write("Compare:demo", Profiles.Demo with { Evaluation = Profiles.Demo.Evaluation with { CompareTolerance = 0.1 } });
        Assert.That(await Run("--set-dir", set, "--out", Json, "--runs", "baseline_CC_50", "--settings", spec), Is.Zero);
        Assert.That(ModelComparison.Load(Json).Tolerance, Is.EqualTo(0.1));
        Assert.That(await Run("--set-dir", set, "--out", Json, "--runs", "baseline_CC_50", "--profile", "demo"), Is.EqualTo(1),
            $"the demo profile's {Profiles.Demo.Evaluation.CompareTolerance}");
    }

    [Test]
    public void A_damaged_metrics_file_is_an_error_naming_it()
    {
        Run3("baseline_CC_50", 0.6, 0.6);
        var damaged = EvaluationFolder.Metrics(EvaluationFolder.ModelDirectory(set, "baseline_CC_50"));
        File.WriteAllText(damaged, "not json at all");
        var e = Assert.ThrowsAsync<InvalidDataException>(() => Run("--set-dir", set, "--out", Json, "--runs", "baseline_CC_50"));
        Assert.That(e!.Message, Does.Contain(damaged));
    }

    [TestCase(new[] { "--runs", "baseline_CC_18" }, "unknown run 'baseline_CC_18'")]
    [TestCase(new[] { "--runs", "baseline_CC_50,baseline_CC_50" }, "twice")]
    [TestCase(new[] { "--tolerance", "-0.1" }, "--tolerance must be")]
    public void The_options_are_checked(string[] args, string message)
    {
        var e = Assert.ThrowsAsync<UsageException>(() => Run([.. args, "--set-dir", set, "--out", Json]));
        Assert.That(e!.Message, Does.Contain(message));
    }

    [Test]
    public void A_missing_set_folder_is_a_usage_error_naming_it()
    {
        var absent = Path.Combine(set, "subset1");
        var e = Assert.ThrowsAsync<UsageException>(() => Run("--set-dir", absent, "--out", Json));
        Assert.That(e!.Message, Does.Contain(absent));
    }
}
