using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Isc.Recipe;
using Isc.Training.Engine;

/// <summary>
/// The trainer's step rate with the logged numbers read back every N steps (N = 1: a read after every step, as before
/// the deferred read): demo ResNet-50 at width 8 on demo-layout JPEGs, one epoch of 40 steps per run, the rate from the
/// trainer's epoch-end progress line (the steps alone: set-up and checkpoint excluded), runs alternated. Prints each
/// run's metrics.csv and checkpoint hashes, which must not depend on N.
/// </summary>
static partial class HostBench
{
    public static int Run(string[] args)
    {
        var repeats = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
        int[] every = args.Length > 1 ? [.. args[1].Split(',').Select(a => int.Parse(a, CultureInfo.InvariantCulture))] : [1, 50];
        var device = args.Length > 2 ? args[2] : "cpu";
        var tmp = Directory.CreateTempSubdirectory("isc-host-bench-").FullName;
        try
        {
            var demo = Profiles.Demo;
            var data = BenchData.DemoLayout(Path.Combine(tmp, "data"), demo.Source.Identities, demo.Generation.ImagesPerId, 64);
            var t = demo.Training with { IterationsPerEpoch = 40 };
            var rates = every.ToDictionary(n => n, _ => new List<double>());
            for (var r = 0; r < repeats; r++)
                foreach (var n in every)
                {
                    var dir = Path.Combine(tmp, $"run_{n}_{r}");
                    var console = new StringWriter();
                    new Trainer(Options(new TrainerOptions(Backbones.Resnet50, demo.Model, t, data, null, dir, device, LogEverySeconds: 1000, StopAfterEpoch: 0), n), console).Run();
                    var rate = double.Parse(Rate().Matches(console.ToString())[^1].Groups[1].Value, CultureInfo.InvariantCulture);
                    rates[n].Add(1000 / rate);
                    Console.WriteLine($"run {r + 1}, metrics every {n}: {1000 / rate:F1} ms/step; metrics.csv {Hash(Path.Combine(dir, "metrics.csv"))}, " +
                                      $"checkpoint_0 {Hash(Checkpoints.PathFor(dir, 0))}; load {File.ReadAllText("/proc/loadavg").Trim()}");
                }
            foreach (var n in every)
                Console.WriteLine($"trainer step, demo ResNet-50 width 8, batch {t.BatchSize} at {t.InputSize} px, {device}, metrics every {n}: " +
                                  $"mean {rates[n].Average():F1} ms/step, min {rates[n].Min():F1} ({repeats} runs of {t.IterationsPerEpoch} steps)");
        }
        finally { Directory.Delete(tmp, true); }
        return 0;
    }

    static TrainerOptions Options(TrainerOptions o, int metricsEvery) => o with { MetricsEvery = metricsEvery };

    static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)))[..16].ToLowerInvariant();

    [GeneratedRegex(@"([0-9.]+) it/s")]
    private static partial Regex Rate();
}
