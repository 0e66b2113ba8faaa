using Isc.Torch.Serialization;
using Isc.Training.Inference;
using Isc.Training.Tests.Support;
using static TorchSharp.torch;

namespace Isc.Training.Tests.Inference;

[TestFixture]
public class PcaWhiteningTests
{
    string dir = "";

    [SetUp]
    public void CreateFolder() => dir = Directory.CreateTempSubdirectory("isc-pca-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(dir, true);

    /// <summary>L2-normalised rows of Gaussian data with distinct per-axis scales (well-separated eigenvalues), like descriptors.</summary>
    static Tensor Descriptors(int n, int d, int seed)
    {
        var generator = new TorchSharp.torch.Generator((ulong)seed);
        using var raw = randn(n, d, generator: generator);
        using var scales = linspace(3.0, 0.2, d).unsqueeze(0);
        using var shifted = raw * scales + 0.5;
        return Isc.Training.Inference.Descriptors.L2Normalize(shifted);
    }

    [Test]
    public void Whitened_descriptors_equal_numpys_float64_whitening()
    {
        using var train = Descriptors(400, 32, 1);
        using var x = Descriptors(60, 32, 2);
        Npy.WriteFloat32(Path.Combine(dir, "train.npy"), train.data<float>().ToArray(), train.shape);
        Npy.WriteFloat32(Path.Combine(dir, "x.npy"), x.data<float>().ToArray(), x.shape);
        PyTorch.Run("pca", Path.Combine(dir, "train.npy"), Path.Combine(dir, "x.npy"), "12", "1e-6", Path.Combine(dir, "expected.npy"));
        var (expected, shape) = Npy.ReadFloat32(Path.Combine(dir, "expected.npy"));
        Assert.That(shape, Is.EqualTo(new long[] { 60, 12 }));

        using var pca = PcaWhitening.Learn(train, 12, 1e-6);
        pca.Save(Path.Combine(dir, "pca.npy"));
        using var loaded = PcaWhitening.Load(Path.Combine(dir, "pca.npy"));
        using var whitened = loaded.Apply(x);
        var actual = whitened.data<float>().ToArray();
        // Both sides decompose the same float64 covariance; the difference is float32 storage of P and the float32
        // product (x − mean)·P: relative error ≈ √D · 2⁻²⁴ ≈ 3.4e-7 per element, times the spread of the whitening scale
        // (√(λ1/λ12) ≈ 1.5 here), on unit-length outputs: ≈ 5e-7 at worst (measured 1.5e-7). 1e-5 leaves room for another
        // BLAS and still catches any real difference (a flipped sign or a wrong component moves an element by ~0.1–1).
        var worst = actual.Zip(expected, (a, e) => Math.Abs(a - e)).Max();
        TestContext.Out.WriteLine($"largest difference from numpy: {worst}");
        Assert.That(worst, Is.LessThan(1e-5), $"largest difference from numpy {worst}");
        using var norms = whitened.norm(1);
        Assert.That(norms.data<float>().ToArray(), Is.All.EqualTo(1f).Within(1e-5));
    }

    [Test]
    public void Each_component_has_its_largest_magnitude_entry_positive_and_the_saved_file_reloads_equal()
    {
        using var train = Descriptors(200, 16, 3);
        using var negated = -train; // the same covariance, so the eigen-solver's sign is the only thing that could differ
        using var pca = PcaWhitening.Learn(train, 6, 1e-6);
        using var again = PcaWhitening.Learn(negated, 6, 1e-6);
        using var largest = pca.Projection.abs().argmax(0, keepdim: true);
        using var signs = pca.Projection.gather(0, largest);
        Assert.That(signs.data<float>().ToArray(), Is.All.GreaterThan(0f));
        Assert.That(again.Projection.data<float>().ToArray(), Is.EqualTo(pca.Projection.data<float>().ToArray()).Within(1e-6f));

        var path = Path.Combine(dir, "pca.npy");
        pca.Save(path);
        using var loaded = PcaWhitening.Load(path);
        Assert.That(loaded.Mean.data<float>().ToArray(), Is.EqualTo(pca.Mean.data<float>().ToArray()));
        Assert.That(loaded.Projection.data<float>().ToArray(), Is.EqualTo(pca.Projection.data<float>().ToArray()));
        Assert.That(Directory.GetFiles(dir), Is.EqualTo(new[] { path }), "the atomic write leaves no temporary file");
    }

    [Test]
    public void Too_few_training_rows_or_too_many_dimensions_are_refused_with_the_numbers()
    {
        using var train = Descriptors(10, 16, 4);
        Assert.That(() => PcaWhitening.Learn(train, 10, 1e-6), Throws.ArgumentException.With.Message.Contains("more than 10 training descriptors").And.Message.Contains("got 10"));
        Assert.That(() => PcaWhitening.Learn(train, 17, 1e-6), Throws.ArgumentException.With.Message.Contains("between 1 and the descriptor size 16"));
        using var pca = PcaWhitening.Learn(train, 4, 1e-6);
        using var wrong = zeros(3, 8);
        Assert.That(() => pca.Apply(wrong), Throws.ArgumentException.With.Message.Contains("8 columns, expected 16"));
    }

    [Test]
    public void A_file_that_is_not_a_whitening_is_refused()
    {
        var path = Path.Combine(dir, "row.npy");
        Npy.WriteFloat32(path, new float[4], 1, 4);
        Assert.That(() => PcaWhitening.Load(path), Throws.TypeOf<InvalidDataException>().With.Message.Contains("not a PCA whitening file"));
        Assert.That(() => PcaWhitening.Load(Path.Combine(dir, "missing.npy")), Throws.TypeOf<FileNotFoundException>());
    }
}
