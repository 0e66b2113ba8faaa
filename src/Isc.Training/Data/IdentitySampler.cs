using Isc.Training.Util;

namespace Isc.Training.Data;

/// <summary>
/// The identity sampler (docs/recipe.md, Trainer). A pass shuffles the identities; each identity with at least two images
/// gives a group of <c>perId</c> images: one random image, then distinct other images (with replacement only when the
/// identity has fewer than <c>perId</c>). Consecutive groups form batches; the incomplete last batch of a pass is
/// dropped and the next pass starts. Every pass is a pure function of (seed, pass), so batch b can be found without
/// replaying the run.
/// </summary>
public sealed class IdentitySampler
{
    readonly int[] imageCounts;
    readonly int perId, batchSize;
    readonly long seed;
    int cachedPass = -1;
    List<(int Label, int Image)> cached = [];

    public IdentitySampler(IReadOnlyList<int> imageCountPerLabel, int perId, int idsPerBatch, long seed)
    {
        imageCounts = [.. imageCountPerLabel];
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

    /// <summary>The (label, image index) pairs of global batch <paramref name="index"/>.</summary>
    public (int Label, int Image)[] Batch(long index)
    {
        var pass = (int)(index / BatchesPerPass);
        var within = (int)(index % BatchesPerPass);
        if (pass != cachedPass) { cached = Pass(pass); cachedPass = pass; }
        return [.. cached.Skip(within * batchSize).Take(batchSize)];
    }

    /// <summary>All groups of one pass, flattened.</summary>
    public List<(int Label, int Image)> Pass(int pass)
    {
        var rng = DetRandom.For(seed, 1, pass);
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
