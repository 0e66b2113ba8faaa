using static TorchSharp.torch;

namespace Isc.Training.Model;

/// <summary>
/// Moves the batch shard into the channel dimension and back: [S·n, C, …] (shard k = images k·n … k·n+n−1, as
/// <c>chunk</c> splits a batch) ↔ [n, S·C, …] (channel k·C + c = shard k's channel c), so one BatchNorm kernel gives
/// every shard its own statistics. A channels-last 4-d input stays channels-last both ways.
/// </summary>
public static class ShardFold
{
    public static Tensor Fold(Tensor x, int shards)
    {
        using var scope = NewDisposeScope();
        var (n, c) = (x.shape[0] / shards, x.shape[1]);
        var rest = x.shape[2..];
        if (MemoryLayout.IsChannelsLast(x))
        {
            // [S, n, C, H, W] → [n, H, W, S, C] dense → [n, H, W, S·C] → NCHW order with NHWC strides.
            var (h, w) = (x.shape[2], x.shape[3]);
            return x.view(shards, n, c, h, w).permute(1, 3, 4, 0, 2).contiguous().view(n, h, w, shards * c)
                .permute(0, 3, 1, 2).MoveToOuterDisposeScope();
        }
        return x.reshape([shards, n, c, .. rest]).transpose(0, 1).reshape([n, shards * c, .. rest]).MoveToOuterDisposeScope();
    }

    public static Tensor Unfold(Tensor y, int shards)
    {
        using var scope = NewDisposeScope();
        var (n, c) = (y.shape[0], y.shape[1] / shards);
        var rest = y.shape[2..];
        if (MemoryLayout.IsChannelsLast(y))
        {
            // [n, S·C, H, W] with NHWC strides → [n, H, W, S, C] → [S, n, H, W, C] dense → [S·n, C, H, W] with NHWC strides.
            var (h, w) = (y.shape[2], y.shape[3]);
            return y.permute(0, 2, 3, 1).reshape(n, h, w, shards, c).permute(3, 0, 1, 2, 4).contiguous()
                .view(shards * n, h, w, c).permute(0, 3, 1, 2).MoveToOuterDisposeScope();
        }
        return y.reshape([n, shards, c, .. rest]).transpose(0, 1).reshape([shards * n, c, .. rest]).MoveToOuterDisposeScope();
    }
}
