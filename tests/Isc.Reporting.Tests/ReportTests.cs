using Isc.Artifacts;
using Isc.Reporting;
using Isc.Recipe;
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
        Assert.That((bitmap.Width, bitmap.Height), Is.EqualTo((3 * 380, 290)));
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

    Stamp WriteStamp(string artifact, string step, List<OutputSpec> outputs, double seconds, DateTime started)
    {
        var store = new StampStore(_root);
        var stamp = new Stamp
        {
            Artifact = artifact, Step = step, StepVersion = 1, Params = new(), Inputs = new(),
            Outputs = [.. outputs.Select(store.Record)], Seconds = seconds, StartedUtc = started, FinishedUtc = started.AddSeconds(seconds),
        };
        store.Write(stamp);
        return stamp;
    }

    /// <summary>A generated dataset as the generator leaves it: images and a manifest.json recording each one's size.</summary>
    (string Dir, long ImageBytes) WriteDataset(string name, int images, int bytesEach)
    {
        var dir = Path.Combine(_root, "datasets", name);
        Directory.CreateDirectory(Path.Combine(dir, name));
        var files = new List<string>();
        for (var i = 0; i < images; i++)
        {
            File.WriteAllBytes(Path.Combine(dir, name, $"{i / 20}_{i % 20}.jpg"), new byte[bytesEach]);
            files.Add($$"""{"path":"{{name}}/{{i / 20}}_{{i % 20}}.jpg","bytes":{{bytesEach}},"sha256":"{{new string('0', 64)}}"}""");
        }
        File.WriteAllText(Path.Combine(dir, "manifest.json"),
            $$"""{"dataset":"{{name}}","identities":{{images / 20}},"imagesPerId":20,"chain":["a","b"],"identityList":[{"id":0,"source":"x"}],"files":[{{string.Join(",\n", files)}}]}""");
        return (dir, (long)images * bytesEach);
    }

    static string Part(string html, string id)
    {
        var start = html.IndexOf($"<section id=\"{id}\">", StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThanOrEqualTo(0), $"no section '{id}'");
        return html[start..html.IndexOf("</section>", start, StringComparison.Ordinal)];
    }

    [Test]
    public void The_summary_comes_first_with_counts_the_Verify_verdict_and_the_build_time()
    {
        var t0 = new DateTime(2026, 1, 2, 3, 0, 0, DateTimeKind.Utc);
        File.WriteAllText(Path.Combine(_root, "m.pth"), "model");
        File.WriteAllText(Path.Combine(_root, "t.pth"), "training");
        WriteStamp("Train:baseline_CC_50", "train", [new("t.pth", OutputKind.File)], 3600 + 120, t0);
        WriteStamp("Model:baseline_CC_50", "trim", [new("m.pth", OutputKind.File)], 5, t0.AddHours(2));
        File.WriteAllText(Path.Combine(_root, "verify.json"), """
            [{"artifact":"Train:baseline_CC_50","verdict":"ok: outputs match the stamp","ok":true},
             {"artifact":"Model:baseline_CC_50","verdict":"MISMATCH: output missing","ok":false},
             {"artifact":"Model:blur_CC_50","verdict":"not built","ok":true},
             {"artifact":"Model:blur_BW_50","verdict":"not built","ok":true}]
            """);
        var html = HtmlReport.Render(ReportData.Gather(_root, "demo", repoRoot: null));
        var summary = Part(html, "summary");
        Assert.That(html.IndexOf("id=\"summary\"", StringComparison.Ordinal), Is.LessThan(html.IndexOf("id=\"artifacts\"", StringComparison.Ordinal)));
        Assert.That(summary, Does.Contain("<th>artifacts built</th><td class=\"num\">2</td>"));
        Assert.That(summary, Does.Contain("<th>up to date</th><td class=\"num\">1</td>"));
        Assert.That(summary, Does.Contain("<th>not built</th><td class=\"num\">2</td>"));
        Assert.That(summary, Does.Contain("<th>datasets</th><td class=\"num\">0 of 11</td>"));
        Assert.That(summary, Does.Contain("<th>trainings</th><td class=\"num\">1 of 33</td>"));
        Assert.That(summary, Does.Contain("<th>models</th><td class=\"num\">1 of 33</td>"));
        Assert.That(summary, Does.Contain("<td class=\"bad\">1 mismatched</td>"));
        Assert.That(summary, Does.Contain("<th>steps, summed</th><td class=\"num\">1:02:05</td>"));
        Assert.That(summary, Does.Contain("<th>elapsed between</th><td class=\"num\">2:00:05</td>"));
    }

    [Test]
    public void The_table_of_contents_links_every_section_and_every_run()
    {
        WriteMetrics();
        var html = HtmlReport.Render(ReportData.Gather(_root, "demo", repoRoot: null));
        var nav = html[html.IndexOf("<nav", StringComparison.Ordinal)..html.IndexOf("</nav>", StringComparison.Ordinal)];
        var links = System.Text.RegularExpressions.Regex.Matches(nav, "href=\"#([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        var ids = System.Text.RegularExpressions.Regex.Matches(html, "<(?:section|h3) id=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.That(ids, Is.Not.Empty);
        Assert.That(links, Is.EquivalentTo(ids), "the contents link each section and each run's curves, and nothing else");
        Assert.That(ids, Does.Contain("run-baseline_CC_50"));
        Assert.That(html.IndexOf("<nav", StringComparison.Ordinal), Is.LessThan(html.IndexOf("<section", StringComparison.Ordinal)));
    }

    [Test]
    public void A_dataset_s_size_is_the_total_of_its_images_not_the_size_of_its_manifest()
    {
        const string name = "isc_100k_256_big";
        var (_, imageBytes) = WriteDataset(name, images: 40, bytesEach: 3000);
        WriteStamp($"Dataset:{name}", "generate",
            [new($"datasets/{name}", OutputKind.Directory), new($"datasets/{name}/manifest.json", OutputKind.File)], 2, DateTime.UtcNow);
        var html = HtmlReport.Render(ReportData.Gather(_root, "demo", repoRoot: null));
        Assert.That(imageBytes, Is.EqualTo(120_000));
        Assert.That(Part(html, "artifacts"), Does.Contain("117.2 KiB in 40 images"));
        Assert.That(Part(html, "datasets"), Does.Contain($"<td><code>{name}</code></td><td class=\"num\">40</td><td class=\"num\">117.2 KiB</td>"));
        Assert.That(Part(html, "summary"), Does.Contain("1 of 11 (40 images, 117.2 KiB)"));
    }

    [Test]
    public void Manifest_totals_are_summed_across_read_buffers_in_both_manifest_shapes()
    {
        // 3,000 entries: far more than one 64 KiB read, so tokens straddle buffer ends.
        var (dir, imageBytes) = WriteDataset("isc_100k_256_big_u", images: 3000, bytesEach: 7);
        Assert.That(new FileInfo(Path.Combine(dir, "manifest.json")).Length, Is.GreaterThan(3 * 65536));
        Assert.That(ManifestTotals.Read(Path.Combine(dir, "manifest.json")), Is.EqualTo(new ManifestTotals(3000, imageBytes)));

        var folder = Path.Combine(_root, "overlays");
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "a.jpg"), new byte[1234]);
        File.WriteAllBytes(Path.Combine(folder, "b.png"), new byte[66]);
        DirectoryManifest.Build(folder).Save(Path.Combine(_root, "overlays.manifest.json"));
        Assert.That(ManifestTotals.Read(Path.Combine(_root, "overlays.manifest.json")), Is.EqualTo(new ManifestTotals(2, 1300)));
    }

    [Test]
    public void The_loss_legend_is_drawn_outside_the_curves()
    {
        var panels = TrainingCurves.Panels(TrainingCurves.Read(WriteMetrics()), "baseline_CC_50");
        foreach (var p in panels)
            Assert.That(p.Legend.IsVisible, Is.False, $"{p.Axes.Title.Label.Text}: a legend inside the data area covers the curves");
        var loss = panels[0];
        var legendPanels = loss.Axes.GetPanels().Where(x => x.GetType().Name.Contains("Legend")).ToList();
        Assert.That(legendPanels, Has.Count.EqualTo(1), "the loss panel names its three curves in a legend panel beside the plot");
    }

    [Test]
    public void Demo_curves_say_a_short_noisy_loss_is_expected_and_paper_curves_do_not()
    {
        WriteMetrics();
        var t = Profiles.Demo.Training;
        var demo = System.Net.WebUtility.HtmlDecode(Part(HtmlReport.Render(ReportData.Gather(_root, "demo", repoRoot: null)), "curves"));
        Assert.That(demo, Does.Contain($"width-{Profiles.Demo.Model.StemWidth} networks trained for {t.Epochs} epochs × {t.IterationsPerEpoch} iterations"));
        Assert.That(demo, Does.Contain("a short, noisy loss curve"));
        Assert.That(demo, Does.Contain("<figcaption>"));
        var paper = Part(HtmlReport.Render(ReportData.Gather(_root, "paper", repoRoot: null)), "curves");
        Assert.That(paper, Does.Not.Contain("noisy loss"));
    }

    [Test]
    public void The_demo_note_states_the_schedule_the_profile_has()
    {
        var constant = Profiles.Demo with { Training = Profiles.Demo.Training with { WarmupEpochs = 0, LearningRate = 1e-2 } };
        Assert.That(HtmlReport.FlatLossNote(constant), Does.Contain("at a learning rate of 0.01, without warm-up").And.Not.Contain("warm-up learning rates"));
        var warm = Profiles.Demo with { Training = Profiles.Demo.Training with { WarmupEpochs = 1, WarmupStartFactor = 0.01, LearningRate = 3.5e-4 } };
        Assert.That(HtmlReport.FlatLossNote(warm), Does.Contain("the first epoch at warm-up learning rates (from 0.01 × 0.00035)"));
    }

    [Test]
    public void The_report_names_the_Verify_results_it_used_and_flags_them_when_an_artifact_was_built_after()
    {
        File.WriteAllText(Path.Combine(_root, "m.pth"), "model");
        var verify = Path.Combine(_root, "verify.json");
        File.WriteAllText(verify, """[{"artifact":"Model:baseline_CC_50","verdict":"ok: outputs match the stamp","ok":true}]""");
        File.SetLastWriteTimeUtc(verify, new DateTime(2026, 5, 6, 7, 8, 9, DateTimeKind.Utc));
        WriteStamp("Model:baseline_CC_50", "trim", [new("m.pth", OutputKind.File)], 1, DateTime.UtcNow);
        var section = Part(HtmlReport.Render(ReportData.Gather(_root, "demo", repoRoot: null)), "verify");
        Assert.That(section, Does.Contain("Results of Verify written 2026-05-06 07:08:09 UTC"));
        Assert.That(section, Does.Contain(verify));
        Assert.That(section, Does.Contain("<code>Model:baseline_CC_50</code> was built after these results"));

        File.SetLastWriteTimeUtc(verify, DateTime.UtcNow.AddMinutes(1));
        section = Part(HtmlReport.Render(ReportData.Gather(_root, "demo", repoRoot: null)), "verify");
        Assert.That(section, Does.Not.Contain("was built after these results"));
    }
}
