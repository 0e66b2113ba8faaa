using Isc.Recipe;
using NUnit.Framework;

namespace Isc.Build.Tests;

/// <summary>
/// ./build.sh provisions the system packages the requested target needs: it installs the missing ones (root or
/// password-less sudo) before any work, or, with --no-install, stops with exit 2 naming them and the command to run.
/// </summary>
[TestFixture]
public class ProvisioningTests
{
    string _root = "";

    [SetUp] public void Fresh() => _root = Harness.TempRoot("provision");

    [TearDown] public void Remove() { if (Directory.Exists(_root)) Directory.Delete(_root, true); }

    [Test]
    public void With_no_install_a_missing_package_stops_the_build_before_any_work_with_the_command_to_run()
    {
        // --executor=slurm needs slurm-client, which it finds by its sbatch on PATH: a PATH holding only what build.sh
        // itself runs makes it missing, as on a machine without it, without touching this machine's packages.
        var bin = Path.Combine(_root, "bin");
        Directory.CreateDirectory(bin);
        foreach (var tool in new[] { "bash", "env", "dirname", "cat", "find", "mktemp", "rm", "mkdir", "dotnet" })
            if (Which(tool) is { } real) File.CreateSymbolicLink(Path.Combine(bin, tool), real);
        var artifacts = Path.Combine(_root, "artifacts");

        var r = Harness.Run(Path.Combine(Harness.RepoRoot, "build.sh"),
            ["--target=Source", "--profile=demo", "--executor=slurm", "--no-install", $"--artifacts={artifacts}"],
            TimeSpan.FromMinutes(5), new Dictionary<string, string> { ["PATH"] = bin });

        Assert.That(r.ExitCode, Is.EqualTo(2), r.ToString());
        Assert.That(r.Output, Does.Contain("target Source needs Debian packages that are not installed; nothing was built"), r.ToString());
        Assert.That(r.Output, Does.Contain("slurm-client (Slurm's client commands").And.Contain("--executor=slurm"), r.ToString());
        Assert.That(r.Output, Does.Contain("apt-get install -y --no-install-recommends slurm-client"), r.ToString());
        Assert.That(r.Output, Does.Contain("--no-install was given"), r.ToString());
        Assert.That(Directory.Exists(Path.Combine(artifacts, "demo", ".stamps")), Is.False, "nothing may be built");
    }

    /// <summary>
    /// Removes one of the demo's packages and builds a dataset that needs it: with --no-install the build stops with
    /// exit 2; without, it installs the package and the dataset is built. It changes the machine, so it runs in CI
    /// (CI=true) as root only, and leaves the package installed whatever happens. (One dataset, not All33, to keep the
    /// suite short: every dataset pastes the demo's emoji.)
    /// </summary>
    [Test, NonParallelizable]
    public void A_removed_demo_package_is_reinstalled_and_the_build_completes()
    {
        if (!string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase) || Environment.UserName != "root")
            Assert.Ignore("removes and reinstalls the Debian package ruby-tanuki-emoji: runs only in CI (CI=true) as root");
        var emoji = SystemRequirements.TanukiEmoji;
        const string target = "--target=Dataset:isc_100k_256_big";
        var artifacts = Path.Combine(_root, "artifacts");
        try
        {
            var removed = Harness.Run("apt-get", ["remove", "-y", emoji.Package], TimeSpan.FromMinutes(5));
            Assert.That(removed.ExitCode, Is.EqualTo(0), removed.ToString());
            Assert.That(emoji.IsPresent(), Is.False, $"apt-get remove left {emoji.Evidence}");

            var refused = Harness.Build(target, "--profile=demo", "--no-install", $"--artifacts={artifacts}");
            Assert.That(refused.ExitCode, Is.EqualTo(2), refused.ToString());
            Assert.That(refused.Output, Does.Contain("apt-get install -y --no-install-recommends ruby-tanuki-emoji"), refused.ToString());

            var built = Harness.Build(target, "--profile=demo", $"--artifacts={artifacts}");
            Assert.That(built.ExitCode, Is.EqualTo(0), built.ToString());
            Assert.That(built.Output, Does.Contain("Installing ruby-tanuki-emoji with apt-get, because target Dataset:isc_100k_256_big needs"), built.ToString());
            Assert.That(emoji.IsPresent(), Is.True);
            Assert.That(Harness.Built(built.Output), Does.Contain("Dataset:isc_100k_256_big"), built.ToString());
        }
        finally
        {
            if (!emoji.IsPresent())
                Harness.Run("apt-get", ["install", "-y", "--no-install-recommends", emoji.Package], TimeSpan.FromMinutes(5));
        }
    }

    [Test]
    public void The_test_target_and_the_fixtures_agree_on_the_variable_and_it_sums_the_assemblies()
    {
        Assert.That(Tasks.TestTask.RequireAllVariable, Is.EqualTo(Isc.Tests.Prerequisites.RequireAllVariable));
        const string output = """
            Passed!  - Failed:     0, Passed:    12, Skipped:     1, Total:    13, Duration: 1 s - Isc.Recipe.Tests.dll (net10.0)
            Failed!  - Failed:     2, Passed:   100, Skipped:     0, Total:   102, Duration: 3 m - Isc.Build.Tests.dll (net10.0)
            """;
        Assert.That(Tasks.TestTask.Totals(output), Is.EqualTo((112, 2, 1)));
    }

    static string? Which(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists);
}
