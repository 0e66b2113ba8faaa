using Isc.Build.Core;
using Isc.Build.Graph;
using Isc.Recipe;

namespace Isc.Build.Host;

/// <summary>
/// Layers the options: each one's catalog default, then the configuration files, then the command line (last wins),
/// into the plain <see cref="BuildSettings"/> the graph takes. Every path and URL is checked here, named by the layer it came from.
/// </summary>
public static class SettingsResolver
{
    public static BuildSettings Resolve(string repoRoot, OptionLayer config, BuildOptions options)
    {
        var command = options.Layer;
        OptionLayer? From(string name) => command[name] is not null ? command : config[name] is not null ? config : null;
        string? Pick(string name) => From(name)?[name];

        foreach (var option in OptionCatalog.All.Where(o => o.ConfigKey is not null))
        {
            if (option.Type == OptionType.Path && From(option.Name) is { } layer) RefuseControlCharacters(layer[option.Name], layer.SourceOf(option));
            if (option.IsPerArtifact)
                foreach (var (artifact, value) in Merged(option, config, command))
                    RefuseControlCharacters(value, (command.MapOf(option).ContainsKey(artifact) ? command : config).SourceOf(option, artifact));
        }
        var profile = Profiles.Get(Pick("profile") ?? OptionCatalog.Named("profile").Default!);
        var root = Pick("artifacts") ?? Path.Combine(repoRoot, OptionCatalog.Named("artifacts").Default!);
        return new BuildSettings
        {
            RepoRoot = repoRoot,
            Profile = profile,
            ArtifactsRoot = Path.Combine(root, profile.Name),
            TrainImages = Pick("train-images"),
            OverlayImages = Pick("overlay-images"),
            QueryImages = Pick("query-images"),
            ReferenceImages = Pick("reference-images"),
            Faces = Pick("faces"),
            DownloadDatasets = (Pick("datasets") ?? OptionCatalog.Named("datasets").Default) == "download",
            Device = Pick("device"),
            Jobs = options.Jobs,
            Files = Merged(OptionCatalog.Named("file"), config, command),
            Urls = Merged(OptionCatalog.Named("url"), config, command),
            Sets = [.. config.Sets, .. command.Sets],
            DownloadsLockOverride = Pick("downloadsLock"),
        };
    }

    /// <summary>A per-artifact option (--file:, --url:): the configuration's entries, the command line's replacing theirs.</summary>
    static Dictionary<string, string> Merged(BuildOption option, OptionLayer config, OptionLayer command)
    {
        var merged = new Dictionary<string, string>(config.MapOf(option), StringComparer.OrdinalIgnoreCase);
        foreach (var (k, v) in command.MapOf(option)) merged[k] = v;
        return merged;
    }

    /// <summary>
    /// Paths end up in logs, step specs and Slurm job scripts, where a newline would start a new line: refuse any
    /// control character (newline, tab, escape, ...) before anything is written.
    /// </summary>
    static void RefuseControlCharacters(string? value, string setting)
    {
        if (value is null || !value.Any(char.IsControl)) return;
        var shown = string.Concat(value.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
        var first = value.First(char.IsControl);
        throw new BuildUsageException($"{setting}: '{shown}' contains the control character U+{(int)first:X4}; " +
            $"paths and URLs with control characters are refused. Fix {setting} (or rename the folder).");
    }
}
