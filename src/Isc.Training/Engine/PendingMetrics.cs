using Isc.Training.Logging;
using static TorchSharp.torch;

namespace Isc.Training.Engine;

/// <summary>
/// Steps' logged numbers kept on the device until the trainer reads them all at once (one copy, one synchronisation:
/// <see cref="WriteTo"/>) and writes them to the run log in step order, with the values a per-step read gave.
/// </summary>
public sealed class PendingMetrics : IDisposable
{
    readonly List<(int Epoch, int Iteration, long Step, double Lr, Tensor Metrics)> steps = [];

    public int Count => steps.Count;

    /// <summary>The newest step written to the log (null before the first write).</summary>
    public StepMetrics? Latest { get; private set; }

    /// <summary>Takes over the result's tensor (it leaves the caller's dispose scope).</summary>
    public void Add(int epoch, int iteration, long step, double lr, TrainingStep.Result r)
    {
        r.Metrics.DetachFromDisposeScope();
        steps.Add((epoch, iteration, step, lr, r.Metrics));
    }

    public void WriteTo(RunLog log)
    {
        if (steps.Count == 0) return;
        double[] rows;
        using (var all = stack(steps.Select(s => s.Metrics)))
        using (var host = all.cpu())
            rows = host.data<double>().ToArray();
        for (var i = 0; i < steps.Count; i++)
        {
            var (epoch, iteration, step, lr, _) = steps[i];
            var v = TrainingStep.Values.FromRow(rows.AsSpan(i * TrainingStep.Result.Width, TrainingStep.Result.Width));
            var m = new StepMetrics(epoch, iteration, step, v.Loss, v.CrossEntropy, v.Triplet, v.Precision, lr);
            log.Step(m);
            Latest = m;
        }
        Clear();
    }

    void Clear()
    {
        foreach (var s in steps) s.Metrics.Dispose();
        steps.Clear();
    }

    /// <summary>Drops what was not written: a run that stops between writes loses those rows, as a killed one would.</summary>
    public void Dispose() => Clear();
}
