using System.Text.Json;
using System.Text.Json.Nodes;
using Isc.Build.Core;
using Isc.Recipe;

namespace Isc.Build.Host;

/// <summary>
/// The shape of one configuration file (isc.json, isc.local.json or a --config file): every key known, every
/// value of the right type, every "set" value a valid setting. A mistake is an error naming the file and the
/// key path (e.g. <c>inputs.trainImages</c>) instead of a setting silently ignored.
/// </summary>
public static class ConfigSchema
{
    /// <summary>The keys a configuration object may hold: "" for the top level, "inputs" for the inputs section, by <see cref="OptionCatalog"/>.</summary>
    public static string[] KeysOf(string section) =>
        [.. OptionCatalog.All.Select(o => o.ConfigKey).OfType<string>()
            .Where(k => section == "" ? true : k.StartsWith(section + ".", StringComparison.Ordinal))
            .Select(k => (section == "" ? k : k[(section.Length + 1)..]).Split('.')[0]).Distinct()];

    public static void Check(JsonObject o, string file)
    {
        void Fail(string message) => throw new BuildUsageException($"configuration file {file}: {message}");

        Known(o, "", KeysOf(""), Fail);
        foreach (var option in OptionCatalog.All.Where(x => x.ConfigKey is not null))
        {
            var parts = option.ConfigKey!.Split('.');
            JsonObject? parent = o;
            for (var i = 0; i < parts.Length - 1 && parent is not null; i++)
            {
                var section = string.Join('.', parts[..(i + 1)]);
                parent = Section(parent, parts[i], section, Fail);
                if (parent is not null) Known(parent, section + ".", KeysOf(section), Fail);
            }
            if (parent is null) continue;
            var (key, path) = (parts[^1], option.ConfigKey);
            switch (option.Type)
            {
                case OptionType.Choice:
                    OptionalString(parent, key, path, Fail, value => option.IsAccepted(value) ? null : option.Expected('"'));
                    break;
                case OptionType.ArtifactPath or OptionType.ArtifactUrl:
                    StringMap(Section(parent, key, path, Fail), path, Fail);
                    break;
                case OptionType.Setting:
                    CheckSets(Section(parent, key, path, Fail), path, Fail);
                    break;
                case OptionType.Section:
                    if (Section(parent, key, path, Fail) is { } s)
                    {
                        try { option.CheckSection?.Invoke(s); }
                        catch (BuildUsageException e) { Fail(e.Message); }
                    }
                    break;
                default:
                    OptionalString(parent, key, path, Fail);
                    break;
            }
        }
    }

    static void CheckSets(JsonObject? sets, string path, Action<string> fail)
    {
        foreach (var (target, settings) in sets ?? [])
        {
            var at = $"{path}.{target}";
            if (settings is not JsonObject values) { fail($"{at} must be an object of setting overrides, e.g. {{ \"seed\": 3 }}, got {Describe(settings)}"); return; }
            if (NoSettings(target) is { } none) fail($"{at}: {none}");
            var records = SettingOverrides.RecordsOf(target).Select(SettingOverrides.TypeOf).ToArray();
            foreach (var (key, value) in values)
            {
                if (value is not JsonValue v || v.GetValueKind() is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False))
                {
                    fail($"{at}.{key} must be a number, string or true/false, got {Describe(value)}");
                    return;
                }
                var text = v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString();
                if (records.FirstOrDefault(r => SettingsParams.Has(r, key)) is not { } record)
                    fail($"{at}.{key}: '{key}' is not a setting of {string.Join(" or ", records.Select(r => r.Name))}");
                else if (SettingsParams.ValueProblem(record, key, text) is { } problem)
                    fail($"{at}.{key}: {problem}");
            }
        }
    }

    /// <summary>
    /// Why a "set" (isc.json) or --set aimed at <paramref name="target"/> would change nothing: the target has no settings
    /// (<see cref="SettingOverrides.RecordsOf"/>, the recipe's one answer); null when it has some.
    /// </summary>
    public static string? NoSettings(string target) => SettingOverrides.RecordsOf(target).Length > 0 ? null :
        $"{target} has no settings; settings belong to Source, Overlays, Dataset:<name>, Train:<run> and the groups Datasets, Trainings";

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
}
