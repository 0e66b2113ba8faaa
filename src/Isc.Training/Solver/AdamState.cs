using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Isc.Training.Solver;

/// <summary>
/// <see cref="Adam"/>'s state in PyTorch 1.13's optimizer state_dict layout: one group per tensor, state per tensor
/// (step as a plain int, the most portable form), whatever the optimizer's flat buffers look like inside.
/// </summary>
static class AdamState
{
    public static Dictionary<object, object?> Write(Adam adam)
    {
        var state = new Dictionary<object, object?>();
        var groups = new List<object?>();
        for (var i = 0; i < adam.Groups.Count; i++)
        {
            var g = adam.Groups[i];
            if (g.HasState)
                state[(long)i] = new Dictionary<object, object?> { ["step"] = g.Step, ["exp_avg"] = g.ExpAvg, ["exp_avg_sq"] = g.ExpAvgSq };
            groups.Add(new Dictionary<object, object?>
            {
                ["lr"] = g.Lr, ["betas"] = new object?[] { adam.Beta1, adam.Beta2 }, ["eps"] = adam.Eps, ["weight_decay"] = adam.WeightDecay,
                ["amsgrad"] = false, ["maximize"] = false, ["foreach"] = null, ["capturable"] = false,
                ["differentiable"] = false, ["fused"] = false, ["initial_lr"] = g.InitialLr, ["params"] = new List<object?> { (long)i },
            });
        }
        return new Dictionary<object, object?> { ["state"] = state, ["param_groups"] = groups };
    }

    /// <summary>Replaces the groups' rates and the state; a tensor without a saved state starts afresh (step 0, zero moments).</summary>
    public static void Read(Adam adam, Dictionary<object, object?> sd)
    {
        var groups = (List<object?>)sd["param_groups"]!;
        if (groups.Count != adam.Groups.Count)
            throw new InvalidDataException($"optimizer state has {groups.Count} parameter groups, the model has {adam.Groups.Count} trainable tensors");
        var state = (Dictionary<object, object?>)sd["state"]!;
        using var _ = no_grad();
        for (var i = 0; i < adam.Groups.Count; i++)
        {
            var g = adam.Groups[i];
            var pg = (Dictionary<object, object?>)groups[i]!;
            g.Lr = Convert.ToDouble(pg["lr"]);
            g.InitialLr = pg.TryGetValue("initial_lr", out var il) ? Convert.ToDouble(il) : g.Lr;
            var id = ((List<object?>)pg["params"]!).Cast<object>().Select(Convert.ToInt64).Single();
            var st = state.TryGetValue(id, out var s) ? s as Dictionary<object, object?> : null;
            g.Step = st is null ? 0 : st["step"] is Tensor ts ? (long)ts.to(float64).item<double>() : Convert.ToInt64(st["step"]);
            if (g.Param.requires_grad)
            {
                // The moments are views into the flat buffers: filled in place, never replaced.
                Fill(g.ExpAvg!, st?["exp_avg"] as Tensor, g.Param, i);
                Fill(g.ExpAvgSq!, st?["exp_avg_sq"] as Tensor, g.Param, i);
            }
            else if (st is not null)
            {
                g.ExpAvg = Checked((Tensor)st["exp_avg"]!, g.Param, i).to(g.Param.dtype, g.Param.device).clone();
                g.ExpAvgSq = Checked((Tensor)st["exp_avg_sq"]!, g.Param, i).to(g.Param.dtype, g.Param.device).clone();
            }
        }
    }

    static void Fill(Tensor view, Tensor? saved, Parameter p, int i)
    {
        if (saved is null) view.zero_();
        else view.copy_(Checked(saved, p, i));
    }

    static Tensor Checked(Tensor t, Parameter p, int i) =>
        t.shape.SequenceEqual(p.shape) ? t
            : throw new InvalidDataException($"optimizer state {i} has shape [{string.Join(",", t.shape)}], the parameter [{string.Join(",", p.shape)}]");
}
