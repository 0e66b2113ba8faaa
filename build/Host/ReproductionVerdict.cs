using System.Globalization;
using System.Text.Json;
using Cake.Core.Diagnostics;
using Isc.Build.Graph;
using Isc.Build.Tasks;
using Isc.Recipe;

namespace Isc.Build.Host;

/// <summary>
/// After a build that made or found Compare up to date: the reproduction verdict, from compare.json. Runs that fail
/// against a real published model fail the build (exit 1), so CI can check a reproduction; runs that fail against the
/// demo's stand-ins (noise-perturbed copies of the rebuilt models) only warn, as they say nothing about the recipe.
/// The Compare step itself succeeds whatever the verdict: its files are the measurement, kept and not rebuilt.
/// </summary>
public static class ReproductionVerdict
{
    /// <summary>The build's exit status as the verdict has it: 0, or 1 when a run fails against a real published model.</summary>
    public static int Check(BuildContext context, ICakeLog log)
    {
        if (!context.Steps.Records.TryGetValue(GraphBuilder.ComparisonId, out var record) || record.Outcome is not ("built" or "up to date"))
            return 0;
        var node = context.Graph[GraphBuilder.ComparisonId];
        var json = Path.Combine(context.Settings.ArtifactsRoot, node.Outputs[0].Path);
        var table = Path.Combine(Path.GetDirectoryName(json)!, Recipe.Layouts.EvaluationFolder.ComparisonTableFileName);
        using var document = JsonDocument.Parse(File.ReadAllText(json));
        var root = document.RootElement;
        var tolerance = root.GetProperty("tolerance").GetDouble().ToString(CultureInfo.InvariantCulture);
        var failed = root.GetProperty("runs").EnumerateArray()
            .Where(r => r.GetProperty("verdict").GetString() == "fail").Select(r => r.GetProperty("run").GetString()!).ToList();
        log.Information("Reproduction verdict: {0} of {1} runs pass (tolerance {2}); the table: {3}",
            root.GetProperty("passed").GetInt32(), root.GetProperty("runs_compared").GetInt32(), tolerance, table);
        if (failed.Count == 0) return 0;

        var standIns = failed.Where(run => context.Graph.Find(Runs.Get(run).PublishedTarget) is { } published && GraphBuilder.IsStandIn(published)).ToList();
        var real = failed.Except(standIns).ToList();
        if (standIns.Count > 0)
            log.Warning("{0} run(s) fall more than {1} below a stand-in published model (the demo's noise-perturbed copies of the rebuilt models; " +
                "the authors published none at this size): {2}. This exercises the comparison; it says nothing about the recipe.",
                standIns.Count, tolerance, string.Join(", ", standIns));
        if (real.Count == 0) return 0;
        log.Error("The reproduction fails for {0} run(s): their rebuilt µAP is more than {1} below the published model's: {2}. See {3}.",
            real.Count, tolerance, string.Join(", ", real), table);
        return 1;
    }
}
