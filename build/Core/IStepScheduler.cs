using Isc.Artifacts;
using Isc.Recipe;

namespace Isc.Build.Core;

/// <summary>
/// Where and when artifact steps run. The local scheduler runs them as child processes as their inputs
/// finish (within --jobs and --gpus); a cluster scheduler submits them as batch jobs chained like the graph.
/// Cake walks the tasks in its order; each artifact task asks <see cref="AdmitAsync"/> when it may decide,
/// decides itself whether its artifact is up to date, and hands a stale one's <see cref="StepOrder"/> to <see cref="Execute"/>.
/// </summary>
public interface IStepScheduler
{
    /// <summary>
    /// When the task may decide, and whether the step may go on at all: the local scheduler waits for the inputs'
    /// steps to end; the cluster one answers at once (inputs are submitted, not finished) and adopts a job an earlier
    /// build submitted for this artifact.
    /// </summary>
    Task<Admission> AdmitAsync(StepOrder order);

    /// <summary>Runs or submits the step of a stale artifact.</summary>
    StepTicket Execute(StepOrder order);
}

/// <summary>One stale artifact's step, as the scheduler gets it: what to run (the spec the worker reads) and what it needs.</summary>
public sealed record StepOrder
{
    public required string Artifact { get; init; }
    /// <summary>The artifact kind: a cluster scheduler's resources are per kind.</summary>
    public required ArtifactKind Kind { get; init; }
    public required string Description { get; init; }
    public required IReadOnlyList<string> Inputs { get; init; }
    /// <summary>Runs on a GPU when one is given (trainings).</summary>
    public required bool UsesGpu { get; init; }
    /// <summary>The spec the worker reads (`isc step --spec SPEC`), written by the scheduler when the step runs (<see cref="WriteSpec"/>).</summary>
    public required StepSpec Spec { get; init; }
    public required string SpecPath { get; init; }
    public required string LogPath { get; init; }

    /// <summary>
    /// Writes <see cref="Spec"/> at <see cref="SpecPath"/> for the worker, first removing what a killed earlier write left
    /// beside it. On one GPU (of the pool, or a cluster job's) the step sees one device and addresses it as cuda, unless
    /// its command names a --device already (the build's --device).
    /// </summary>
    public void WriteSpec(bool onGpu)
    {
        AtomicFile.SweepTemps(Path.GetDirectoryName(SpecPath)!, Path.GetFileName(SpecPath));
        var spec = onGpu ? Spec with { Commands = [.. Spec.Commands.Select(c => c.Contains("--device") ? c : [.. c, "--device", "cuda"])] } : Spec;
        spec.Save(SpecPath);
    }
}

/// <summary>A scheduler's answer before the decision: go on and decide, skip (and why), or an adopted job's ticket.</summary>
public sealed record Admission(string? SkipReason, StepTicket? Adopted)
{
    public static readonly Admission Decide = new(null, null);
    public static Admission Skip(string reason) => new(reason, null);
    public static Admission Adopt(StepTicket ticket) => new(null, ticket);
}

/// <summary>
/// A step handed to a scheduler. <paramref name="Queued"/>: when it is queued elsewhere (a cluster job), what its
/// dependents see meanwhile and where it is; <paramref name="Finished"/>: how it ended.
/// </summary>
public sealed record StepTicket(QueuedStep? Queued, Task<StepRun> Finished)
{
    public static StepTicket Ended(StepRun run) => new(null, Task.FromResult(run));
}

/// <param name="Reason">Why its dependents count it as being rebuilt ("submitted as job 12").</param>
/// <param name="Where">For the summary ("job 12").</param>
public sealed record QueuedStep(string Reason, string Where);

/// <summary>How a step ended as its scheduler saw it; the task then checks the stamp of a step that <see cref="StepResult.Succeeded"/>.</summary>
/// <param name="Unconfirmed">What to say when the step succeeded but left no valid stamp (null: the general message).</param>
public sealed record StepRun(StepResult Result, TimeSpan Duration, string Where, string? Unconfirmed = null);

public enum StepResult
{
    Succeeded,
    Failed,
    Skipped,
    /// <summary>Submitted and not waited for (--detach).</summary>
    Detached,
}

/// <summary>What a step did, for the summary: outcome, how long, where it ran.</summary>
public sealed record StepRecord(string Artifact, string Outcome, TimeSpan Duration, string Where);
