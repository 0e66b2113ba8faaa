using Isc.Artifacts;
using Isc.Reporting;

namespace Isc.Cli.Commands;

/// <summary>Writes the self-contained HTML report of a profile's artifacts.</summary>
public sealed class ReportCommand : IWorkerCommand
{
    public string Name => "report";
    public string Summary => "write a self-contained HTML report of a profile's artifacts (summary, contents, artifacts, Verify, datasets, curves)";
    public string Usage => """
        usage: isc report --root <artifacts/<profile>> --profile <paper|demo> --out <report.html> [--repo <repository root>]

        Reads the stamps, the manifests beside folder outputs (a dataset's image count and size), each run's
        metrics.csv, each dataset's contact_sheet.png and verify.json (written by ./build.sh --target=Verify;
        the page gives its time and flags it when an artifact was stamped after it) and writes one HTML file
        with the pictures embedded.
        """;

    public Task<int> RunAsync(CommandArgs args, CancellationToken cancel)
    {
        var root = args.Required("root");
        var profile = args.Required("profile");
        var output = args.Required("out");
        var repo = args.Optional("repo");
        args.RejectUnknown();
        if (!Directory.Exists(root)) throw new UsageException($"artifacts root {root} does not exist; build something first");
        var data = ReportData.Gather(root, profile, repo);
        // A report killed while writing left a temporary file beside it; the build's lock makes this the only writer.
        AtomicFile.SweepTemps(Path.GetDirectoryName(Path.GetFullPath(output))!, Path.GetFileName(output));
        AtomicFile.WriteAllText(output, HtmlReport.Render(data));
        var verify = data.VerifyFrom is { } v ? $"Verify results of {v.WrittenUtc:yyyy-MM-dd HH:mm:ss} UTC" : "no Verify results";
        Console.WriteLine($"report: {data.Stamps.Count} artifacts, {data.Runs.Count} runs, {data.ContactSheets.Count} contact sheets, {verify} → {output}");
        return Task.FromResult(0);
    }
}
