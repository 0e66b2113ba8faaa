using Cake.Core;
using Cake.Core.Diagnostics;
using Isc.Build.Host;

namespace Isc.Build.Tasks;

/// <summary>Verifies, then writes artifacts/&lt;profile&gt;/report.html: artifact table, training curves, contact sheets, Verify table, environment.</summary>
public sealed class ReportTask : BuildTask
{
    public override string Name => "Report";
    public override string Description => "verify, then write a self-contained HTML report (artifacts, curves, contact sheets, environment)";

    public override async Task RunAsync(BuildContext context)
    {
        await VerifyTask.Check(context);
        var root = context.Settings.ArtifactsRoot;
        var output = Path.Combine(root, "report.html");
        var log = Path.Combine(context.LogsDirectory, "Report.log");
        var worker = WorkerRunner.WorkerExecutable(context.Settings.RepoRoot);
        var exit = await WorkerRunner.RunAsync(worker,
            ["report", "--root", root, "--profile", context.Settings.Profile.Name, "--out", output, "--repo", context.Settings.RepoRoot],
            log, context.Log, "Report");
        if (exit != 0) throw new CakeException($"the report could not be written; see {log}");
        context.Log.Information("Report: {0}", output);
    }
}
