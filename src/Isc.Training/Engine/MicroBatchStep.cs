using Isc.Recipe;
using Isc.Training.Model;
using Isc.Training.Solver;
using TorchSharp;
using static TorchSharp.torch;

namespace Isc.Training.Engine;

/// <summary>
/// The 4-shard step of <see cref="TrainingStep"/> with one shard's activations in memory at a time
/// (<see cref="TrainingSettings.MicroBatch"/>; docs/training.md, Micro-batch mode). Each shard is a micro-batch, with
/// the BatchNorm statistics and Waveblock bands the one-pass step gives it; the losses see the whole batch:
/// <list type="number">
/// <item>without gradients, every shard's features and logits; the losses on the gathered batch and their gradients
/// with respect to those outputs (leaf copies);</item>
/// <item>every shard again, with gradients, the same forward (same bands; batch statistics; running statistics
/// updated once, by shard 0), back-propagating its slice of the cached output gradients; the parameter gradients
/// accumulate over the shards, then one Adam step.</item>
/// </list>
/// Equal to the one-pass step within float rounding: the forward runs once more, the rest of the arithmetic is the
/// same sums cut differently.
/// </summary>
public static class MicroBatchStep
{
    public static TrainingStep.Result Run(D2lvNet model, Adam optimizer, LossScaler? scaler, Tensor x, Tensor y, TrainingSettings t)
    {
        var shards = model.Shards;
        if (!model.training) throw new InvalidOperationException("the micro-batch step trains: put the model in training mode");
        if (shards < 2 || x.shape[0] % shards != 0)
            throw new ArgumentException($"micro-batches are the BatchNorm shards: a batch of {x.shape[0]} does not split into {shards} equal shards of at least one image");
        using var scope = NewDisposeScope();
        if (t.ChannelsLast) x = MemoryLayout.ChannelsLast(x);
        var micro = x.chunk(shards, 0);
        var norms = model.modules().OfType<TorchSharp.Modules.NormBase>().Where(n => n.running_mean is not null).ToList();
        if (norms.FirstOrDefault(n => n is not BatchNorm) is { } other)
            throw new InvalidOperationException($"{other.GetName()} has running statistics but is not the harness's BatchNorm");
        var bns = norms.Cast<BatchNorm>().ToList();
        var waveblock = model.Base.Waveblock;
        var random = waveblock.Random;
        var given = waveblock.GivenStarts;

        Tensor loss, ce, tri, logits;
        try
        {
            model.Shards = 1;
            foreach (var n in bns) n.UpdatesRunningStatistics = false;
            // Pass 1 draws from copies, so pass 2 draws the same bands from the originals and leaves them as the one-pass step does.
            waveblock.Random = random.Copy();
            waveblock.GivenStarts = given is null ? null : new Queue<int>(given);
            Tensor features;
            using (no_grad())
            {
                var outputs = new List<(Tensor Features, Tensor Logits)>();
                foreach (var m in micro) outputs.Add(model.call(m));
                features = cat(outputs.Select(o => o.Features).ToList(), 0);
                logits = cat(outputs.Select(o => o.Logits).ToList(), 0);
            }
            var f = features.detach().requires_grad_();
            var z = logits.detach().requires_grad_();
            (ce, tri, loss) = Loss(f, z, y, t);
            (scaler is null ? loss : scaler.ScaleLoss(loss)).backward();
            var fGrads = f.grad!.chunk(shards, 0);
            var zGrads = z.grad!.chunk(shards, 0);

            waveblock.Random = random;
            waveblock.GivenStarts = given;
            optimizer.ZeroGrad();
            for (var k = 0; k < shards; k++)
            {
                // nn.DataParallel: only replica 0's buffers are the module's.
                foreach (var n in bns) n.UpdatesRunningStatistics = k == 0;
                using var shardScope = NewDisposeScope();
                var (fk, zk) = model.call(micro[k]);
                autograd.backward([fk, zk], [fGrads[k], zGrads[k]]);
            }
        }
        finally
        {
            model.Shards = shards;
            foreach (var n in bns) n.UpdatesRunningStatistics = true;
            waveblock.Random = random;
            waveblock.GivenStarts = given;
        }

        if (scaler is null) optimizer.Step();
        else
        {
            var finite = scaler.Unscale(optimizer.Groups.Select(g => g.Param));
            if (finite) optimizer.Step();
            scaler.Update(finite);
        }
        var r = TrainingStep.Result.Of(loss, ce, tri, Losses.TopOnePrecisionOnDevice(logits, y));
        r.Metrics.MoveToOuterDisposeScope();
        return r;
    }

    /// <summary>The step's objective (<see cref="TrainingStep"/>'s): CE weight × smoothed CE + triplet weight × soft triplet.</summary>
    static (Tensor Ce, Tensor Triplet, Tensor Loss) Loss(Tensor features, Tensor logits, Tensor y, TrainingSettings t)
    {
        var ce = Losses.SmoothedCrossEntropy(logits, y, t.LabelSmoothing);
        var tri = Losses.SoftTripletBatchHard(features, y, t.TripletMargin);
        return (ce, tri, ce.Times(t.CrossEntropyWeight) + tri.Times(t.TripletWeight));
    }
}
