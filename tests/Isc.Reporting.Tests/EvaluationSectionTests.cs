using System.Net;
using System.Text.RegularExpressions;
using Isc.Evaluation;
using Isc.Recipe;
using Isc.Reporting;
using NUnit.Framework;
using ScottPlot;

namespace Isc.Reporting.Tests;

/// <summary>
/// The report's evaluation section on a crafted artifacts root: eval/&lt;set&gt;/ with metrics.json, predictions.csv and
/// ground_truth.csv written by Isc.Evaluation's own writers (or damaged by hand).
/// </summary>
[TestFixture]
public partial class EvaluationSectionTests
{
    string _root = "";

    [SetUp] public void SetUp() => _root = Directory.CreateTempSubdirectory("isc-report-eval-").FullName;
    [TearDown] public void TearDown() => Directory.Delete(_root, recursive: true);

    string Model(string model, string set = "demo")
    {
        var dir = Path.Combine(_root, "eval", set, model);
        Directory.CreateDirectory(dir);
        return dir;
    }

    void Metrics(string model, double ap, double p90 = 0.25, double rank1 = 0.5, double rank10 = 0.75, int queries = 40, int references = 40, int pairs = 20, string set = "demo") =>
        new MatchingMetrics(ap, p90, null, rank1, rank10, queries, references, pairs, 200, 0).Save(Path.Combine(Model(model, set), "metrics.json"));

    void Predictions(string model, params (string Query, string Reference, double Score)[] lines) =>
        PredictionsCsv.Write(Path.Combine(Model(model), "predictions.csv"), lines.Select(l => new PredictedMatch(l.Query, l.Reference, l.Score)));

    /// <summary>Q1-Q3 copy R1-R3; Q4 is a distractor.</summary>
    void GroundTruth()
    {
        Directory.CreateDirectory(Path.Combine(_root, "eval", "demo"));
        File.WriteAllText(Path.Combine(_root, "eval", "demo", "ground_truth.csv"), "query_id,reference_id\nQ1,R1\nQ2,R2\nQ3,R3\nQ4,\n");
    }

    string Html(Profile? profile = null) => HtmlReport.Render(ReportData.Gather(_root, profile ?? Profiles.Demo, repoRoot: null));

    static string Part(string html, string id)
    {
        var start = html.IndexOf($"<section id=\"{id}\">", StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThanOrEqualTo(0), $"no section '{id}'");
        return html[start..html.IndexOf("</section>", start, StringComparison.Ordinal)];
    }

    /// <summary>The runs table's rows: run name, then the cell texts.</summary>
    static List<List<string>> Rows(string section, string tableClass)
    {
        var start = section.IndexOf($"<table class=\"{tableClass}\">", StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThanOrEqualTo(0), $"no table '{tableClass}'");
        var table = section[start..section.IndexOf("</table>", start, StringComparison.Ordinal)];
        return [.. RowPattern().Matches(table).Skip(1).Select(row => CellPattern().Matches(row.Value)
            .Select(c => WebUtility.HtmlDecode(TagPattern().Replace(c.Groups[1].Value, "")).Trim()).ToList())];
    }

    [GeneratedRegex("<tr>.*?</tr>")] private static partial Regex RowPattern();
    [GeneratedRegex("<td[^>]*>(.*?)</td>")] private static partial Regex CellPattern();
    [GeneratedRegex("<[^>]+>")] private static partial Regex TagPattern();

    [Test]
    public void The_verdict_passes_at_the_tolerance_boundary_and_fails_just_below_it()
    {
        // 0.48 - 0.5 is -0.020000000000000018 in binary and 0.14 - 0.02 is 0.12000000000000001: both sit on the boundary.
        Assert.That(Reproduction.Judge(0.48, 0.5, 0.02).Verdict, Is.EqualTo(Verdict.Pass));
        Assert.That(Reproduction.Judge(0.12, 0.14, 0.02).Verdict, Is.EqualTo(Verdict.Pass));
        Assert.That(Reproduction.Judge(0.4799, 0.5, 0.02).Verdict, Is.EqualTo(Verdict.Fail));
        Assert.That(Reproduction.Judge(0.1199, 0.14, 0.02).Verdict, Is.EqualTo(Verdict.Fail));
        Assert.That(Reproduction.Judge(0.55, 0.5, 0.02), Is.EqualTo(new Reproduction(0.55 - 0.5, Verdict.Pass)), "better than published passes");
        Assert.That(Reproduction.Judge(0.5, 0.5, 0), Is.EqualTo(new Reproduction(0.0, Verdict.Pass)));
        Assert.That(Reproduction.Judge(0.4999, 0.5, 0).Verdict, Is.EqualTo(Verdict.Fail));
        Assert.That(Reproduction.Judge(null, 0.5, 0.02), Is.EqualTo(new Reproduction(null, Verdict.Incomplete)));
        Assert.That(Reproduction.Judge(0.5, null, 0.02), Is.EqualTo(new Reproduction(null, Verdict.Incomplete)));
    }

    [Test]
    public void The_runs_table_lists_the_33_runs_in_catalog_order_with_metrics_published_muAP_difference_and_verdict()
    {
        Metrics("baseline_CC_50", 0.48, p90: 0.3, rank1: 0.55, rank10: 0.8);
        Metrics("Published_baseline_CC_50", 0.5);
        Metrics("blur_CC_50", 0.4);
        Metrics("Published_blur_CC_50", 0.5);
        Metrics("baseline_BW_152", 0.6);
        Metrics("Published_face_CC_ibn", 0.7);
        Metrics("Pretrained_resnet50", 0.2, p90: 0.05, rank1: 0.3, rank10: 0.45);

        var html = Html();
        var section = Part(html, "evaluation");
        var rows = Rows(section, "evaluation");
        Assert.That(rows.Select(r => r[0]), Is.EqualTo(Runs.All.Select(r => r.Name)), "33 rows in catalog order");
        string[] Row(string run) => [.. rows.Single(r => r[0] == run)];
        Assert.That(Row("baseline_CC_50"), Is.EqualTo(new[] { "baseline_CC_50", "0.4800", "0.3000", "0.5500", "0.8000", "0.5000", "-0.0200", "pass" }));
        Assert.That(Row("blur_CC_50"), Is.EqualTo(new[] { "blur_CC_50", "0.4000", "0.2500", "0.5000", "0.7500", "0.5000", "-0.1000", "fail" }));
        Assert.That(Row("baseline_BW_152"), Is.EqualTo(new[] { "baseline_BW_152", "0.6000", "0.2500", "0.5000", "0.7500", "—", "—", "incomplete" }));
        Assert.That(Row("face_CC_ibn"), Is.EqualTo(new[] { "face_CC_ibn", "—", "—", "—", "—", "0.7000", "—", "incomplete" }));
        Assert.That(Row("u_CC_152"), Is.EqualTo(new[] { "u_CC_152", "—", "—", "—", "—", "—", "—", "incomplete" }));

        var baselines = Rows(section, "baselines");
        Assert.That(baselines, Is.EqualTo(new[]
        {
            new[] { "resnet50", "0.2000", "0.0500", "0.3000", "0.4500" },
            new[] { "resnet152", "—", "—", "—", "—" },
            new[] { "ibn", "—", "—", "—", "—" },
        }));

        var text = WebUtility.HtmlDecode(section);
        Assert.That(text, Does.Contain("Set <code>demo</code>"));
        Assert.That(text, Does.Contain("40 queries, 40 references, 20 ground-truth pairs (from metrics.json)"));
        Assert.That(text, Does.Contain("published model's µAP minus 0.02"));
        Assert.That(WebUtility.HtmlDecode(Part(html, "summary")), Does.Contain("1 pass, 1 fail, 31 incomplete")
            .And.Contain("<th>runs</th><td class=\"num\">3 of 33</td>").And.Contain("<th>backbone baselines</th><td class=\"num\">1 of 3</td>"));
    }

    [Test]
    public void The_set_and_the_tolerance_are_the_profile_s_evaluation_settings()
    {
        Metrics("blur_CC_50", 0.4, set: "subset1");
        Metrics("Published_blur_CC_50", 0.5, set: "subset1");
        Metrics("blur_CC_50", 0.1);
        var strict = Part(Html(Profiles.Paper), "evaluation");
        Assert.That(Rows(strict, "evaluation").Single(r => r[0] == "blur_CC_50"), Has.Member("0.4000").And.Member("fail"));
        var lenient = Part(Html(Profiles.Paper with { Evaluation = Profiles.Paper.Evaluation with { CompareTolerance = 0.1 } }), "evaluation");
        Assert.That(Rows(lenient, "evaluation").Single(r => r[0] == "blur_CC_50"), Has.Member("pass"));
        Assert.That(WebUtility.HtmlDecode(lenient), Does.Contain("Set <code>subset1</code>").And.Contain("minus 0.1 "));
    }

    [Test]
    public void A_precision_recall_plot_is_drawn_for_each_family_that_has_runs_with_the_baselines_dashed()
    {
        GroundTruth();
        Predictions("baseline_CC_50", ("Q1", "R1", 0.9), ("Q2", "R2", 0.8), ("Q4", "R3", 0.7), ("Q3", "R3", 0.6));
        Predictions("baseline_BW_ibn", ("Q1", "R1", 0.9), ("Q4", "R1", 0.85), ("Q2", "R2", 0.5));
        Predictions("blur_CC_152", ("Q3", "R3", 0.9), ("Q1", "R2", 0.4));
        Predictions("Pretrained_resnet50", ("Q4", "R2", 0.9), ("Q1", "R1", 0.3));
        Metrics("baseline_CC_50", 0.5);

        var ev = ReportData.Gather(_root, Profiles.Demo, repoRoot: null).Evaluation;
        Assert.That(ev.Problems, Is.Empty);
        Assert.That(ev.Curves.Select(f => f.Family), Is.EqualTo(new[] { "baseline", "blur" }), "no plot for a family without runs");
        var baseline = ev.Curves[0];
        Assert.That(baseline.Lines.Select(l => (l.Label, l.Baseline)),
            Is.EqualTo(new[] { ("baseline_CC_50", false), ("baseline_BW_ibn", false), ("resnet50 alone", true) }));
        // The curve is Isc.Evaluation's: baseline_CC_50 ranks true, true, false, true.
        var cc = baseline.Lines[0].Curve;
        Assert.That(cc.Recalls, Is.EqualTo(new[] { 1 / 3.0, 2 / 3.0, 2 / 3.0, 1.0 }));
        Assert.That(cc.Precisions, Is.EqualTo(new[] { 1.0, 1.0, 2 / 3.0, 0.75 }));

        var figure = PrecisionRecallPlot.Figure(baseline, "demo");
        Assert.That((figure.Axes.Bottom.Label.Text, figure.Axes.Left.Label.Text), Is.EqualTo(("recall", "precision")));
        var curves = figure.GetPlottables().OfType<ScottPlot.Plottables.Scatter>().ToList();
        Assert.That(curves.Select(c => c.LegendText), Is.EqualTo(new[] { "baseline_CC_50", "baseline_BW_ibn", "resnet50 alone" }));
        Assert.That(curves.Select(c => c.LinePattern.Equals(LinePattern.Dashed)), Is.EqualTo(new[] { false, false, true }));
        Assert.That(curves.Select(c => c.Color).Distinct().Count(), Is.EqualTo(3));
        var blurBaseline = PrecisionRecallPlot.Figure(ev.Curves[1], "demo").GetPlottables().OfType<ScottPlot.Plottables.Scatter>().Last();
        Assert.That(blurBaseline.Color, Is.EqualTo(curves[2].Color), "a backbone keeps its colour in every family's plot");
        Assert.That(figure.Axes.GetPanels().Count(x => x.GetType().Name.Contains("Legend")), Is.EqualTo(1), "the legend sits beside the plot");

        var html = Html();
        var section = Part(html, "evaluation");
        var pictures = Regex.Matches(section, "<h3 id=\"pr-([a-z]+)\">.*?src=\"data:image/png;base64,([^\"]+)\"").ToList();
        Assert.That(pictures.Select(m => m.Groups[1].Value), Is.EqualTo(new[] { "baseline", "blur" }));
        foreach (var m in pictures)
        {
            using var bitmap = SkiaSharp.SKBitmap.Decode(Convert.FromBase64String(m.Groups[2].Value));
            Assert.That((bitmap.Width, bitmap.Height), Is.EqualTo((620, 400)));
        }
        var nav = html[html.IndexOf("<nav", StringComparison.Ordinal)..html.IndexOf("</nav>", StringComparison.Ordinal)];
        var links = Regex.Matches(nav, "href=\"#([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        var ids = Regex.Matches(html, "<(?:section|h3) id=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.That(links, Is.EquivalentTo(ids), "the contents link the evaluation and each family's plot");
        Assert.That(ids, Does.Contain("evaluation").And.Contain("pr-blur"));
    }

    [Test]
    public void Without_any_metrics_json_the_section_says_how_to_evaluate()
    {
        GroundTruth();
        Predictions("baseline_CC_50", ("Q1", "R1", 0.9));
        var html = Html();
        var section = Part(html, "evaluation");
        Assert.That(section, Does.Contain("No evaluation on set <code>demo</code> yet").And.Contain("--target=Evaluations"));
        Assert.That(section, Does.Not.Contain("<table").And.Not.Contain("<img"));
        Assert.That(Part(html, "summary"), Does.Contain("<th>models evaluated</th><td>none yet</td>"));
    }

    [Test]
    public void Damaged_metrics_json_files_are_noted_and_their_runs_incomplete()
    {
        Metrics("baseline_CC_50", 0.48);
        File.WriteAllText(Path.Combine(Model("Published_baseline_CC_50"), "metrics.json"), "{\"average_precision\": 0.5, ");
        // Valid JSON without the metrics: it must not read as a µAP of 0 (and a verdict of fail).
        File.WriteAllText(Path.Combine(Model("blur_CC_50"), "metrics.json"), "{\"queries\": 40}");
        Metrics("Published_blur_CC_50", 0.5);
        File.WriteAllText(Path.Combine(Model("Pretrained_ibn"), "metrics.json"), "");

        var section = WebUtility.HtmlDecode(Part(Html(), "evaluation"));
        var rows = Rows(section, "evaluation");
        Assert.That(rows.Single(r => r[0].StartsWith("baseline_CC_50", StringComparison.Ordinal)),
            Is.EqualTo(new[] { "baseline_CC_50", "0.4800", "0.2500", "0.5000", "0.7500", "— (unreadable)", "—", "incomplete" }));
        Assert.That(rows.Single(r => r[0].StartsWith("blur_CC_50", StringComparison.Ordinal)),
            Is.EqualTo(new[] { "blur_CC_50 (unreadable)", "—", "—", "—", "—", "0.5000", "—", "incomplete" }));
        Assert.That(Rows(section, "baselines")[2][0], Is.EqualTo("ibn (unreadable)"));
        var note = section[section.IndexOf("<div class=\"note\">", StringComparison.Ordinal)..];
        Assert.That(note, Does.Contain($"Published_baseline_CC_50: metrics.json unreadable ({Path.Combine(_root, "eval", "demo", "Published_baseline_CC_50", "metrics.json")})"));
        Assert.That(note, Does.Contain("blur_CC_50: metrics.json unreadable").And.Contain("average_precision"));
        Assert.That(note, Does.Contain("Pretrained_ibn: metrics.json unreadable"));
        Assert.That(note, Does.Contain("no ground truth"));
    }

    [Test]
    public void Without_a_ground_truth_the_tables_stay_and_the_plots_are_replaced_by_a_note()
    {
        Metrics("baseline_CC_50", 0.48);
        Predictions("baseline_CC_50", ("Q1", "R1", 0.9));
        var section = WebUtility.HtmlDecode(Part(Html(), "evaluation"));
        Assert.That(section, Does.Contain($"no ground truth ({Path.Combine(_root, "eval", "demo", "ground_truth.csv")}), so no precision-recall plots"));
        Assert.That(Rows(section, "evaluation")[0][1], Is.EqualTo("0.4800"));
        Assert.That(section, Does.Not.Contain("<img"));
    }

    [Test]
    public void A_damaged_ground_truth_or_predictions_file_is_noted_and_the_other_curves_are_drawn()
    {
        GroundTruth();
        Metrics("baseline_CC_50", 0.48);
        Predictions("baseline_CC_50", ("Q1", "R1", 0.9));
        File.WriteAllText(Path.Combine(Model("baseline_BW_50"), "predictions.csv"), "query_id,reference_id,score\nQ1,R1,0.9\nQ1,R1,0.8\n");
        File.WriteAllText(Path.Combine(Model("blur_CC_50"), "predictions.csv"), "query_id,reference_id,score\n");
        var ev = ReportData.Gather(_root, Profiles.Demo, repoRoot: null).Evaluation;
        Assert.That(ev.Curves.Select(f => (f.Family, f.Lines.Count)), Is.EqualTo(new[] { ("baseline", 1) }));
        Assert.That(ev.Problems, Has.Count.EqualTo(2));
        Assert.That(ev.Problems[0], Does.StartWith("baseline_BW_50: no precision-recall curve, its predictions are unreadable").And.Contain("predicted twice"));
        Assert.That(ev.Problems[1], Does.StartWith("blur_CC_50: no precision-recall curve").And.Contain("no predictions"));
        Assert.That(WebUtility.HtmlDecode(Part(Html(), "evaluation")), Does.Contain("predicted twice"));

        File.WriteAllText(Path.Combine(_root, "eval", "demo", "ground_truth.csv"), "query,ref\nQ1,R1\n");
        var damaged = ReportData.Gather(_root, Profiles.Demo, repoRoot: null).Evaluation;
        Assert.That(damaged.Curves, Is.Empty);
        Assert.That(damaged.Problems.Single(), Does.StartWith("the ground truth is unreadable, so no precision-recall plots").And.Contain("query_id,reference_id"));
        Assert.That(Part(Html(), "evaluation"), Does.Contain("the ground truth is unreadable"));
    }

    [Test]
    public void Metrics_of_different_set_sizes_are_flagged()
    {
        Metrics("baseline_CC_50", 0.48);
        Metrics("blur_CC_50", 0.48, queries: 41);
        var section = WebUtility.HtmlDecode(Part(Html(), "evaluation"));
        Assert.That(section, Does.Contain("The metrics.json files disagree on the set's size")
            .And.Contain("40 queries, 40 references, 20 pairs: baseline_CC_50").And.Contain("41 queries, 40 references, 20 pairs: blur_CC_50"));
    }
}
