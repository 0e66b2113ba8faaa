using Isc.Training.Util;
using TorchSharp;
using static TorchSharp.torch;

namespace Isc.Training.Model;

/// <summary>
/// Waveblock (training only): multiplies the feature map by <c>factor</c> everywhere except a random band of
/// <c>round(ratio·h)</c> rows starting at a uniform row in [0, h − band], which is kept as is. Identity in eval mode.
/// The band start comes from <see cref="Random"/>, which the trainer re-keys for every step and shard so a
/// resumed run draws the same bands.
/// </summary>
public sealed class Waveblock : nn.Module<Tensor, Tensor>
{
    readonly double ratio, factor;

    public Waveblock(double ratio, double factor) : base(nameof(Waveblock))
    {
        this.ratio = ratio;
        this.factor = factor;
    }

    public DetRandom Random { get; set; } = new(0);

    /// <summary>
    /// Band starts to use, one per call in call order, instead of drawing them (null = draw): lets a test give the
    /// bands a reference implementation uses. Under sharding they are taken shard by shard, each shard's calls in
    /// order, in the one-pass forward too.
    /// </summary>
    public Queue<int>? GivenStarts { get; set; }

    /// <summary>Band height for a map of height h (Python's round, which rounds halves to even, like Math.Round).</summary>
    public int BandHeight(long h) => (int)Math.Round(ratio * h);

    // A one-pass forward over equal shards: every call's band per shard, drawn up front in the shard-by-shard order.
    (ulong Raw, int? Given)[]? planned;
    int shards = 1, callsPerShard, nextCall;

    /// <summary>
    /// Starts a one-pass forward of <paramref name="shardCount"/> equal batch shards in which this module is called
    /// <paramref name="calls"/> times: every call gives each shard its own band, the one the shard-by-shard forward
    /// would draw (shard 0's calls in order, then shard 1's, …). Every <see cref="DetRandom.NextInt"/> takes one raw
    /// draw, so the draws are taken here and bounded by each call's map height when it comes.
    /// </summary>
    public void BeginShards(int shardCount, int calls)
    {
        var draws = new (ulong, int?)[shardCount * calls];
        for (var i = 0; i < draws.Length; i++)
            draws[i] = GivenStarts is { } given ? (0UL, given.Dequeue()) : (Random.NextULong(), null);
        (planned, shards, callsPerShard, nextCall) = (draws, shardCount, calls, 0);
    }

    /// <summary>Back to whole-batch calls.</summary>
    public void EndShards() => (planned, shards) = (null, 1);

    public override Tensor forward(Tensor x)
    {
        if (!training) return x.alias();
        var h = x.shape[2];
        var rh = BandHeight(h);
        if (planned is null)
            return Apply(x, Checked(GivenStarts is { } given ? given.Dequeue() : Random.NextInt((int)(h - rh) + 1), h, rh), rh);
        if (nextCall >= callsPerShard) throw new InvalidOperationException($"call {nextCall + 1} of a sharded pass planned for {callsPerShard} calls");
        var c = nextCall++;
        var starts = Enumerable.Range(0, shards)
            .Select(k => planned[k * callsPerShard + c] is var (raw, given) && given is { } g ? g : DetRandom.IntFrom(raw, (int)(h - rh) + 1))
            .Select(sx => Checked(sx, h, rh)).ToArray();
        return ApplyPerShard(x, starts, rh);
    }

    static int Checked(int sx, long h, int rh) =>
        sx < 0 || sx > h - rh ? throw new InvalidOperationException($"given band start {sx}: a band of {rh} rows in a map of {h} starts in 0 … {h - rh}") : sx;

    /// <summary>The map of equal shards (batch order), shard k's rows scaled except its band starts[k] … starts[k]+rh−1.</summary>
    public Tensor ApplyPerShard(Tensor x, int[] starts, int rh)
    {
        using var scope = NewDisposeScope();
        var s = starts.Length;
        var mask = KeptScalars.Filled([s, 1, 1, x.shape[2], 1], factor, x.dtype, x.device);
        if (rh > 0)
            for (var k = 0; k < s; k++)
                mask[k, .., .., TensorIndex.Slice(starts[k], starts[k] + rh), ..] = tensor(1.0, dtype: x.dtype, device: x.device);
        var byShard = x.view(s, x.shape[0] / s, x.shape[1], x.shape[2], x.shape[3]);
        return (byShard * mask).reshape(x.shape).MoveToOuterDisposeScope();
    }

    /// <summary>The map with every row scaled by the factor except rows sx … sx+rh−1.</summary>
    public Tensor Apply(Tensor x, int sx, int rh)
    {
        using var scope = NewDisposeScope();
        var mask = KeptScalars.Filled([1, 1, x.shape[2], 1], factor, x.dtype, x.device);
        if (rh > 0) mask[.., .., TensorIndex.Slice(sx, sx + rh), ..] = tensor(1.0, dtype: x.dtype, device: x.device);
        return (x * mask).MoveToOuterDisposeScope();
    }
}
