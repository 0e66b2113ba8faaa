using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Isc.Training.Solver;

/// <summary>
/// Adam exactly as PyTorch's single-tensor implementation (bias-corrected, eps added after the root, L2 weight
/// decay folded into the gradient), with one parameter group per tensor as the recipe has it, and state that
/// converts to and from PyTorch's optimizer state_dict layout.
/// </summary>
public sealed class Adam
{
    public sealed class Group(Parameter param, double lr)
    {
        public Parameter Param { get; } = param;
        public double Lr { get; set; } = lr;
        public double InitialLr { get; set; } = lr;
        public long Step { get; set; }
        public Tensor? ExpAvg { get; set; }
        public Tensor? ExpAvgSq { get; set; }
    }

    public double Beta1 { get; }
    public double Beta2 { get; }
    public double Eps { get; }
    public double WeightDecay { get; }
    public IReadOnlyList<Group> Groups { get; }

    public Adam(IEnumerable<Parameter> parameters, double lr, double beta1, double beta2, double eps, double weightDecay)
    {
        Groups = [.. parameters.Select(p => new Group(p, lr))];
        (Beta1, Beta2, Eps, WeightDecay) = (beta1, beta2, eps, weightDecay);
    }

    public void ZeroGrad()
    {
        foreach (var g in Groups) g.Param.grad?.zero_();
    }

    public void Step()
    {
        using var _ = no_grad();
        foreach (var g in Groups)
        {
            var grad = g.Param.grad;
            if (grad is null) continue;
            using var scope = NewDisposeScope();
            if (WeightDecay != 0) grad = grad.add(g.Param, alpha: WeightDecay);
            if (g.ExpAvg is null)
            {
                g.ExpAvg = zeros_like(g.Param).DetachFromDisposeScope();
                g.ExpAvgSq = zeros_like(g.Param).DetachFromDisposeScope();
            }
            g.Step++;
            g.ExpAvg.mul_(Beta1).add_(grad, alpha: 1 - Beta1);
            g.ExpAvgSq!.mul_(Beta2).addcmul_(grad, grad, value: 1 - Beta2);
            var bc1 = 1 - Math.Pow(Beta1, g.Step);
            var bc2 = 1 - Math.Pow(Beta2, g.Step);
            var denom = g.ExpAvgSq.sqrt().div_(Math.Sqrt(bc2)).add_(Eps);
            g.Param.addcdiv_(g.ExpAvg, denom, value: -g.Lr / bc1);
        }
    }

    public void SetLr(double lr)
    {
        foreach (var g in Groups) g.Lr = lr;
    }

    /// <summary>PyTorch 1.13's Adam.state_dict(): {'state': {i: {step, exp_avg, exp_avg_sq}}, 'param_groups': [...]}; step as a plain int (the most portable form).</summary>
    public Dictionary<object, object?> StateDict()
    {
        var state = new Dictionary<object, object?>();
        var groups = new List<object?>();
        for (var i = 0; i < Groups.Count; i++)
        {
            var g = Groups[i];
            if (g.ExpAvg is not null)
                state[(long)i] = new Dictionary<object, object?> { ["step"] = g.Step, ["exp_avg"] = g.ExpAvg, ["exp_avg_sq"] = g.ExpAvgSq };
            groups.Add(new Dictionary<object, object?>
            {
                ["lr"] = g.Lr, ["betas"] = new object?[] { Beta1, Beta2 }, ["eps"] = Eps, ["weight_decay"] = WeightDecay,
                ["amsgrad"] = false, ["maximize"] = false, ["foreach"] = null, ["capturable"] = false,
                ["differentiable"] = false, ["fused"] = false, ["initial_lr"] = g.InitialLr, ["params"] = new List<object?> { (long)i },
            });
        }
        return new Dictionary<object, object?> { ["state"] = state, ["param_groups"] = groups };
    }

    public void LoadStateDict(Dictionary<object, object?> sd)
    {
        var groups = (List<object?>)sd["param_groups"]!;
        if (groups.Count != Groups.Count)
            throw new InvalidDataException($"optimizer state has {groups.Count} parameter groups, the model has {Groups.Count} trainable tensors");
        var state = (Dictionary<object, object?>)sd["state"]!;
        for (var i = 0; i < Groups.Count; i++)
        {
            var g = Groups[i];
            var pg = (Dictionary<object, object?>)groups[i]!;
            g.Lr = Convert.ToDouble(pg["lr"]);
            g.InitialLr = pg.TryGetValue("initial_lr", out var il) ? Convert.ToDouble(il) : g.Lr;
            var id = ((List<object?>)pg["params"]!).Cast<object>().Select(Convert.ToInt64).Single();
            if (!state.TryGetValue(id, out var s) || s is not Dictionary<object, object?> st) continue;
            g.Step = st["step"] is Tensor ts ? (long)ts.to(float64).item<double>() : Convert.ToInt64(st["step"]);
            g.ExpAvg = Load((Tensor)st["exp_avg"]!, g.Param, i);
            g.ExpAvgSq = Load((Tensor)st["exp_avg_sq"]!, g.Param, i);
        }
    }

    static Tensor Load(Tensor t, Parameter p, int i)
    {
        if (!t.shape.SequenceEqual(p.shape))
            throw new InvalidDataException($"optimizer state {i} has shape [{string.Join(",", t.shape)}], the parameter [{string.Join(",", p.shape)}]");
        return t.to(p.dtype, p.device).clone();
    }
}
