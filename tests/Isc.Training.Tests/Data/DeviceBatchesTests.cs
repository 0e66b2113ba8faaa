using Isc.Torch.Runtime;
using Isc.Training.Data;
using Isc.Training.Util;
using static TorchSharp.torch;

namespace Isc.Training.Tests.Data;

/// <summary>
/// The slot ring the CUDA path copies batches through, run on the CPU with unpinned slots (pinning needs CUDA): the
/// same tensors as the direct path, and a slot reused only once its copy is known done.
/// </summary>
[TestFixture]
public class DeviceBatchesTests
{
    const int Images = 4, Size = 8;

    [OneTimeSetUp]
    public void Setup() => TorchRuntime.EnsureLoadable();

    static Batch MakeBatch(long index)
    {
        var rng = DetRandom.For(11, index);
        var pixels = new byte[Images * 3 * Size * Size];
        for (var i = 0; i < pixels.Length; i++) pixels[i] = (byte)rng.NextInt(256);
        return new Batch(index, pixels, [.. Enumerable.Range(0, Images).Select(i => (long)rng.NextInt(1000))], Images);
    }

    [Test]
    public void TheRingGivesTheDirectPathsTensorsAndKeepsEarlierBatchesIntact()
    {
        using var direct = new DeviceBatches(CPU, Images, Size);
        using var ring = new DeviceBatches(CPU, Images, Size, slotCount: 3, staged: true, synchronize: () => { });
        Assert.That((direct.Staged, ring.Staged), Is.EqualTo((false, true)));
        using var scope = NewDisposeScope();
        var expected = Enumerable.Range(0, 7).Select(i => direct.Put(MakeBatch(i))).ToList();
        var got = Enumerable.Range(0, 7).Select(i => ring.Put(MakeBatch(i))).ToList();
        for (var i = 0; i < 7; i++)
        {
            Assert.That(got[i].Pixels.dtype, Is.EqualTo(ScalarType.Float32));
            Assert.That(got[i].Pixels.shape, Is.EqualTo(new long[] { Images, 3, Size, Size }));
            Assert.That(got[i].Pixels.eq(expected[i].Pixels).all().item<bool>(), $"pixels of batch {i}, after {7 - i - 1} later batches");
            Assert.That(got[i].Labels.eq(expected[i].Labels).all().item<bool>(), $"labels of batch {i}, after {7 - i - 1} later batches");
        }
        Assert.That(ring.Synchronisations, Is.Zero, "on the CPU every copy is done when it returns, and its flag says so");
    }

    [Test]
    public void WithoutTheFlagsASlotIsReusedOnlyAfterASynchronisation()
    {
        var putsAtSync = new List<int>();
        var puts = 0;
        using var ring = new DeviceBatches(CPU, Images, Size, slotCount: 3, staged: true, synchronize: () => putsAtSync.Add(puts)) { UseCopyFlags = false };
        using var scope = NewDisposeScope();
        for (; puts < 8; puts++) ring.Put(MakeBatch(puts));
        // Batch 3 reuses batch 0's slot: synchronise, which covers batches 1 and 2 as well; batch 6 reuses batch 3's.
        Assert.That(putsAtSync, Is.EqualTo(new[] { 3, 6 }));
        Assert.That(ring.Synchronisations, Is.EqualTo(2));
    }
}
