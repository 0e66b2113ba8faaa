using Isc.Artifacts;
using NUnit.Framework;

namespace Isc.Build.Tests;

/// <summary>
/// --executor=slurm against a real single-node Slurm cluster (.ci/slurm-up.sh: 127.0.0.1, 4 fake GPUs): the real
/// ./build.sh submits the demo profile's steps as batch jobs, which run the real worker and write real stamps.
/// </summary>
[TestFixture, NonParallelizable]
public class SlurmExecutorTests
{
    string _root = "";
    string _config = "";
    string Demo => Path.Combine(_root, "demo");

    [OneTimeSetUp]
    public void Cluster() => SlurmCluster.RequireRunning();

    [SetUp]
    public void SetUp()
    {
        _root = Harness.TempRoot("slurm");
        _config = WriteConfig("""{ "slurm": { "pollSeconds": 1 } }""");
    }

    [TearDown]
    public void TearDown()
    {
        if (_root == "") return;
        SlurmCluster.CancelLeftovers(_root);
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    string WriteConfig(string json)
    {
        var path = Path.Combine(_root, $"isc-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    Harness.Result Build(params string[] extra) =>
        Harness.Build([.. extra, "--profile=demo", $"--artifacts={_root}", "--executor=slurm", $"--config={_config}"]);

    const string Dataset = "Dataset:isc_100k_256_big";
    const string Models = "Models:isc_100k_256_big"; // the dataset, its 3 trainings and 3 trimmed models
    static readonly string[] Runs = ["baseline_CC_50", "baseline_CC_152", "baseline_CC_ibn"];

    [Test]
    public void Detached_then_waiting_build_submits_no_duplicates_runs_in_graph_order_with_gpus_for_trainings_and_the_next_build_does_nothing()
    {
        var detached = Build($"--target={Models}", "--device=cpu", "--detach");
        Assert.That(detached.ExitCode, Is.EqualTo(0), detached.ToString());
        var jobs = SlurmCluster.Submitted(detached.Output);
        Assert.That(jobs.Keys, Is.SupersetOf(new[] { "Source", "Overlays", Dataset }.Concat(Runs.Select(r => "Train:" + r)).Concat(Runs.Select(r => "Model:" + r))), detached.Output);
        Assert.That(detached.Output, Does.Contain($"{Dataset}: submitted as job {jobs[Dataset]} after job(s) {jobs["Source"]}, {jobs["Overlays"]}"));
        Assert.That(SlurmCluster.Show(jobs[Dataset])["Dependency"], Does.Contain($"afterok:{jobs["Source"]}"));
        foreach (var run in Runs)
        {
            Assert.That(SlurmCluster.Show(jobs["Model:" + run])["Dependency"], Does.StartWith($"afterok:{jobs["Train:" + run]}"));
            Assert.That(SlurmCluster.Show(jobs["Train:" + run]).GetValueOrDefault("TresPerNode"), Is.EqualTo("gres:gpu:1"), "a training asks for one GPU");
            Assert.That(SlurmCluster.Show(jobs["Model:" + run]).GetValueOrDefault("TresPerNode"), Is.Null.Or.EqualTo("N/A"), "a trim asks for none");
        }
        Assert.That(detached.Output, Does.Contain("queued on the cluster and not waited for (--detach)"));

        // While those jobs are queued or running, a second build adopts them and waits: nothing is submitted twice.
        var waiting = Build($"--target={Models}", "--device=cpu");
        Assert.That(waiting.ExitCode, Is.EqualTo(0), waiting.ToString());
        Assert.That(SlurmCluster.Submitted(waiting.Output), Is.Empty, waiting.Output);
        Assert.That(waiting.Output, Does.Contain($"as job {jobs[Dataset]} (submitted").And.Contain("not submitted again"));
        Assert.That(waiting.Output, Does.Match($@"job \d+\s+RUNNING\s+\S+ on \S+; log {Demo}/.logs/\S+\.log"), "states are shown with the log path");
        // (Fast first steps may have finished before this build looked: those are simply up to date.)
        foreach (var id in jobs.Keys.Where(k => k.StartsWith("Train:") || k.StartsWith("Model:")))
            Assert.That(waiting.Output, Does.Match($@"{id}\s+built\s+\S+\s+job {jobs[id]} on \S+"), $"{id} is reported with its job:\n{waiting.Output}");

        // The stamps the jobs wrote: each step started after its inputs finished.
        var store = new StampStore(Demo);
        var stamps = jobs.Keys.ToDictionary(id => id, id => store.Read(id)!);
        Assert.That(stamps.Values, Has.None.Null);
        Assert.That(stamps[Dataset].StartedUtc, Is.GreaterThanOrEqualTo(stamps["Source"].FinishedUtc));
        Assert.That(stamps[Dataset].StartedUtc, Is.GreaterThanOrEqualTo(stamps["Overlays"].FinishedUtc));
        foreach (var run in Runs)
        {
            Assert.That(stamps["Train:" + run].StartedUtc, Is.GreaterThanOrEqualTo(stamps[Dataset].FinishedUtc));
            Assert.That(stamps["Model:" + run].StartedUtc, Is.GreaterThanOrEqualTo(stamps["Train:" + run].FinishedUtc));
            // Slurm handed the training one of the node's (fake) GPUs, and the step saw it.
            Assert.That(File.ReadAllText(Path.Combine(Demo, ".logs", $"Train@{run}.log")),
                Does.Match($@"slurm job {jobs["Train:" + run]} on .*CUDA_VISIBLE_DEVICES=[0-3]\b"));
        }

        var third = Build($"--target={Models}", "--device=cpu");
        Assert.That(third.ExitCode, Is.EqualTo(0), third.ToString());
        Assert.That(third.Output, Does.Contain("0 built").And.Not.Contain("submitted as job").And.Not.Contain("probe job"));
    }

    [Test]
    public void A_failed_job_shows_its_log_tail_and_Slurm_cancels_its_dependents()
    {
        // A file where the Source step makes its folder: the worker fails at run time and exits non-zero
        // (an invalid setting such as trainingImages=0 is refused before anything is submitted).
        Directory.CreateDirectory(Demo);
        File.WriteAllText(Path.Combine(Demo, "source"), "in the way");
        const string failure = "Could not find a part of the path";
        var detached = Build("--target=Dataset:isc_100k_256_big_ff", "--detach");
        Assert.That(detached.ExitCode, Is.EqualTo(0), detached.ToString());
        var jobs = SlurmCluster.Submitted(detached.Output);
        Assert.That(jobs.Keys, Is.EquivalentTo(new[] { "Source", "Overlays", "Faces", "Dataset:isc_100k_256_big_ff" }), detached.Output);

        // No build is watching: Slurm itself cancels the dependents (--kill-on-invalid-dep), none is left pending.
        SlurmCluster.WaitUntilFinished(jobs.Values, TimeSpan.FromMinutes(2));
        Assert.That(SlurmCluster.Show(jobs["Source"])["JobState"], Is.EqualTo("FAILED"));
        foreach (var dependent in new[] { "Faces", "Dataset:isc_100k_256_big_ff" })
        {
            var job = SlurmCluster.Show(jobs[dependent]);
            Assert.That((job["JobState"], job["Reason"]), Is.EqualTo(("CANCELLED", "DependencyNeverSatisfied")), dependent);
        }
        Assert.That(SlurmCluster.Show(jobs["Overlays"])["JobState"], Is.EqualTo("COMPLETED"), "an independent step still runs");

        // A watching build resubmits what is stale and reports the failure clearly.
        var watched = Build("--target=Dataset:isc_100k_256_big_ff");
        Assert.That(watched.ExitCode, Is.EqualTo(1), watched.ToString());
        var again = SlurmCluster.Submitted(watched.Output);
        Assert.That(again.Keys, Is.EquivalentTo(new[] { "Source", "Faces", "Dataset:isc_100k_256_big_ff" }), "Overlays is up to date:\n" + watched.Output);
        Assert.That(watched.Output, Does.Contain($"Source: job {again["Source"]} FAILED (NonZeroExitCode)"));
        Assert.That(watched.Output, Does.Contain(failure), "the log tail is shown");
        Assert.That(watched.Output, Does.Contain($"Full log: {Demo}/.logs/Source.log"));
        Assert.That(watched.Output, Does.Contain($"Its dependents are cancelled, not left pending (--kill-on-invalid-dep): Faces (job {again["Faces"]}), Dataset:isc_100k_256_big_ff (job {again["Dataset:isc_100k_256_big_ff"]})"));
        Assert.That(watched.Output, Does.Match($@"job {again["Faces"]}\s+CANCELLED\s+Faces \(an input's job failed\)"));
        Assert.That(watched.Output.Split('\n').Count(l => l.Contains(failure)), Is.EqualTo(1), "only this job's part of the log is shown");
        Assert.That(watched.Output, Does.Contain("1 failed, 2 skipped"));
        Assert.That(again.Values.Any(SlurmCluster.Active), Is.False, "no job of the failed build is left queued");
    }

    [Test]
    public void A_queued_job_that_makes_an_artifact_with_other_settings_is_not_adopted_and_the_build_says_what_to_do()
    {
        var held = WriteConfig("""{ "slurm": { "pollSeconds": 1, "checkStorage": false, "extraArgs": ["--hold"] } }""");
        var detached = Harness.Build("--target=Source", "--detach", "--profile=demo", $"--artifacts={_root}", "--executor=slurm", $"--config={held}");
        Assert.That(detached.ExitCode, Is.EqualTo(0), detached.ToString());
        var job = SlurmCluster.Submitted(detached.Output)["Source"];
        Assert.That(SlurmCluster.Show(job)["JobState"], Is.EqualTo("PENDING"), "held in the queue");

        // Plan says which stale artifact a queued job of an earlier build is making.
        var plan = Harness.Build("--target=Plan", "--profile=demo", $"--artifacts={_root}");
        Assert.That(plan.ExitCode, Is.EqualTo(0), plan.ToString());
        Assert.That(plan.Output, Does.Match($@"being made: Slurm job {job} PENDING .*submitted"));
        Assert.That(plan.Output, Does.Contain("1 of the stale artifacts are being made by Slurm jobs of an earlier build."));

        var changed = Build("--target=Source", "--set=Source.trainingImages=170");
        Assert.That(changed.ExitCode, Is.Not.EqualTo(0), changed.ToString());
        Assert.That(changed.Output, Does.Contain($"Source: job {job}").And.Contain("is still PENDING and makes it with other settings"));
        Assert.That(changed.Output, Does.Contain($"scancel {job}"));
        Assert.That(SlurmCluster.Submitted(changed.Output), Is.Empty);
    }

    [Test]
    public void Resources_partition_account_and_extra_arguments_come_from_the_catalog_and_the_configuration()
    {
        _config = WriteConfig("""
            { "slurm": { "pollSeconds": 1, "partition": "debug", "account": "isc-tests", "extraArgs": ["--comment=isc-test-run"],
                         "resources": { "overlays": { "gpus": 1, "cpus": 2, "memory": "1500M", "time": "20" } } } }
            """);
        var r = Build("--target=Source");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
        var source = SlurmCluster.Show(SlurmCluster.Submitted(r.Output)["Source"]);
        Assert.That((source["NumCPUs"], source["MinMemoryNode"], source["TimeLimit"]), Is.EqualTo(("1", "1G", "00:15:00")), "the demo catalog's source resources");
        Assert.That((source["Partition"], source["Account"], source["Comment"]), Is.EqualTo(("debug", "isc-tests", "isc-test-run")));

        r = Build("--target=Overlays");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
        var overlays = SlurmCluster.Show(SlurmCluster.Submitted(r.Output)["Overlays"]);
        Assert.That((overlays["NumCPUs"], overlays["MinMemoryNode"], overlays["TimeLimit"]), Is.EqualTo(("2", "1500M", "00:20:00")), "overridden in the configuration");
        Assert.That(overlays["TresPerNode"], Is.EqualTo("gres:gpu:1"));
        Assert.That(File.ReadAllText(Path.Combine(Demo, ".logs", "Overlays.log")), Does.Match(@"\[Overlays\] step .* CUDA_VISIBLE_DEVICES=[0-3]\b"));
    }

    [Test]
    public void An_artifacts_root_the_nodes_do_not_share_is_a_clear_error_before_anything_is_submitted()
    {
        // The launcher runs each job in a private mount namespace with an empty file system over the artifacts
        // root: a node whose "same path" is its own local disk.
        _config = WriteConfig($$"""
            { "slurm": { "pollSeconds": 1,
                         "launcher": "unshare --mount --propagation private sh -c 'mount -t tmpfs node-local {{_root}} && exec \"$0\" \"$@\"'" } }
            """);
        var r = Build("--target=Source");
        Assert.That(r.ExitCode, Is.Not.EqualTo(0), r.ToString());
        Assert.That(r.Output, Does.Contain($"the artifacts root {Demo} is not shared with the cluster's nodes"));
        Assert.That(r.Output, Does.Contain("put it on shared storage (--artifacts=/shared/path"));
        Assert.That(SlurmCluster.Submitted(r.Output), Is.Empty, r.Output);
        Assert.That(Directory.Exists(Path.Combine(Demo, ".stamps")) ? Directory.GetFiles(Path.Combine(Demo, ".stamps"), "*.job") : [], Is.Empty);
    }
}
