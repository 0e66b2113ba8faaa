using System.Text.RegularExpressions;
using Isc.Artifacts;
using NUnit.Framework;

namespace Isc.Build.Tests;

/// <summary>
/// The local executor's pools, with a fake device list: --gpus=0,1 hands each training one device
/// (CUDA_VISIBLE_DEVICES) while --device=cpu keeps the demo trainings on the CPU. The stamps' start and
/// finish times show what ran at once.
/// </summary>
[TestFixture]
public class LocalGpuPoolTests
{
    string _root = "";
    string Demo => Path.Combine(_root, "demo");

    [SetUp]
    public void SetUp() => _root = Harness.TempRoot("gpupool");

    [TearDown]
    public void TearDown()
    {
        if (_root != "" && Directory.Exists(_root)) try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    const string Dataset = "isc_100k_256_big";

    [Test]
    public void Two_devices_run_at_most_two_trainings_at_once_each_on_its_own_device_and_cpu_steps_keep_their_limit()
    {
        var r = Harness.Build($"--target=Models:{Dataset}", "--gpus=0,1", "--device=cpu", "--jobs=2", "--profile=demo", $"--artifacts={_root}");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());

        var store = new StampStore(Demo);
        var built = Harness.Built(r.Output);
        var trainings = built.Where(id => id.StartsWith("Train:")).ToList();
        var cpuSteps = built.Except(trainings).ToList();
        Assert.That(trainings, Has.Count.EqualTo(3), r.Output);

        // Each training was told one device of the pool, and the summary says which.
        var device = new Dictionary<string, string>();
        foreach (var t in trainings)
        {
            var log = File.ReadAllText(Path.Combine(Demo, ".logs", StampStore.SafeName(t) + ".log"));
            var m = Regex.Match(log, @"CUDA_VISIBLE_DEVICES=(\S+)");
            Assert.That(m.Success, $"{t}'s log names its device:\n{log}");
            device[t] = m.Groups[1].Value;
            Assert.That(device[t], Is.AnyOf("0", "1"));
            Assert.That(r.Output, Does.Match($@"{Regex.Escape(t)}\s+built\s+\S+\s+gpu {device[t]}"));
        }
        foreach (var c in cpuSteps) Assert.That(r.Output, Does.Match($@"{Regex.Escape(c)}\s+built\s+\S+\s+cpu slot"));

        var spans = built.ToDictionary(id => id, id => store.Read(id)!).ToDictionary(kv => kv.Key, kv => (kv.Value.StartedUtc, kv.Value.FinishedUtc));
        Assert.That(MaxOverlap(trainings.Select(t => spans[t])), Is.EqualTo(2), "two devices: two trainings ran at once, never three");
        Assert.That(MaxOverlap(cpuSteps.Select(c => spans[c])), Is.LessThanOrEqualTo(2), "--jobs=2");
        foreach (var a in trainings)
            foreach (var b in trainings.Where(b => string.CompareOrdinal(a, b) < 0 && Overlap(spans[a], spans[b])))
                Assert.That(device[a], Is.Not.EqualTo(device[b]), $"{a} and {b} ran at the same time");
        // CPU steps and trainings come from separate pools, so they overlap (e.g. a trim beside the next training).
        Assert.That(cpuSteps.Any(c => trainings.Any(t => Overlap(spans[c], spans[t]))), Is.True, "a CPU step ran while a training did");
    }

    static bool Overlap((DateTime Start, DateTime End) a, (DateTime Start, DateTime End) b) => a.Start < b.End && b.Start < a.End;

    static int MaxOverlap(IEnumerable<(DateTime Start, DateTime End)> spans)
    {
        var events = spans.SelectMany(s => new[] { (s.Start, +1), (s.End, -1) }).OrderBy(e => e.Item1).ThenBy(e => e.Item2).ToList();
        int now = 0, max = 0;
        foreach (var (_, delta) in events) max = Math.Max(max, now += delta);
        return max;
    }
}
