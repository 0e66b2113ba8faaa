using System.Text.Json;
using Isc.Recipe;
using Isc.Training.Data;
using Isc.Training.Solver;
using Isc.Training.Tests.Support;

namespace Isc.Training.Tests.Python;

/// <summary>
/// The learning-rate schedule and the identity sampler against the PyTorch reference written from the recipe
/// (tests/python/training_reference.py): the schedule value for value; the sampler by structure, since the two
/// languages' random draws cannot match.
/// </summary>
[TestFixture]
public class ScheduleAndSamplerReferenceTests
{
    [OneTimeSetUp]
    public void Setup() => PyTorch.RequireTorch();

    /// <summary>Both sides compute the same double expression (LambdaLR multiplies base lr by the factor): 1e-12 relative allows a last-bit difference in cos.</summary>
    [Test]
    public void The_paper_schedule_gives_the_reference_learning_rate_in_all_25_epochs()
    {
        var t = Profiles.Paper.Training;
        var r = PyTorch.Run(["schedule", "--epochs", $"{t.Epochs}", "--warmup", $"{t.WarmupEpochs}", "--start", $"{t.WarmupStartFactor:R}",
            "--constant", $"{t.ConstantUntilEpoch}", "--lr", $"{t.LearningRate:R}"]);
        var lrs = r.GetProperty("lr").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var factors = r.GetProperty("factor").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.That(lrs, Has.Length.EqualTo(25));
        for (var e = 0; e < t.Epochs; e++)
        {
            var f = LearningRateSchedule.Factor(t, e);
            Assert.That(f, Is.EqualTo(factors[e]).Within(1e-12 * Math.Abs(factors[e]) + 1e-300), $"factor of epoch {e}");
            Assert.That(t.LearningRate * f, Is.EqualTo(lrs[e]).Within(1e-12 * lrs[e] + 1e-300), $"lr of epoch {e}");
        }
        Assert.That(factors[0], Is.EqualTo(0.01), "warm-up starts at 0.01");
        Assert.That(factors[5..10], Is.All.EqualTo(1.0), "flat from epoch 5 to 9");
        Assert.That(factors[24], Is.GreaterThan(0).And.LessThan(0.02), "the cosine's last epoch is just above 0");
    }

    // 20 ids with 6 images, 4 with 3 (too few for 3 distinct others: drawn with replacement), 3 with 2, 3 with 1 (skipped):
    // 27 eligible ids give 6 batches of 4 ids per pass (3 ids left over, the incomplete batch dropped).
    static readonly int[] Counts = [.. Enumerable.Repeat(6, 20), 3, 3, 3, 3, 2, 2, 2, 1, 1, 1];
    const int PerId = 4, IdsPerBatch = 4, BatchesPerEpoch = 10, Epochs = 8;

    /// <summary>What the recipe fixes about the batches, whatever the draws.</summary>
    sealed record Structure(int BatchSize, bool GroupsOfOneId, bool DistinctIdsPerBatch, bool DistinctImagesWherePossible,
        bool SingleImageIdsSkipped, bool PassesHaveDistinctIds, bool EveryEpochStartsAPass, int IdsSeen);

    static Structure Describe(List<List<(int Label, int Image)[]>> epochs)
    {
        var eligible = Counts.Count(c => c >= 2);
        var perPass = eligible * PerId / (PerId * IdsPerBatch);
        var batches = epochs.SelectMany(e => e).ToList();
        var groups = batches.SelectMany(b => b.Chunk(PerId)).ToList();
        bool DistinctIds(IEnumerable<(int Label, int Image)[]> bs)
        {
            var ids = bs.SelectMany(b => b.Chunk(PerId).Select(g => g[0].Label)).ToList();
            return ids.Distinct().Count() == ids.Count;
        }
        return new Structure(
            batches.Select(b => b.Length).Distinct().Single(),
            groups.All(g => g.Length == PerId && g.All(p => p.Label == g[0].Label && p.Image >= 0 && p.Image < Counts[p.Label])),
            batches.All(b => DistinctIds([b])),
            groups.All(g => Counts[g[0].Label] < PerId || g.Select(p => p.Image).Distinct().Count() == PerId),
            groups.All(g => Counts[g[0].Label] >= 2),
            // inside an epoch the passes are batches 0..perPass-1, perPass..: a continued pass would repeat an id within one of them
            epochs.All(e => e.Chunk(perPass).All(DistinctIds)),
            epochs.All(e => DistinctIds(e.Take(perPass))),
            groups.Select(g => g[0].Label).Distinct().Count());
    }

    [Test]
    public void The_identity_sampler_has_the_reference_structure()
    {
        var sampler = new IdentitySampler(Counts, PerId, IdsPerBatch, BatchesPerEpoch, seed: 7);
        var mine = Enumerable.Range(0, Epochs).Select(e => Enumerable.Range(0, BatchesPerEpoch).Select(i => sampler.Batch((long)e * BatchesPerEpoch + i)).ToList()).ToList();
        var r = PyTorch.Run(["sampler", "--counts", JsonSerializer.Serialize(Counts), "--per-id", $"{PerId}", "--ids-per-batch", $"{IdsPerBatch}",
            "--batches-per-epoch", $"{BatchesPerEpoch}", "--epochs", $"{Epochs}", "--seed", "7"]);
        var theirs = r.GetProperty("epochs").EnumerateArray().Select(e => e.EnumerateArray()
            .Select(b => b.EnumerateArray().Select(p => (p[0].GetInt32(), p[1].GetInt32())).ToArray()).ToList()).ToList();
        var expected = new Structure(PerId * IdsPerBatch, true, true, true, true, true, true, Counts.Count(c => c >= 2));
        Assert.That(Describe(theirs), Is.EqualTo(expected), "the reference");
        Assert.That(Describe(mine), Is.EqualTo(expected), "the C# sampler");
        Assert.That(sampler.BatchesPerPass, Is.EqualTo(6));
    }
}
