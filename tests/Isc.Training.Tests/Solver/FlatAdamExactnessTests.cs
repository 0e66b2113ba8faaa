using Isc.Recipe;
using Isc.Torch.Serialization;
using Isc.Training.Model;
using Isc.Training.Solver;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Adam = Isc.Training.Solver.Adam;
using PerTensorAdam = Isc.Training.Solver.PerTensorAdam;

namespace Isc.Training.Tests.Solver;

/// <summary>
/// The flat-buffer Adam against the per-tensor reference on the D2LV network's own tensors (171 of them at ResNet-50,
/// sizes from 1 to the classifier's): from the same weights and the same gradients (delivered by backward, so they
/// accumulate into the flat gradient buffer as in training), every parameter and both moments stay bit-identical,
/// step after step and across a checkpoint written, read back and resumed.
/// </summary>
[TestFixture]
public class FlatAdamExactnessTests
{
    static readonly ModelSettings Small = Profiles.Demo.Model with { StemWidth = 8, ProjectorHidden = 64, ProjectorOut = 128 };
    const double Lr = 3.5e-4;

    static D2lvNet Model(bool channelsLast)
    {
        random.manual_seed(11);
        var m = new D2lvNet(Backbones.Resnet50, Small, 8);
        if (channelsLast) MemoryLayout.ParametersToChannelsLast(m);
        return m;
    }

    static List<Parameter> Trainable(D2lvNet m) => [.. m.parameters().Where(p => p.requires_grad)];

    /// <summary>Gradients of step <paramref name="step"/>: loss = Σ sum(p ⊙ r) gives each tensor exactly r, through backward.</summary>
    static void Backward(IReadOnlyList<Parameter> ps, int step)
    {
        using var scope = NewDisposeScope();
        var g = new Generator(1000 + (ulong)step);
        // Gradients of very different sizes, a few exact zeros, as in training.
        var loss = ps.Select((p, i) => (p * (randn(p.shape, generator: g) * Math.Pow(10, i % 5 - 3)).relu()).sum()).Aggregate((a, b) => a + b);
        loss.backward();
    }

    static void Step(Action zeroGrad, Action step, IReadOnlyList<Parameter> ps, int k)
    {
        zeroGrad();
        Backward(ps, k);
        step();
    }

    /// <summary>Equal bit patterns, element by element (so -0 differs from +0 and NaNs compare).</summary>
    static bool SameBits(Tensor a, Tensor b)
    {
        using var ca = a.contiguous();
        using var cb = b.contiguous();
        return ca.shape.SequenceEqual(cb.shape) &&
               ca.data<float>().ToArray().Select(BitConverter.SingleToInt32Bits).SequenceEqual(cb.data<float>().ToArray().Select(BitConverter.SingleToInt32Bits));
    }

    static void AssertIdentical(PerTensorAdam reference, Adam flat, string when)
    {
        for (var i = 0; i < reference.Params.Count; i++)
        {
            var g = flat.Groups[i];
            Assert.That(g.Step, Is.EqualTo(reference.Steps[i]), $"{when}: step of tensor {i}");
            Assert.That(SameBits(g.Param, reference.Params[i]), $"{when}: parameter {i} [{string.Join(",", g.Param.shape)}]");
            Assert.That(SameBits(g.ExpAvg!, reference.ExpAvg[i]!), $"{when}: exp_avg {i}");
            Assert.That(SameBits(g.ExpAvgSq!, reference.ExpAvgSq[i]!), $"{when}: exp_avg_sq {i}");
        }
    }

    // The last case updates in pieces of 1,000 elements, which cut tensors at arbitrary places.
    [TestCase(false, 0.0, 1L << 24)]
    [TestCase(true, 0.0, 1L << 24)]
    [TestCase(false, 5e-4, 1L << 24)]
    [TestCase(true, 0.0, 1000L)]
    public void StepsAreBitIdenticalToThePerTensorUpdateAndResumeExactly(bool channelsLast, double weightDecay, long chunk)
    {
        using var a = Model(channelsLast);
        using var b = Model(channelsLast);
        var pa = Trainable(a);
        var pb = Trainable(b);
        using var reference = new PerTensorAdam(pa, Lr, 0.9, 0.999, 1e-8, weightDecay);
        using var flat = new Adam(pb, Lr, 0.9, 0.999, 1e-8, weightDecay, chunk);
        Assert.That(pb.Where(p => p.dim() == 4).All(MemoryLayout.IsChannelsLast), Is.EqualTo(channelsLast), "the layout survives the move into the buffer");
        for (var k = 0; k < 4; k++)
        {
            Step(reference.ZeroGrad, reference.Step, pa, k);
            Step(flat.ZeroGrad, flat.Step, pb, k);
        }
        AssertIdentical(reference, flat, "after 4 steps");

        // Checkpoint of the flat optimizer and the model, read back into fresh ones, then 3 more steps each.
        using var saved = new MemoryStream();
        var sd = new Dictionary<object, object?>();
        foreach (var (key, t) in StateDicts.Ordered(b)) sd[key] = t;
        TorchZip.Write(saved, new Dictionary<object, object?> { ["state_dict"] = sd, ["optimizer"] = flat.StateDict() });
        saved.Position = 0;
        var root = (Dictionary<object, object?>)TorchZip.Load(saved, "checkpoint")!;
        using var c = Model(channelsLast);
        StateDicts.Load(c, ((Dictionary<object, object?>)root["state_dict"]!).ToDictionary(kv => (string)kv.Key, kv => (Tensor)kv.Value!), strict: true);
        if (channelsLast) MemoryLayout.ParametersToChannelsLast(c);
        var pc = Trainable(c);
        using var resumed = new Adam(pc, 1.0, 0.9, 0.999, 1e-8, weightDecay, chunk);
        resumed.LoadStateDict((Dictionary<object, object?>)root["optimizer"]!);
        for (var k = 4; k < 7; k++)
        {
            Step(reference.ZeroGrad, reference.Step, pa, k);
            Step(resumed.ZeroGrad, resumed.Step, pc, k);
        }
        AssertIdentical(reference, resumed, "after a checkpoint and 3 more steps");
    }

    [Test]
    public void TheStateDictHasOneGroupAndOneStateEntryPerTensor()
    {
        using var m = Model(false);
        var ps = m.parameters().ToList();
        using var adam = new Adam(ps, Lr, 0.9, 0.999, 1e-8, 0);
        Assert.That(((Dictionary<object, object?>)adam.StateDict()["state"]!), Is.Empty, "no state before the first step (PyTorch's lazy state)");
        Step(adam.ZeroGrad, adam.Step, [.. ps.Where(p => p.requires_grad)], 0);
        var sd = adam.StateDict();
        var state = (Dictionary<object, object?>)sd["state"]!;
        var groups = (List<object?>)sd["param_groups"]!;
        Assert.That(groups, Has.Count.EqualTo(ps.Count));
        var frozen = ps.FindIndex(p => !p.requires_grad);
        Assert.That(frozen, Is.GreaterThanOrEqualTo(0), "the final BN's bias is frozen");
        Assert.That(state.Keys, Is.EquivalentTo(Enumerable.Range(0, ps.Count).Where(i => i != frozen).Select(i => (object)(long)i)), "every trainable tensor, not the frozen one");
        foreach (var (key, value) in state)
        {
            var st = (Dictionary<object, object?>)value!;
            Assert.That(st["step"], Is.EqualTo(1L));
            Assert.That(((Tensor)st["exp_avg"]!).shape, Is.EqualTo(ps[(int)(long)key].shape));
        }
        Assert.That(ps[frozen].grad, Is.Null);
    }

    [Test]
    public void ATensorWithoutAGradientKeepsItsStateAndStepCount()
    {
        using var a = Model(false);
        using var b = Model(false);
        var pa = Trainable(a);
        var pb = Trainable(b);
        using var reference = new PerTensorAdam(pa, Lr, 0.9, 0.999, 1e-8, 0);
        using var flat = new Adam(pb, Lr, 0.9, 0.999, 1e-8, 0);
        // Step 0 leaves tensor 5 out of the loss (no gradient: not stepped); afterwards it takes part with a younger step count.
        void Partial(IReadOnlyList<Parameter> ps, int k) => Backward([.. ps.Where((_, i) => k > 0 || i != 5)], k);
        for (var k = 0; k < 3; k++)
        {
            reference.ZeroGrad();
            Partial(pa, k);
            reference.Step();
            flat.ZeroGrad();
            Partial(pb, k);
            flat.Step();
        }
        Assert.That(flat.Groups[5].Step, Is.EqualTo(2));
        Assert.That(flat.Groups[6].Step, Is.EqualTo(3));
        AssertIdentical(reference, flat, "after 3 steps, one without tensor 5");
    }

    [Test]
    public void AParameterMovedAfterTheOptimizerWasMadeIsRefused()
    {
        using var m = Model(false);
        var ps = Trainable(m);
        using var adam = new Adam(ps, Lr, 0.9, 0.999, 1e-8, 0);
        using (no_grad())
        using (var elsewhere = ps[0].clone())
            ps[0].set_(elsewhere);
        Assert.That(() => adam.ZeroGrad(), Throws.InvalidOperationException.With.Message.Contains("make the optimizer after"));
    }
}
