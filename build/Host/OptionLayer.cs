using System.Text.Json.Nodes;

namespace Isc.Build.Host;

/// <summary>
/// The values one layer sets, by option (<see cref="OptionCatalog"/>): the configuration files (isc.json with
/// isc.local.json merged into it) or the command line. <see cref="SettingsResolver"/> layers them over the catalog's defaults.
/// </summary>
public sealed class OptionLayer(bool commandLine)
{
    readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public bool IsCommandLine => commandLine;

    /// <summary>The value of an option (by its <see cref="BuildOption.Name"/>) in this layer, or null when it sets none.</summary>
    public string? this[string name] => _values.GetValueOrDefault(name);

    public void Set(BuildOption option, string value) => _values[option.Name] = value;

    /// <summary>--file:ARTIFACT / inputs.files: full paths.</summary>
    public Dictionary<string, string> Files { get; } = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>--url:ARTIFACT / urls.</summary>
    public Dictionary<string, string> Urls { get; } = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>--set / "set": (target, setting, value), in the order given.</summary>
    public List<(string Target, string Key, string Value)> Sets { get; } = [];
    /// <summary>Configuration sections read by their own readers ("slurm").</summary>
    public Dictionary<string, JsonObject> Sections { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> MapOf(BuildOption option) => option.Type == OptionType.ArtifactPath ? Files : Urls;

    /// <summary>How a user names where this layer's value of an option comes from: "--train-images" or "inputs.trainImages".</summary>
    public string SourceOf(BuildOption option, string? artifact = null) =>
        commandLine ? (artifact is null ? $"--{option.Name}" : $"--{option.Name}:{artifact}")
                    : (artifact is null ? option.ConfigKey! : $"{option.ConfigKey}.{artifact}");
}
