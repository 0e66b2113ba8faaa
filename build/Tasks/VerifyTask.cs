using System.Text.Json;
using Cake.Core;
using Cake.Core.Diagnostics;
using Isc.Artifacts;
using Isc.Build.Host;

namespace Isc.Build.Tasks;

/// <summary>
/// Checks every built artifact against its stamp (outputs present and unchanged, inputs and parameters
/// current), prints a table, writes it to verify.json for the report, and fails on a mismatch.
/// </summary>
public sealed class VerifyTask : BuildTask
{
    public override string Name => "Verify";
    public override string Description => "check every built artifact against its stamp and the recipe; non-zero exit on a mismatch";

    public sealed record Row(string Artifact, string Verdict, bool Ok);

    public override Task RunAsync(BuildContext context)
    {
        var rows = Check(context);
        var bad = rows.Count(r => !r.Ok);
        if (bad > 0) throw new CakeException($"Verify found {bad} artifact(s) that do not match");
        return Task.CompletedTask;
    }

    /// <summary>Runs the checks, prints and saves the table; never throws for a mismatch (Report uses it too).</summary>
    public static List<Row> Check(BuildContext context)
    {
        var plan = context.Planner.Plan(context.Graph.Nodes);
        var rows = new List<Row>();
        foreach (var (node, state) in plan)
        {
            if (node.IsExternal) rows.Add(new(node.Id, state.UpToDate ? "ok (input)" : "missing input: " + state.Reason, state.UpToDate));
            else if (context.Store.Read(node.Id) is null) rows.Add(new(node.Id, "not built", true));
            else if (state.UpToDate) rows.Add(new(node.Id, "ok: outputs match the stamp", true));
            else rows.Add(new(node.Id, "MISMATCH: " + state.Reason, false));
        }
        var width = rows.Max(r => r.Artifact.Length) + 2;
        foreach (var r in rows) context.Log.Information("  {0}{1}", r.Artifact.PadRight(width), r.Verdict);
        context.Log.Information("Verify: {0} ok, {1} mismatched, {2} not built.",
            rows.Count(r => r.Ok && r.Verdict.StartsWith("ok")), rows.Count(r => !r.Ok), rows.Count(r => r.Verdict == "not built"));
        AtomicFile.WriteAllText(Path.Combine(context.Settings.ArtifactsRoot, "verify.json"), JsonSerializer.Serialize(rows, Stamp.Json));
        return rows;
    }
}
