using System.Text.RegularExpressions;
using Isc.Artifacts;
using NUnit.Framework;

namespace Isc.Build.Tests;

/// <summary>The stamp rules, shown with the real build program and worker on the demo inputs (real JPEGs on disk).</summary>
[TestFixture]
public class IncrementalBuildTests
{
    string _root = "";
    string Demo => Path.Combine(_root, "demo");

    [SetUp]
    public void SetUp() => _root = Harness.TempRoot("incr");

    [TearDown]
    public void TearDown()
    {
        if (_root != "" && Directory.Exists(_root)) try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    Harness.Result Build(params string[] extra) =>
        Harness.Build([.. extra, "--profile=demo", $"--artifacts={_root}"]);

    static double BuildSeconds(string output) =>
        double.Parse(Regex.Match(output, @"Build time ([\d.]+) s").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    [Test]
    public void Second_identical_build_runs_nothing_and_is_fast()
    {
        var first = Build("--target=Overlays");
        Assert.That(first.ExitCode, Is.EqualTo(0), first.ToString());
        Assert.That(Harness.Built(first.Output), Is.EqualTo(new[] { "Overlays" }));

        var second = Build("--target=Overlays");
        Assert.That(second.ExitCode, Is.EqualTo(0), second.ToString());
        Assert.That(Harness.Built(second.Output), Is.Empty);
        Assert.That(second.Output, Does.Contain("0 built, 1 up to date"));
        Assert.That(BuildSeconds(second.Output), Is.LessThan(2.0));
    }

    [Test]
    public void Touching_outputs_and_inputs_without_changing_them_triggers_nothing()
    {
        Assert.That(Build("--target=Overlays").ExitCode, Is.EqualTo(0));
        var later = DateTime.UtcNow.AddMinutes(5);
        File.SetLastWriteTimeUtc(Path.Combine(Demo, "overlays", "manifest.json"), later);
        File.SetLastWriteTimeUtc(Path.Combine(Demo, "overlays", "images", "O000003.jpg"), later);

        var again = Build("--target=Overlays");
        Assert.That(again.ExitCode, Is.EqualTo(0), again.ToString());
        Assert.That(Harness.Built(again.Output), Is.Empty, again.Output);
    }

    [Test]
    public void A_changed_parameter_rebuilds_only_that_artifact_and_plan_says_old_and_new()
    {
        Assert.That(Build("--target=Source").ExitCode, Is.EqualTo(0));
        Assert.That(Build("--target=Overlays").ExitCode, Is.EqualTo(0));

        var plan = Build("--target=Plan", "--set=Overlays.overlayImages=30");
        Assert.That(plan.Output, Does.Match(@"Overlays\s+stale\s+parameter count changed \(24 → 30\)"));
        Assert.That(plan.Output, Does.Match(@"Source\s+up to date"));

        var rebuilt = Build("--target=Overlays", "--set=Overlays.overlayImages=30");
        Assert.That(Harness.Built(rebuilt.Output), Is.EqualTo(new[] { "Overlays" }), rebuilt.Output);
        Assert.That(Directory.GetFiles(Path.Combine(Demo, "overlays", "images")), Has.Length.EqualTo(30));
        Assert.That(Harness.Built(Build("--target=Source").Output), Is.Empty);
    }

    [Test]
    public void A_deleted_output_is_rebuilt_and_plan_names_it()
    {
        Assert.That(Build("--target=Overlays").ExitCode, Is.EqualTo(0));
        File.Delete(Path.Combine(Demo, "overlays", "manifest.json"));
        Assert.That(Build("--target=Plan").Output, Does.Match(@"Overlays\s+stale\s+output overlays/manifest.json missing"));
        Assert.That(Harness.Built(Build("--target=Overlays").Output), Is.EqualTo(new[] { "Overlays" }));
    }

    [Test]
    public void A_bumped_step_version_makes_the_artifact_stale()
    {
        Assert.That(Build("--target=Overlays").ExitCode, Is.EqualTo(0));
        var store = new StampStore(Demo);
        var stamp = store.Read("Overlays")!;
        store.Write(stamp with { StepVersion = stamp.StepVersion - 1 });
        var plan = Build("--target=Plan");
        Assert.That(plan.Output, Does.Match($@"Overlays\s+stale\s+step version changed \(synth-images v{stamp.StepVersion - 1} → synth-images v{stamp.StepVersion}\)"));
    }

    [Test]
    public void Dry_run_says_what_would_run_and_why_and_builds_nothing()
    {
        var dry = Build("--target=Overlays", "--dryrun");
        Assert.That(dry.ExitCode, Is.EqualTo(0), dry.ToString());
        Assert.That(dry.Output, Does.Contain("would build  Overlays: never built"));
        Assert.That(Directory.Exists(Path.Combine(Demo, "overlays")), Is.False);
        Assert.That(new StampStore(Demo).Read("Overlays"), Is.Null);
    }

    [Test]
    public void A_step_killed_midway_leaves_no_stamp_and_the_next_build_resumes_it()
    {
        var big = "--set=Source.trainingImages=2400";
        using (var p = Harness.Start(Path.Combine(Harness.RepoRoot, "build.sh"), [big, "--target=Source", "--profile=demo", $"--artifacts={_root}"], out var output))
        {
            var images = Path.Combine(Demo, "source", "images");
            var deadline = DateTime.UtcNow.AddMinutes(3);
            while (DateTime.UtcNow < deadline && (!Directory.Exists(images) || Directory.GetFiles(images, "*.jpg").Length < 200)) Thread.Sleep(100);
            Assert.That(p.HasExited, Is.False, "the step finished before it could be interrupted:\n" + output);
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
        }
        var partial = Directory.GetFiles(Path.Combine(Demo, "source", "images"), "*.jpg").Length;
        Assert.That(partial, Is.InRange(1, 2399));
        Assert.That(new StampStore(Demo).Read("Source"), Is.Null, "an interrupted step must leave no stamp");
        Assert.That(Build("--target=Plan", big).Output, Does.Match(@"Source\s+stale\s+never built"));

        var resumed = Build("--target=Source", big);
        Assert.That(resumed.ExitCode, Is.EqualTo(0), resumed.ToString());
        Assert.That(Directory.GetFiles(Path.Combine(Demo, "source", "images"), "*.jpg"), Has.Length.EqualTo(2400));
        Assert.That(Directory.GetFiles(Path.Combine(Demo, "source", "images"), "*.tmp"), Is.Empty);
        Assert.That(new StampStore(Demo).Read("Source"), Is.Not.Null);
        // The resumed run wrote only the missing images: the synthesiser keeps finished files.
        Assert.That(DirectoryManifest.Load(Path.Combine(Demo, "source", "manifest.json")).Files, Has.Count.EqualTo(2400));
    }

    [Test]
    public void A_second_build_on_the_same_artifacts_is_refused_naming_the_holder()
    {
        Directory.CreateDirectory(Demo);
        using (BuildLock.Acquire(Demo, TimeSpan.Zero))
        {
            var refused = Build("--target=Overlays");
            Assert.That(refused.ExitCode, Is.EqualTo(2), refused.ToString());
            Assert.That(refused.Output, Does.Contain($"in use by build process {Environment.ProcessId}"));
        }
        Assert.That(Build("--target=Overlays").ExitCode, Is.EqualTo(0));
    }

    [Test]
    public void A_lock_left_by_a_dead_process_is_taken_over()
    {
        Directory.CreateDirectory(Demo);
        File.WriteAllText(Path.Combine(Demo, ".lock"), "");
        File.WriteAllText(Path.Combine(Demo, ".lock.holder.json"),
            """{ "pid": 999999, "host": "gone", "sinceUtc": "2026-01-01T00:00:00Z", "command": "build.sh" }""");
        var r = Build("--target=Overlays");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
        Assert.That(r.Output, Does.Contain("taking over the lock left by process 999999"));
    }

    [Test]
    public void A_failed_step_shows_its_log_tail_and_stops_the_build_unless_keep_going()
    {
        // A file where the Overlays step makes its folder: the step fails at run time (an invalid setting would be refused before any step).
        Directory.CreateDirectory(Demo);
        File.WriteAllText(Path.Combine(Demo, "overlays"), "in the way");
        var stopped = Build("--target=Dataset:isc_100k_256_big_ff");
        Assert.That(stopped.ExitCode, Is.EqualTo(1), stopped.ToString());
        Assert.That(stopped.Output, Does.Contain("Overlays: step 'synth-images' failed (exit code"));
        Assert.That(stopped.Output, Does.Contain($"Could not find a part of the path '{Path.Combine(Demo, "overlays", "images")}'"));
        Assert.That(stopped.Output, Does.Contain($"Full log: {Path.Combine(Demo, ".logs", "Overlays.log")}"));
        Assert.That(new StampStore(Demo).Read("Faces"), Is.Null, "without --keep-going nothing new starts after a failure");

        var kept = Build("--target=Dataset:isc_100k_256_big_ff", "--keep-going");
        Assert.That(kept.ExitCode, Is.EqualTo(1), kept.ToString());
        Assert.That(new StampStore(Demo).Read("Faces"), Is.Not.Null, "--keep-going builds what does not depend on the failure");
        Assert.That(kept.Output, Does.Match(@"Dataset:isc_100k_256_big_ff\s+skipped"));
    }
}
