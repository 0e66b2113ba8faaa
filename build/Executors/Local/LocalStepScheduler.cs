using System.Diagnostics;
using Cake.Core.Diagnostics;
using Isc.Artifacts;
using Isc.Build.Core;

namespace Isc.Build.Executors.Local;

/// <summary>
/// Runs artifact steps here, as child processes, as their inputs finish, so independent steps overlap: CPU steps
/// share <c>--jobs</c> slots, GPU steps (trainings) take one device each from <c>--gpus</c>. Cake still walks
/// the tasks in its order; each artifact task hands its stale step here and the targets wait for it.
/// A failure stops new steps (or, with --keep-going, only the failed step's dependents).
/// </summary>
public sealed class LocalStepScheduler(int jobs, IReadOnlyList<string> gpus, bool keepGoing, string repoRoot, StepBoard board, ICakeLog log)
    : IStepScheduler
{
    readonly SemaphoreSlim _cpu = new(jobs, jobs);
    readonly SemaphoreSlim _gpuCount = new(Math.Max(1, gpus.Count), Math.Max(1, gpus.Count));
    readonly System.Collections.Concurrent.ConcurrentQueue<string> _freeGpus = new(gpus);

    bool HasGpus => gpus.Count > 0;

    /// <summary>Decides once the inputs' steps ended (off Cake's walk, holding no slot); a failed input skips the step.</summary>
    public Task<Admission> AdmitAsync(StepOrder order) => Task.Run(async () =>
    {
        var inputResults = await board.WhenAll(order.Inputs);
        return inputResults.Any(ok => !ok) ? Admission.Skip("input failed") : Admission.Decide;
    });

    public StepTicket Execute(StepOrder order) => new(null, RunAsync(order));

    /// <summary>Runs the step holding a CPU slot or a GPU.</summary>
    async Task<StepRun> RunAsync(StepOrder order)
    {
        if (board.FirstFailure is { } failed && !keepGoing) return new StepRun(StepResult.Skipped, TimeSpan.Zero, $"stopped after {failed} failed");
        var gpu = order.UsesGpu && HasGpus;
        await (gpu ? _gpuCount : _cpu).WaitAsync();
        if (board.FirstFailure is { } failedMeanwhile && !keepGoing)
        {
            (gpu ? _gpuCount : _cpu).Release();
            return new StepRun(StepResult.Skipped, TimeSpan.Zero, $"stopped after {failedMeanwhile} failed");
        }
        string? device = null;
        if (gpu) _freeGpus.TryDequeue(out device);
        var watch = Stopwatch.StartNew();
        try
        {
            var ok = await Run(order, device);
            if (!ok) board.Fail(order.Artifact);
            return new StepRun(ok ? StepResult.Succeeded : StepResult.Failed, watch.Elapsed, device is null ? "cpu slot" : $"gpu {device}");
        }
        catch (Exception e)
        {
            board.Fail(order.Artifact);
            return new StepRun(StepResult.Failed, watch.Elapsed, e.Message);
        }
        finally
        {
            if (device is not null) _freeGpus.Enqueue(device);
            (gpu ? _gpuCount : _cpu).Release();
        }
    }

    /// <summary>Writes the spec and runs `isc step --spec SPEC`; on a failure, shows the end of the step's log.</summary>
    async Task<bool> Run(StepOrder order, string? device)
    {
        order.WriteSpec(onGpu: device is not null);
        var environment = device is null ? null : new Dictionary<string, string> { ["CUDA_VISIBLE_DEVICES"] = device };
        var worker = WorkerRunner.WorkerExecutable(repoRoot);
        var exit = await WorkerRunner.RunAsync(worker, ["step", "--spec", order.SpecPath], order.LogPath, log, order.Artifact, environment);
        if (exit == 0) return true;
        var tail = WorkerRunner.Tail(order.LogPath, 20);
        lock (log)
        {
            log.Error("{0}: step '{1}' failed (exit code {2}). Last lines of its log:", order.Artifact, order.Spec.Step, exit);
            foreach (var line in tail) log.Error("    {0}", line);
            log.Error("Full log: {0}", order.LogPath);
        }
        return false;
    }
}
