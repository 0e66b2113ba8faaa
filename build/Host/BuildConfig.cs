using System.Text.Json;
using System.Text.Json.Nodes;

namespace Isc.Build.Host;

/// <summary>
/// isc.json at the repository root (and isc.local.json beside it, git-ignored, for a machine's own paths):
/// where the inputs live and which settings differ from the catalog. Command-line options override both.
/// Each file is checked against <see cref="ConfigSchema"/> (unknown keys and wrong types are errors), then
/// merged into the ones before it key by key.
/// </summary>
public sealed class BuildConfig
{
    public string? Profile { get; init; }
    public string? Artifacts { get; init; }
    public string? TrainImages { get; init; }
    public string? OverlayImages { get; init; }
    public string? Faces { get; init; }
    public string? DatasetsMode { get; init; }
    public string? Device { get; init; }
    /// <summary>"downloadsLock": the lock file of pinned download hashes (default: downloads.lock.json in the repository).</summary>
    public string? DownloadsLock { get; init; }
    public Dictionary<string, string> Files { get; init; } = new(StringComparer.OrdinalIgnoreCase);
    public Dictionary<string, string> Urls { get; init; } = new(StringComparer.OrdinalIgnoreCase);
    public List<(string Target, string Key, string Value)> Sets { get; init; } = [];
    /// <summary>The "slurm" section, read by <see cref="Executors.SlurmConfig"/> when --executor=slurm.</summary>
    public JsonObject? Slurm { get; init; }

    public static BuildConfig Load(string repoRoot, string? explicitPath)
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

    static BuildConfig FromJson(JsonObject o, string repoRoot)
    {
        string? Str(JsonNode? n) => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        string? PathOf(JsonNode? n) => Str(n) is { } s ? Path.GetFullPath(Path.Combine(repoRoot, s)) : null;
        var inputs = o["inputs"] as JsonObject ?? [];
        var files = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (k, v) in inputs["files"] as JsonObject ?? []) if (PathOf(v) is { } p) files[k] = p;
        var urls = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (k, v) in o["urls"] as JsonObject ?? []) if (Str(v) is { } u) urls[k] = u;
        var sets = new List<(string, string, string)>();
        foreach (var (target, settings) in o["set"] as JsonObject ?? [])
            foreach (var (key, value) in settings as JsonObject ?? [])
                sets.Add((target, key, value is JsonValue v && v.GetValueKind() != JsonValueKind.String ? v.ToJsonString() : value?.ToString() ?? ""));
        return new BuildConfig
        {
            Profile = Str(o["profile"]),
            Artifacts = PathOf(o["artifacts"]),
            TrainImages = PathOf(inputs["trainImages"]),
            OverlayImages = PathOf(inputs["overlayImages"]),
            Faces = PathOf(inputs["faces"]),
            DatasetsMode = Str(o["datasets"]),
            Device = Str(o["device"]),
            DownloadsLock = PathOf(o["downloadsLock"]),
            Files = files,
            Urls = urls,
            Sets = sets,
            Slurm = o["slurm"] as JsonObject,
        };
    }
}
