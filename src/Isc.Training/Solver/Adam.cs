using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Isc.Training.Solver;

/// <summary>
/// Adam exactly as PyTorch's single-tensor implementation (bias-corrected, eps added after the root, L2 weight
/// decay folded into the gradient), with one parameter group per tensor as the recipe has it, and state that
/// converts to and from PyTorch's optimizer state_dict layout (<see cref="AdamState"/>).
/// The trainable tensors of each dtype/device live in flat buffers (<see cref="FlatParameters"/>), so a step is one
/// kernel per operation over every run of consecutive tensors that share a learning rate and a step count (in
/// training: the whole model), with the same per-element arithmetic as the per-tensor form. Make the optimizer
/// after the model has its device and memory layout: it re-stores the parameters.
/// </summary>
public sealed class Adam : IDisposable
{
    public sealed class Group(Parameter param, double lr)
    {
        public Parameter Param { get; } = param;
        public double Lr { get; set; } = lr;
        public double InitialLr { get; set; } = lr;
        public long Step { get; set; }
        /// <summary>Views into the optimizer's flat buffers (zeros before the first step); for a tensor that does not require grad, only what a loaded state gave.</summary>
        public Tensor? ExpAvg { get; internal set; }
        public Tensor? ExpAvgSq { get; internal set; }
        /// <summary>PyTorch's lazy state: an entry exists once the tensor has been stepped.</summary>
        public bool HasState => Step > 0 && ExpAvg is not null;
    }

    readonly List<FlatParameters> flats;

    public double Beta1 { get; }
    public double Beta2 { get; }
    public double Eps { get; }
    public double WeightDecay { get; }
    public IReadOnlyList<Group> Groups { get; }

    /// <summary>
    /// Elements per kernel: a run longer than this is updated in pieces, which bounds the temporaries (the denominator)
    /// to 64 MB in fp32 instead of the model's size (3.4 GB at paper size); 2^24 elements keep a GPU kernel long
    /// enough (tens of microseconds) that the extra launches cost nothing.
    /// </summary>
    public long ChunkElements { get; }

    public Adam(IEnumerable<Parameter> parameters, double lr, double beta1, double beta2, double eps, double weightDecay, long chunkElements = 1 << 24)
    {
        Groups = [.. parameters.Select(p => new Group(p, lr))];
        (Beta1, Beta2, Eps, WeightDecay) = (beta1, beta2, eps, weightDecay);
        ChunkElements = chunkElements > 0 ? chunkElements : throw new ArgumentOutOfRangeException(nameof(chunkElements), chunkElements, "must be positive");
        flats = [.. Groups.Where(g => g.Param.requires_grad).GroupBy(g => (g.Param.dtype, g.Param.device.ToString()))
            .Select(same => new FlatParameters([.. same]))];
    }

    public void ZeroGrad()
    {
        foreach (var f in flats)
        {
            f.AdoptGradients();
            f.Grads.zero_();
        }
    }

    public void Step()
    {
        using var _ = no_grad();
        foreach (var f in flats)
        {
            f.AdoptGradients();
            foreach (var (start, end) in Runs(f.Slots).ToList())
            {
                var run = f.Slots.Skip(start).Take(end - start).ToList();
                foreach (var s in run) s.Group.Step++;
                var stop = run[^1].Offset + run[^1].Numel;
                for (var from = run[0].Offset; from < stop; from += ChunkElements)
                {
                    using var scope = NewDisposeScope();
                    var n = Math.Min(ChunkElements, stop - from);
                    Update(f.Params.narrow(0, from, n), f.Grads.narrow(0, from, n), f.ExpAvg.narrow(0, from, n),
                        f.ExpAvgSq.narrow(0, from, n), run[0].Group.Lr, run[0].Group.Step);
                }
            }
        }
    }

    /// <summary>torch.optim.Adam's single-tensor update, operation for operation, on one run of tensors.</summary>
    void Update(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, double lr, long step)
    {
        if (WeightDecay != 0) grad = grad.PlusScaled(param, WeightDecay);
        expAvg.TimesInPlace(Beta1).PlusScaledInPlace(grad, 1 - Beta1);
        expAvgSq.TimesInPlace(Beta2).PlusProductInPlace(grad, grad, 1 - Beta2);
        var bc1 = 1 - Math.Pow(Beta1, step);
        var bc2 = 1 - Math.Pow(Beta2, step);
        var denom = expAvgSq.sqrt().DividedInPlace(Math.Sqrt(bc2)).PlusInPlace(Eps);
        param.PlusQuotientInPlace(expAvg, denom, -lr / bc1);
    }

    /// <summary>
    /// Maximal runs [start, end) of consecutive tensors that have a gradient and share the learning rate and the step
    /// count (so the same scalars): one run in training; more only after a tensor went without a gradient (PyTorch
    /// then leaves its state, and its step count, alone) or when a loaded state gave groups different rates.
    /// </summary>
    static IEnumerable<(int Start, int End)> Runs(IReadOnlyList<FlatParameters.Slot> slots)
    {
        var i = 0;
        while (i < slots.Count)
        {
            if (!slots[i].HasGrad) { i++; continue; }
            var j = i + 1;
            while (j < slots.Count && slots[j].HasGrad && slots[j].Group.Lr == slots[i].Group.Lr && slots[j].Group.Step == slots[i].Group.Step) j++;
            yield return (i, j);
            i = j;
        }
    }

    public void SetLr(double lr)
    {
        foreach (var g in Groups) g.Lr = lr;
    }

    /// <summary>PyTorch 1.13's Adam.state_dict(): {'state': {i: {step, exp_avg, exp_avg_sq}}, 'param_groups': [...]}; step as a plain int (the most portable form).</summary>
    public Dictionary<object, object?> StateDict() => AdamState.Write(this);

    public void LoadStateDict(Dictionary<object, object?> sd) => AdamState.Read(this, sd);

    public void Dispose()
    {
        foreach (var f in flats) f.Dispose();
        foreach (var g in Groups)
        {
            g.ExpAvg?.Dispose();
            g.ExpAvgSq?.Dispose();
        }
    }
}
