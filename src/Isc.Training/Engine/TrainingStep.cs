using Isc.Recipe;
using Isc.Training.Model;
using Isc.Training.Solver;
using static TorchSharp.torch;

namespace Isc.Training.Engine;

/// <summary>
/// One optimisation step (docs/recipe.md, Trainer) on a batch already on the device: forward, 10×smoothed CE + 1×soft
/// triplet, backward (loss-scaled for fp16), Adam. Shared by the trainer and the benchmarks. The step does not wait
/// for the device: its logged numbers stay there until somebody reads them (<see cref="Result.Read"/>).
/// </summary>
public static class TrainingStep
{
    /// <summary>The logged numbers as the host sees them: the losses as floats (as before), the precision as a double.</summary>
    public readonly record struct Values(float Loss, float CrossEntropy, float Triplet, double Precision)
    {
        /// <summary>From a row of <see cref="Result.Metrics"/> read back as doubles.</summary>
        public static Values FromRow(ReadOnlySpan<double> row) => new((float)row[0], (float)row[1], (float)row[2], row[3]);
    }

    /// <summary>
    /// The step's logged numbers on the device, detached: a float64 [4] tensor [loss, ce, triplet, precision], owned by
    /// the caller (registered on the caller's dispose scope). Reading it is a device synchronisation.
    /// </summary>
    public readonly record struct Result(Tensor Metrics)
    {
        public const int Width = 4;

        public static Result Of(Tensor loss, Tensor crossEntropy, Tensor triplet, Tensor precision)
        {
            using var scope = NewDisposeScope();
            // float64 holds a float32 loss exactly, so the host gets the same float as an .item() of the loss gave.
            var m = stack([loss.detach().to(float64), crossEntropy.detach().to(float64), triplet.detach().to(float64), precision.detach().to(float64)]);
            return new Result(m.MoveToOuterDisposeScope());
        }

        /// <summary>Reads the numbers back (waits for the step).</summary>
        public Values Read()
        {
            using var host = Metrics.cpu();
            return Values.FromRow(host.data<double>().ToArray());
        }
    }

    public static Result Run(D2lvNet model, Adam optimizer, LossScaler? scaler, Tensor x, Tensor y, TrainingSettings t)
    {
        if (t.MicroBatch) return MicroBatchStep.Run(model, optimizer, scaler, x, y, t);
        using var scope = NewDisposeScope();
        if (t.ChannelsLast) x = MemoryLayout.ChannelsLast(x);
        var (f, logits) = model.call(x);
        var ce = Losses.SmoothedCrossEntropy(logits, y, t.LabelSmoothing);
        var tri = Losses.SoftTripletBatchHard(f, y, t.TripletMargin);
        var loss = ce.Times(t.CrossEntropyWeight) + tri.Times(t.TripletWeight);
        optimizer.ZeroGrad();
        if (scaler is null)
        {
            loss.backward();
            optimizer.Step();
        }
        else
        {
            scaler.ScaleLoss(loss).backward();
            // The one synchronisation a step cannot avoid: whether to step depends on the gradients' values.
            var finite = scaler.Unscale(optimizer.Groups.Select(g => g.Param));
            if (finite) optimizer.Step();
            scaler.Update(finite);
        }
        var r = Result.Of(loss, ce, tri, Losses.TopOnePrecisionOnDevice(logits, y));
        r.Metrics.MoveToOuterDisposeScope();
        return r;
    }
}
