using Isc.Build.Graph;

namespace Isc.Build.Host;

/// <summary>
/// Where and when artifact steps run. The local scheduler runs them as child processes as their inputs
/// finish (within --jobs and --gpus); a cluster scheduler submits them as batch jobs chained like the graph.
/// Cake walks the tasks in its order and hands each artifact's <see cref="StepJob"/> here; targets wait on
/// <see cref="WhenAll"/>.
/// </summary>
public interface IStepScheduler
{
    void Start(StepJob job);
    Task<bool> Completion(string id);
    Task<bool[]> WhenAll(IEnumerable<string> ids);
    Task<bool[]> WhenAllStarted();
    System.Collections.Concurrent.ConcurrentDictionary<string, StepRecord> Records { get; }
}

/// <summary>What a step did, for the summary: outcome, how long, where it ran.</summary>
public sealed record StepRecord(string Artifact, string Outcome, TimeSpan Duration, string Where);

/// <summary>One artifact's work as a scheduler sees it.</summary>
public sealed class StepJob
{
    public required ArtifactNode Node { get; init; }

    /// <summary>Evaluates staleness against the inputs' current states: true when a step must run.</summary>
    public required Func<bool> Decide { get; init; }

    /// <summary>Writes the step spec (under .stamps/) and returns it with the log path; the command to run is `isc step --spec SPEC`.</summary>
    public required Func<string?, (string SpecPath, string LogPath)> WriteSpec { get; init; }

    /// <summary>Runs the step here, as a child process, on the given GPU (or none); true when the artifact is then up to date.</summary>
    public required Func<string?, Task<bool>> RunLocal { get; init; }

    /// <summary>After a step ran elsewhere (a cluster job): re-reads the stamp; true when the artifact is up to date.</summary>
    public required Func<bool> Confirm { get; init; }
}
