using Isc.Training.Data;

namespace Isc.Training.Tests.Data;

/// <summary>
/// The original restarts the sampler's pass at every epoch (IterLoader.new_epoch() makes a new DataLoader iterator,
/// so RandomMultipleGallerySampler.__iter__ draws a new pass; the unfinished one is thrown away).
/// </summary>
[TestFixture]
public class IdentitySamplerEpochTests
{
    // 8 identities × 4 images, 2 identities per batch: a pass is 4 batches; an epoch of 6 batches ends 2 batches into its second pass.
    static readonly int[] Counts = [.. Enumerable.Repeat(20, 8)];
    const int BatchesPerEpoch = 6;

    static IdentitySampler Sampler() => new(Counts, perId: 4, idsPerBatch: 2, batchesPerEpoch: BatchesPerEpoch, seed: 5);

    static int[] Ids(IdentitySampler s, long from, int batches) =>
        [.. Enumerable.Range(0, batches).SelectMany(i => s.Batch(from + i)).Chunk(4).Select(g => g[0].Label)];

    [Test]
    public void Every_epoch_starts_a_full_pass_over_the_identities()
    {
        var sampler = Sampler();
        Assert.That(sampler.BatchesPerPass, Is.EqualTo(4));
        for (var epoch = 0; epoch < 4; epoch++)
        {
            var start = (long)epoch * BatchesPerEpoch;
            Assert.That(Ids(sampler, start, 4), Is.EquivalentTo(Enumerable.Range(0, 8)),
                $"epoch {epoch}: its first 4 batches are one whole pass, each identity once");
            Assert.That(Ids(sampler, start + 4, 2), Is.Unique, $"epoch {epoch}: its last 2 batches begin a new pass");
        }
    }

    [Test]
    public void The_unfinished_pass_of_an_epoch_is_thrown_away()
    {
        var sampler = Sampler();
        var endOfEpoch0 = Enumerable.Range(4, 2).SelectMany(i => sampler.Batch(i)).ToArray();
        Assert.That(endOfEpoch0, Is.EqualTo(sampler.Pass(0, 1).Take(16).ToArray()), "epoch 0 ends in its second pass");
        Assert.That(sampler.Batch(BatchesPerEpoch), Is.EqualTo(sampler.Pass(1, 0).Take(8).ToArray()), "epoch 1 starts its own first pass");
        Assert.That(sampler.Batch(BatchesPerEpoch), Is.Not.EqualTo(sampler.Pass(0, 1).Skip(16).Take(8).ToArray()), "not the rest of epoch 0's pass");
        Assert.That(Sampler().Batch(BatchesPerEpoch + 1), Is.EqualTo(sampler.Batch(BatchesPerEpoch + 1)), "a batch is a pure function of its index");
    }
}
