using Cake.Core.Diagnostics;
using Isc.Build.Host;

namespace Isc.Build.Tasks;

/// <summary>Prints every artifact of the profile with up-to-date/stale and the reason. Builds nothing.</summary>
public sealed class PlanTask : BuildTask
{
    public override string Name => "Plan";
    public override string Description => "list every artifact as up to date or stale, with the reason (builds nothing)";

    public override Task RunAsync(BuildContext context)
    {
        var plan = context.Planner.Plan(context.Graph.Nodes);
        PlanPrinter.Print(context.Log, context.Settings, plan, ClusterJobs(context, plan));
        return Task.CompletedTask;
    }

    /// <summary>
    /// Stale artifacts that a Slurm job of an earlier build (--executor=slurm, e.g. with --detach) is making: job id and,
    /// where squeue answers here, its state; an ended job is not shown (its stamp, or its absence, says how it went).
    /// </summary>
    static Dictionary<string, string> ClusterJobs(BuildContext context, IReadOnlyList<(Graph.ArtifactNode Node, Graph.NodeState State)> plan)
    {
        var records = plan.Where(p => !p.State.UpToDate && !p.Node.IsExternal)
            .Select(p => Executors.JobRecord.Read(context.Store, p.Node.Id)).OfType<Executors.JobRecord>().ToList();
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (records.Count == 0) return result;
        Dictionary<string, Executors.SlurmJobState>? states = null;
        if (Executors.SlurmClient.Available())
        {
            try { states = new Executors.SlurmClient().Query([.. records.Select(r => r.JobId)]); }
            catch (Executors.SlurmException e) { context.Log.Warning("Plan: could not ask Slurm about earlier jobs ({0})", e.Message); }
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

public static class PlanPrinter
{
    public static void Print(ICakeLog log, Graph.BuildSettings settings, IReadOnlyList<(Graph.ArtifactNode Node, Graph.NodeState State)> plan,
        IReadOnlyDictionary<string, string>? jobs = null)
    {
        var width = plan.Max(p => p.Node.Id.Length) + 2;
        log.Information("Plan for profile '{0}' (artifacts in {1}):", settings.Profile.Name, settings.ArtifactsRoot);
        foreach (var (node, state) in plan)
        {
            var mark = state.UpToDate ? "up to date" : node.IsExternal ? "MISSING   " : "stale     ";
            log.Information("  {0}{1}{2}", node.Id.PadRight(width), mark, state.UpToDate ? "" : "  " + state.Reason);
            if (jobs?.GetValueOrDefault(node.Id) is { } job) log.Information("  {0}  being made: {1}", new string(' ', width + 10), job);
        }
        if (jobs is { Count: > 0 }) log.Information("{0} of the stale artifacts are being made by Slurm jobs of an earlier build.", jobs.Count);
        var stale = plan.Count(p => !p.State.UpToDate);
        log.Information("{0} of {1} artifacts up to date, {2} to build.", plan.Count - stale, plan.Count, stale);
    }
}
