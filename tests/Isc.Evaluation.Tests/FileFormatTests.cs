namespace Isc.Evaluation.Tests;

/// <summary>The predictions and ground-truth files: what reads, what is refused (and how the message says so), round trips.</summary>
[TestFixture]
public class FileFormatTests
{
    static InvalidDataException? ReadPredictions(params string[] lines)
    {
        using var folder = new TempFolder();
        var path = folder.Write("predictions.csv", lines);
        return Assert.Throws<InvalidDataException>(() => PredictionsCsv.Read(path));
    }

    static InvalidDataException? ReadTruth(params string[] lines)
    {
        using var folder = new TempFolder();
        var path = folder.Write("ground_truth.csv", lines);
        return Assert.Throws<InvalidDataException>(() => GroundTruthCsv.Read(path));
    }

    [Test]
    public void A_duplicated_pair_is_an_error_naming_both_ids_and_lines()
    {
        var e = ReadPredictions(PredictionsCsv.Header, "Q1,R1,0.9", "Q1,R2,0.8", "Q1,R1,0.7");
        Assert.That(e!.Message, Does.Contain("predictions.csv:4").And.Contain("(Q1, R1)").And.Contain("lines 2 and 4"));
    }

    [Test]
    public void A_missing_header_is_an_error_saying_what_the_header_is()
    {
        var e = ReadPredictions("Q1,R1,0.9", "Q2,R2,0.8");
        Assert.That(e!.Message, Does.Contain("predictions.csv:1").And.Contain(PredictionsCsv.Header));
        var t = ReadTruth("Q1,R1");
        Assert.That(t!.Message, Does.Contain("ground_truth.csv:1").And.Contain(GroundTruthCsv.Header));
    }

    [Test]
    public void An_empty_file_is_an_error()
    {
        Assert.That(ReadPredictions()!.Message, Does.Contain("empty").And.Contain(PredictionsCsv.Header));
        Assert.That(ReadTruth("", "  ")!.Message, Does.Contain("empty"));
    }

    [Test]
    public void No_predictions_is_an_error_of_the_evaluation()
    {
        using var folder = new TempFolder();
        var predictions = PredictionsCsv.Read(folder.Write("predictions.csv", PredictionsCsv.Header));
        Assert.That(predictions, Is.Empty, "a header alone reads");
        var truth = new GroundTruth([], [new GroundTruthPair("Q1", "R1")]);
        Assert.That(() => MatchingEvaluator.Evaluate(truth, predictions),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("no predictions"));
    }

    [Test]
    public void A_ground_truth_without_pairs_is_an_error_of_the_evaluation()
    {
        var truth = new GroundTruth(["Q1", "Q2"], []);
        Assert.That(() => MatchingEvaluator.Evaluate(truth, [new PredictedMatch("Q1", "R1", 1)]),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("no (query, reference) pair"));
    }

    [TestCase("nan")]
    [TestCase("NaN")]
    [TestCase("Infinity")]
    [TestCase("-inf")]
    [TestCase("0,8")]
    [TestCase("high")]
    [TestCase("")]
    public void A_score_that_is_not_a_finite_number_is_an_error_naming_the_line(string score)
    {
        var e = ReadPredictions(PredictionsCsv.Header, "Q1,R1,0.5", $"Q1,R2,{score}");
        Assert.That(e!.Message, Does.Contain("predictions.csv:3"));
    }

    [Test]
    public void Empty_ids_and_wrong_field_counts_are_errors_naming_the_line()
    {
        Assert.That(ReadPredictions(PredictionsCsv.Header, ",R1,0.5")!.Message, Does.Contain(":2: empty query_id"));
        Assert.That(ReadPredictions(PredictionsCsv.Header, "Q1,,0.5")!.Message, Does.Contain(":2: empty reference_id"));
        Assert.That(ReadPredictions(PredictionsCsv.Header, "Q1,R1")!.Message, Does.Contain(":2: expected 3"));
        Assert.That(ReadTruth(GroundTruthCsv.Header, "Q1,R1,0.5")!.Message, Does.Contain(":2: expected 2"));
    }

    [Test]
    public void A_ground_truth_pair_listed_twice_or_a_query_both_unmatched_and_matched_is_an_error()
    {
        Assert.That(ReadTruth(GroundTruthCsv.Header, "Q1,R1", "Q2,R2", "Q1,R1")!.Message, Does.Contain("(Q1, R1)").And.Contain("lines 2 and 4"));
        Assert.That(ReadTruth(GroundTruthCsv.Header, "Q1,", "Q1,R1")!.Message, Does.Contain("query Q1").And.Contain("lines 2 and 3"));
        Assert.That(ReadTruth(GroundTruthCsv.Header, "Q1,", "Q1,")!.Message, Does.Contain("query Q1"));
    }

    [Test]
    public void The_challenges_ground_truth_form_reads_with_queries_without_a_match()
    {
        using var folder = new TempFolder();
        // As public_ground_truth.csv: header, distractors with an empty reference id, CRLF line ends, a trailing blank line.
        var path = folder.Path("gt.csv");
        File.WriteAllText(path, "query_id,reference_id\r\nQ00000,\r\nQ00001,R000010\r\nQ00002,R000020\r\nQ00002,R000021\r\n\r\n");
        var truth = GroundTruthCsv.Read(path);
        Assert.That(truth.Queries, Is.EqualTo(new[] { "Q00000", "Q00001", "Q00002" }));
        Assert.That(truth.Pairs, Has.Count.EqualTo(3));
        Assert.That(truth.ReferenceCount, Is.EqualTo(3));
    }

    [Test]
    public void Written_files_read_back_exactly()
    {
        using var folder = new TempFolder();
        double[] scores = [0.1 + 0.2, 1e-300, -0.75, 123456.789012345678, double.Epsilon, 1 / 3.0];
        var predictions = scores.Select((s, i) => new PredictedMatch($"Q{i}", $"R{i}", s)).ToList();
        var path = folder.Path("predictions.csv");
        PredictionsCsv.Write(path, predictions);
        Assert.That(PredictionsCsv.Read(path), Is.EqualTo(predictions), "every score reads back bit-exact");
        Assert.That(Directory.GetFiles(folder.Root), Has.Length.EqualTo(1), "no temporary file is left");

        var truth = new GroundTruth(["Q0", "Q9"], [new GroundTruthPair("Q0", "R0"), new GroundTruthPair("Q0", "R5"), new GroundTruthPair("Q3", "R3")]);
        var truthPath = folder.Path("ground_truth.csv");
        GroundTruthCsv.Write(truthPath, truth);
        var back = GroundTruthCsv.Read(truthPath);
        Assert.That(back.Queries, Is.EqualTo(new[] { "Q0", "Q9", "Q3" }));
        Assert.That(back.Pairs, Is.EqualTo(truth.Pairs));
        Assert.That(File.ReadAllText(truthPath), Does.Contain("\nQ9,\n"), "a query without a match is written with an empty reference id");
    }

    [Test]
    public void The_writers_refuse_what_the_readers_would_refuse()
    {
        using var folder = new TempFolder();
        var path = folder.Path("p.csv");
        Assert.That(() => PredictionsCsv.Write(path, [new("Q1", "R1", 0.5), new("Q1", "R1", 0.4)]), Throws.ArgumentException.With.Message.Contains("twice"));
        Assert.That(() => PredictionsCsv.Write(path, [new("Q1", "R1", double.NaN)]), Throws.ArgumentException.With.Message.Contains("not finite"));
        Assert.That(() => PredictionsCsv.Write(path, [new("Q,1", "R1", 0.5)]), Throws.ArgumentException.With.Message.Contains("comma"));
        Assert.That(File.Exists(path), Is.False, "nothing is written when a prediction is refused");
    }

    [Test]
    public void Metrics_json_has_the_layouts_field_names_and_reads_back()
    {
        using var folder = new TempFolder();
        var metrics = new MatchingMetrics(0.5, 0.25, 0.875, 0.5, 0.75, 4, 1000, 2, 3, 1);
        var path = folder.Path("metrics.json");
        metrics.Save(path);
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path));
        var names = json.RootElement.EnumerateObject().Select(p => p.Name).ToList();
        Assert.That(names, Is.SupersetOf(new[] { "average_precision", "recall_at_p90", "recall_at_rank1", "recall_at_rank10",
            "queries", "references", "ground_truth_pairs", "predictions" }));
        Assert.That(MatchingMetrics.Load(path), Is.EqualTo(metrics));
    }

    [Test]
    public void A_metrics_json_without_one_of_its_fields_is_refused_not_read_as_zero()
    {
        using var folder = new TempFolder();
        var path = folder.Path("metrics.json");
        new MatchingMetrics(0.5, 0.25, null, 0.5, 0.75, 4, 1000, 2, 3, 1).Save(path);
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"average_precision\": 0.5,", ""));
        Assert.That(File.ReadAllText(path), Does.Not.Contain("average_precision"));
        Assert.That(() => MatchingMetrics.Load(path), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("average_precision").And.Message.Contains(path));
    }

    [Test]
    public void The_curve_thins_to_at_most_the_points_asked_keeping_both_ends()
    {
        var n = 1000;
        var curve = new PrecisionRecallCurve([.. Enumerable.Range(0, n).Select(i => 1.0 / (i + 1))],
            [.. Enumerable.Range(0, n).Select(i => i / (double)n)], [.. Enumerable.Range(0, n).Select(i => -(double)i)]);
        var thin = curve.Thin(50);
        Assert.That(thin.Count, Is.LessThanOrEqualTo(50).And.GreaterThan(40));
        Assert.That((thin.Recalls[0], thin.Recalls[^1], thin.Thresholds[^1]), Is.EqualTo((0.0, (n - 1) / (double)n, -(n - 1.0))));
        Assert.That(thin.Recalls, Is.Ordered);
        Assert.That(curve.Thin(5000), Is.SameAs(curve));
    }
}
