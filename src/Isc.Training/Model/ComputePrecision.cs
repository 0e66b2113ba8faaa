using Isc.Recipe;
using static TorchSharp.torch;

namespace Isc.Training.Model;

/// <summary>
/// The training's arithmetic: <c>fp32</c> (the paper's), <c>bf16</c> or <c>fp16</c> mixed precision. Mixed precision
/// follows CUDA autocast in the backbone: convolutions in the reduced type, BatchNorm with fp32 statistics and affine,
/// GeM in fp32; unlike autocast the head's Linear layers stay fp32, as do both losses; weights, gradients and Adam's
/// state stay fp32. fp16 needs loss scaling
/// (<see cref="Training.LossScaler"/>); bf16 does not.
/// </summary>
public static class ComputePrecision
{
    public static IReadOnlyList<string> Names => TrainingSettings.Precisions;

    /// <summary>The reduced compute type, or null for fp32.</summary>
    public static ScalarType? Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "fp32" or "float32" => null,
        "bf16" or "bfloat16" => ScalarType.BFloat16,
        "fp16" or "float16" or "half" => ScalarType.Float16,
        _ => throw new RecipeException($"precision must be one of {string.Join(", ", Names)}, got '{name}' (set it with --set precision=bf16)"),
    };
}
