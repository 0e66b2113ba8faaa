using Isc.Cli.Commands;
using Isc.Recipe;
using Isc.Training.Inference;
using NUnit.Framework;

namespace Isc.Cli.Tests;

/// <summary>`isc search` on real descriptor files (.npy + names), as isc features writes them.</summary>
[TestFixture]
public class SearchCommandTests
{
    string dir = "";

    [SetUp]
    public void CreateFolder() => dir = Directory.CreateTempSubdirectory("isc-search-cmd-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(dir, true);

    string Descriptors(string name, float[] rows, int dim, params string[] images)
    {
        var path = Path.Combine(dir, name + ".npy");
        DescriptorFile.Write(path, rows, dim, images);
        return path;
    }

    static Task<int> Run(params string[] args) => new SearchCommand().RunAsync(new CommandArgs(args), CancellationToken.None);

    [Test]
    public async Task Writes_the_top_k_of_every_query_by_image_id_ranked_by_score()
    {
        // Unnormalised rows: the command L2-normalises them, so the scores are cosines.
        var queries = Descriptors("q", [2, 0, 0, 3], 2, "Q00000.jpg", "Q00001.jpg");
        var references = Descriptors("r", [1, 0, 0, 5, 3, 4], 2, "R000000.jpg", "R000001.jpg", "R000002.jpg");
        var output = Path.Combine(dir, "out", "predictions.csv");
        Assert.That(await Run("--queries", queries, "--references", references, "--out", output, "--k", "2"), Is.Zero);
        Assert.That(File.ReadAllLines(output), Is.EqualTo(new[]
        {
            "query_id,reference_id,score",
            "Q00000,R000000,1",
            "Q00001,R000001,1",
            "Q00001,R000002,0.8",
            "Q00000,R000002,0.6",
        }));
    }

    [Test]
    public async Task Without_k_the_search_keeps_the_protocol_s_top_k_from_the_profile_or_the_step_spec()
    {
        var queries = Descriptors("q", [2, 0, 0, 3], 2, "Q00000.jpg", "Q00001.jpg");
        var references = Descriptors("r", [1, 0, 0, 5, 3, 4], 2, "R000000.jpg", "R000001.jpg", "R000002.jpg");
        var byProfile = Path.Combine(dir, "by-profile.csv");
        Assert.That(await Run("--queries", queries, "--references", references, "--out", byProfile), Is.Zero);
        Assert.That(File.ReadAllLines(byProfile), Has.Length.EqualTo(1 + 2 * Math.Min(Profiles.Paper.Evaluation.TopK, 3)));

        using var specs = new SpecFiles();
        var spec = specs.Write("Eval:test", Profiles.Demo with { Evaluation = Profiles.Demo.Evaluation with { TopK = 1 } });
        var bySpec = Path.Combine(dir, "by-spec.csv");
        Assert.That(await Run("--queries", queries, "--references", references, "--out", bySpec, "--settings", spec), Is.Zero);
        Assert.That(File.ReadAllLines(bySpec), Is.EqualTo(new[] { "query_id,reference_id,score", "Q00000,R000000,1", "Q00001,R000001,1" }));
    }

    [Test]
    public void A_names_file_that_does_not_match_the_rows_is_an_error_naming_both_files()
    {
        var queries = Descriptors("q", [1, 0, 0, 1], 2, "a.jpg", "b.jpg");
        File.WriteAllText(DescriptorFile.NamesPath(queries), "a.jpg\n");
        var references = Descriptors("r", [1, 0], 2, "c.jpg");
        Assert.That(async () => await Run("--queries", queries, "--references", references, "--out", Path.Combine(dir, "p.csv")),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("names 1 images but").And.Message.Contains("has 2 rows"));
        Assert.That(File.Exists(Path.Combine(dir, "p.csv")), Is.False);
    }
}
