using System.Globalization;
using System.Text.Json;

namespace Isc.Evaluation.Tests;

/// <summary>
/// The C# metrics against the independent Python reference (tests/python/isc_metrics_reference.py) on crafted cases,
/// each also checked against values worked out by hand where the case is small enough.
/// </summary>
[TestFixture]
public class MetricsAgainstReferenceTests
{
    const double Tolerance = 1e-12;

    /// <summary>Writes the two files, evaluates them in C# and in Python, asserts both agree on every field and the curve.</summary>
    static MatchingEvaluation Agree(string[] truthLines, string[] predictionLines)
    {
        using var folder = new TempFolder();
        var truthPath = folder.Write("ground_truth.csv", [GroundTruthCsv.Header, .. truthLines]);
        var predictionsPath = folder.Write("predictions.csv", [PredictionsCsv.Header, .. predictionLines]);
        var evaluation = MatchingEvaluator.Evaluate(GroundTruthCsv.Read(truthPath), PredictionsCsv.Read(predictionsPath));
        var reference = PythonMetricsReference.Run(predictionsPath, truthPath);

        var m = evaluation.Metrics;
        Assert.Multiple(() =>
        {
            Assert.That(m.AveragePrecision, Is.EqualTo(reference.GetProperty("average_precision").GetDouble()).Within(Tolerance), "average_precision");
            Assert.That(m.RecallAtP90, Is.EqualTo(reference.GetProperty("recall_at_p90").GetDouble()).Within(Tolerance), "recall_at_p90");
            var t90 = reference.GetProperty("threshold_at_p90");
            Assert.That(m.ThresholdAtP90, Is.EqualTo(t90.ValueKind == JsonValueKind.Null ? null : t90.GetDouble()), "threshold_at_p90");
            Assert.That(m.RecallAtRank1, Is.EqualTo(reference.GetProperty("recall_at_rank1").GetDouble()).Within(Tolerance), "recall_at_rank1");
            Assert.That(m.RecallAtRank10, Is.EqualTo(reference.GetProperty("recall_at_rank10").GetDouble()).Within(Tolerance), "recall_at_rank10");
            Assert.That(m.Queries, Is.EqualTo(reference.GetProperty("queries").GetInt32()), "queries");
            Assert.That(m.References, Is.EqualTo(reference.GetProperty("references").GetInt32()), "references");
            Assert.That(m.GroundTruthPairs, Is.EqualTo(reference.GetProperty("ground_truth_pairs").GetInt32()), "ground_truth_pairs");
            Assert.That(m.Predictions, Is.EqualTo(reference.GetProperty("predictions").GetInt32()), "predictions");
            Assert.That(m.PredictionsOfUnknownQueries, Is.EqualTo(reference.GetProperty("predictions_of_unknown_queries").GetInt32()), "predictions_of_unknown_queries");
            Assert.That(evaluation.Curve.Precisions, Is.EqualTo(Doubles(reference, "precisions")).Within(Tolerance), "curve precisions");
            Assert.That(evaluation.Curve.Recalls, Is.EqualTo(Doubles(reference, "recalls")).Within(Tolerance), "curve recalls");
            Assert.That(evaluation.Curve.Thresholds, Is.EqualTo(Doubles(reference, "thresholds")), "curve thresholds");
        });
        return evaluation;
    }

    static double[] Doubles(JsonElement e, string name) => [.. e.GetProperty(name).EnumerateArray().Select(x => x.GetDouble())];

    [Test]
    public void At_equal_scores_a_false_match_ranks_before_a_true_one()
    {
        // All three at 0.5: ranked false (Q2,R9), true, true → precisions 1/2 and 2/3 at the two true matches.
        var m = Agree(["Q1,R1", "Q2,R2"], ["Q1,R1,0.5", "Q2,R2,0.5", "Q2,R9,0.5"]).Metrics;
        Assert.That(m.AveragePrecision, Is.EqualTo((1 / 2.0 + 2 / 3.0) / 2).Within(Tolerance), "an optimistic tie rule would give 1");
        // Q2's true reference ties with a false one of the same query, so it is not at rank 1.
        Assert.That(m.RecallAtRank1, Is.EqualTo(0.5));
        Assert.That(m.RecallAtRank10, Is.EqualTo(1.0));
    }

    [Test]
    public void One_score_for_every_prediction_gives_the_worst_ranking()
    {
        // 2 true among 6 at one score: all 4 false ones first → precisions 1/5 and 2/6.
        var m = Agree(["Q1,R1", "Q2,R2"],
            ["Q1,R1,1", "Q1,R2,1", "Q1,R3,1", "Q2,R2,1", "Q2,R1,1", "Q2,R3,1"]).Metrics;
        Assert.That(m.AveragePrecision, Is.EqualTo((1 / 5.0 + 2 / 6.0) / 2).Within(Tolerance));
        Assert.That(m.RecallAtRank1, Is.Zero);
    }

    [Test]
    public void Queries_without_a_match_count_as_queries_and_add_no_pair()
    {
        var m = Agree(["Q1,R1", "Q2,", "Q3,", "Q4,R4"], ["Q1,R1,0.9", "Q2,R1,0.8", "Q3,R4,0.7", "Q4,R4,0.6"]).Metrics;
        Assert.That((m.Queries, m.GroundTruthPairs, m.References), Is.EqualTo((4, 2, 2)));
        // The distractors' predictions are false matches ranked between the two true ones: precisions 1 and 2/4.
        Assert.That(m.AveragePrecision, Is.EqualTo((1 + 2 / 4.0) / 2).Within(Tolerance));
        Assert.That(m.PredictionsOfUnknownQueries, Is.Zero);
    }

    [Test]
    public void Predictions_outside_the_ground_truth_are_false_matches()
    {
        // Q8 and Q9 are no query of the ground truth: the challenge keeps their predictions, as false matches.
        var m = Agree(["Q1,R1", "Q2,R2"], ["Q9,R1,0.99", "Q1,R1,0.9", "Q8,R7,0.85", "Q1,R5,0.8", "Q2,R2,0.7"]).Metrics;
        Assert.That(m.AveragePrecision, Is.EqualTo((1 / 2.0 + 2 / 5.0) / 2).Within(Tolerance));
        Assert.That(m.PredictionsOfUnknownQueries, Is.EqualTo(2));
        Assert.That(m.RecallAtRank1, Is.EqualTo(1.0), "other queries' predictions do not change a query's ranks");
    }

    [TestCase("Q1,R1,0.3", 0.5)]
    [TestCase("Q1,R2,0.3", 0.0)]
    public void A_single_prediction(string prediction, double expectedAp)
    {
        var m = Agree(["Q1,R1", "Q2,R2"], [prediction]).Metrics;
        Assert.That(m.AveragePrecision, Is.EqualTo(expectedAp));
        Assert.That(m.Predictions, Is.EqualTo(1));
        Assert.That(m.RecallAtP90, Is.EqualTo(expectedAp), "one true match of two pairs: precision 1 at recall 0.5");
        Assert.That(m.ThresholdAtP90, Is.EqualTo(expectedAp > 0 ? 0.3 : null));
    }

    [Test]
    public void Recall_at_p90_is_the_largest_recall_with_precision_at_least_0_9()
    {
        // 9 true, 1 false (precision 0.9 at recall 9/12), then 1 true (10/11 ≥ 0.9, recall 10/12), then 2 false.
        var truth = Enumerable.Range(1, 12).Select(i => $"Q{i},R{i}").ToArray();
        var predictions = Enumerable.Range(1, 9).Select(i => $"Q{i},R{i},{1 - i / 100.0:R}")
            .Append("Q10,R99,0.89").Append("Q10,R10,0.88").Append("Q11,R98,0.87").Append("Q12,R97,0.86").ToArray();
        var m = Agree(truth, predictions).Metrics;
        Assert.That(m.RecallAtP90, Is.EqualTo(10 / 12.0).Within(Tolerance));
        Assert.That(m.ThresholdAtP90, Is.EqualTo(0.88));
    }

    [Test]
    public void A_random_larger_case_with_ties_agrees()
    {
        var random = new Random(20211114);
        var truth = new List<string>();
        for (var q = 0; q < 300; q++)
        {
            if (q % 4 == 3) { truth.Add($"Q{q:D5},"); continue; }                       // a distractor query
            truth.Add($"Q{q:D5},R{random.Next(500):D6}");
            if (q % 10 == 0) truth.Add($"Q{q:D5},R{500 + q:D6}");                       // a second match
        }
        var truePairs = truth.Where(t => !t.EndsWith(',')).ToHashSet();
        var predictions = new List<string>();
        for (var q = 0; q < 320; q++)                                                   // Q00300.. are not in the ground truth
        {
            var references = new HashSet<string>();
            if (q < 300 && random.NextDouble() < 0.7)
                references.UnionWith(truePairs.Where(t => t.StartsWith($"Q{q:D5},", StringComparison.Ordinal)).Select(t => t[7..]));
            while (references.Count < 10) references.Add($"R{random.Next(1000):D6}");
            foreach (var r in references)
            {
                var isTrue = truePairs.Contains($"Q{q:D5},{r}");
                // Two decimals: many ties, within and across queries.
                var score = Math.Round((isTrue ? 0.3 : 0.0) + random.NextDouble() * 0.7, 2);
                predictions.Add(string.Create(CultureInfo.InvariantCulture, $"Q{q:D5},{r},{score}"));
            }
        }
        var m = Agree([.. truth], [.. predictions]).Metrics;
        Assert.That(m.Predictions, Is.EqualTo(3200));
        Assert.That(m.AveragePrecision, Is.InRange(0.05, 0.95), "a case that is neither trivial nor hopeless");
    }
}
