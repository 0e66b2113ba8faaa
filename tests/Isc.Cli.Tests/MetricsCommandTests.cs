using System.Text.Json;
using Isc.Cli.Commands;
using NUnit.Framework;

namespace Isc.Cli.Tests;

/// <summary>`isc metrics` on real files: the metrics it prints and writes, and how it refuses bad input.</summary>
[TestFixture]
public class MetricsCommandTests
{
    string _dir = "";

    [SetUp]
    public void CreateFolder() => _dir = Directory.CreateTempSubdirectory("isc-metrics-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_dir, recursive: true);

    string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    static async Task<(int Code, string Out, string Error)> RunWorker(params string[] argv)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var (oldOut, oldError) = (Console.Out, Console.Error);
        Console.SetOut(stdout);
        Console.SetError(stderr);
        try
        {
            var code = await WorkerHost.RunAsync(argv, CancellationToken.None);
            return (code, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldError);
        }
    }

    [Test]
    public async Task Scores_a_predictions_file_and_writes_metrics_json_beside_it()
    {
        var truth = Write("ground_truth.csv", "query_id,reference_id\nQ1,R1\nQ2,R2\nQ3,\n");
        // Ranked: (Q3,R3) false, (Q1,R1) true, (Q2,R9) false tied with (Q2,R2) true → false first.
        var predictions = Write("predictions.csv", "query_id,reference_id,score\nQ1,R1,0.9\nQ2,R2,0.5\nQ2,R9,0.5\nQ3,R3,0.95\n");

        var (code, output, error) = await RunWorker("metrics", "--predictions", predictions, "--ground-truth", truth);

        Assert.That(code, Is.Zero, error);
        var metricsPath = Path.Combine(_dir, "metrics.json");
        using var json = JsonDocument.Parse(File.ReadAllText(metricsPath));
        var m = json.RootElement;
        Assert.That(m.GetProperty("average_precision").GetDouble(), Is.EqualTo((1 / 2.0 + 2 / 4.0) / 2).Within(1e-12));
        Assert.That(m.GetProperty("recall_at_rank1").GetDouble(), Is.EqualTo(0.5), "Q2's true match ties with a false one");
        Assert.That(m.GetProperty("recall_at_rank10").GetDouble(), Is.EqualTo(1.0));
        Assert.That(m.GetProperty("recall_at_p90").GetDouble(), Is.Zero, "precision never reaches 0.9");
        Assert.That((m.GetProperty("queries").GetInt32(), m.GetProperty("references").GetInt32(),
            m.GetProperty("ground_truth_pairs").GetInt32(), m.GetProperty("predictions").GetInt32()), Is.EqualTo((3, 2, 2, 4)));
        Assert.That(output, Does.Contain("average precision (µAP)  0.50000").And.Contain(metricsPath));
    }

    [Test]
    public async Task Out_and_references_are_taken()
    {
        var truth = Write("gt.csv", "query_id,reference_id\nQ1,R1\n");
        var predictions = Write("p.csv", "query_id,reference_id,score\nQ1,R1,1\n");
        var output = Path.Combine(_dir, "sub", "m.json");
        var (code, _, error) = await RunWorker("metrics", "--predictions", predictions, "--ground-truth", truth, "--out", output, "--references", "1000000");
        Assert.That(code, Is.Zero, error);
        using var json = JsonDocument.Parse(File.ReadAllText(output));
        Assert.That(json.RootElement.GetProperty("references").GetInt32(), Is.EqualTo(1_000_000));
        Assert.That(json.RootElement.GetProperty("average_precision").GetDouble(), Is.EqualTo(1.0));
    }

    [Test]
    public async Task A_bad_file_fails_with_the_file_the_line_and_what_to_do()
    {
        var truth = Write("gt.csv", "query_id,reference_id\nQ1,R1\n");
        var duplicated = Write("dup.csv", "query_id,reference_id,score\nQ1,R1,0.9\nQ1,R1,0.8\n");
        var (code, _, error) = await RunWorker("metrics", "--predictions", duplicated, "--ground-truth", truth);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(error, Does.Contain($"{duplicated}:3").And.Contain("(Q1, R1)").And.Contain("lines 2 and 3").And.Contain("keep one score"));
        Assert.That(File.Exists(Path.Combine(_dir, "metrics.json")), Is.False, "no metrics for a refused file");

        var headerOnly = Write("empty.csv", "query_id,reference_id,score\n");
        (code, _, error) = await RunWorker("metrics", "--predictions", headerOnly, "--ground-truth", truth);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(error, Does.Contain("no predictions"));

        (code, _, error) = await RunWorker("metrics", "--predictions", Path.Combine(_dir, "missing.csv"), "--ground-truth", truth);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(error, Does.Contain("missing.csv does not exist"));

        (code, _, error) = await RunWorker("metrics", "--predictions", headerOnly);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("missing --ground-truth"));
    }
}
