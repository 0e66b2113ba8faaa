using TorchSharp;
using static TorchSharp.torch;

namespace Isc.Training;

/// <summary>
/// Tensor operations with a number, holding the number's native Scalar until libtorch has returned. TorchSharp 0.107
/// turns a number into a temporary Scalar that nothing references once its handle is passed on: the collector can
/// free it while libtorch still reads it, and the operation then fails now and then ("alpha must not be a floating
/// point number") or reads freed memory. The training step's operations with numbers go through these.
/// </summary>
public static class KeptScalars
{
    public static Tensor Times(this Tensor t, double value) { using var s = value.ToScalar(); return t.mul(s); }

    public static Tensor Plus(this Tensor t, double value) { using var s = value.ToScalar(); return t.add(s); }

    public static Tensor TimesInPlace(this Tensor t, double value) { using var s = value.ToScalar(); return t.mul_(s); }

    public static Tensor PlusInPlace(this Tensor t, double value) { using var s = value.ToScalar(); return t.add_(s); }

    public static Tensor DividedInPlace(this Tensor t, double value) { using var s = value.ToScalar(); return t.div_(s); }

    public static Tensor AtLeast(this Tensor t, double min) { using var s = min.ToScalar(); return t.clamp_min(s); }

    public static Tensor Power(this Tensor t, double exponent) { using var s = exponent.ToScalar(); return t.pow(s); }

    /// <summary>t + alpha · other.</summary>
    public static Tensor PlusScaled(this Tensor t, Tensor other, double alpha) { using var s = alpha.ToScalar(); return t.add(other, s); }

    /// <summary>t += alpha · other.</summary>
    public static Tensor PlusScaledInPlace(this Tensor t, Tensor other, double alpha) { using var s = alpha.ToScalar(); return t.add_(other, s); }

    /// <summary>t += value · a · b.</summary>
    public static Tensor PlusProductInPlace(this Tensor t, Tensor a, Tensor b, double value) { using var s = value.ToScalar(); return t.addcmul_(a, b, s); }

    /// <summary>t += value · a / b.</summary>
    public static Tensor PlusQuotientInPlace(this Tensor t, Tensor a, Tensor b, double value) { using var s = value.ToScalar(); return t.addcdiv_(a, b, s); }

    /// <summary>t −= value (integer tensors: the BatchNorm counters).</summary>
    public static Tensor MinusInPlace(this Tensor t, long value) { using var s = value.ToScalar(); return t.sub_(s); }

    public static Tensor Filled(long[] shape, double value, ScalarType dtype, Device device) { using var s = value.ToScalar(); return full(shape, s, dtype: dtype, device: device); }
}
