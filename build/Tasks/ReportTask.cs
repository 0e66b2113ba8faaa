using Cake.Core;
using Cake.Core.Diagnostics;
using Isc.Build.Core;
using Isc.Recipe;

namespace Isc.Build.Tasks;

/// <summary>Verifies (unless Verify's results are newer than every stamp), then writes artifacts/&lt;profile&gt;/report.html: artifact table, training curves, contact sheets, Verify table, evaluation, environment.</summary>
public sealed class ReportTask : BuildTask<BuildContext>
{
    public override string Name => "Report";
    public override string Description => "verify (unless its results are newer than every stamp), then write a self-contained HTML report: summary, artifacts, Verify, datasets, curves, evaluation (µAP, verdicts, precision-recall plots), environment";

    public override async Task RunAsync(BuildContext context)
    {
        if (VerifyTask.WhyResultsAreStale(context, out var verified) is { } why)
        {
            context.Log.Information("Report: running Verify ({0})", why);
            await VerifyTask.Check(context);
        }
        else context.Log.Information("Report: using Verify's results of {0:yyyy-MM-dd HH:mm:ss} UTC (verify.json is newer than every stamp)", verified);
        var root = context.Settings.ArtifactsRoot;
        var output = Path.Combine(root, "report.html");
        var log = Path.Combine(context.LogsDirectory, "Report.log");
        var worker = WorkerRunner.WorkerExecutable(context.Settings.RepoRoot);
        var exit = await WorkerRunner.RunAsync(worker,
            ["report", "--root", root, "--profile", context.Settings.Profile.Name, "--out", output, "--repo", context.Settings.RepoRoot, .. EvaluationSets(context)],
            log, context.Log, "Report");
        if (exit != 0) throw new CakeException($"the report could not be written; see {log}");
        context.Log.Information("Report: {0}", output);
    }

    /// <summary>The evaluation the report reads (the set, the tolerance), as the build resolved it with the Evaluation. overrides.</summary>
    static IEnumerable<string> EvaluationSets(BuildContext context)
    {
        var e = SettingOverrides.Resolve(context.Settings.Profile, context.Settings.Sets, SettingOverrides.EvaluationTarget).Evaluation;
        return ["--set", $"Set={e.Set}", "--set", $"CompareTolerance={SettingsParams.Format(e.CompareTolerance)}"];
    }
}
