using System.Text.RegularExpressions;
using NUnit.Framework;

namespace Isc.Build.Tests;

/// <summary>The real Slurm cluster the cluster tests use (.ci/slurm-up.sh starts one on 127.0.0.1): its clients, job states, cleanup.</summary>
public static class SlurmCluster
{
    /// <summary>Skips when Slurm is not installed; fails (not skips) when it is installed but no controller answers.</summary>
    public static void RequireRunning()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, "sinfo")));
        if (!onPath)
            Assert.Ignore("Slurm is not installed here (no sinfo on PATH). CI installs slurmctld, slurmd, slurm-client and munge " +
                          "and starts a single-node cluster with .ci/slurm-up.sh; do the same to run these tests.");
        var info = Harness.Run("sinfo", ["--noheader", "--format=%t %G"], TimeSpan.FromSeconds(30));
        Assert.That(info.ExitCode, Is.EqualTo(0), $"sinfo is installed but no Slurm controller answers; start the test cluster with .ci/slurm-up.sh.\n{info}");
        Assert.That(info.Output, Does.Contain("gpu:4"), $"the test cluster should offer 4 (fake) GPUs, as .ci/slurm-up.sh sets it up:\n{info}");
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
