using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Isc.Training.Model;

/// <summary>Generalised-mean pooling with a trainable exponent <c>p</c> (shape [1]): (mean x^p)^(1/p) over H x W.</summary>
public sealed class GeM : nn.Module<Tensor, Tensor>
{
    readonly Parameter p;
    public const double Eps = 1e-6;

    public GeM(double initialP) : base(nameof(GeM))
    {
        p = new Parameter(ones(1) * initialP);
        register_parameter("p", p);
    }

    public Parameter P => p;

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        // fp32 even under mixed precision (autocast runs pow in fp32): a bf16 x^p loses the small activations.
        // A float64 model (the reference comparison's) stays float64.
        var pooled = (x.dtype == float64 ? x : x.to(float32)).AtLeast(Eps).pow(p).mean([2, 3]);
        return pooled.pow(p.reciprocal()).MoveToOuterDisposeScope();
    }
}
