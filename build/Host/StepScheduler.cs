using System.Collections.Concurrent;
using System.Diagnostics;

namespace Isc.Build.Host;

/// <summary>
/// Runs artifact steps as their inputs finish, so independent steps overlap: CPU steps share
/// <c>--jobs</c> slots, GPU steps (trainings) take one device each from <c>--gpus</c>. Cake still walks
/// the tasks in its order; each artifact task hands its work here and the targets wait for it.
/// A failure stops new steps (or, with --keep-going, only the failed step's dependents).
/// </summary>
public sealed class StepScheduler(int jobs, IReadOnlyList<string> gpus, bool keepGoing)
{
    readonly SemaphoreSlim _cpu = new(jobs, jobs);
    readonly SemaphoreSlim _gpuCount = new(Math.Max(1, gpus.Count), Math.Max(1, gpus.Count));
    readonly ConcurrentQueue<string> _freeGpus = new(gpus);
    readonly ConcurrentDictionary<string, Task<bool>> _work = new(StringComparer.OrdinalIgnoreCase);
    volatile string? _firstFailure;

    public sealed record Record(string Artifact, string Outcome, TimeSpan Duration, string Where);

    public ConcurrentDictionary<string, Record> Records { get; } = new(StringComparer.OrdinalIgnoreCase);

    public int Jobs => jobs;
    public bool HasGpus => gpus.Count > 0;

    /// <summary>The running or finished work of an artifact (true when it ended up to date).</summary>
    public Task<bool> Completion(string id) => _work.TryGetValue(id, out var t) ? t : Task.FromResult(false);

    /// <summary>
    /// Starts an artifact's work once its inputs are done. <paramref name="decide"/> runs first (no slot held)
    /// and says whether a step is needed; <paramref name="step"/> then runs holding a CPU slot or a GPU.
    /// </summary>
    public void Start(string id, IReadOnlyList<string> inputs, bool usesGpu,
        Func<Task<bool>> decide, Func<string?, Task<bool>> step)
    {
        _work[id] = Task.Run(async () =>
        {
            var inputResults = await Task.WhenAll(inputs.Select(Completion));
            if (inputResults.Any(ok => !ok))
            {
                Records[id] = new Record(id, "skipped", TimeSpan.Zero, "input failed");
                return false;
            }
            if (!await decide()) return true;
            if (_firstFailure is not null && !keepGoing)
            {
                Records[id] = new Record(id, "skipped", TimeSpan.Zero, $"stopped after {_firstFailure} failed");
                return false;
            }

            var gpu = usesGpu && HasGpus;
            await (gpu ? _gpuCount : _cpu).WaitAsync();
            string? device = null;
            if (gpu) _freeGpus.TryDequeue(out device);
            var watch = Stopwatch.StartNew();
            try
            {
                var ok = await step(device);
                Records[id] = new Record(id, ok ? "built" : "failed", watch.Elapsed, device is null ? "cpu slot" : $"gpu {device}");
                if (!ok) _firstFailure ??= id;
                return ok;
            }
            catch (Exception e)
            {
                Records[id] = new Record(id, "failed", watch.Elapsed, e.Message);
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
