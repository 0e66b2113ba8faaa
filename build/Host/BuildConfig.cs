using System.Text.Json;
using System.Text.Json.Nodes;
using Isc.Build.Core;

namespace Isc.Build.Host;

/// <summary>
/// isc.json at the repository root (and isc.local.json beside it, git-ignored, for a machine's own paths):
/// where the inputs live and which settings differ from the catalog. Command-line options override both.
/// Each file is checked against <see cref="ConfigSchema"/> (unknown keys and wrong types are errors), then
/// merged into the ones before it key by key, and read into an <see cref="OptionLayer"/> by <see cref="OptionCatalog"/>'s keys.
/// </summary>
public static class BuildConfig
{
    /// <summary>No configuration file: every option at the catalog's default unless the command line sets it.</summary>
    public static OptionLayer Empty => new(commandLine: false);

    public static OptionLayer Load(string repoRoot, string? explicitPath)
    {
        var paths = explicitPath is not null
            ? [Path.GetFullPath(explicitPath)]
            : new[] { Path.Combine(repoRoot, "isc.json"), Path.Combine(repoRoot, "isc.local.json") };
        if (explicitPath is not null && !File.Exists(paths[0]))
            throw new BuildUsageException($"configuration file {paths[0]} (--config) does not exist");
        var merged = new JsonObject();
        foreach (var path in paths.Where(File.Exists))
        {
            JsonNode? node;
            try { node = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }); }
            catch (JsonException e) { throw new BuildUsageException($"configuration file {path} is not valid JSON: {e.Message}"); }
            if (node is not JsonObject obj) throw new BuildUsageException($"configuration file {path} must hold a JSON object");
            ConfigSchema.Check(obj, path);
            // isc.local.json overrides isc.json key by key: a local "inputs.trainImages" keeps isc.json's "inputs.files".
            ConfigSchema.Merge(merged, obj);
        }
        return FromJson(merged, repoRoot);
    }

    /// <summary>Reads each option's key (checked already); paths are relative to the repository.</summary>
    static OptionLayer FromJson(JsonObject o, string repoRoot)
    {
        string? Str(JsonNode? n) => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        string? PathOf(JsonNode? n) => Str(n) is { } s ? Path.GetFullPath(Path.Combine(repoRoot, s)) : null;
        var layer = new OptionLayer(commandLine: false);
        foreach (var option in OptionCatalog.All.Where(x => x.ConfigKey is not null))
        {
            var parts = option.ConfigKey!.Split('.');
            var parent = o;
            foreach (var part in parts[..^1]) parent = parent[part] as JsonObject ?? [];
            var node = parent[parts[^1]];
            switch (option.Type)
            {
                case OptionType.ArtifactPath or OptionType.ArtifactUrl:
                    foreach (var (k, v) in node as JsonObject ?? [])
                        if ((option.Type == OptionType.ArtifactPath ? PathOf(v) : Str(v)) is { } value) layer.MapOf(option)[k] = value;
                    break;
                case OptionType.Setting:
                    foreach (var (target, settings) in node as JsonObject ?? [])
                        foreach (var (key, value) in settings as JsonObject ?? [])
                            layer.Sets.Add((target, key, value is JsonValue v && v.GetValueKind() != JsonValueKind.String ? v.ToJsonString() : value?.ToString() ?? ""));
                    break;
                case OptionType.Section:
                    if (node is JsonObject section) layer.Sections[option.Name] = section;
                    break;
                default:
                    if ((option.Type == OptionType.Path ? PathOf(node) : Str(node)) is { } text) layer.Set(option, text);
                    break;
            }
        }
        return layer;
    }
}
