using System.Diagnostics;
using System.Globalization;
using Isc.Build.Core;

namespace Isc.Build.Executors.Slurm;

/// <summary>One job as the controller reports it: state (PENDING, RUNNING, COMPLETED, FAILED, ...), reason, node.</summary>
public sealed record SlurmJobState(string JobId, string State, string Reason, string Nodes, string Elapsed, string Name)
{
    public bool IsActive => State is "PENDING" or "RUNNING" or "CONFIGURING" or "COMPLETING" or "SUSPENDED" or "REQUEUED"
        or "REQUEUE_HOLD" or "REQUEUE_FED" or "RESIZING" or "SIGNALING" or "STAGE_OUT" or "RESV_DEL_HOLD" or "STOPPED";
}

/// <summary>
/// The Slurm command-line clients the build uses: sbatch to submit, squeue to read states (accounting may be
/// off, so no sacct), scancel to cancel. Each call is a child process with a clear error when it fails.
/// </summary>
public sealed class SlurmClient
{
    public static bool Available() => Which("sbatch") is not null && Which("squeue") is not null;

    static string? Which(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
        .Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists);

    /// <summary>Submits a job script; returns the job id (sbatch --parsable prints "id" or "id;cluster").</summary>
    public string Submit(IEnumerable<string> sbatchArgs, string script)
    {
        var (code, output, error) = Run("sbatch", ["--parsable", .. sbatchArgs, script]);
        var id = output.Trim().Split(';')[0];
        if (code != 0 || !long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            throw new SlurmException($"sbatch failed (exit {code}): {(error + output).Trim()}");
        return id;
    }

    /// <summary>The states of the given jobs, finished ones included while the controller remembers them; forgotten ids are absent.</summary>
    public Dictionary<string, SlurmJobState> Query(IReadOnlyCollection<string> ids)
    {
        var states = new Dictionary<string, SlurmJobState>();
        if (ids.Count == 0) return states;
        var (code, output, error) = Run("squeue", ["--noheader", "--states=all", "--jobs=" + string.Join(',', ids), "--format=%i|%T|%r|%N|%M|%j"]);
        // All ids unknown: squeue fails with "Invalid job id"; that simply means none is remembered.
        if (code != 0 && error.Contains("Invalid job id", StringComparison.OrdinalIgnoreCase)) return states;
        if (code != 0) throw new SlurmException($"squeue failed (exit {code}): {(error + output).Trim()}");
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var f = line.Split('|');
            if (f.Length >= 6) states[f[0]] = new SlurmJobState(f[0], f[1], f[2], f[3], f[4], string.Join('|', f[5..]));
        }
        return states;
    }

    /// <summary>The jobs of the given ids that are still queued or running.</summary>
    public HashSet<string> Active(IReadOnlyCollection<string> ids) =>
        [.. Query(ids).Values.Where(s => s.IsActive).Select(s => s.JobId)];

    public void Cancel(IReadOnlyCollection<string> ids)
    {
        if (ids.Count == 0) return;
        var (code, output, error) = Run("scancel", [.. ids]);
        if (code != 0) throw new SlurmException($"scancel {string.Join(' ', ids)} failed (exit {code}): {(error + output).Trim()}");
    }

    static (int Code, string Output, string Error) Run(string tool, IReadOnlyList<string> args)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        Process process;
        try { process = Process.Start(info)!; }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new BuildUsageException($"--executor=slurm needs the Slurm client '{tool}' on PATH ({e.Message}); install slurm-client or run on a login node");
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
            {
                process.Kill();
                throw new SlurmException($"{tool} did not answer within 2 minutes; is the Slurm controller reachable (sinfo)?");
            }
            return (process.ExitCode, output.Result, error.Result);
        }
    }
}

public sealed class SlurmException(string message) : Exception(message);
