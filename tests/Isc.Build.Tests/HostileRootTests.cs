using NUnit.Framework;

namespace Isc.Build.Tests;

/// <summary>An artifacts root that cannot be written, and paths with control characters, fail clearly before any work.</summary>
[TestFixture]
public class HostileRootTests
{
    string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Harness.TempRoot("hostile");

    [TearDown]
    public void TearDown()
    {
        if (_dir != "" && Directory.Exists(_dir)) try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    static void AssertNotWritable(Harness.Result r, string root)
    {
        Assert.That(r.ExitCode, Is.EqualTo(2), r.ToString());
        Assert.That(r.Output, Does.Contain($"the artifacts root {root} is not writable"), r.Output);
        Assert.That(r.Output, Does.Contain("--artifacts=<dir>"), r.Output);
        Assert.That(r.Output, Does.Not.Contain("in use by").And.Not.Contain("   at "), r.Output);
    }

    [Test]
    public void A_root_below_a_regular_file_is_named_not_writable()
    {
        var file = Path.Combine(_dir, "a-file");
        File.WriteAllText(file, "not a folder");
        var r = Harness.Build("--target=Overlays", "--profile=demo", $"--artifacts={file}/sub");
        AssertNotWritable(r, Path.Combine(file, "sub", "demo"));
    }

    [Test, Platform("Linux")]
    public void A_root_on_a_read_only_file_system_is_named_not_writable()
    {
        // A private mount namespace: the read-only tmpfs exists only for this build and vanishes with it.
        var probe = Harness.Run("unshare", ["-m", "true"], TimeSpan.FromSeconds(10));
        if (probe.ExitCode != 0) Assert.Ignore($"needs root and unshare -m to mount a read-only file system: {probe.Output}");
        var mount = Path.Combine(_dir, "ro");
        Directory.CreateDirectory(Path.Combine(mount, "demo"));
        var r = Harness.Run("unshare", ["-m", "sh", "-c", "mount --make-rprivate / && mount -t tmpfs -o ro,size=1m tmpfs \"$1\" && shift && exec \"$@\"",
            "sh", mount, Path.Combine(Harness.RepoRoot, "build.sh"), "--target=Overlays", "--profile=demo", $"--artifacts={mount}"], TimeSpan.FromMinutes(5));
        AssertNotWritable(r, Path.Combine(mount, "demo"));
    }

    [Test, Platform("Linux")]
    public void Plan_on_a_read_only_copy_of_a_built_root_works_even_when_outputs_were_touched()
    {
        var probe = Harness.Run("unshare", ["-m", "true"], TimeSpan.FromSeconds(10));
        if (probe.ExitCode != 0) Assert.Ignore($"needs root and unshare -m to mount a read-only file system: {probe.Output}");
        var built = Harness.Build("--target=Overlays", "--profile=demo", $"--artifacts={_dir}");
        Assert.That(built.ExitCode, Is.EqualTo(0), built.ToString());
        var later = DateTime.UtcNow.AddMinutes(5);
        File.SetLastWriteTimeUtc(Path.Combine(_dir, "demo", "overlays", "manifest.json"), later);
        Directory.SetLastWriteTimeUtc(Path.Combine(_dir, "demo", "overlays", "images"), later);

        // The recorded times are out of date, and the refreshed ones cannot be saved: Plan still answers.
        var r = Harness.Run("unshare", ["-m", "sh", "-c", "mount --make-rprivate / && mount --bind \"$1\" \"$1\" && mount -o remount,bind,ro \"$1\" && shift && exec \"$@\"",
            "sh", _dir, Path.Combine(Harness.RepoRoot, "build.sh"), "--target=Plan", "--profile=demo", $"--artifacts={_dir}"], TimeSpan.FromMinutes(5));
        Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
        Assert.That(r.Output, Does.Match(@"Overlays\s+up to date"), r.Output);
    }

    [Test]
    public void A_newline_in_the_artifacts_path_is_refused_naming_the_option()
    {
        var root = Path.Combine(_dir, "a\nb");
        var r = Harness.Build("--target=Plan", "--profile=demo", $"--artifacts={root}");
        Assert.That(r.ExitCode, Is.EqualTo(2), r.ToString());
        Assert.That(r.Output, Does.Contain("--artifacts").And.Contain("control character"), r.Output);
        Assert.That(Directory.Exists(root), Is.False, "nothing is created under a refused path");
    }

    [Test]
    public void A_control_character_in_a_configured_input_path_is_refused_naming_the_setting()
    {
        var config = Path.Combine(_dir, "isc.json");
        File.WriteAllText(config, """{ "inputs": { "trainImages": "/data/disc21\u001b[2Jtrain" } }""");
        var r = Harness.Build("--target=Plan", $"--config={config}", $"--artifacts={_dir}");
        Assert.That(r.ExitCode, Is.EqualTo(2), r.ToString());
        Assert.That(r.Output, Does.Contain("inputs.trainImages").And.Contain("control character"), r.Output);

        var option = Harness.Build("--target=Plan", $"--train-images={_dir}/x\ty", $"--artifacts={_dir}");
        Assert.That(option.ExitCode, Is.EqualTo(2), option.ToString());
        Assert.That(option.Output, Does.Contain("--train-images").And.Contain("control character"), option.Output);
    }
}
