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
    /// bands a reference implementation uses. Under sharding the calls run shard by shard, each shard's two calls in order.
    /// </summary>
    public Queue<int>? GivenStarts { get; set; }

    /// <summary>Band height for a map of height h (Python's round, which rounds halves to even, like Math.Round).</summary>
    public int BandHeight(long h) => (int)Math.Round(ratio * h);

    public override Tensor forward(Tensor x)
    {
        if (!training) return x.alias();
        var h = x.shape[2];
        var rh = BandHeight(h);
        var sx = GivenStarts is { } given ? given.Dequeue() : Random.NextInt((int)(h - rh) + 1);
        if (sx < 0 || sx > h - rh) throw new InvalidOperationException($"given band start {sx}: a band of {rh} rows in a map of {h} starts in 0 … {h - rh}");
        return Apply(x, sx, rh);
    }

    /// <summary>The map with every row scaled by the factor except rows sx … sx+rh−1.</summary>
    public Tensor Apply(Tensor x, int sx, int rh)
    {
        using var scope = NewDisposeScope();
        var mask = full(new long[] { 1, 1, x.shape[2], 1 }, factor, dtype: x.dtype, device: x.device);
        if (rh > 0) mask[.., .., TensorIndex.Slice(sx, sx + rh), ..] = tensor(1.0, dtype: x.dtype, device: x.device);
        return (x * mask).MoveToOuterDisposeScope();
    }
}
