using System.Text.Json;
using Cake.Core;
using Cake.Core.Diagnostics;
using Isc.Artifacts;
using Isc.Build.Core;

namespace Isc.Build.Tasks;

/// <summary>
/// Checks every built artifact against its stamp (outputs present and unchanged, inputs and parameters
/// current), prints a table, writes it to verify.json for the report, and fails on a mismatch.
/// </summary>
public sealed class VerifyTask : BuildTask<BuildContext>
{
    public override string Name => "Verify";
    public override string Description => "check every built artifact against its stamp and the recipe; non-zero exit on a mismatch";

    public override async Task RunAsync(BuildContext context)
    {
        var rows = await Check(context);
        var bad = rows.Count(r => !r.Ok);
        if (bad > 0) throw new CakeException($"Verify found {bad} artifact(s) that do not match");
    }

    /// <summary>Runs the checks, prints and saves the table; never throws for a mismatch (Report uses it too).</summary>
    public static async Task<List<VerifyRow>> Check(BuildContext context)
    {
        var stampRows = StampRows(context);
        var contentRows = await ContentRows(context);
        var rows = stampRows.Select(r => contentRows.TryGetValue(r.Artifact, out var c)
            ? new VerifyRow(r.Artifact, r.Ok ? c.Verdict : $"{r.Verdict}; {c.Verdict}", r.Ok && c.Ok) : r).ToList();
        rows.AddRange(contentRows.Values.Where(c => !stampRows.Any(r => r.Artifact == c.Artifact)));
        rows = [.. rows.Select(r => r.Ok || context.Graph.Find(r.Artifact) is not { IsExternal: false } ? r : r with { Verdict = $"{r.Verdict}; {Repair(context, r.Artifact)}" })];
        var width = rows.Max(r => r.Artifact.Length) + 2;
        foreach (var r in rows) context.Log.Information("  {0}{1}", r.Artifact.PadRight(width), r.Verdict);
        context.Log.Information("Verify: {0} ok, {1} mismatched, {2} not built.",
            rows.Count(r => r.Ok && r.Verdict != "not built"), rows.Count(r => !r.Ok), rows.Count(r => r.Verdict == "not built"));
        VerifyRow.Save(Path.Combine(context.Settings.ArtifactsRoot, VerifyRow.FileName), rows);
        return rows;
    }

    /// <summary>
    /// Why verify.json cannot stand for a fresh Verify, or null when it can: it is newer than every stamp, says
    /// "not built" of exactly the artifacts that have none (a stamp deleted since would not move any time), and
    /// the stamp checks (cheap: no content checks) find no artifact stale that it calls ok (a changed setting or output).
    /// </summary>
    public static string? WhyResultsAreStale(BuildContext context, out DateTime writtenUtc)
    {
        var path = Path.Combine(context.Settings.ArtifactsRoot, VerifyRow.FileName);
        writtenUtc = File.Exists(path) ? File.GetLastWriteTimeUtc(path) : default;
        if (writtenUtc == default) return "there are no Verify results yet";
        List<VerifyRow>? rows;
        try { rows = VerifyRow.Load(path); }
        catch (JsonException e) { return $"{path} is unreadable ({e.Message})"; }
        var notBuilt = rows?.Where(r => r.Verdict == "not built").Select(r => r.Artifact).ToHashSet() ?? [];
        foreach (var node in context.Graph.Nodes)
        {
            var stamp = context.Store.PathOf(node.Id);
            var built = File.Exists(stamp);
            if (built && File.GetLastWriteTimeUtc(stamp) >= writtenUtc) return $"{node.Id} was stamped after them";
            if (!node.IsExternal && built == notBuilt.Contains(node.Id)) return $"{node.Id} was {(built ? "built" : "removed")} since";
        }
        var recorded = rows?.ToDictionary(r => r.Artifact) ?? [];
        var changed = StampRows(context).FirstOrDefault(r => !r.Ok && recorded.GetValueOrDefault(r.Artifact)?.Ok != false);
        return changed is null ? null : $"{changed.Artifact}: {changed.Verdict}";
    }

    /// <summary>The worker's content checks (datasets vs manifests, model files vs the recipe's layout, PyTorch strict loads), by artifact.</summary>
    static async Task<Dictionary<string, VerifyRow>> ContentRows(BuildContext context)
    {
        var root = context.Settings.ArtifactsRoot;
        if (!Directory.Exists(root)) return [];
        var output = Path.Combine(root, ".stamps", "verify-artifacts.json");
        var args = new List<string> { "verify-artifacts", "--profile", context.Settings.Profile.Name, "--root", root, "--out", output };
        if (context.Options.Deep) args.Add("--deep");
        var reference = Path.Combine(context.Settings.RepoRoot, "tools", "python", "check_many.py");
        if (File.Exists(reference)) args.AddRange(["--reference", reference]);
        var log = Path.Combine(context.LogsDirectory, "Verify.log");
        File.Delete(output);
        await WorkerRunner.RunAsync(WorkerRunner.WorkerExecutable(context.Settings.RepoRoot), args, log, context.Log, "Verify");
        if (!File.Exists(output)) return new() { ["verify-artifacts"] = new VerifyRow("verify-artifacts", $"the content checks did not run; see {log}", false) };
        return VerifyRow.Load(output)!.ToDictionary(r => r.Artifact);
    }

    /// <summary>The commands that rebuild a damaged artifact from scratch, with this build's profile and root.</summary>
    static string Repair(BuildContext context, string artifact)
    {
        var build = $"./build.sh --profile={context.Settings.Profile.Name}";
        var root = Path.GetDirectoryName(context.Settings.ArtifactsRoot)!;
        if (root != Path.Combine(context.Settings.RepoRoot, "artifacts")) build += $" --artifacts={Shell.Quote(root)}";
        return $"repair: {build} --target=Clean:{artifact}, then {build} --target={artifact}";
    }

    static List<VerifyRow> StampRows(BuildContext context)
    {
        var plan = context.Planner.Plan(context.Graph.Nodes);
        var rows = new List<VerifyRow>();
        foreach (var (node, state) in plan)
        {
            if (node.IsExternal) rows.Add(new(node.Id, state.UpToDate ? "ok (input)" : "missing input: " + state.Reason, state.UpToDate));
            else if (context.Store.Read(node.Id) is null) rows.Add(new(node.Id, "not built", true));
            else if (state.UpToDate) rows.Add(new(node.Id, "ok: outputs match the stamp", true));
            else rows.Add(new(node.Id, "MISMATCH: " + state.Reason, false));
        }
        return rows;
    }
}
