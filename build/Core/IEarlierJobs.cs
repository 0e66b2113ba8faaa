namespace Isc.Build.Core;

/// <summary>
/// Cluster jobs an earlier build submitted that are still making artifacts (--executor=slurm, e.g. with --detach),
/// for the plan to show whatever executor this build uses.
/// </summary>
public interface IEarlierJobs
{
    /// <summary>For each of the given stale artifacts that a live job is making: a line saying which job, its state and log.</summary>
    IReadOnlyDictionary<string, string> BeingMade(IEnumerable<string> staleArtifacts);
}
