using Isc.Cli.Commands;
using Isc.Recipe;
using Isc.Training.Inference;
using Isc.Torch.Serialization;
using NUnit.Framework;

namespace Isc.Cli.Tests;

/// <summary>`isc pca` learns the whitening that `isc search --pca` applies, from a real descriptor file.</summary>
[TestFixture]
public class PcaCommandTests
{
    string dir = "";

    [SetUp]
    public void CreateFolder() => dir = Directory.CreateTempSubdirectory("isc-pca-cmd-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(dir, true);

    string Descriptors(string name, int rows, int dim, int seed)
    {
        var random = new Random(seed);
        var values = Enumerable.Range(0, rows * dim).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        var path = Path.Combine(dir, name + ".npy");
        DescriptorFile.Write(path, values, dim, [.. Enumerable.Range(0, rows).Select(i => $"{name}{i:D5}.jpg")]);
        return path;
    }

    static Task<int> Run(string command, params string[] args) =>
        (command == "pca" ? (IWorkerCommand)new PcaCommand() : new SearchCommand()).RunAsync(new CommandArgs(args), CancellationToken.None);

    [Test]
    public async Task The_learned_whitening_has_the_asked_dimensions_and_isc_search_applies_it()
    {
        var training = Descriptors("T", 40, 8, 1);
        var pca = Path.Combine(dir, "out", "pca.npy");
        Assert.That(await Run("pca", "--descriptors", training, "--out", pca, "--dimensions", "4"), Is.Zero);
        var (_, shape) = Npy.ReadFloat32(pca);
        Assert.That(shape, Is.EqualTo(new long[] { 5, 8 }), "row 0 the mean, then the 4 components");

        var predictions = Path.Combine(dir, "predictions.csv");
        Assert.That(await Run("search", "--queries", Descriptors("Q", 3, 8, 2), "--references", Descriptors("R", 6, 8, 3),
            "--out", predictions, "--k", "2", "--pca", pca), Is.Zero);
        Assert.That(File.ReadAllLines(predictions), Has.Length.EqualTo(1 + 3 * 2));
    }

    [Test]
    public async Task Without_dimensions_the_whitening_keeps_the_protocol_s_pca_dimensions_from_the_step_spec()
    {
        using var specs = new SpecFiles();
        var spec = specs.Write("Pca:test", Profiles.Demo with { Evaluation = Profiles.Demo.Evaluation with { PcaDimensions = 3 } });
        var pca = Path.Combine(dir, "pca.npy");
        Assert.That(await Run("pca", "--descriptors", Descriptors("T", 40, 8, 1), "--out", pca, "--settings", spec), Is.Zero);
        Assert.That(Npy.ReadFloat32(pca).Shape, Is.EqualTo(new long[] { 4, 8 }));
    }

    [Test]
    public void Too_few_descriptors_for_the_dimensions_name_the_file_and_the_numbers()
    {
        var training = Descriptors("T", 4, 8, 1);
        var e = Assert.ThrowsAsync<InvalidDataException>(() => Run("pca", "--descriptors", training, "--out", Path.Combine(dir, "pca.npy"), "--dimensions", "4"));
        Assert.That(e!.Message, Does.Contain(training).And.Contain("more than 4"));
        Assert.That(File.Exists(Path.Combine(dir, "pca.npy")), Is.False);
    }
}
