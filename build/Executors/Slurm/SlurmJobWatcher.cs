using System.Collections.Concurrent;
using Cake.Core.Diagnostics;
using Isc.Artifacts;
using Isc.Build.Core;

namespace Isc.Build.Executors.Slurm;

/// <summary>
/// Waits for submitted jobs: polls squeue (finished jobs included while the controller remembers them),
/// prints each state change with the job id and log path, and settles each artifact when its job ends:
/// completed → the artifact's task checks the stamp the job wrote; failed → its log tail, and the dependents Slurm cancels.
/// </summary>
public sealed class SlurmJobWatcher(SlurmClient slurm, StampStore store, ICakeLog log, TimeSpan poll)
{
    public sealed class Tracked(StepOrder order, string jobId, string log, TaskCompletionSource<StepRun> done, bool adopted)
    {
        public StepOrder Order => order;
        public string Id => order.Artifact;
        public string JobId => jobId;
        public string Log => log;
        public TaskCompletionSource<StepRun> Done => done;
        public bool Adopted => adopted;
        public string LastState { get; set; } = "";
        public bool Final => done.Task.IsCompleted;
    }

    readonly object _gate = new();
    readonly List<Tracked> _tracked = []; // submission order = dependency order
    bool _watching;
    DateTime _lastProgress = DateTime.MinValue;
    int _errors;
    readonly ConcurrentDictionary<string, bool> _cancelledAsDependents = new();

    public void Track(Tracked job)
    {
        lock (_gate)
        {
            _tracked.Add(job);
            if (_watching) return;
            _watching = true;
        }
        _ = Task.Run(WatchAsync);
    }

    async Task WatchAsync()
    {
        while (true)
        {
            List<Tracked> open;
            lock (_gate)
            {
                open = [.. _tracked.Where(t => !t.Final)];
                if (open.Count == 0) { _watching = false; return; }
            }
            try
            {
                Poll(open);
                _errors = 0;
            }
            catch (Exception e) when (e is SlurmException or IOException)
            {
                log.Warning("slurm: could not read job states ({0}); retrying", e.Message);
                if (++_errors >= 10)
                    foreach (var t in open) Settle(t, StepResult.Failed, TimeSpan.Zero, $"job {t.JobId}: its state could not be read");
            }
            await Task.Delay(poll);
        }
    }

    void Poll(List<Tracked> open)
    {
        var states = slurm.Query([.. open.Select(t => t.JobId)]);
        var changed = false;
        foreach (var t in open)
        {
            var s = states.GetValueOrDefault(t.JobId);
            var now = s is null ? "GONE" : s.State;
            if (now != t.LastState)
            {
                changed = true;
                t.LastState = now;
                if (s is not null && s.IsActive)
                    log.Information("  job {0,-8} {1,-11} {2}{3}", t.JobId, s.State, t.Id,
                        s.State == "PENDING" ? $" ({s.Reason})" : s.State == "RUNNING" ? $" on {s.Nodes}; log {t.Log}" : "");
            }
            if (s is null || !s.IsActive) Finish(t, s);
        }
        if (changed || DateTime.UtcNow - _lastProgress > TimeSpan.FromSeconds(30)) Progress();
    }

    void Progress()
    {
        _lastProgress = DateTime.UtcNow;
        List<Tracked> all;
        lock (_gate) all = [.. _tracked];
        var running = all.Count(t => !t.Final && t.LastState == "RUNNING");
        var pending = all.Count(t => !t.Final && t.LastState != "RUNNING");
        log.Information("slurm: {0} running, {1} pending, {2} of {3} finished", running, pending, all.Count(t => t.Final), all.Count);
    }

    void Finish(Tracked t, SlurmJobState? s)
    {
        var elapsed = Elapsed(s?.Elapsed);
        if (s is null || s.State == "COMPLETED")
        {
            // The task checks the stamp; an unreadable one reads as none here.
            var stamp = store.Read(t.Id);
            var where = $"job {t.JobId} on {stamp?.Host ?? s?.Nodes ?? "?"}{(t.Order.UsesGpu ? ", gpu" : "")}{(t.Adopted ? " (earlier build)" : "")}";
            if (s is not null || stamp is not null) log.Information("  job {0,-8} {1,-11} {2}", t.JobId, "COMPLETED", t.Id);
            Settle(t, StepResult.Succeeded, stamp is not null ? TimeSpan.FromSeconds(stamp.Seconds) : elapsed, where,
                s is null ? $"{t.Id}: job {t.JobId} is no longer known to Slurm and left no valid stamp; see its log {t.Log}" : null);
            return;
        }
        if (s.State == "CANCELLED" && (s.Reason.Contains("Dependency", StringComparison.OrdinalIgnoreCase) || _cancelledAsDependents.ContainsKey(t.JobId)))
        {
            log.Warning("  job {0,-8} {1,-11} {2} (an input's job failed)", t.JobId, "CANCELLED", t.Id);
            Settle(t, StepResult.Skipped, TimeSpan.Zero, $"job {t.JobId} cancelled: input failed");
            return;
        }
        lock (log)
        {
            log.Error("{0}: job {1} {2} ({3}) on {4}. Last lines of its log:", t.Id, t.JobId, s.State, s.Reason, s.Nodes);
            foreach (var line in TailOfJob(t.Log, t.JobId, 20)) log.Error("    {0}", line);
            log.Error("Full log: {0}", t.Log);
            var dependents = Dependents(t.Id);
            if (dependents.Count > 0)
                log.Error("Its dependents are cancelled, not left pending (--kill-on-invalid-dep): {0}",
                    string.Join(", ", dependents.Select(d => $"{d.Id} (job {d.JobId})")));
            Settle(t, StepResult.Failed, elapsed, $"job {t.JobId} {s.State} on {s.Nodes}");
            // Slurm cancels them itself; cancelling here too covers controllers that ignore the flag.
            var stillQueued = dependents.Where(d => !d.Final).Select(d => d.JobId).ToList();
            foreach (var j in stillQueued) _cancelledAsDependents[j] = true;
            try { slurm.Cancel(stillQueued); }
            catch (SlurmException e) { log.Warning("slurm: {0}", e.Message); }
        }
    }

    /// <summary>The last lines a job wrote: the log is appended to by every attempt, so start at this job's own header line.</summary>
    static IEnumerable<string> TailOfJob(string log, string jobId, int lines)
    {
        var all = WorkerRunner.Tail(log, 2000);
        var start = Array.FindLastIndex(all.ToArray(), l => l.Contains($"slurm job {jobId} on"));
        var own = start >= 0 ? all.Skip(start).ToList() : [.. all];
        return own.Skip(Math.Max(0, own.Count - lines));
    }

    /// <summary>The tracked jobs that need the given artifact, directly or through other artifacts.</summary>
    List<Tracked> Dependents(string id)
    {
        List<Tracked> all;
        lock (_gate) all = [.. _tracked];
        var needs = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { id };
        var result = new List<Tracked>();
        foreach (var t in all) // dependency order: an input is seen before its dependents
            if (t.Order.Inputs.Any(needs.Contains) && needs.Add(t.Id)) result.Add(t);
        return result;
    }

    static void Settle(Tracked t, StepResult result, TimeSpan duration, string where, string? unconfirmed = null) =>
        t.Done.TrySetResult(new StepRun(result, duration, where, unconfirmed));

    /// <summary>squeue's elapsed time: [D-]HH:MM:SS, MM:SS or M:SS.</summary>
    static TimeSpan Elapsed(string? text)
    {
        if (string.IsNullOrEmpty(text)) return TimeSpan.Zero;
        try { return Isc.Recipe.StepResources.ParseTime(text.Count(c => c == ':') == 1 && !text.Contains('-') ? "0:" + text : text); }
        catch (Isc.Recipe.RecipeException) { return TimeSpan.Zero; }
    }
}
