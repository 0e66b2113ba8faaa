using Isc.Torch.Runtime;
using Isc.Training.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Isc.Training.Tests.Model;

/// <summary>The harness's BatchNorm: torch's BatchNorm, counting its steps without TorchSharp's scalar race.</summary>
[TestFixture]
public class BatchNormTests
{
    [OneTimeSetUp]
    public void Load() => TorchRuntime.EnsureLoadable();

    [TestCase(4)]
    [TestCase(2)]
    public void It_computes_and_updates_exactly_as_torchs_BatchNorm(int dims)
    {
        using var mine = dims == 4 ? BatchNorm.Of2d(6) : BatchNorm.Of1d(6);
        using TorchSharp.Modules.BatchNorm theirs = dims == 4 ? nn.BatchNorm2d(6) : nn.BatchNorm1d(6);
        Assert.That(mine.state_dict().Keys, Is.EqualTo(theirs.state_dict().Keys));
        random.manual_seed(5);
        for (var step = 0; step < 3; step++)
        {
            using var x = dims == 4 ? randn(4, 6, 3, 3).Times(2).Plus(1) : randn(8, 6).Times(2).Plus(1);
            using var a = mine.call(x);
            using var b = theirs.call(x);
            Assert.That(a.allclose(b, rtol: 0, atol: 0), Is.True, $"training step {step}");
        }
        Assert.That(mine.running_mean!.allclose(theirs.running_mean!, rtol: 0, atol: 0), Is.True);
        Assert.That(mine.running_var!.allclose(theirs.running_var!, rtol: 0, atol: 0), Is.True);
        Assert.That(mine.num_batches_tracked!.item<long>(), Is.EqualTo(3));
        mine.eval();
        theirs.eval();
        using var y = dims == 4 ? randn(2, 6, 3, 3) : randn(2, 6);
        using var ea = mine.call(y);
        using var eb = theirs.call(y);
        Assert.That(ea.allclose(eb, rtol: 0, atol: 0), Is.True, "eval mode uses the running statistics");
        Assert.That(() => mine.call(randn(2)), Throws.ArgumentException);
    }

    /// <summary>
    /// A collector thread frees whatever is unreachable while training forwards run. TorchSharp's BatchNorm fails here
    /// about once in 2,000 forwards (its temporary scalar freed under libtorch); this one never does.
    /// </summary>
    [Test]
    public void Counting_survives_a_garbage_collector_running_all_the_time()
    {
        using var bn = BatchNorm.Of2d(8);
        bn.train();
        var stop = false;
        var collector = new Thread(() => { while (!Volatile.Read(ref stop)) { GC.Collect(); GC.WaitForPendingFinalizers(); } });
        collector.Start();
        var failures = new List<string>();
        const int Forwards = 20_000;
        try
        {
            for (var i = 0; i < Forwards; i++)
            {
                try { using var x = randn(2, 8, 4, 4); using var y = bn.call(x); }
                catch (Exception e) { failures.Add($"forward {i}: {e.Message.Split('\n')[0]}"); }
            }
        }
        finally
        {
            Volatile.Write(ref stop, true);
            collector.Join();
        }
        Assert.That(failures, Is.Empty);
        Assert.That(bn.num_batches_tracked!.item<long>(), Is.EqualTo(Forwards));
    }
}
