using Isc.Artifacts;
using Isc.Reporting;
using NUnit.Framework;

namespace Isc.Reporting.Tests;

[TestFixture]
public class ReportTests
{
    string _root = "";

    [SetUp] public void SetUp() => Directory.CreateDirectory(_root = Path.Combine(Path.GetTempPath(), "isc-report-" + Guid.NewGuid().ToString("N")));
    [TearDown] public void TearDown() => Directory.Delete(_root, recursive: true);

    string WriteMetrics(string run = "logs/baseline_CC/50")
    {
        var dir = Path.Combine(_root, run);
        Directory.CreateDirectory(dir);
        var lines = new List<string> { "epoch,iter,step,loss,ce,triplet,precision,lr" };
        for (var s = 0; s < 12; s++) lines.Add($"{s / 4},{s % 4},{s},{10 - s * 0.5},{9 - s * 0.5},0.7,{s / 12.0},0.00035");
        File.WriteAllLines(Path.Combine(dir, "metrics.csv"), lines);
        return Path.Combine(dir, "metrics.csv");
    }

    [Test]
    public void Metrics_are_read_by_column_name_and_drawn_as_a_png()
    {
        var series = TrainingCurves.Read(WriteMetrics());
        Assert.That(series.Loss, Has.Length.EqualTo(12));
        Assert.That(series.Loss[2], Is.EqualTo(9.0));
        Assert.That(series.Epoch.Distinct(), Is.EqualTo(new[] { 0, 1, 2 }));
        var png = TrainingCurves.Png(series, "baseline_CC_50");
        Assert.That(png[..8], Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }));
        using var bitmap = SkiaSharp.SKBitmap.Decode(png);
        Assert.That((bitmap.Width, bitmap.Height), Is.EqualTo((3 * 380, 260)));
    }

    [Test]
    public void A_metrics_file_without_a_needed_column_is_reported_clearly()
    {
        var path = Path.Combine(_root, "metrics.csv");
        File.WriteAllLines(path, ["epoch,iter,step,loss", "0,0,0,1"]);
        var e = Assert.Throws<InvalidDataException>(() => TrainingCurves.Read(path))!;
        Assert.That(e.Message, Does.Contain("no 'ce' column"));
    }

    [Test]
    public void The_report_shows_stamps_verify_rows_curves_and_environment()
    {
        WriteMetrics();
        var store = new StampStore(_root);
        File.WriteAllText(Path.Combine(_root, "m.pth"), "model");
        store.Write(new Stamp
        {
            Artifact = "Model:baseline_CC_50", Step = "trim", StepVersion = 1, Params = new(), Inputs = new(),
            Outputs = [store.Record(new OutputSpec("m.pth", OutputKind.File))], Seconds = 3,
        });
        File.WriteAllText(Path.Combine(_root, "verify.json"),
            """[{"artifact":"Model:baseline_CC_50","verdict":"ok: outputs match the stamp","ok":true},{"artifact":"Model:blur_CC_50","verdict":"MISMATCH: output missing","ok":false}]""");
        var html = HtmlReport.Render(ReportData.Gather(_root, "demo", repoRoot: null));
        Assert.That(html, Does.Contain("<code>Model:baseline_CC_50</code>"));
        Assert.That(html, Does.Contain("1 ok, 1 mismatched, 0 not built"));
        Assert.That(html, Does.Contain("MISMATCH: output missing"));
        Assert.That(html, Does.Contain("data:image/png;base64,"));
        Assert.That(html, Does.Contain(".NET"));
    }
}
