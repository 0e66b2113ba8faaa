using Isc.Recipe;
using Isc.Training.Model;
using Isc.Torch.Runtime;
using Isc.Training.Data;
using Isc.Training.Solver;
using Isc.Training.Engine;
using Isc.Training.Util;
using TorchSharp;
using static TorchSharp.torch;

namespace Isc.Training.Tests.Model;

/// <summary>Each component against values worked out by hand.</summary>
[TestFixture]
public class ComponentTests
{
    [OneTimeSetUp] public void Load() => TorchRuntime.EnsureLoadable();

    [Test]
    public void GemIsTheCubicMeanWithATrainableP()
    {
        using var gem = new GeM(3);
        using var x = tensor(new float[] { 1, 2, 3, 4, 0, 0, 0, 8 }, [1, 2, 2, 2]);
        var f = gem.call(x).data<float>().ToArray();
        Assert.That(f[0], Is.EqualTo(Math.Cbrt((1 + 8 + 27 + 64) / 4.0)).Within(1e-5));
        Assert.That(f[1], Is.EqualTo(Math.Cbrt((3e-18 + 512) / 4.0)).Within(1e-5), "zeros are clamped to 1e-6");
        Assert.That(gem.P.requires_grad && gem.P.shape.SequenceEqual(new long[] { 1 }));
    }

    [Test]
    public void WaveblockKeepsOneBandAndScalesTheRest()
    {
        using var wave = new Waveblock(0.3, 1.5);
        Assert.That(wave.BandHeight(16), Is.EqualTo(5));   // round(4.8)
        Assert.That(wave.BandHeight(5), Is.EqualTo(2));    // round(1.5) = 2, halves to even like Python
        Assert.That(wave.BandHeight(25), Is.EqualTo(8));   // round(7.5) = 8
        using var ones = torch.ones(1, 1, 10, 2);
        var rows = wave.Apply(ones, 4, 3)[0, 0, .., 0].data<float>().ToArray();
        Assert.That(rows, Is.EqualTo(new float[] { 1.5f, 1.5f, 1.5f, 1.5f, 1, 1, 1, 1.5f, 1.5f, 1.5f }));

        wave.train();
        for (var seed = 0; seed < 20; seed++)
        {
            wave.Random = new DetRandom((ulong)seed);
            var r = wave.call(torch.ones(2, 3, 10, 4))[1, 2, .., 3].data<float>().ToArray();
            var band = Enumerable.Range(0, 10).Where(i => r[i] == 1f).ToList();
            Assert.That(band, Has.Count.EqualTo(3));
            Assert.That(band.Last() - band.First(), Is.EqualTo(2), "contiguous");
            Assert.That(r.Count(v => v == 1.5f), Is.EqualTo(7));
        }
        wave.eval();
        Assert.That(wave.call(torch.ones(1, 1, 10, 2)).sum().item<float>(), Is.EqualTo(20f));
    }

    [Test]
    public void SmoothedCrossEntropyMatchesTheFormula()
    {
        using var logits = tensor(new float[] { 2, 0, 0, 0, 0, 1, 0, -1 }, [2, 4]);
        using var labels = tensor(new long[] { 0, 3 });
        var loss = Losses.SmoothedCrossEntropy(logits, labels, 0.1).item<float>();
        double Row(double[] z, int y)
        {
            var lse = Math.Log(z.Sum(Math.Exp));
            return -z.Select((v, i) => ((i == y ? 0.9 : 0) + 0.1 / 4) * (v - lse)).Sum();
        }
        var expected = (Row([2, 0, 0, 0], 0) + Row([0, 1, 0, -1], 3)) / 2;
        Assert.That(loss, Is.EqualTo(expected).Within(1e-5));
    }

    [Test]
    public void SoftTripletUsesTheHardestPositiveAndNegative()
    {
        using var f = tensor(new float[] { 0, 1, 3, 7 }, [4, 1]);
        using var labels = tensor(new long[] { 0, 0, 1, 1 });
        static double Softplus(double v) => Math.Log(1 + Math.Exp(v));
        // anchor 0: d+ 1, d- 3; anchor 1: d+ 1, d- 2; anchor 3 (x=3): d+ 4, d- 2; anchor 7: d+ 4, d- 6
        var expected = (Softplus(1 - 3) + Softplus(1 - 2) + Softplus(4 - 2) + Softplus(4 - 6)) / 4;
        Assert.That(Losses.SoftTripletBatchHard(f, labels).item<float>(), Is.EqualTo(expected).Within(1e-5));
        Assert.That(Losses.TopOnePrecision(tensor(new float[] { 1, 0, 0, 1, 1, 0 }, [3, 2]), tensor(new long[] { 0, 1, 1 })), Is.EqualTo(2.0 / 3).Within(1e-12));
    }

    [Test]
    public void ScheduleForAll25PaperEpochs()
    {
        var t = Profiles.Paper.Training;
        double[] expected =
        [
            0.01, 0.208, 0.406, 0.604, 0.802,                  // warm-up 0.01 + 0.99 e/5
            1, 1, 1, 1, 1,                                     // constant
            1, 0.98907380036690284, 0.95677272882130049, 0.90450849718747373, 0.8345653031794291,
            0.75, 0.65450849718747373, 0.55226423163382676, 0.44773576836617335, 0.34549150281252633,
            0.25, 0.16543469682057105, 0.09549150281252633, 0.043227271178699567, 0.010926199633097156,
        ];
        Assert.That(Enumerable.Range(0, 25).Select(t.LrFactor), Is.EqualTo(expected).Within(1e-12));
        Assert.That(LearningRateSchedule.Factor(t, 25), Is.EqualTo(0).Within(1e-12), "after the last step");
    }

    [Test]
    public void SamplerMakesGroupsOfFourDistinctImagesOfOneIdentity()
    {
        int[] counts = [20, 20, 1, 5, 20, 3, 20, 20, 20, 2];
        var sampler = new IdentitySampler(counts, 4, 2, batchesPerEpoch: 100, seed: 11);
        Assert.That(sampler.BatchesPerPass, Is.EqualTo(9 * 4 / 8), "the id with one image is skipped");
        var pass = sampler.Pass(0, 0);
        Assert.That(pass, Has.Count.EqualTo(9 * 4));
        var groups = pass.Chunk(4).ToList();
        Assert.That(groups.Select(g => g[0].Label), Is.Unique.And.Not.Contains(2));
        foreach (var g in groups)
        {
            Assert.That(g.Select(x => x.Label).Distinct().Count(), Is.EqualTo(1));
            if (counts[g[0].Label] >= 4) Assert.That(g.Select(x => x.Image), Is.Unique);
            else Assert.That(g.Skip(1).Select(x => x.Image), Has.None.EqualTo(g[0].Image), "the 3 others differ from the first");
        }
        Assert.That(sampler.Batch(1), Is.EqualTo(pass.Skip(8).Take(8).ToArray()));
        Assert.That(sampler.Batch(sampler.BatchesPerPass), Is.EqualTo(sampler.Pass(0, 1).Take(8).ToArray()), "a new pass follows");
        Assert.That(sampler.Pass(0, 1), Is.Not.EqualTo(pass), "passes are reshuffled");
        Assert.That(new IdentitySampler(counts, 4, 2, batchesPerEpoch: 100, seed: 11).Pass(0, 0), Is.EqualTo(pass), "deterministic");
    }

    [Test]
    public void ShardedBatchNormKeepsOnlyTheFirstShardsRunningStatistics()
    {
        var m = Profiles.Demo.Model with { StemWidth = 4, ProjectorHidden = 32, ProjectorOut = 32 };
        random.manual_seed(1);
        using var sharded = new D2lvNet(Backbones.Ibn, m, 8) { Shards = 4 };
        random.manual_seed(1);
        using var single = new D2lvNet(Backbones.Ibn, m, 8) { Shards = 1 };
        sharded.train(); single.train();
        sharded.Base.Waveblock.Random = new DetRandom(5);
        single.Base.Waveblock.Random = new DetRandom(5);
        using var x = randn(16, 3, 32, 32);
        using (no_grad())
        {
            var (fs, _) = sharded.call(x);
            var (f1, _) = single.call(x[..4]);
            // Relative: the one-pass form sums in another order (float32 rounding; bounds justified in OnePassShardsTests).
            var scale = f1.abs().max().item<float>();
            Assert.That((fs[..4] - f1).abs().max().item<float>() / scale, Is.LessThan(3e-5f), "shard 0 sees only its own statistics");
        }
        var a = StateDicts.Ordered(sharded).ToDictionary(kv => kv.Key, kv => kv.Value);
        foreach (var (k, v) in StateDicts.Ordered(single).Where(kv => kv.Key.Contains("running_") || kv.Key.EndsWith("num_batches_tracked")))
            Assert.That((a[k].to(float64) - v.to(float64)).abs().max().item<double>() / v.to(float64).abs().max().item<double>(), Is.LessThan(1e-5), k);
        Assert.That(a["base.1.num_batches_tracked"].item<long>(), Is.EqualTo(1));
    }
}
