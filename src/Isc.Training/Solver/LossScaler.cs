using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Isc.Training.Solver;

/// <summary>
/// Dynamic loss scaling for fp16 mixed precision, with torch.cuda.amp.GradScaler's rule: the loss is multiplied by
/// <see cref="Scale"/> before backward; gradients are divided by it before the step; a step whose gradients hold
/// an inf or NaN is skipped and the scale halved; after <see cref="GrowthInterval"/> clean steps it doubles.
/// </summary>
public sealed class LossScaler(double initialScale = 65536, double growthFactor = 2, double backoffFactor = 0.5, int growthInterval = 2000)
{
    public double Scale { get; private set; } = initialScale;
    public double GrowthFactor { get; } = growthFactor;
    public double BackoffFactor { get; } = backoffFactor;
    public int GrowthInterval { get; } = growthInterval;
    public long GrowthTracker { get; private set; }
    public long SkippedSteps { get; private set; }

    public Tensor ScaleLoss(Tensor loss) => loss.Times(Scale);

    /// <summary>Divides every gradient by the scale; true when all of them are finite (one device sync for all).</summary>
    public bool Unscale(IEnumerable<Parameter> parameters)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var checks = new List<Tensor>();
        foreach (var p in parameters)
        {
            var g = p.grad;
            if (g is null) continue;
            g.TimesInPlace(1.0 / Scale);
            checks.Add(g.isfinite().all());
        }
        return checks.Count == 0 || stack(checks).all().item<bool>();
    }

    /// <summary>Adjusts the scale after a step (taken when <paramref name="finite"/>, skipped otherwise).</summary>
    public void Update(bool finite)
    {
        if (!finite)
        {
            Scale *= BackoffFactor;
            GrowthTracker = 0;
            SkippedSteps++;
        }
        else if (++GrowthTracker >= GrowthInterval)
        {
            Scale *= GrowthFactor;
            GrowthTracker = 0;
        }
    }

    /// <summary>GradScaler.state_dict()'s layout.</summary>
    public Dictionary<object, object?> StateDict() => new()
    {
        ["scale"] = Scale,
        ["growth_factor"] = GrowthFactor,
        ["backoff_factor"] = BackoffFactor,
        ["growth_interval"] = (long)GrowthInterval,
        ["_growth_tracker"] = GrowthTracker,
    };

    public void LoadStateDict(Dictionary<object, object?> sd)
    {
        Scale = Convert.ToDouble(sd["scale"], System.Globalization.CultureInfo.InvariantCulture);
        GrowthTracker = Convert.ToInt64(sd["_growth_tracker"], System.Globalization.CultureInfo.InvariantCulture);
    }
}
