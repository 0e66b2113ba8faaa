using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Isc.Training.Solver;

/// <summary>
/// The reference form of <see cref="Adam"/>: torch.optim.Adam's single-tensor update (PyTorch 1.13's order of
/// operations), one tensor at a time, state created at a tensor's first step; about eight kernels per tensor. Kept
/// for the exactness test (Adam must stay bit-identical to it on CPU) and the benchmark; training uses <see cref="Adam"/>.
/// </summary>
public sealed class PerTensorAdam(IReadOnlyList<Parameter> parameters, double lr, double beta1, double beta2, double eps, double weightDecay) : IDisposable
{
    public IReadOnlyList<Parameter> Params { get; } = parameters;
    public long[] Steps { get; } = new long[parameters.Count];
    public Tensor?[] ExpAvg { get; } = new Tensor?[parameters.Count];
    public Tensor?[] ExpAvgSq { get; } = new Tensor?[parameters.Count];

    public void Step()
    {
        using var _ = no_grad();
        for (var i = 0; i < Params.Count; i++)
        {
            var p = Params[i];
            var grad = p.grad;
            if (grad is null) continue;
            using var scope = NewDisposeScope();
            if (weightDecay != 0) grad = grad.PlusScaled(p, weightDecay);
            ExpAvg[i] ??= zeros_like(p).DetachFromDisposeScope();
            ExpAvgSq[i] ??= zeros_like(p).DetachFromDisposeScope();
            Steps[i]++;
            ExpAvg[i]!.TimesInPlace(beta1).PlusScaledInPlace(grad, 1 - beta1);
            ExpAvgSq[i]!.TimesInPlace(beta2).PlusProductInPlace(grad, grad, 1 - beta2);
            var bc1 = 1 - Math.Pow(beta1, Steps[i]);
            var bc2 = 1 - Math.Pow(beta2, Steps[i]);
            var denom = ExpAvgSq[i]!.sqrt().DividedInPlace(Math.Sqrt(bc2)).PlusInPlace(eps);
            p.PlusQuotientInPlace(ExpAvg[i]!, denom, -lr / bc1);
        }
    }

    public void ZeroGrad()
    {
        foreach (var p in Params) p.grad?.zero_();
    }

    public void Dispose()
    {
        foreach (var t in ExpAvg.Concat(ExpAvgSq)) t?.Dispose();
    }
}
