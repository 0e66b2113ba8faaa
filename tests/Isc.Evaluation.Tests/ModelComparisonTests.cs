using Isc.Recipe;
using Isc.Recipe.Layouts;

namespace Isc.Evaluation.Tests;

/// <summary>The reproduction verdict from crafted metrics.json files in an eval/&lt;set&gt; folder.</summary>
[TestFixture]
public class ModelComparisonTests
{
    static readonly Run Cc50 = Runs.Get("baseline_CC_50");
    static readonly Run CcIbn = Runs.Get("baseline_CC_ibn");

    /// <summary>Writes &lt;model&gt;/metrics.json with this µAP, as isc metrics writes it.</summary>
    static void Metrics(TempFolder set, string model, double averagePrecision)
    {
        var folder = EvaluationFolder.ModelDirectory(set.Root, model);
        Directory.CreateDirectory(folder);
        new MatchingMetrics(averagePrecision, 0.1, 0.9, 0.2, 0.3, 40, 40, 20, 400, 0).Save(EvaluationFolder.Metrics(folder));
    }

    static void All(TempFolder set, Run run, double rebuilt, double published, double backbone)
    {
        Metrics(set, EvaluationFolder.ModelName(run), rebuilt);
        Metrics(set, EvaluationFolder.PublishedModelName(run), published);
        Metrics(set, EvaluationFolder.PretrainedModelName(run.Backbone), backbone);
    }

    [Test]
    public void Each_run_gets_its_three_values_the_difference_and_pass()
    {
        using var set = new TempFolder();
        All(set, Cc50, 0.61, 0.6, 0.2);
        All(set, CcIbn, 0.5, 0.51, 0.25);
        var c = ModelComparison.Compare(set.Root, [Cc50, CcIbn], 0.02);
        Assert.That(c.Runs.Select(r => (r.Run, r.Backbone, r.Rebuilt, r.Published, r.BackboneAlone, r.Verdict)), Is.EqualTo(new[]
        {
            ("baseline_CC_50", "resnet50", (double?)0.61, (double?)0.6, (double?)0.2, ComparisonVerdict.Pass),
            ("baseline_CC_ibn", "ibn", 0.5, 0.51, 0.25, ComparisonVerdict.Pass),
        }));
        Assert.That(c.Runs[0].Difference, Is.EqualTo(0.01).Within(1e-12));
        Assert.That(c.Runs[1].Difference, Is.EqualTo(-0.01).Within(1e-12));
        Assert.That((c.RunsCompared, c.Passed, c.Failed, c.Incomplete), Is.EqualTo((2, 2, 0, 0)));
        Assert.That(c.Summary, Is.EqualTo("2 of 2 runs pass (tolerance 0.02)"));
    }

    [Test]
    public void Exactly_the_tolerance_below_passes_and_a_bit_more_fails()
    {
        using var set = new TempFolder();
        All(set, Cc50, 0.48, 0.5, 0.1);
        All(set, CcIbn, 0.48 - 1e-6, 0.5, 0.1);
        var c = ModelComparison.Compare(set.Root, [Cc50, CcIbn], 0.02);
        Assert.That(c.Runs.Select(r => r.Verdict), Is.EqualTo(new[] { ComparisonVerdict.Pass, ComparisonVerdict.Fail }));
        Assert.That(c.FailedRuns, Is.EqualTo(new[] { "baseline_CC_ibn" }));
        Assert.That(c.Summary, Is.EqualTo("1 of 2 runs pass (tolerance 0.02)"));
    }

    [Test]
    public void A_missing_file_makes_the_run_incomplete_naming_the_file()
    {
        using var set = new TempFolder();
        Metrics(set, "baseline_CC_50", 0.5);
        Metrics(set, "Pretrained_resnet50", 0.1);
        var c = ModelComparison.Compare(set.Root, [Cc50], 0.02);
        var row = c.Runs.Single();
        Assert.That(row.Verdict, Is.EqualTo(ComparisonVerdict.Incomplete));
        Assert.That(row.Missing, Is.EqualTo(new[] { "Published_baseline_CC_50/metrics.json" }));
        Assert.That((row.Rebuilt, row.Published, row.Difference), Is.EqualTo(((double?)0.5, (double?)null, (double?)null)));
        Assert.That((c.Passed, c.Failed, c.Incomplete), Is.EqualTo((0, 0, 1)));
        Assert.That(c.ToMarkdown(), Does.Contain("incomplete (missing Published_baseline_CC_50/metrics.json)"));
    }

    [Test]
    public void A_damaged_metrics_file_is_an_error_naming_it()
    {
        using var set = new TempFolder();
        All(set, Cc50, 0.5, 0.5, 0.1);
        var damaged = EvaluationFolder.Metrics(EvaluationFolder.ModelDirectory(set.Root, "Published_baseline_CC_50"));
        File.WriteAllText(damaged, "{ \"average_precision\": 0.5, ");
        Assert.That(() => ModelComparison.Compare(set.Root, [Cc50], 0.02),
            Throws.InstanceOf<InvalidDataException>().With.Message.Contains(damaged));
    }

    [Test]
    public void A_metrics_file_without_the_average_precision_is_an_error_not_a_zero()
    {
        using var set = new TempFolder();
        All(set, Cc50, 0.5, 0.5, 0.1);
        var incomplete = EvaluationFolder.Metrics(EvaluationFolder.ModelDirectory(set.Root, "baseline_CC_50"));
        File.WriteAllText(incomplete, """{ "recall_at_p90": 0.1, "threshold_at_p90": null, "recall_at_rank1": 0.2, "recall_at_rank10": 0.3, "queries": 4, "references": 4, "ground_truth_pairs": 2, "predictions": 3, "predictions_of_unknown_queries": 0 }""");
        Assert.That(() => MatchingMetrics.Load(incomplete),
            Throws.InstanceOf<InvalidDataException>().With.Message.Contains(incomplete).And.Message.Contains("average_precision"));
    }

    [Test]
    public void The_files_are_written_and_the_json_reads_back()
    {
        using var set = new TempFolder();
        All(set, Cc50, 0.61, 0.6, 0.2);
        var c = ModelComparison.Compare(set.Root, [Cc50], 0.02);
        var json = set.Path(EvaluationFolder.ComparisonJsonFileName);
        c.Save(json);
        var back = ModelComparison.Load(json);
        Assert.That(back.Runs.Single(), Is.EqualTo(c.Runs.Single()).Using<RunComparison>((a, b) =>
            a.Run == b.Run && a.Rebuilt == b.Rebuilt && a.Published == b.Published && a.Verdict == b.Verdict && a.Missing.SequenceEqual(b.Missing)));
        var table = File.ReadAllLines(set.Path(EvaluationFolder.ComparisonTableFileName));
        Assert.That(table[0], Does.StartWith("| run | rebuilt µAP | published µAP |"));
        Assert.That(table[2], Is.EqualTo("| baseline_CC_50 | 0.6100 | 0.6000 | 0.2000 (resnet50) | +0.0100 | pass |"));
        Assert.That(table[^1], Is.EqualTo("1 of 1 runs pass (tolerance 0.02)"));
    }

    [Test]
    public void A_missing_set_folder_is_an_error_naming_it()
    {
        var absent = Path.Combine(Path.GetTempPath(), "isc-no-such-set-" + Guid.NewGuid().ToString("N"));
        Assert.That(() => ModelComparison.Compare(absent, [Cc50], 0.02),
            Throws.InstanceOf<DirectoryNotFoundException>().With.Message.Contains(absent));
    }
}
