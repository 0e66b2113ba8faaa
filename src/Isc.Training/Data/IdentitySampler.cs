using Isc.Training.Util;

namespace Isc.Training.Data;

/// <summary>
/// The identity sampler (docs/recipe.md, Trainer). A pass shuffles the identities; each identity with at least two images
/// gives a group of <c>perId</c> images: one random image, then distinct other images (with replacement only when the
/// identity has fewer than <c>perId</c>). Consecutive groups form batches; the incomplete last batch of a pass is
/// dropped and the next pass starts. Every epoch starts a new pass and throws the unfinished one away, as the
/// original does (its <c>IterLoader.new_epoch()</c> makes a new DataLoader iterator, so the sampler's
/// <c>__iter__</c> draws a new pass). Every pass is a pure function of (seed, epoch, pass within the epoch), so batch
/// b can be found without replaying the run.
/// </summary>
public sealed class IdentitySampler
{
    readonly int[] imageCounts;
    readonly int perId, batchSize, batchesPerEpoch;
    readonly long seed;
    (long Epoch, int Pass) cachedPass = (-1, -1);
    List<(int Label, int Image)> cached = [];

    public IdentitySampler(IReadOnlyList<int> imageCountPerLabel, int perId, int idsPerBatch, int batchesPerEpoch, long seed)
    {
        if (batchesPerEpoch < 1) throw new ArgumentOutOfRangeException(nameof(batchesPerEpoch), batchesPerEpoch, "an epoch needs at least one batch");
        imageCounts = [.. imageCountPerLabel];
        this.batchesPerEpoch = batchesPerEpoch;
        this.perId = perId;
        batchSize = perId * idsPerBatch;
        this.seed = seed;
        var eligible = imageCounts.Count(c => c >= 2);
        BatchesPerPass = eligible * perId / batchSize;
        if (BatchesPerPass == 0)
            throw new InvalidDataException($"{eligible} identities with 2+ images give no complete batch of {idsPerBatch} ids x {perId} images; lower IdsPerBatch or use a bigger dataset");
    }

    public int BatchesPerPass { get; }
    public int BatchSize => batchSize;

    /// <summary>The (label, image index) pairs of global batch <paramref name="index"/> (epoch e holds batches e·batchesPerEpoch …).</summary>
    public (int Label, int Image)[] Batch(long index)
    {
        var epoch = index / batchesPerEpoch;
        var iteration = (int)(index % batchesPerEpoch);
        var key = (epoch, iteration / BatchesPerPass);
        var within = iteration % BatchesPerPass;
        if (key != cachedPass) { cached = Pass(key.epoch, key.Item2); cachedPass = key; }
        return [.. cached.Skip(within * batchSize).Take(batchSize)];
    }

    /// <summary>All groups of pass <paramref name="pass"/> of epoch <paramref name="epoch"/>, flattened.</summary>
    public List<(int Label, int Image)> Pass(long epoch, int pass)
    {
        var rng = DetRandom.For(seed, 1, epoch, pass);
        var labels = Enumerable.Range(0, imageCounts.Length).ToList();
        rng.Shuffle(labels);
        var result = new List<(int, int)>();
        foreach (var label in labels)
        {
            var n = imageCounts[label];
            if (n < 2) continue;
            var first = rng.NextInt(n);
            result.Add((label, first));
            var others = Enumerable.Range(0, n).Where(i => i != first).ToList();
            if (others.Count >= perId - 1)
            {
                rng.Shuffle(others);
                for (var i = 0; i < perId - 1; i++) result.Add((label, others[i]));
            }
            else
                for (var i = 0; i < perId - 1; i++) result.Add((label, others[rng.NextInt(others.Count)]));
        }
        return result;
    }
}
