using Cake.Core;
using Cake.Core.Diagnostics;
using Isc.Build.Host;

namespace Isc.Build.Tasks;

/// <summary>
/// Checks every built artifact against its stamp (outputs present and unchanged, inputs and parameters
/// current) and prints a table; fails when a built artifact does not match.
/// </summary>
public sealed class VerifyTask : BuildTask
{
    public override string Name => "Verify";
    public override string Description => "check every built artifact against its stamp and the recipe; non-zero exit on a mismatch";

    public override Task RunAsync(BuildContext context)
    {
        var plan = context.Planner.Plan(context.Graph.Nodes);
        var width = plan.Max(p => p.Node.Id.Length) + 2;
        int ok = 0, notBuilt = 0, bad = 0;
        foreach (var (node, state) in plan)
        {
            string verdict;
            if (node.IsExternal) verdict = state.UpToDate ? "ok (input)" : "MISSING: " + state.Reason;
            else if (context.Store.Read(node.Id) is null) { verdict = "not built"; notBuilt++; }
            else if (state.UpToDate) { verdict = "ok"; ok++; }
            else { verdict = "MISMATCH: " + state.Reason; bad++; }
            context.Log.Information("  {0}{1}", node.Id.PadRight(width), verdict);
        }
        context.Log.Information("Verify: {0} ok, {1} mismatched, {2} not built.", ok, bad, notBuilt);
        if (bad > 0) throw new CakeException($"Verify found {bad} artifact(s) that do not match their stamps");
        return Task.CompletedTask;
    }
}
