using Isc.Recipe;
using Isc.Training.Model;
using Isc.Training.Solver;
using static TorchSharp.torch;

namespace Isc.Training.Engine;

/// <summary>
/// One optimisation step (docs/recipe.md, Trainer) on a batch already on the device: forward, 10×smoothed CE + 1×soft
/// triplet, backward (loss-scaled for fp16), Adam. Shared by the trainer and the benchmarks.
/// </summary>
public static class TrainingStep
{
    public readonly record struct Result(float Loss, float CrossEntropy, float Triplet, double Precision);

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
            var finite = scaler.Unscale(optimizer.Groups.Select(g => g.Param));
            if (finite) optimizer.Step();
            scaler.Update(finite);
        }
        return new Result(Value(loss), Value(ce), Value(tri), Losses.TopOnePrecision(logits, y));
    }

    // Whatever the model's dtype (float64 in the reference comparison, float32 in training).
    static float Value(Tensor t) => (float)t.to(float64).item<double>();
}
