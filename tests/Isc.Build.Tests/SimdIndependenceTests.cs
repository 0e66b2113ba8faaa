using System.Security.Cryptography;
using NUnit.Framework;

namespace Isc.Build.Tests;

/// <summary>
/// The generated images are a function of (dataset, id, k, seed) on any x86-64 CPU: with .NET's AVX, AVX2 and
/// AVX-VNNI code paths switched off (as on a CPU without them) the demo's synthetic inputs and a dataset come out
/// byte-identical to this machine's vectorised run.
/// </summary>
[TestFixture]
public class SimdIndependenceTests
{
    string _root = "";

    [SetUp] public void SetUp() => _root = Harness.TempRoot("simd");
    [TearDown] public void TearDown() => Directory.Delete(_root, recursive: true);

    const string Target = "Dataset:isc_100k_256_big_blur";

    static Dictionary<string, string> Hashes(string dir) =>
        Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}.")) // stamps and logs record times and hosts
            .ToDictionary(f => Path.GetRelativePath(dir, f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));

    [Test]
    public void Without_AVX_the_synthetic_inputs_and_a_dataset_are_byte_identical()
    {
        var vectorised = Path.Combine(_root, "vectorised");
        var scalar = Path.Combine(_root, "scalar");
        var a = Harness.Build($"--target={Target}", "--profile=demo", $"--artifacts={vectorised}");
        Assert.That(a.ExitCode, Is.EqualTo(0), a.ToString());
        var b = Harness.Run(Path.Combine(Harness.RepoRoot, "build.sh"), [$"--target={Target}", "--profile=demo", $"--artifacts={scalar}"],
            TimeSpan.FromMinutes(20), new Dictionary<string, string> { ["DOTNET_EnableAVX"] = "0", ["DOTNET_EnableAVX2"] = "0", ["DOTNET_EnableAVXVNNI"] = "0" });
        Assert.That(b.ExitCode, Is.EqualTo(0), b.ToString());

        var ha = Hashes(Path.Combine(vectorised, "demo"));
        var hb = Hashes(Path.Combine(scalar, "demo"));
        Assert.That(ha.Keys.Count(k => k.EndsWith(".jpg")), Is.GreaterThan(160 + 24 + 300), "sources, overlays and the dataset's images");
        Assert.That(hb.Keys, Is.EquivalentTo(ha.Keys));
        var differing = ha.Keys.Where(k => ha[k] != hb[k]).ToList();
        Assert.That(differing, Is.Empty, $"{differing.Count} files differ, e.g. {string.Join(", ", differing.Take(5))}");
    }
}
