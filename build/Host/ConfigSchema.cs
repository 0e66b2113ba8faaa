using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Isc.Build.Executors;
using Isc.Recipe;

namespace Isc.Build.Host;

/// <summary>
/// The shape of one configuration file (isc.json, isc.local.json or a --config file): every key known, every
/// value of the right type, every "set" value a valid setting. A mistake is an error naming the file and the
/// key path (e.g. <c>inputs.trainImages</c>) instead of a setting silently ignored.
/// </summary>
public static partial class ConfigSchema
{
    static readonly string[] TopLevel = ["profile", "artifacts", "inputs", "datasets", "device", "urls", "set", "slurm", "downloadsLock"];
    static readonly string[] Inputs = ["trainImages", "overlayImages", "faces", "files"];

    public static void Check(JsonObject o, string file)
    {
        void Fail(string message) => throw new BuildUsageException($"configuration file {file}: {message}");

        Known(o, "", TopLevel, Fail);
        OptionalString(o, "profile", "profile", Fail, profile =>
            Profiles.All.Any(p => string.Equals(p.Name, profile, StringComparison.OrdinalIgnoreCase))
                ? null : $"one of {string.Join(", ", Profiles.All.Select(p => $"\"{p.Name}\""))}");
        OptionalString(o, "artifacts", "artifacts", Fail);
        OptionalString(o, "downloadsLock", "downloadsLock", Fail);
        OptionalString(o, "datasets", "datasets", Fail, mode => mode is "generate" or "download" ? null : "\"generate\" or \"download\"");
        OptionalString(o, "device", "device", Fail, device => Device().IsMatch(device) ? null : "\"cpu\", \"cuda\" or \"cuda:N\"");
        if (Section(o, "inputs", "inputs", Fail) is { } inputs)
        {
            Known(inputs, "inputs.", Inputs, Fail);
            foreach (var key in Inputs.Where(k => k != "files")) OptionalString(inputs, key, $"inputs.{key}", Fail);
            StringMap(Section(inputs, "files", "inputs.files", Fail), "inputs.files", Fail);
        }
        StringMap(Section(o, "urls", "urls", Fail), "urls", Fail);
        if (Section(o, "set", "set", Fail) is { } sets)
            foreach (var (target, settings) in sets)
            {
                var at = $"set.{target}";
                if (settings is not JsonObject values) { Fail($"{at} must be an object of setting overrides, e.g. {{ \"seed\": 3 }}, got {Describe(settings)}"); return; }
                var records = RecordsFor(target);
                if (records.Length == 0)
                    Fail($"{at}: {target} has no settings; settings belong to Source, Overlays, Dataset:<name>, Train:<run> and the groups Datasets, Trainings");
                foreach (var (key, value) in values)
                {
                    if (value is not JsonValue v || v.GetValueKind() is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False))
                    {
                        Fail($"{at}.{key} must be a number, string or true/false, got {Describe(value)}");
                        return;
                    }
                    var text = v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString();
                    if (records.FirstOrDefault(r => SettingsParams.Has(r, key)) is not { } record)
                        Fail($"{at}.{key}: '{key}' is not a setting of {string.Join(" or ", records.Select(r => r.Name))}");
                    else if (SettingsParams.ValueProblem(record, key, text) is { } problem)
                        Fail($"{at}.{key}: {problem}");
                }
            }
        if (Section(o, "slurm", "slurm", Fail) is { } slurm)
        {
            try { SlurmConfig.Parse(slurm); }
            catch (BuildUsageException e) { Fail(e.Message); }
        }
    }

    /// <summary>The settings records a --set / "set" target reaches (none: the target has no settings).</summary>
    public static Type[] RecordsFor(string target) =>
        target.Equals("Datasets", StringComparison.OrdinalIgnoreCase) || target.StartsWith("Dataset:", StringComparison.OrdinalIgnoreCase) ? [typeof(GenerationSettings)]
        : target.Equals("Trainings", StringComparison.OrdinalIgnoreCase) || target.StartsWith("Train:", StringComparison.OrdinalIgnoreCase) ? [typeof(TrainingSettings), typeof(ModelSettings)]
        : target.Equals("Source", StringComparison.OrdinalIgnoreCase) || target.Equals("Overlays", StringComparison.OrdinalIgnoreCase) ? [typeof(SourceSettings)]
        : [];

    /// <summary>Copies <paramref name="from"/> into <paramref name="into"/> key by key: objects merge recursively, anything else replaces.</summary>
    public static void Merge(JsonObject into, JsonObject from)
    {
        foreach (var (key, value) in from)
        {
            if (into[key] is JsonObject a && value is JsonObject b) Merge(a, b);
            else into[key] = value?.DeepClone();
        }
    }

    static void Known(JsonObject o, string prefix, string[] known, Action<string> fail)
    {
        foreach (var (key, _) in o)
            if (!known.Contains(key, StringComparer.Ordinal))
                fail($"unknown key \"{prefix}{key}\"; known {(prefix == "" ? "top-level keys" : $"keys of {prefix.TrimEnd('.')}")}: {string.Join(", ", known)}");
    }

    static JsonObject? Section(JsonObject o, string key, string path, Action<string> fail) => o[key] switch
    {
        null => null,
        JsonObject s => s,
        var other => Throw<JsonObject>(fail, $"{path} must be an object, got {Describe(other)}"),
    };

    static void OptionalString(JsonObject o, string key, string path, Action<string> fail, Func<string, string?>? accepted = null)
    {
        if (o[key] is null) return;
        if (o[key] is not JsonValue v || v.GetValueKind() != JsonValueKind.String) { fail($"{path} must be a string or null, got {Describe(o[key])}"); return; }
        if (accepted?.Invoke(v.GetValue<string>()) is { } expected) fail($"{path} must be {expected}, got {Describe(v)}");
    }

    static void StringMap(JsonObject? o, string path, Action<string> fail)
    {
        foreach (var (key, value) in o ?? [])
            if (value is not JsonValue v || v.GetValueKind() != JsonValueKind.String)
                fail($"{path}.{key} must be a string, got {Describe(value)}");
    }

    static string Describe(JsonNode? n) => n switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "a list",
        JsonValue v => $"{v.ToJsonString()} ({v.GetValueKind().ToString().ToLowerInvariant()})",
        _ => n.ToJsonString(),
    };

    static T Throw<T>(Action<string> fail, string message) { fail(message); return default!; }

    [GeneratedRegex(@"^(cpu|cuda(:\d+)?)$")]
    private static partial Regex Device();
}
