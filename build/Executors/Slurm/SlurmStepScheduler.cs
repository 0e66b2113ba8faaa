using System.Collections.Concurrent;
using Cake.Core.Diagnostics;
using Isc.Artifacts;
using Isc.Build.Graph;
using Isc.Build.Host;

namespace Isc.Build.Executors;

/// <summary>
/// --executor=slurm: every stale step becomes a batch job running the same worker command as a local build
/// (<c>tools/isc step --spec SPEC</c>), submitted as Cake walks the graph, with <c>--dependency=afterok:</c> on the
/// jobs of its inputs and <c>--kill-on-invalid-dep=yes</c>, so Slurm cancels the dependents of a failed job.
/// A submitted input counts as "will be rebuilt" for its dependents. The job id is recorded beside the stamp;
/// a later build adopts a job still queued or running instead of submitting it again. Then the build either
/// waits (<see cref="SlurmJobWatcher"/>) or, with --detach, returns.
/// </summary>
public sealed class SlurmStepScheduler(SlurmConfig config, bool detach) : IStepScheduler
{
    readonly SlurmClient _slurm = new();
    readonly ConcurrentDictionary<string, TaskCompletionSource<bool>> _done = new(StringComparer.OrdinalIgnoreCase);
    readonly Dictionary<string, string> _jobOf = new(StringComparer.OrdinalIgnoreCase);
    BuildContext _context = null!;
    SlurmJobWatcher _watcher = null!;
    bool _prepared;

    public ConcurrentDictionary<string, StepRecord> Records { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The context is made with the scheduler in it; the scheduler learns it here.</summary>
    public void Attach(BuildContext context)
    {
        if (!SlurmClient.Available())
            throw new BuildUsageException("--executor=slurm needs Slurm's client commands (sbatch, squeue, scancel) on PATH: run the build on a login node of the cluster, or install slurm-client");
        _context = context;
        _watcher = new SlurmJobWatcher(_slurm, context, Records, config.Poll);
    }

    public Task<bool> Completion(string id) => _done.TryGetValue(id, out var t) ? t.Task : Task.FromResult(false);

    public Task<bool[]> WhenAll(IEnumerable<string> ids) => Task.WhenAll(ids.Select(Completion));

    public Task<bool[]> WhenAllStarted() => Task.WhenAll(_done.Values.Select(t => t.Task));

    /// <summary>Cake's walk calls this in dependency order, so every input has been decided (and submitted) already.</summary>
    public void Start(StepJob job)
    {
        var id = job.Node.Id;
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        _done[id] = done;
        try
        {
            StartCore(job, done);
        }
        catch (Exception e) when (e is SlurmException or IOException or UnauthorizedAccessException)
        {
            Records[id] = new StepRecord(id, "failed", TimeSpan.Zero, "not submitted");
            _context.Log.Error("{0}: could not submit its job: {1}", id, e.Message);
            done.TrySetResult(false);
        }
        catch
        {
            done.TrySetResult(false);
            throw;
        }
    }

    void StartCore(StepJob job, TaskCompletionSource<bool> done)
    {
        var node = job.Node;
        var failedInput = node.Inputs.FirstOrDefault(i => Completion(i) is { IsCompleted: true, Result: false });
        if (failedInput is not null)
        {
            Records[node.Id] = new StepRecord(node.Id, "skipped", TimeSpan.Zero, $"input {failedInput} failed");
            done.TrySetResult(false);
            return;
        }
        if (Adopt(job, done)) return;
        if (!job.Decide())
        {
            done.TrySetResult(true);
            return;
        }
        Prepare();

        var resources = config.ResourcesFor(_context.Settings.Profile, node.Kind);
        // A GPU job addresses the device Slurm gives it as "cuda" (unless --device says otherwise).
        var (spec, log) = job.WriteSpec(resources.Gpus > 0 && node.UsesGpu ? "slurm" : null);
        var safe = StampStore.SafeName(node.Id);
        var script = JobScript.Write(Path.Combine(_context.Store.Directory, safe + ".sbatch"), JobName(node.Id), resources, config,
            _context.Settings.RepoRoot, log, [Path.Combine(_context.Settings.RepoRoot, "tools", "isc"), "step", "--spec", spec],
            $"Makes {node.Id}: {node.Description}");
        var after = node.Inputs.Where(_jobOf.ContainsKey).Select(i => _jobOf[i]).Distinct().ToList();
        List<string> args = after.Count > 0 ? ["--dependency=afterok:" + string.Join(':', after), "--kill-on-invalid-dep=yes"] : ["--kill-on-invalid-dep=yes"];
        var jobId = _slurm.Submit(args, script);

        new JobRecord(node.Id, jobId, DateTime.UtcNow, JobRecord.WorkOf(node), log, script).Write(_context.Store);
        _jobOf[node.Id] = jobId;
        _context.SetState(node.Id, NodeState.Stale($"submitted as job {jobId}"));
        Records[node.Id] = new StepRecord(node.Id, "submitted", TimeSpan.Zero, $"job {jobId}");
        _context.Log.Information("{0}: submitted as job {1}{2} ({3}); log {4}", node.Id, jobId,
            after.Count > 0 ? $" after job(s) {string.Join(", ", after)}" : "", resources, log);
        Hand(job, jobId, log, done, adopted: false);
    }

    /// <summary>A job of an earlier build still queued or running for this artifact: wait for it rather than submit another.</summary>
    bool Adopt(StepJob job, TaskCompletionSource<bool> done)
    {
        var node = job.Node;
        if (JobRecord.Read(_context.Store, node.Id) is not { } record) return false;
        var state = _slurm.Query([record.JobId]).GetValueOrDefault(record.JobId);
        // Job ids are only unique within one controller's life: the id must still name this artifact's job.
        if (state is not { IsActive: true } || state.Name != JobName(node.Id)) return false;
        if (record.Work != JobRecord.WorkOf(node))
            throw new BuildUsageException(
                $"{node.Id}: job {record.JobId}, submitted {record.SubmittedUtc:u} by an earlier build, is still {state.State} and makes it with other settings " +
                $"than this build's. Wait for it to finish, or cancel it (scancel {record.JobId}), then build again.");
        _jobOf[node.Id] = record.JobId;
        _context.SetState(node.Id, NodeState.Stale($"queued as job {record.JobId}"));
        Records[node.Id] = new StepRecord(node.Id, "submitted", TimeSpan.Zero, $"job {record.JobId} (earlier build)");
        _context.Log.Information("{0}: already {1} as job {2} (submitted {3:u} by an earlier build); not submitted again; log {4}",
            node.Id, state.State, record.JobId, record.SubmittedUtc, record.Log);
        Hand(job, record.JobId, record.Log, done, adopted: true);
        return true;
    }

    static string JobName(string artifact) => "isc-" + StampStore.SafeName(artifact);

    void Hand(StepJob job, string jobId, string log, TaskCompletionSource<bool> done, bool adopted)
    {
        if (detach) done.TrySetResult(true);
        else _watcher.Track(new SlurmJobWatcher.Tracked(job, jobId, log, done, adopted));
    }

    /// <summary>Before the first submission: the worker is built (so jobs do not race to build it) and the artifacts root is shared.</summary>
    void Prepare()
    {
        if (_prepared) return;
        _prepared = true;
        var tools = Path.Combine(_context.Settings.RepoRoot, "tools", "isc");
        _context.Log.Verbose("Slurm: making sure the worker is built before jobs run it (tools/isc --help)");
        var exit = WorkerRunner.RunAsync(tools, ["--help"], Path.Combine(_context.LogsDirectory, "tools-isc.log"), new NullLog(), "tools/isc").GetAwaiter().GetResult();
        if (exit != 0) throw new BuildUsageException($"tools/isc --help failed (exit {exit}); the worker must build before jobs are submitted (see {_context.LogsDirectory}/tools-isc.log)");
        if (config.CheckStorage)
            new SharedStorageProbe(_slurm, config, _context.Log).Verify(_context.Settings.ArtifactsRoot, _context.Settings.RepoRoot);
    }
}
