using System.Text.RegularExpressions;
using NUnit.Framework;

namespace Isc.Build.Tests;

/// <summary>
/// The real Slurm cluster the cluster tests use (tools/slurm-up.sh starts one on 127.0.0.1): its clients, job states,
/// cleanup. When Slurm is installed, no controller answers and the tests run as root, it starts the test cluster
/// itself and stops it (by process id, tools/slurm-down.sh) when the assembly's tests end.
/// </summary>
public static class SlurmCluster
{
    static readonly Lock Gate = new();
    static string? _startedDir;

    /// <summary>Fails (require-all run) or skips when Slurm is not installed; starts the test cluster when none runs; fails when it cannot.</summary>
    public static void RequireRunning()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, "sinfo")));
        Isc.Tests.Prerequisites.Require(onPath, "Slurm is not installed here (no sinfo on PATH): install slurmctld, slurmd, slurm-client and munge " +
                                                "(./build.sh --target=Test does, and starts the test cluster)");
        var info = Sinfo();
        if (info.ExitCode != 0 && StartTestCluster() is { } startLog)
        {
            info = Sinfo();
            if (info.ExitCode != 0) info = info with { Output = $"{info.Output}\ntools/slurm-up.sh: {startLog}" };
        }
        Assert.That(info.ExitCode, Is.EqualTo(0), $"sinfo is installed but no Slurm controller answers, and the tests could not start one " +
            $"(that takes root, slurmctld, slurmd and munge); start the test cluster with sudo tools/slurm-up.sh.\n{info}");
        Assert.That(info.Output, Does.Contain("gpu:4"), $"the test cluster should offer 4 (fake) GPUs, as tools/slurm-up.sh sets it up:\n{info}");
    }

    static Harness.Result Sinfo() => Harness.Run("sinfo", ["--noheader", "--format=%t %G"], TimeSpan.FromSeconds(30));

    /// <summary>Runs tools/slurm-up.sh in a fresh folder (as root, once per test run); its output, or null when it cannot.</summary>
    static string? StartTestCluster()
    {
        lock (Gate)
        {
            if (_startedDir is not null) return "already started";
            if (Environment.UserName != "root" || !File.Exists("/usr/sbin/slurmctld")) return null;
            var dir = Path.Combine(Path.GetTempPath(), $"isc-slurm-tests-{Environment.ProcessId}");
            var up = Harness.Run(Path.Combine(Harness.RepoRoot, "tools", "slurm-up.sh"), [dir], TimeSpan.FromMinutes(2));
            _startedDir = dir; // stopped at the end even when half started
            Environment.SetEnvironmentVariable("SLURM_CONF", Path.Combine(dir, "slurm.conf"));
            TestContext.Progress.WriteLine($"SlurmCluster: no cluster answered; started the test cluster in {dir} (exit {up.ExitCode})");
            return up.ToString();
        }
    }

    /// <summary>Stops the cluster <see cref="RequireRunning"/> started, if it did.</summary>
    public static void StopIfStarted()
    {
        lock (Gate)
        {
            if (_startedDir is null) return;
            var down = Harness.Run(Path.Combine(Harness.RepoRoot, "tools", "slurm-down.sh"), [_startedDir], TimeSpan.FromMinutes(1));
            TestContext.Progress.WriteLine($"SlurmCluster: stopped the test cluster ({down.Output.Trim().Replace('\n', ';')})");
            try { Directory.Delete(_startedDir, recursive: true); } catch (IOException) { }
            _startedDir = null;
        }
    }

    /// <summary>"Artifact: submitted as job N" lines of a build's output, by artifact.</summary>
    public static Dictionary<string, string> Submitted(string output) =>
        Regex.Matches(output, @"^(\S+): submitted as job (\d+)", RegexOptions.Multiline)
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);

    /// <summary>scontrol's view of a job as key=value pairs (JobState, Reason, NumCPUs, TRES, ...).</summary>
    public static Dictionary<string, string> Show(string jobId)
    {
        var r = Harness.Run("scontrol", ["show", "job", jobId, "--oneliner"], TimeSpan.FromSeconds(30));
        Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
        var fields = new Dictionary<string, string>();
        foreach (var word in r.Output.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = word.IndexOf('=');
            if (eq > 0) fields.TryAdd(word[..eq], word[(eq + 1)..]);
        }
        return fields;
    }

    public static bool Active(string jobId) =>
        Show(jobId)["JobState"] is "PENDING" or "RUNNING" or "CONFIGURING" or "COMPLETING";

    public static void WaitUntilFinished(IEnumerable<string> jobIds, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var ids = jobIds.ToList();
        while (ids.Any(Active))
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"jobs {string.Join(", ", ids)} did not finish within {timeout}");
            Thread.Sleep(500);
        }
    }

    /// <summary>Cancels the jobs a test's builds recorded that are still queued or running, so no test leaves work behind.</summary>
    public static void CancelLeftovers(string artifactsRoot)
    {
        var stamps = Path.Combine(artifactsRoot, "demo", ".stamps");
        if (!Directory.Exists(stamps)) return;
        var ids = Directory.GetFiles(stamps, "*.job")
            .Select(f => Regex.Match(File.ReadAllText(f), "\"jobId\":\\s*\"(\\d+)\"").Groups[1].Value)
            .Where(id => id != "").ToList();
        if (ids.Count > 0) Harness.Run("scancel", ids, TimeSpan.FromSeconds(30));
    }
}
