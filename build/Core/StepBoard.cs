using System.Collections.Concurrent;

namespace Isc.Build.Core;

/// <summary>
/// This build's artifact work: each artifact's running or finished work (true when it ended up to date) and what
/// it did, for the targets that wait, the schedulers that wait for inputs, and the summary.
/// </summary>
public sealed class StepBoard
{
    readonly ConcurrentDictionary<string, Task<bool>> _work = new(StringComparer.OrdinalIgnoreCase);
    string? _firstFailure;

    public ConcurrentDictionary<string, StepRecord> Records { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The first artifact whose step failed in this build, if any.</summary>
    public string? FirstFailure => Volatile.Read(ref _firstFailure);

    public void Track(string id, Task<bool> work) => _work[id] = work;

    public void Record(StepRecord record)
    {
        Records[record.Artifact] = record;
        if (record.Outcome == "failed") Fail(record.Artifact);
    }

    /// <summary>
    /// Marks <paramref name="artifact"/>'s step failed now. A scheduler calls it before it frees the failed step's slot:
    /// the step's record comes later, and a step waiting for that slot must already see the failure.
    /// </summary>
    public void Fail(string artifact) => Interlocked.CompareExchange(ref _firstFailure, artifact, null);

    /// <summary>The running or finished work of an artifact (true when it ended up to date); false for one never started.</summary>
    public Task<bool> Completion(string id) => _work.TryGetValue(id, out var t) ? t : Task.FromResult(false);

    public Task<bool[]> WhenAll(IEnumerable<string> ids) => Task.WhenAll(ids.Select(Completion));

    public Task<bool[]> WhenAllStarted() => Task.WhenAll(_work.Values);
}
