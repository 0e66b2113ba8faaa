using Cake.Core.Diagnostics;
using Isc.Build.Core;
using Isc.Build.Graph;

namespace Isc.Build.Tasks;

/// <summary>Prints every artifact of the profile with up-to-date/stale and the reason. Builds nothing.</summary>
public sealed class PlanTask : BuildTask<BuildContext>
{
    public override string Name => "Plan";
    public override string Description => "list every artifact as up to date or stale, with the reason (builds nothing)";

    public override Task RunAsync(BuildContext context)
    {
        var plan = context.Planner.Plan(context.Graph.Nodes);
        var jobs = context.EarlierJobs.BeingMade(plan.Where(p => !p.State.UpToDate && !p.Node.IsExternal).Select(p => p.Node.Id));
        PlanPrinter.Print(context.Log, context.Settings, plan, jobs);
        return Task.CompletedTask;
    }
}

public static class PlanPrinter
{
    public static void Print(ICakeLog log, BuildSettings settings, IReadOnlyList<(ArtifactNode Node, NodeState State)> plan,
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
