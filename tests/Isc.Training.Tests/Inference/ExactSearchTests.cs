using System.Text.Json;
using Isc.Torch.Serialization;
using Isc.Training.Inference;
using Isc.Training.Tests.Support;
using static TorchSharp.torch;

namespace Isc.Training.Tests.Inference;

[TestFixture]
public class ExactSearchTests
{
    string dir = "";

    [SetUp]
    public void CreateFolder() => dir = Directory.CreateTempSubdirectory("isc-search-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(dir, true);

    JsonElement BruteForce(Tensor queries, Tensor references, int k)
    {
        Npy.WriteFloat32(Path.Combine(dir, "q.npy"), queries.data<float>().ToArray(), queries.shape);
        Npy.WriteFloat32(Path.Combine(dir, "r.npy"), references.data<float>().ToArray(), references.shape);
        return PyTorch.Run("search", Path.Combine(dir, "q.npy"), Path.Combine(dir, "r.npy"), k.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    static int[] Ints(JsonElement e, string name) => [.. e.GetProperty(name).EnumerateArray().Select(v => v.GetInt32())];
    static float[] Floats(JsonElement e, string name) => [.. e.GetProperty(name).EnumerateArray().Select(v => (float)v.GetDouble())];

    [TestCase(8, 64)]
    [TestCase(5, 7)]
    [TestCase(2048, 32768)]
    public void Random_descriptors_give_numpys_brute_force_top_k(int queryBlock, int referenceBlock)
    {
        var generator = new TorchSharp.torch.Generator(11);
        using var queries = Descriptors.L2Normalize(randn(37, 16, generator: generator));
        using var references = Descriptors.L2Normalize(randn(1000, 16, generator: generator));
        var expected = BruteForce(queries, references, 10);
        var result = ExactSearch.TopK(queries, references, CPU, new SearchOptions(10, queryBlock, referenceBlock));
        Assert.That(result.QueryIndex, Is.EqualTo(Ints(expected, "query")));
        Assert.That(result.ReferenceIndex, Is.EqualTo(Ints(expected, "reference")));
        // float32 dot products of 16 unit-vector components against numpy's float64: |error| ≤ 16 · 2⁻²⁴ ≈ 1e-6.
        Assert.That(result.Score, Is.EqualTo(Floats(expected, "score")).Within(2e-6f));
    }

    /// <summary>
    /// Entries in {−1, 0, 1} over 3 dimensions: only 27 distinct vectors among 300 references, so most scores tie, at the
    /// k-th place of a block and across blocks; the dot products are small integers, exact in float32 and float64.
    /// </summary>
    [TestCase(1, 1)]
    [TestCase(4, 16)]
    [TestCase(3, 37)]
    [TestCase(2048, 32768)]
    public void Exact_ties_go_to_the_lower_reference_index_whatever_the_blocks(int queryBlock, int referenceBlock)
    {
        var generator = new TorchSharp.torch.Generator(5);
        using var queries = randint(-1, 2, [20, 3], generator: generator).to(ScalarType.Float32);
        using var references = randint(-1, 2, [300, 3], generator: generator).to(ScalarType.Float32);
        var expected = BruteForce(queries, references, 7);
        var result = ExactSearch.TopK(queries, references, CPU, new SearchOptions(7, queryBlock, referenceBlock));
        Assert.That(result.QueryIndex, Is.EqualTo(Ints(expected, "query")));
        Assert.That(result.ReferenceIndex, Is.EqualTo(Ints(expected, "reference")));
        Assert.That(result.Score, Is.EqualTo(Floats(expected, "score")));
    }

    [Test]
    public void A_k_larger_than_the_references_returns_every_reference_per_query()
    {
        var generator = new TorchSharp.torch.Generator(7);
        using var queries = randn(4, 8, generator: generator);
        using var references = randn(5, 8, generator: generator);
        var expected = BruteForce(queries, references, 10);
        var result = ExactSearch.TopK(queries, references, CPU, new SearchOptions(10, 3, 2));
        Assert.That(result.Count, Is.EqualTo(4 * 5));
        Assert.That(result.QueryIndex, Is.EqualTo(Ints(expected, "query")));
        Assert.That(result.ReferenceIndex, Is.EqualTo(Ints(expected, "reference")));
        Assert.That(result.Score, Is.EqualTo(Floats(expected, "score")).Within(1e-5f));
    }

    [Test]
    public void NaN_descriptors_and_mismatched_sizes_are_refused_naming_the_rows()
    {
        using var queries = ones(3, 4);
        using var references = ones(6, 4);
        references[4, 2] = float.NaN;
        Assert.That(() => ExactSearch.TopK(queries, references, CPU, new SearchOptions(2, 2, 3)),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("reference rows 3..5"));
        using var other = ones(6, 5);
        Assert.That(() => ExactSearch.TopK(queries, other, CPU, new SearchOptions(2)), Throws.ArgumentException.With.Message.Contains("5 columns, expected 4"));
        Assert.That(() => ExactSearch.TopK(queries, references, CPU, new SearchOptions(0)), Throws.ArgumentException.With.Message.Contains("k must be positive"));
    }
}
