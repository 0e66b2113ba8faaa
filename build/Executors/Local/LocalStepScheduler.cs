using System.Collections.Concurrent;
using System.Diagnostics;

namespace Isc.Build.Host;

/// <summary>
/// Runs artifact steps as their inputs finish, so independent steps overlap: CPU steps share
/// <c>--jobs</c> slots, GPU steps (trainings) take one device each from <c>--gpus</c>. Cake still walks
/// the tasks in its order; each artifact task hands its work here and the targets wait for it.
/// A failure stops new steps (or, with --keep-going, only the failed step's dependents).
/// </summary>
public sealed class LocalStepScheduler(int jobs, IReadOnlyList<string> gpus, bool keepGoing) : IStepScheduler
{
    readonly SemaphoreSlim _cpu = new(jobs, jobs);
    readonly SemaphoreSlim _gpuCount = new(Math.Max(1, gpus.Count), Math.Max(1, gpus.Count));
    readonly ConcurrentQueue<string> _freeGpus = new(gpus);
    readonly ConcurrentDictionary<string, Task<bool>> _work = new(StringComparer.OrdinalIgnoreCase);
    volatile string? _firstFailure;

    public ConcurrentDictionary<string, StepRecord> Records { get; } = new(StringComparer.OrdinalIgnoreCase);

    public int Jobs => jobs;
    public bool HasGpus => gpus.Count > 0;

    /// <summary>The running or finished work of an artifact (true when it ended up to date).</summary>
    public Task<bool> Completion(string id) => _work.TryGetValue(id, out var t) ? t : Task.FromResult(false);

    /// <summary>
    /// Starts an artifact's work once its inputs are done: decides first (no slot held), then runs the
    /// step holding a CPU slot or a GPU.
    /// </summary>
    public void Start(StepJob job)
    {
        var id = job.Node.Id;
        var inputs = job.Node.Inputs;
        var usesGpu = job.Node.UsesGpu;
        _work[id] = Task.Run(async () =>
        {
            var inputResults = await Task.WhenAll(inputs.Select(Completion));
            if (inputResults.Any(ok => !ok))
            {
                Records[id] = new StepRecord(id, "skipped", TimeSpan.Zero, "input failed");
                return false;
            }
            if (!job.Decide()) return true;
            if (_firstFailure is not null && !keepGoing)
            {
                Records[id] = new StepRecord(id, "skipped", TimeSpan.Zero, $"stopped after {_firstFailure} failed");
                return false;
            }

            var gpu = usesGpu && HasGpus;
            await (gpu ? _gpuCount : _cpu).WaitAsync();
            if (_firstFailure is not null && !keepGoing)
            {
                (gpu ? _gpuCount : _cpu).Release();
                Records[id] = new StepRecord(id, "skipped", TimeSpan.Zero, $"stopped after {_firstFailure} failed");
                return false;
            }
            string? device = null;
            if (gpu) _freeGpus.TryDequeue(out device);
            var watch = Stopwatch.StartNew();
            try
            {
                var ok = await job.RunLocal(device);
                Records[id] = new StepRecord(id, ok ? "built" : "failed", watch.Elapsed, device is null ? "cpu slot" : $"gpu {device}");
                if (!ok) _firstFailure ??= id;
                return ok;
            }
            catch (Exception e)
            {
                Records[id] = new StepRecord(id, "failed", watch.Elapsed, e.Message);
                _firstFailure ??= id;
                return false;
            }
            finally
            {
                if (device is not null) _freeGpus.Enqueue(device);
                (gpu ? _gpuCount : _cpu).Release();
            }
        });
    }

    public Task<bool[]> WhenAll(IEnumerable<string> ids) => Task.WhenAll(ids.Select(Completion));

    public Task<bool[]> WhenAllStarted() => Task.WhenAll(_work.Values);
}
