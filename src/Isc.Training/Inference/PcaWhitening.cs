using Isc.Torch.Serialization;
using static TorchSharp.torch;

namespace Isc.Training.Inference;

/// <summary>
/// PCA whitening of descriptors to <see cref="Dimensions"/> dimensions: y = L2((x − mean) · P), with P's columns the top
/// eigenvectors of the training covariance, each divided by √(eigenvalue + ε). Learned once from training descriptors
/// (<see cref="Learn"/>), kept in one .npy file (<see cref="Save"/>, <see cref="Load"/>).
/// </summary>
public sealed class PcaWhitening : IDisposable
{
    const long RowBlock = 65536;

    /// <summary>[D] float32, on the CPU.</summary>
    public Tensor Mean { get; }

    /// <summary>[D, D'] float32, on the CPU: the whitened projection.</summary>
    public Tensor Projection { get; }

    public long InputDimensions => Mean.shape[0];
    public long Dimensions => Projection.shape[1];

    PcaWhitening(Tensor mean, Tensor projection)
    {
        Mean = mean;
        Projection = projection;
    }

    /// <summary>
    /// Learns the whitening from <paramref name="training"/> ([N, D] float32, on any device; the rows as they will be
    /// given to <see cref="Apply"/>, i.e. L2-normalised descriptors in the evaluation protocol). The covariance
    /// (divided by N − 1) and its eigen-decomposition are computed in float64 on the training matrix's device; each kept
    /// eigenvector's sign is fixed so that its largest-magnitude component is positive, so the result does not depend on
    /// the eigen-solver's sign choice. The protocol's <paramref name="dimensions"/> and <paramref name="epsilon"/> are
    /// <c>EvaluationSettings.PcaDimensions</c> and <c>PcaEpsilon</c>.
    /// </summary>
    public static PcaWhitening Learn(Tensor training, int dimensions, double epsilon)
    {
        Descriptors.RequireMatrix(training, "the PCA training descriptors");
        var (n, d) = (training.shape[0], training.shape[1]);
        if (dimensions <= 0 || dimensions > d)
            throw new ArgumentException($"PCA dimensions must be between 1 and the descriptor size {d}, got {dimensions}");
        if (n <= dimensions)
            throw new ArgumentException($"PCA to {dimensions} dimensions needs more than {dimensions} training descriptors (the covariance of N rows has rank at most N − 1), got {n}: use more training images or fewer dimensions");
        if (epsilon < 0 || !double.IsFinite(epsilon)) throw new ArgumentException($"PCA epsilon must be a finite number ≥ 0, got {epsilon}");

        using var scope = NewDisposeScope();
        // Two passes over row blocks in float64: the mean, then the centred scatter (no N × D float64 copy).
        var sum = zeros(d, dtype: ScalarType.Float64, device: training.device);
        for (long s = 0; s < n; s += RowBlock)
        {
            using var inner = NewDisposeScope();
            sum.add_(training.narrow(0, s, Math.Min(RowBlock, n - s)).to(ScalarType.Float64).sum(dim: 0));
        }
        var mean = sum / n;
        var scatter = zeros(d, d, dtype: ScalarType.Float64, device: training.device);
        for (long s = 0; s < n; s += RowBlock)
        {
            using var inner = NewDisposeScope();
            var centred = training.narrow(0, s, Math.Min(RowBlock, n - s)).to(ScalarType.Float64) - mean;
            scatter.add_(centred.t().matmul(centred));
        }
        var covariance = scatter / (n - 1);
        if (!covariance.isfinite().all().item<bool>())
            throw new ArgumentException("the PCA training descriptors contain NaN or infinite values");
        var (values, vectors) = linalg.eigh(covariance); // ascending eigenvalues
        var top = arange(d - 1, d - 1 - dimensions, -1, dtype: ScalarType.Int64, device: training.device);
        var kept = values.index_select(0, top);
        var basis = vectors.index_select(1, top); // [D, D'], columns by decreasing eigenvalue
        var largest = basis.abs().argmax(0, keepdim: true);
        var signs = basis.gather(0, largest).sign();
        signs = where(signs.eq(0), ones_like(signs), signs);
        basis = basis * signs;
        var scale = kept + epsilon;
        if (scale.min().item<double>() <= 0)
            throw new ArgumentException($"PCA: a kept eigenvalue plus epsilon ({epsilon}) is not positive; set epsilon > 0");
        var projection = basis / scale.sqrt().unsqueeze(0);
        return new PcaWhitening(
            mean.to(ScalarType.Float32).cpu().contiguous().MoveToOuterDisposeScope(),
            projection.to(ScalarType.Float32).cpu().contiguous().MoveToOuterDisposeScope());
    }

    /// <summary>L2((x − mean) · P) for the rows of <paramref name="descriptors"/> ([N, D] float32), on their device, in row blocks.</summary>
    public Tensor Apply(Tensor descriptors)
    {
        Descriptors.RequireMatrix(descriptors, "the descriptors to whiten", InputDimensions);
        var n = descriptors.shape[0];
        var output = empty(n, Dimensions, dtype: ScalarType.Float32, device: descriptors.device);
        using var scope = NewDisposeScope();
        var mean = Mean.to(descriptors.device);
        var projection = Projection.to(descriptors.device);
        for (long s = 0; s < n; s += RowBlock)
        {
            using var inner = NewDisposeScope();
            var m = Math.Min(RowBlock, n - s);
            var whitened = (descriptors.narrow(0, s, m) - mean).matmul(projection);
            output.narrow(0, s, m).copy_(Descriptors.L2Normalize(whitened));
        }
        return output;
    }

    /// <summary>
    /// Writes one float32 .npy of shape [D' + 1, D], atomically: row 0 is the mean, rows 1..D' are P's columns
    /// (numpy: <c>m = np.load(f); y = (x - m[0]) @ m[1:].T</c>, then L2).
    /// </summary>
    public void Save(string path)
    {
        using var rows = cat([Mean.unsqueeze(0), Projection.t()], 0).contiguous();
        Npy.WriteFloat32(path, rows.data<float>().ToArray(), rows.shape);
    }

    public static PcaWhitening Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"PCA file {path} not found: learn it first (PcaWhitening.Learn, or the PCA artifact of the evaluation)", path);
        var (data, shape) = Npy.ReadFloat32(path);
        if (shape.Length != 2 || shape[0] < 2 || shape[0] - 1 > shape[1])
            throw new InvalidDataException($"{path}: not a PCA whitening file (expected a float32 [D' + 1, D] .npy with 1 ≤ D' ≤ D, got shape [{string.Join(", ", shape)}])");
        if (data.Any(v => !float.IsFinite(v))) throw new InvalidDataException($"{path}: the PCA whitening file holds NaN or infinite values");
        using var rows = tensor(data, shape);
        return new PcaWhitening(rows[0].clone(), rows.narrow(0, 1, shape[0] - 1).t().contiguous());
    }

    public void Dispose()
    {
        Mean.Dispose();
        Projection.Dispose();
    }
}
