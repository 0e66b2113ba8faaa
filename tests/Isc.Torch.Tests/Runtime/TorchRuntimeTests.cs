using Isc.Torch.Runtime;
using TorchSharp;

namespace Isc.Torch.Tests.Runtime;

[TestFixture]
public class TorchRuntimeTests
{
    /// <summary>The package's unpatched library (read only; the tests patch a copy in a temp folder).</summary>
    static string PackageBridge()
    {
        var root = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var path = Path.Combine(root, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Isc.Tests.Prerequisites.Require(File.Exists(path), $"the TorchSharp 0.107.0 package is not in {root}: dotnet restore D2lv.sln fetches it");
        return path;
    }

    [Test]
    public void DeviceNamesAreParsedAndCudaWithoutNativesSaysHowToGetThem()
    {
        Assert.That(TorchRuntime.Device("cpu").type, Is.EqualTo(DeviceType.CPU));
        var bad = Assert.Throws<TorchRuntimeException>(() => TorchRuntime.Device("gpu0"));
        Assert.That(bad!.Message, Does.Contain("cpu, cuda or cuda:N").And.Contain("gpu0"));
        if (torch.cuda.is_available())
        {
            // CUDA natives and a GPU here: the device resolves instead of failing.
            Assert.That(TorchRuntime.Device("cuda:0").type, Is.EqualTo(DeviceType.CUDA));
            return;
        }
        var e = Assert.Throws<TorchRuntimeException>(() => TorchRuntime.Device("cuda:1"));
        Assert.That(e!.Message, Does.Contain("TorchDevice=cuda").And.Contain("TorchDevice=system").And.Contain("--device cpu"));
    }

    [Test]
    public void ElfHashMatchesKnownValues()
    {
        Assert.That(ElfVersions.ElfHash("GLIBC_2.2.5"), Is.EqualTo(0x09691a75u));
        Assert.That(ElfVersions.ElfHash("GLIBCXX_3.4"), Is.EqualTo(0x08922974u));
    }

    [Test]
    public void ReadsTheNeedsOfTheRealBridgeWithTheLinkersHashes()
    {
        var needs = ElfVersions.ReadNeeds(File.ReadAllBytes(PackageBridge()));
        Assert.That(needs.Select(n => n.Name), Does.Contain("GLIBCXX_3.4.32"));
        Assert.That(needs.Where(n => n.File == "libc.so.6").Select(n => n.Name), Does.Contain("GLIBC_2.2.5"));
        Assert.That(needs, Has.All.Matches<VersionNeed>(n => n.Hash == ElfVersions.ElfHash(n.Name)));
    }

    [Test]
    public void PatchesACopyOnlyWhenTheSystemLacksTheVersion()
    {
        var dir = Directory.CreateTempSubdirectory("isc-elf-").FullName;
        try
        {
            var copy = Path.Combine(dir, "libLibTorchSharp.so");
            File.Copy(PackageBridge(), copy);
            var original = File.ReadAllBytes(copy);
            var stamp = File.GetLastWriteTimeUtc(copy);
            var needed = ElfVersions.ReadNeeds(original).Where(n => n.File == "libstdc++.so.6").Select(n => n.Name).ToHashSet();

            // A "newer system" that defines everything: nothing changes.
            Assert.That(TorchRuntime.PatchIfNeeded(copy, needed), Does.Contain("as is"));
            Assert.That(File.ReadAllBytes(copy), Is.EqualTo(original));

            // A Debian-12-like system: everything but 3.4.32, newest 3.4.31 would not exist either.
            var debian = needed.Where(n => n != "GLIBCXX_3.4.32").Append("GLIBCXX_3.4.30").Append("GLIBCXX_3.4.29").ToHashSet();
            TorchRuntime.PatchIfNeeded(copy, debian);
            var patched = File.ReadAllBytes(copy);
            var names = ElfVersions.ReadNeeds(patched).Select(n => n.Name).ToList();
            Assert.That(names, Does.Not.Contain("GLIBCXX_3.4.32"));
            Assert.That(ElfVersions.ReadNeeds(patched), Has.All.Matches<VersionNeed>(n => n.Hash == ElfVersions.ElfHash(n.Name)));
            Assert.That(patched.Length, Is.EqualTo(original.Length));
            Assert.That(patched.Zip(original).Count(p => p.First != p.Second), Is.InRange(1, 6), "only the name tail and the hash change");
            Assert.That(File.GetLastWriteTimeUtc(copy), Is.EqualTo(stamp));
            Assert.That(TorchRuntime.PatchIfNeeded(copy, debian), Does.Contain("as is"), "idempotent");
        }
        finally { Directory.Delete(dir, true); }
    }

    [Test]
    public void RefusesVersionsThatAreNotKnownToBeSafe()
    {
        var dir = Directory.CreateTempSubdirectory("isc-elf-").FullName;
        try
        {
            var copy = Path.Combine(dir, "libLibTorchSharp.so");
            File.Copy(PackageBridge(), copy);
            var none = new HashSet<string> { "GLIBCXX_3.4.30" };
            Assert.That(() => TorchRuntime.PatchIfNeeded(copy, none),
                Throws.InstanceOf<TorchRuntimeException>().With.Message.Contains("install a newer libstdc++"));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Test]
    public void TorchLoadsAndComputes()
    {
        TestContext.Out.WriteLine(TorchRuntime.EnsureLoadable());
        using var t = torch.arange(4, dtype: torch.float32);
        Assert.That(t.sum().item<float>(), Is.EqualTo(6f));
    }
}

/// <summary>
/// Regression for the oneDNN failure TorchRuntime avoids (see TorchRuntime.OneDnnEnabled): the threaded backward of a
/// small 3×3 conv gave run-to-run different (sometimes NaN) input gradients here with oneDNN on.
/// </summary>
[TestFixture]
public class SmallConvBackwardTests
{
    [Test]
    public void ThreadedSmallConvBackwardIsExactAndFinite()
    {
        TorchRuntime.EnsureLoadable();
        TestContext.Out.WriteLine($"oneDNN on: {TorchRuntime.OneDnnEnabled}");
        torch.set_num_threads(2);
        torch.random.manual_seed(0);
        using var conv = torch.nn.Conv2d(8, 8, 3, padding: 1, bias: false);
        using var x = torch.randn(16, 8, 16, 16).requires_grad_(true);
        using var g = torch.randn(16, 8, 16, 16);
        var sums = new List<float>();
        for (var i = 0; i < 8; i++)
        {
            x.grad?.zero_();
            (conv.call(x) * g).sum().backward();
            sums.Add(x.grad!.abs().sum().item<float>());
        }
        Assert.That(sums.Distinct(), Has.Exactly(1).Items.And.All.Matches<float>(float.IsFinite));
    }
}
