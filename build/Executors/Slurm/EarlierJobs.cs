using Cake.Core.Diagnostics;
using Isc.Artifacts;
using Isc.Build.Core;

namespace Isc.Build.Executors.Slurm;

/// <summary>
/// Stale artifacts that a Slurm job of an earlier build (--executor=slurm, e.g. with --detach) is making: job id and,
/// where squeue answers here, its state; an ended job is not shown (its stamp, or its absence, says how it went).
/// </summary>
public sealed class EarlierJobs(StampStore store, ICakeLog log) : IEarlierJobs
{
    public IReadOnlyDictionary<string, string> BeingMade(IEnumerable<string> staleArtifacts)
    {
        var records = staleArtifacts.Select(id => JobRecord.Read(store, id)).OfType<JobRecord>().ToList();
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (records.Count == 0) return result;
        Dictionary<string, SlurmJobState>? states = null;
        if (SlurmClient.Available())
        {
            try { states = new SlurmClient().Query([.. records.Select(r => r.JobId)]); }
            catch (SlurmException e) { log.Warning("Plan: could not ask Slurm about earlier jobs ({0})", e.Message); }
        }
        foreach (var r in records)
        {
            if (states is null) result[r.Artifact] = $"Slurm job {r.JobId} submitted {r.SubmittedUtc:u} (squeue not available here: state unknown)";
            else if (states.GetValueOrDefault(r.JobId) is { IsActive: true } s)
                result[r.Artifact] = $"Slurm job {r.JobId} {s.State}{(s.Reason is "" or "None" ? "" : $" ({s.Reason})")}{(s.Nodes is "" ? "" : $" on {s.Nodes}")}, submitted {r.SubmittedUtc:u}; log {r.Log}";
        }
        return result;
    }
}
