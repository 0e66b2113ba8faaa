using static TorchSharp.torch;

namespace Isc.Training.Inference;

/// <summary>Row operations on descriptor matrices ([N, D], one descriptor per row).</summary>
public static class Descriptors
{
    /// <summary>
    /// Each row divided by its L2 norm (a new tensor, same device and dtype). A row whose norm is below
    /// <paramref name="minNorm"/> is divided by <paramref name="minNorm"/> instead, so an all-zero row stays zero
    /// rather than becoming NaN (PyTorch's <c>F.normalize</c> does the same with its eps).
    /// </summary>
    public static Tensor L2Normalize(Tensor rows, double minNorm = 1e-12)
    {
        if (rows.dim() != 2) throw new ArgumentException($"descriptors must be a [N, D] matrix, got shape [{string.Join(", ", rows.shape)}]", nameof(rows));
        using var norms = rows.norm(1, keepdim: true, p: 2);
        using var clamped = norms.AtLeast(minNorm);
        return rows / clamped;
    }

    /// <summary>Throws when <paramref name="rows"/> is not a 2-D float32 matrix with <paramref name="dim"/> columns (any when null).</summary>
    public static void RequireMatrix(Tensor rows, string what, long? dim = null)
    {
        if (rows.dim() != 2)
            throw new ArgumentException($"{what} must be a [N, D] matrix, got shape [{string.Join(", ", rows.shape)}]");
        if (rows.dtype != ScalarType.Float32)
            throw new ArgumentException($"{what} must be float32, got {rows.dtype}");
        if (dim is { } d && rows.shape[1] != d)
            throw new ArgumentException($"{what} has {rows.shape[1]} columns, expected {d} (descriptors of another model or another PCA?)");
    }
}
