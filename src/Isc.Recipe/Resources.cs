using System.Globalization;

namespace Isc.Recipe;

/// <summary>What one step asks a batch scheduler (Slurm) for: GPUs, CPU cores, memory and a time limit.</summary>
public sealed record StepResources(int Gpus, int Cpus, int MemoryMb, TimeSpan Time)
{
    /// <summary>Slurm's time format: D-HH:MM:SS.</summary>
    public string SlurmTime => Time.Days > 0
        ? $"{Time.Days}-{Time.Hours:00}:{Time.Minutes:00}:{Time.Seconds:00}"
        : $"{Time.Hours:00}:{Time.Minutes:00}:{Time.Seconds:00}";

    public override string ToString() =>
        $"{(Gpus > 0 ? $"{Gpus} gpu, " : "")}{Cpus} cpu, {MemoryMb} MB, {SlurmTime}";

    /// <summary>Parses a Slurm-style time: "90" (minutes), "HH:MM:SS", "D-HH:MM[:SS]", "MM:SS".</summary>
    public static TimeSpan ParseTime(string text)
    {
        var s = text.Trim();
        var days = 0;
        var dash = s.IndexOf('-');
        if (dash > 0)
        {
            if (!int.TryParse(s[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out days)) throw Bad(text);
            s = s[(dash + 1)..];
        }
        var parts = s.Split(':');
        if (parts.Any(p => !int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _))) throw Bad(text);
        var n = parts.Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        return (dash > 0, n.Length) switch
        {
            (false, 1) => TimeSpan.FromMinutes(n[0]),
            (false, 2) => new TimeSpan(0, n[0], n[1]),
            (_, 3) => new TimeSpan(days, n[0], n[1], n[2]),
            (true, 2) => new TimeSpan(days, n[0], n[1], 0),
            (true, 1) => new TimeSpan(days, n[0], 0, 0),
            _ => throw Bad(text),
        };
    }

    /// <summary>Parses a memory size: "512" or "512M" (megabytes), "64G", "1T".</summary>
    public static int ParseMemoryMb(string text)
    {
        var m = System.Text.RegularExpressions.Regex.Match(text.Trim(), "^([0-9]+)([MGT]?)$", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
        if (!m.Success || !int.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var v) || v <= 0)
            throw new RecipeException($"memory '{text}' is not a size like 512M, 64G or 1T");
        return checked(v * (m.Groups[2].Value.ToUpperInvariant() switch { "G" => 1024, "T" => 1024 * 1024, _ => 1 }));
    }

    static RecipeException Bad(string text) => new($"time '{text}' is not a Slurm time like 90 (minutes), 12:00:00 or 2-00:00:00");
}

/// <summary>
/// The resources each kind of step asks a cluster for, per profile. The paper numbers follow the
/// published cost (docs/recipe.md, Cost) (a dataset is about a CPU-core-day; a training about a day on one GPU here, since the
/// harness trains on one device); the demo numbers fit the single-node test cluster. isc.json's
/// "slurm.resources" overrides them per kind.
/// </summary>
public static class StepResourceCatalog
{
    /// <summary>The kinds of the build graph's artifacts.</summary>
    public static readonly IReadOnlyList<string> Kinds =
        ["source", "overlays", "assets", "faces", "dataset", "pretrained", "training", "model", "eval_set", "published", "features", "pca", "evaluation", "comparison"];

    static readonly IReadOnlyDictionary<string, StepResources> Paper = new Dictionary<string, StepResources>(StringComparer.OrdinalIgnoreCase)
    {
        ["source"] = new(0, 4, 8_192, TimeSpan.FromHours(12)),
        ["overlays"] = new(0, 2, 4_096, TimeSpan.FromHours(6)),
        ["assets"] = new(0, 1, 2_048, TimeSpan.FromHours(1)),
        ["faces"] = new(0, 16, 16_384, TimeSpan.FromHours(12)),
        ["dataset"] = new(0, 16, 32_768, TimeSpan.FromHours(12)),
        ["pretrained"] = new(0, 1, 4_096, TimeSpan.FromHours(2)),
        ["training"] = new(1, 8, 65_536, TimeSpan.FromDays(3)),
        ["model"] = new(0, 1, 32_768, TimeSpan.FromHours(1)),
        // dev25k: 1,025,000 images through one network on one GPU; the search of 25,000 × 1,000,000 fits in 64 GB on CPU.
        ["eval_set"] = new(0, 1, 4_096, TimeSpan.FromHours(2)),
        ["published"] = new(0, 1, 4_096, TimeSpan.FromHours(2)),
        ["features"] = new(1, 8, 32_768, TimeSpan.FromHours(24)),
        ["pca"] = new(1, 8, 32_768, TimeSpan.FromHours(2)),
        ["evaluation"] = new(0, 16, 65_536, TimeSpan.FromHours(6)),
        ["comparison"] = new(0, 1, 1_024, TimeSpan.FromMinutes(15)),
    };

    static readonly IReadOnlyDictionary<string, StepResources> Demo = new Dictionary<string, StepResources>(StringComparer.OrdinalIgnoreCase)
    {
        ["source"] = new(0, 1, 1_024, TimeSpan.FromMinutes(15)),
        ["overlays"] = new(0, 1, 1_024, TimeSpan.FromMinutes(15)),
        ["assets"] = new(0, 1, 512, TimeSpan.FromMinutes(15)),
        ["faces"] = new(0, 1, 1_024, TimeSpan.FromMinutes(15)),
        ["dataset"] = new(0, 1, 1_024, TimeSpan.FromMinutes(15)),
        ["pretrained"] = new(0, 1, 1_024, TimeSpan.FromMinutes(15)),
        ["training"] = new(1, 1, 2_048, TimeSpan.FromMinutes(30)),
        ["model"] = new(0, 1, 1_024, TimeSpan.FromMinutes(15)),
        ["eval_set"] = new(0, 1, 1_024, TimeSpan.FromMinutes(15)),
        ["published"] = new(0, 1, 1_024, TimeSpan.FromMinutes(15)),
        ["features"] = new(1, 1, 2_048, TimeSpan.FromMinutes(15)),
        ["pca"] = new(1, 1, 2_048, TimeSpan.FromMinutes(15)),
        ["evaluation"] = new(0, 1, 1_024, TimeSpan.FromMinutes(15)),
        ["comparison"] = new(0, 1, 512, TimeSpan.FromMinutes(15)),
    };

    /// <summary>The default resources of one kind of step in a profile (the demo profile has its own small table).</summary>
    public static StepResources For(Profile profile, string kind)
    {
        var table = profile.Name == Profiles.Demo.Name ? Demo : Paper;
        return table.TryGetValue(kind, out var r) ? r
            : throw new RecipeException($"no cluster resources for step kind '{kind}'; known kinds: {string.Join(", ", Kinds)}");
    }
}
