using Isc.Artifacts;
using Isc.Recipe;
using Isc.Reporting;

namespace Isc.Cli.Commands;

/// <summary>Writes the self-contained HTML report of a profile's artifacts.</summary>
public sealed class ReportCommand : IWorkerCommand
{
    public string Name => "report";
    public string Summary => "write a self-contained HTML report of a profile's artifacts (summary, contents, artifacts, Verify, datasets, curves, evaluation)";
    public string Usage => """
        usage: isc report --root <artifacts/<profile>> --profile <paper|demo> --out <report.html> [--repo <repository root>]
                          [--set Set=<set>] [--set CompareTolerance=<µAP>]

        Reads the stamps, the manifests beside folder outputs (a dataset's image count and size), each run's
        metrics.csv, each dataset's contact_sheet.png and verify.json (written by ./build.sh --target=Verify;
        the page gives its time and flags it when an artifact was stamped after it), and the evaluation set
        eval/<set>/ (each model's metrics.json, and its predictions.csv against ground_truth.csv for the
        precision-recall plots), and writes one HTML file with the pictures embedded.
        --set overrides the profile's Evaluation settings: which set the report shows, and the tolerance of
        the reproduction verdict.
        """;

    public Task<int> RunAsync(CommandArgs args, CancellationToken cancel)
    {
        var root = args.Required("root");
        var profile = WorkerSettings.Read(args, [SettingsRecord.Evaluation]);
        var output = args.Required("out");
        var repo = args.Optional("repo");
        args.RejectUnknown();
        if (!Directory.Exists(root)) throw new UsageException($"artifacts root {root} does not exist; build something first");
        var data = ReportData.Gather(root, profile, repo);
        // A report killed while writing left a temporary file beside it; the build's lock makes this the only writer.
        AtomicFile.SweepTemps(Path.GetDirectoryName(Path.GetFullPath(output))!, Path.GetFileName(output));
        AtomicFile.WriteAllText(output, HtmlReport.Render(data));
        var verify = data.VerifyFrom is { } v ? $"Verify results of {v.WrittenUtc:yyyy-MM-dd HH:mm:ss} UTC" : "no Verify results";
        var evaluated = data.Evaluation.Runs.Count(r => r.Rebuilt.Metrics is not null);
        Console.WriteLine($"report: {data.Stamps.Count} artifacts, {data.Runs.Count} runs, {data.ContactSheets.Count} contact sheets, {verify}, {evaluated} runs evaluated on {data.Evaluation.Set} → {output}");
        return Task.FromResult(0);
    }
}
