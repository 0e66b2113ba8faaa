using TorchSharp;
using static TorchSharp.torch;

namespace Isc.Training.Model;

/// <summary>
/// torch.nn.BatchNorm1d/2d (same parameters, buffers and state_dict keys), counting <c>num_batches_tracked</c> with a
/// scalar it keeps alive. TorchSharp 0.107's own forward counts with <c>add_(1)</c>, whose temporary scalar the garbage
/// collector may free while libtorch still reads it: a training step then fails now and then ("For integral input
/// tensors, argument alpha must not be a floating point number", "Unknown scalar type"), about 1 in 2,000 forwards
/// under heavy collection in a stress run, none with this module (the model tests have this stress test).
/// </summary>
public sealed class BatchNorm : TorchSharp.Modules.BatchNorm
{
    readonly int _dims;

    BatchNorm(long features, int dims) : base(features, 1e-5, 0.1, affine: true, track_running_stats: true, null, null, $"BatchNorm{dims - 2}d") =>
        _dims = dims;

    /// <summary>
    /// Ghost batch norm over this many equal batch shards (nn.DataParallel's replicas, in one kernel): each shard is
    /// normalised with its own statistics and the running statistics take shard 0's update only. 1 = the whole batch.
    /// Training mode only; the count still goes up once per forward.
    /// </summary>
    public int Shards { get; set; } = 1;

    /// <summary>
    /// False: a training forward normalises with the batch statistics as usual but updates throw-away copies of the
    /// running statistics (the same kernel as the real update, so the output is too) and does not count the batch:
    /// <c>running_mean</c>, <c>running_var</c> and <c>num_batches_tracked</c> are left untouched. The micro-batch step's
    /// first pass and its shards after the first (an nn.DataParallel replica other than 0) run so.
    /// </summary>
    public bool UpdatesRunningStatistics { get; set; } = true;

    /// <summary>nn.BatchNorm2d(features): [N, C, H, W] input.</summary>
    public static BatchNorm Of2d(long features) => new(features, 4);

    /// <summary>nn.BatchNorm1d(features): [N, C] or [N, C, L] input.</summary>
    public static BatchNorm Of1d(long features) => new(features, 3);

    protected override void ValidateInputDimensions(Tensor input)
    {
        var ok = _dims == 4 ? input.dim() == 4 : input.dim() is 2 or 3;
        if (!ok) throw new ArgumentException($"BatchNorm{_dims - 2}d expects {(_dims == 4 ? "4D" : "2D or 3D")} input, got {input.dim()}D");
    }

    public override Tensor forward(Tensor input)
    {
        ValidateInputDimensions(input);
        var factor = momentum ?? 0.0;
        if (training && track_running_stats && num_batches_tracked is not null && UpdatesRunningStatistics)
        {
            using var one = 1L.ToScalar();
            num_batches_tracked.add_(one, one);
            if (momentum is null) factor = 1.0 / num_batches_tracked.item<long>();
        }
        if (training && Shards > 1) return ShardedForward(input, factor);
        var batchStatistics = training || running_mean is null || running_var is null;
        var useRunning = !training || track_running_stats;
        if (training && !UpdatesRunningStatistics && running_mean is not null && running_var is not null)
        {
            using var mean = running_mean.clone();
            using var variance = running_var.clone();
            return nn.functional.batch_norm(input, mean, variance, weight, bias, true, factor, eps);
        }
        return nn.functional.batch_norm(input, useRunning ? running_mean : null, useRunning ? running_var : null, weight, bias,
            batchStatistics, factor, eps);
    }

    /// <summary>
    /// One batch_norm over [n, S·C, …] (<see cref="ShardFold"/>): per-shard statistics, weight and bias repeated so
    /// their gradients sum over the shards. The running statistics are updated in S·C scratch copies of the module's,
    /// of which shard 0's slice is kept (in a DataParallel replica only shard 0's buffers alias the module's).
    /// </summary>
    Tensor ShardedForward(Tensor input, double factor)
    {
        if (input.shape[0] % Shards != 0) throw new ArgumentException($"a batch of {input.shape[0]} does not split into {Shards} equal shards");
        if (running_mean is null || running_var is null) throw new InvalidOperationException("sharded BatchNorm needs running statistics");
        using var scope = NewDisposeScope();
        var c = running_mean.shape[0];
        var mean = running_mean.repeat(Shards);
        var variance = running_var.repeat(Shards);
        var y = nn.functional.batch_norm(ShardFold.Fold(input, Shards), mean, variance, weight?.repeat(Shards), bias?.repeat(Shards),
            true, factor, eps);
        if (UpdatesRunningStatistics)
            using (no_grad())
            {
                running_mean.copy_(mean[..(int)c]);
                running_var.copy_(variance[..(int)c]);
            }
        return ShardFold.Unfold(y, Shards).MoveToOuterDisposeScope();
    }
}
