using System.Text.Json.Nodes;
using Isc.Build.Core;
using Isc.Build.Executors.Slurm;
using Isc.Build.Host;
using Isc.Recipe;
using NUnit.Framework;

namespace Isc.Build.Tests;

/// <summary>The "slurm" configuration section and the catalog's per-kind resources (no cluster needed).</summary>
[TestFixture]
public class SlurmConfigTests
{
    static SlurmConfig Parse(string json) => SlurmConfig.Parse(JsonNode.Parse(json)!.AsObject());

    [Test]
    public void Every_kind_of_the_graph_has_resources_and_only_the_steps_that_run_networks_ask_for_gpus()
    {
        foreach (var profile in Profiles.All)
            foreach (var kind in StepResourceCatalog.Kinds)
            {
                var r = StepResourceCatalog.For(profile, kind);
                Assert.That(r.Gpus, Is.EqualTo(kind is "training" or "features" or "pca" ? 1 : 0), $"{profile.Name}/{kind}");
                Assert.That(r.Cpus, Is.Positive);
                Assert.That(r.MemoryMb, Is.Positive);
                Assert.That(r.Time, Is.GreaterThan(TimeSpan.Zero));
            }
        Assert.That(StepResourceCatalog.For(Profiles.Paper, "training").SlurmTime, Is.EqualTo("3-00:00:00"));
        Assert.That(StepResourceCatalog.For(Profiles.Demo, "dataset").SlurmTime, Is.EqualTo("00:15:00"));
    }

    [Test]
    public void Overrides_replace_only_the_fields_they_name()
    {
        var config = Parse("""{ "resources": { "training": { "gpus": 2, "memory": "96G", "time": "1-12:00" } }, "extraArgs": "--qos=long --exclusive" }""");
        var r = config.ResourcesFor(Profiles.Paper, "training");
        Assert.That(r, Is.EqualTo(StepResourceCatalog.For(Profiles.Paper, "training") with { Gpus = 2, MemoryMb = 96 * 1024, Time = new TimeSpan(1, 12, 0, 0) }));
        Assert.That(config.ResourcesFor(Profiles.Paper, "dataset"), Is.EqualTo(StepResourceCatalog.For(Profiles.Paper, "dataset")));
        Assert.That(config.ExtraArgs, Is.EqualTo(new[] { "--qos=long", "--exclusive" }));
        Assert.That(config.Poll, Is.EqualTo(TimeSpan.FromSeconds(5)));
        Assert.That(config.CheckStorage, Is.True);
    }

    [TestCase("""{ "partitoin": "gpu" }""", "unknown key \"partitoin\"")]
    [TestCase("""{ "resources": { "trainig": { "gpus": 1 } } }""", "slurm.resources.trainig: unknown step kind")]
    [TestCase("""{ "resources": { "training": { "gpu": 1 } } }""", "slurm.resources.training.gpu: unknown")]
    [TestCase("""{ "resources": { "training": { "memory": "lots" } } }""", "memory 'lots' is not a size")]
    [TestCase("""{ "resources": { "training": { "time": "1 day" } } }""", "time '1 day' is not a Slurm time")]
    [TestCase("""{ "pollSeconds": -1 }""", "slurm.pollSeconds must be a non-negative number")]
    [TestCase("""{ "partition": 3 }""", "slurm.partition must be a string")]
    public void Bad_configuration_names_the_key_and_what_is_expected(string json, string expected)
    {
        var e = Assert.Throws<BuildUsageException>(() => Parse(json).ResourcesFor(Profiles.Paper, "training"));
        Assert.That(e!.Message, Does.Contain(expected));
    }

    [TestCase("90", 0, 1, 30, 0)]
    [TestCase("12:00:00", 0, 12, 0, 0)]
    [TestCase("2-00:00:00", 2, 0, 0, 0)]
    [TestCase("1-06", 1, 6, 0, 0)]
    [TestCase("05:30", 0, 0, 5, 30)]
    public void Slurm_time_formats_parse(string text, int d, int h, int m, int s) =>
        Assert.That(StepResources.ParseTime(text), Is.EqualTo(new TimeSpan(d, h, m, s)));

    [TestCase("512", 512)]
    [TestCase("512M", 512)]
    [TestCase("64G", 65536)]
    [TestCase("1t", 1048576)]
    public void Memory_sizes_parse(string text, int mb) => Assert.That(StepResources.ParseMemoryMb(text), Is.EqualTo(mb));

    [Test]
    public void Executor_options_are_checked()
    {
        Assert.That(BuildOptions.Parse(["--executor=slurm", "--detach"]).Detach, Is.True);
        Assert.That(BuildOptions.Parse([]).Executor, Is.EqualTo("local"));
        Assert.That(Assert.Throws<BuildUsageException>(() => BuildOptions.Parse(["--executor=pbs"]))!.Message, Does.Contain("--executor must be 'local' or 'slurm'"));
        Assert.That(Assert.Throws<BuildUsageException>(() => BuildOptions.Parse(["--detach"]))!.Message, Does.Contain("--detach only applies to --executor=slurm"));
    }

    [Test]
    public void The_job_script_holds_the_resources_and_the_same_worker_command_as_a_local_build()
    {
        var dir = Path.Combine(Path.GetTempPath(), "isc-jobscript-" + Guid.NewGuid().ToString("N"));
        try
        {
            var config = Parse("""{ "partition": "gpu", "account": "proj1", "extraArgs": ["--qos=high"], "launcher": "apptainer exec /images/isc.sif" }""");
            var script = JobScript.Write(Path.Combine(dir, "x.sbatch"), "isc-Train@a", new StepResources(1, 8, 65536, TimeSpan.FromDays(3)), config,
                "/repo", "/art/.logs/x.log", ["/repo/tools/isc", "step", "--spec", "/art/my spec.json"], "Makes Train:a");
            var text = File.ReadAllText(script);
            foreach (var line in new[] { "#SBATCH --gres=gpu:1", "#SBATCH --cpus-per-task=8", "#SBATCH --mem=65536M", "#SBATCH --time=3-00:00:00",
                         "#SBATCH --partition=gpu", "#SBATCH --account=proj1", "#SBATCH --qos=high", "#SBATCH --output=/art/.logs/x.log", "#SBATCH --chdir=/repo",
                         "apptainer exec /images/isc.sif /repo/tools/isc step --spec '/art/my spec.json'" })
                Assert.That(text, Does.Contain(line + "\n"));
            // bash accepts it
            var check = Harness.Run("bash", ["-n", script], TimeSpan.FromSeconds(10));
            Assert.That(check.ExitCode, Is.EqualTo(0), check.ToString());
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }

    [TestCase("/art/.stamps/x\n#SBATCH --wrap=evil.spec.json", "U+000A")]
    [TestCase("/art/x\r.spec.json", "U+000D")]
    [TestCase("/art/x\u001b[2J.spec.json", "U+001B")]
    public void The_job_script_refuses_an_argument_with_a_control_character(string spec, string shown)
    {
        var dir = Path.Combine(Path.GetTempPath(), "isc-jobscript-" + Guid.NewGuid().ToString("N"));
        try
        {
            var path = Path.Combine(dir, "x.sbatch");
            var e = Assert.Throws<BuildUsageException>(() => JobScript.Write(path, "isc-Train@a", new StepResources(1, 8, 65536, TimeSpan.FromDays(3)),
                Parse("{}"), "/repo", "/art/.logs/x.log", ["/repo/tools/isc", "step", "--spec", spec], "Makes Train:a"));
            Assert.That(e!.Message, Does.Contain("control character").And.Contain(shown).And.Contain("--spec"));
            Assert.That(File.Exists(path), Is.False, "no script is written");

            Assert.Throws<BuildUsageException>(() => JobScript.Write(path, "isc-Train@a", new StepResources(1, 8, 65536, TimeSpan.FromDays(3)),
                Parse("{}"), "/repo", "/art/.logs/x\n.log", ["/repo/tools/isc", "step", "--spec", "/art/ok.json"], "Makes Train:a"), "the log path is checked too");
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }
}
