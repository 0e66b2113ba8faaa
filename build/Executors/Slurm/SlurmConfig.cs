using System.Globalization;
using System.Text.Json.Nodes;
using Isc.Build.Core;
using Isc.Recipe;

namespace Isc.Build.Executors.Slurm;

/// <summary>
/// The "slurm" section of isc.json: where jobs go (partition, account, extra sbatch arguments, a launcher
/// prefix such as a container runtime), how often the build polls, and per-kind resource overrides on top of
/// the catalog's <see cref="StepResourceCatalog"/>.
/// </summary>
public sealed class SlurmConfig
{
    public string? Partition { get; init; }
    public string? Account { get; init; }
    public IReadOnlyList<string> ExtraArgs { get; init; } = [];
    /// <summary>Put before the worker command in every job script (e.g. "apptainer exec isc.sif").</summary>
    public string? Launcher { get; init; }
    public TimeSpan Poll { get; init; } = TimeSpan.FromSeconds(5);
    public bool CheckStorage { get; init; } = true;
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromMinutes(10);
    public IReadOnlyDictionary<string, JsonObject> Resources { get; init; } = new Dictionary<string, JsonObject>();

    const string Where = "the \"slurm\" section of the configuration (isc.json / isc.local.json / --config)";

    public static SlurmConfig Parse(JsonObject? o)
    {
        if (o is null) return new SlurmConfig();
        var known = new[] { "partition", "account", "extraArgs", "launcher", "pollSeconds", "checkStorage", "probeTimeoutSeconds", "resources" };
        foreach (var (k, _) in o)
            if (!known.Contains(k)) throw new BuildUsageException($"unknown key \"{k}\" in {Where}; known: {string.Join(", ", known)}");
        var resources = new Dictionary<string, JsonObject>(StringComparer.OrdinalIgnoreCase);
        foreach (var (kind, value) in o["resources"] as JsonObject ?? [])
        {
            if (!StepResourceCatalog.Kinds.Contains(kind, StringComparer.OrdinalIgnoreCase))
                throw new BuildUsageException($"slurm.resources.{kind}: unknown step kind; known: {string.Join(", ", StepResourceCatalog.Kinds)}");
            resources[kind] = value as JsonObject ?? throw new BuildUsageException($"slurm.resources.{kind} must be an object like {{\"gpus\": 1, \"cpus\": 8, \"memory\": \"64G\", \"time\": \"2-00:00:00\"}}");
        }
        var config = new SlurmConfig
        {
            Partition = Str(o, "partition"),
            Account = Str(o, "account"),
            ExtraArgs = o["extraArgs"] switch
            {
                null => [],
                JsonArray a when a.All(n => n is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String) => [.. a.Select(n => n!.GetValue<string>())],
                JsonValue v when v.TryGetValue<string>(out var s) => s.Split(' ', StringSplitOptions.RemoveEmptyEntries),
                _ => throw new BuildUsageException($"slurm.extraArgs must be a list of sbatch arguments, e.g. [\"--qos=normal\"]"),
            },
            Launcher = Str(o, "launcher"),
            Poll = TimeSpan.FromSeconds(Number(o, "pollSeconds") ?? 5),
            CheckStorage = o["checkStorage"] switch
            {
                null => true,
                JsonValue b when b.TryGetValue<bool>(out var check) => check,
                _ => throw new BuildUsageException("slurm.checkStorage must be true or false"),
            },
            ProbeTimeout = TimeSpan.FromSeconds(Number(o, "probeTimeoutSeconds") ?? 600),
            Resources = resources,
        };
        // Check the overrides now, not when the first job of that kind is submitted.
        foreach (var kind in resources.Keys) config.ResourcesFor(Profiles.Paper, kind);
        return config;
    }

    /// <summary>The catalog's resources for a kind of step, with this configuration's overrides applied.</summary>
    public StepResources ResourcesFor(Profile profile, string kind)
    {
        var r = StepResourceCatalog.For(profile, kind);
        if (!Resources.TryGetValue(kind, out var o)) return r;
        var at = $"slurm.resources.{kind}";
        foreach (var (k, _) in o)
            if (k is not ("gpus" or "cpus" or "memory" or "time")) throw new BuildUsageException($"{at}.{k}: unknown; use gpus, cpus, memory, time");
        try
        {
            return r with
            {
                Gpus = Count(o, "gpus", at) ?? r.Gpus,
                Cpus = Count(o, "cpus", at) ?? r.Cpus,
                MemoryMb = o["memory"] is { } m ? StepResources.ParseMemoryMb(m.ToString()) : r.MemoryMb,
                Time = o["time"] is { } t ? StepResources.ParseTime(t.ToString()) : r.Time,
            };
        }
        catch (RecipeException e) { throw new BuildUsageException($"{at}: {e.Message}"); }
    }

    static string? Str(JsonObject o, string key) => o[key] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => string.IsNullOrWhiteSpace(s) ? null : s,
        _ => throw new BuildUsageException($"slurm.{key} must be a string"),
    };

    static int? Count(JsonObject o, string key, string at) => Number(o, key, at) switch
    {
        null => null,
        var d when d == Math.Floor(d.Value) && d <= 100_000 => (int)d,
        _ => throw new BuildUsageException($"{at}.{key} must be a whole number"),
    };

    static double? Number(JsonObject o, string key, string at = "slurm") => o[key] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<double>(out var d) && d >= 0 && double.IsFinite(d) => d,
        JsonValue v when v.TryGetValue<string>(out var s) && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d >= 0 && double.IsFinite(d) => d,
        _ => throw new BuildUsageException($"{at}.{key} must be a non-negative number"),
    };
}
