using Cake.Core.Diagnostics;
using Isc.Artifacts;
using Isc.Build.Core;
using Isc.Recipe;

namespace Isc.Build.Executors.Slurm;

/// <summary>
/// --executor=slurm: every stale step becomes a batch job running the same worker command as a local build
/// (<c>tools/isc step --spec SPEC</c>), submitted as Cake walks the graph, with <c>--dependency=afterok:</c> on the
/// jobs of its inputs and <c>--kill-on-invalid-dep=yes</c>, so Slurm cancels the dependents of a failed job.
/// A submitted input counts as "will be rebuilt" for its dependents. The job id is recorded beside the stamp;
/// a later build adopts a job still queued or running instead of submitting it again. Then the build either
/// waits (<see cref="SlurmJobWatcher"/>) or, with --detach, returns.
/// </summary>
public sealed class SlurmStepScheduler : IStepScheduler
{
    readonly SlurmConfig _config;
    readonly bool _detach;
    readonly Profile _profile;
    readonly string _repoRoot;
    readonly string _artifactsRoot;
    readonly StampStore _store;
    readonly StepBoard _board;
    readonly ICakeLog _log;
    readonly SlurmClient _slurm = new();
    readonly SlurmJobWatcher _watcher;
    readonly Dictionary<string, string> _jobOf = new(StringComparer.OrdinalIgnoreCase);
    bool _prepared;

    public SlurmStepScheduler(SlurmConfig config, bool detach, Profile profile, string repoRoot, string artifactsRoot, StepBoard board, ICakeLog log)
    {
        if (!SlurmClient.Available())
            throw new BuildUsageException("--executor=slurm needs Slurm's client commands (sbatch, squeue, scancel) on PATH: run the build on a login node of the cluster, or install slurm-client");
        (_config, _detach, _profile, _repoRoot, _artifactsRoot, _board, _log) = (config, detach, profile, repoRoot, artifactsRoot, board, log);
        _store = new StampStore(artifactsRoot);
        _watcher = new SlurmJobWatcher(_slurm, _store, log, config.Poll);
    }

    string LogsDirectory => Path.Combine(_artifactsRoot, ".logs");

    /// <summary>
    /// Cake's walk hands steps over in dependency order, so every input has been decided (and submitted) already:
    /// answers at once. An input whose job already failed skips the step; a job of an earlier build still making
    /// this artifact is adopted.
    /// </summary>
    public Task<Admission> AdmitAsync(StepOrder order)
    {
        var failedInput = order.Inputs.FirstOrDefault(i => _board.Completion(i) is { IsCompleted: true } t && !(t.IsCompletedSuccessfully && t.Result));
        if (failedInput is not null) return Task.FromResult(Admission.Skip($"input {failedInput} failed"));
        return Task.FromResult(Adopt(order) is { } ticket ? Admission.Adopt(ticket) : Admission.Decide);
    }

    public StepTicket Execute(StepOrder order)
    {
        try
        {
            return Submit(order);
        }
        catch (Exception e) when (e is SlurmException or IOException or UnauthorizedAccessException)
        {
            _log.Error("{0}: could not submit its job: {1}", order.Artifact, e.Message);
            return StepTicket.Ended(new StepRun(StepResult.Failed, TimeSpan.Zero, "not submitted"));
        }
    }

    StepTicket Submit(StepOrder order)
    {
        Prepare();
        var resources = _config.ResourcesFor(_profile, order.Kind.Name());
        order.WriteSpec(onGpu: resources.Gpus > 0 && order.UsesGpu);
        var log = order.LogPath;
        var safe = StampStore.SafeName(order.Artifact);
        var script = JobScript.Write(Path.Combine(_store.Directory, safe + ".sbatch"), JobName(order.Artifact), resources, _config,
            _repoRoot, log, [Path.Combine(_repoRoot, "tools", "isc"), "step", "--spec", order.SpecPath],
            $"Makes {order.Artifact}: {order.Description}");
        var after = order.Inputs.Where(_jobOf.ContainsKey).Select(i => _jobOf[i]).Distinct().ToList();
        List<string> args = after.Count > 0 ? ["--dependency=afterok:" + string.Join(':', after), "--kill-on-invalid-dep=yes"] : ["--kill-on-invalid-dep=yes"];
        var jobId = _slurm.Submit(args, script);

        new JobRecord(order.Artifact, jobId, DateTime.UtcNow, JobRecord.WorkOf(order.Spec), log, script).Write(_store);
        _jobOf[order.Artifact] = jobId;
        _log.Information("{0}: submitted as job {1}{2} ({3}); log {4}", order.Artifact, jobId,
            after.Count > 0 ? $" after job(s) {string.Join(", ", after)}" : "", resources, log);
        return Hand(order, jobId, log, new QueuedStep($"submitted as job {jobId}", $"job {jobId}"), adopted: false);
    }

    /// <summary>A job of an earlier build still queued or running for this artifact: wait for it rather than submit another.</summary>
    StepTicket? Adopt(StepOrder order)
    {
        if (JobRecord.Read(_store, order.Artifact) is not { } record) return null;
        var state = _slurm.Query([record.JobId]).GetValueOrDefault(record.JobId);
        // Job ids are only unique within one controller's life: the id must still name this artifact's job.
        if (state is not { IsActive: true } || state.Name != JobName(order.Artifact)) return null;
        if (record.Work != JobRecord.WorkOf(order.Spec))
            throw new BuildUsageException(
                $"{order.Artifact}: job {record.JobId}, submitted {record.SubmittedUtc:u} by an earlier build, is still {state.State} and makes it with other settings " +
                $"than this build's. Wait for it to finish, or cancel it (scancel {record.JobId}), then build again.");
        _jobOf[order.Artifact] = record.JobId;
        _log.Information("{0}: already {1} as job {2} (submitted {3:u} by an earlier build); not submitted again; log {4}",
            order.Artifact, state.State, record.JobId, record.SubmittedUtc, record.Log);
        return Hand(order, record.JobId, record.Log, new QueuedStep($"queued as job {record.JobId}", $"job {record.JobId} (earlier build)"), adopted: true);
    }

    static string JobName(string artifact) => "isc-" + StampStore.SafeName(artifact);

    StepTicket Hand(StepOrder order, string jobId, string log, QueuedStep queued, bool adopted)
    {
        if (_detach) return new StepTicket(queued, Task.FromResult(new StepRun(StepResult.Detached, TimeSpan.Zero, queued.Where)));
        var done = new TaskCompletionSource<StepRun>(TaskCreationOptions.RunContinuationsAsynchronously);
        _watcher.Track(new SlurmJobWatcher.Tracked(order, jobId, log, done, adopted));
        return new StepTicket(queued, done.Task);
    }

    /// <summary>Before the first submission: the worker is built (so jobs do not race to build it) and the artifacts root is shared.</summary>
    void Prepare()
    {
        if (_prepared) return;
        _prepared = true;
        var tools = Path.Combine(_repoRoot, "tools", "isc");
        _log.Verbose("Slurm: making sure the worker is built before jobs run it (tools/isc --help)");
        var exit = WorkerRunner.RunAsync(tools, ["--help"], Path.Combine(LogsDirectory, "tools-isc.log"), new NullLog(), "tools/isc").GetAwaiter().GetResult();
        if (exit != 0) throw new BuildUsageException($"tools/isc --help failed (exit {exit}); the worker must build before jobs are submitted (see {LogsDirectory}/tools-isc.log)");
        if (_config.CheckStorage)
            new SharedStorageProbe(_slurm, _config, _log).Verify(_artifactsRoot, _repoRoot);
    }
}
