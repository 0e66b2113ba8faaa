using Isc.Build.Host;
using Isc.Recipe;

namespace Isc.Build.Graph;

/// <summary>Everything that shapes the graph, resolved from catalog, isc.json and the command line (in that order of precedence, last wins).</summary>
public sealed class BuildSettings
{
    public required string RepoRoot { get; init; }
    public required Profile Profile { get; init; }
    public required string ArtifactsRoot { get; init; }
    public string? TrainImages { get; init; }
    public string? OverlayImages { get; init; }
    public string? Faces { get; init; }
    public bool DownloadDatasets { get; init; }
    public string? Device { get; init; }
    public int? Jobs { get; init; }
    public IReadOnlyDictionary<string, string> Files { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> Urls { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<(string Target, string Key, string Value)> Sets { get; init; } = [];

    /// <summary>
    /// The lock file where the hashes of downloaded/imported files are pinned: downloads.lock.json under the repository,
    /// unless isc.json's "downloadsLock" names another (a scratch build, a test).
    /// </summary>
    public string DownloadsLock => DownloadsLockOverride ?? Path.Combine(RepoRoot, "downloads.lock.json");

    public string? DownloadsLockOverride { get; init; }

    public static BuildSettings Resolve(string repoRoot, BuildConfig config, BuildOptions options)
    {
        var profile = Profiles.Get(options.Profile ?? config.Profile ?? "paper");
        var root = options.ArtifactsRoot is not null ? Path.GetFullPath(options.ArtifactsRoot)
            : config.Artifacts ?? Path.Combine(repoRoot, "artifacts");
        var mode = options.DatasetsMode ?? config.DatasetsMode ?? "generate";
        var files = new Dictionary<string, string>(config.Files, StringComparer.OrdinalIgnoreCase);
        foreach (var (k, v) in options.Files) files[k] = Path.GetFullPath(v);
        var urls = new Dictionary<string, string>(config.Urls, StringComparer.OrdinalIgnoreCase);
        foreach (var (k, v) in options.Urls) urls[k] = v;
        RefuseControlCharacters(root, options.ArtifactsRoot is not null ? "--artifacts" : "artifacts");
        RefuseControlCharacters(options.TrainImages ?? config.TrainImages, options.TrainImages is not null ? "--train-images" : "inputs.trainImages");
        RefuseControlCharacters(options.OverlayImages ?? config.OverlayImages, options.OverlayImages is not null ? "--overlay-images" : "inputs.overlayImages");
        RefuseControlCharacters(config.Faces, "inputs.faces");
        foreach (var (k, v) in files) RefuseControlCharacters(v, options.Files.ContainsKey(k) ? $"--file:{k}" : $"inputs.files.{k}");
        foreach (var (k, v) in urls) RefuseControlCharacters(v, options.Urls.ContainsKey(k) ? $"--url:{k}" : $"urls.{k}");
        return new BuildSettings
        {
            RepoRoot = repoRoot,
            Profile = profile,
            ArtifactsRoot = Path.Combine(root, profile.Name),
            TrainImages = options.TrainImages is not null ? Path.GetFullPath(options.TrainImages) : config.TrainImages,
            OverlayImages = options.OverlayImages is not null ? Path.GetFullPath(options.OverlayImages) : config.OverlayImages,
            Faces = config.Faces,
            DownloadDatasets = mode == "download",
            Device = options.Device ?? config.Device,
            Jobs = options.Jobs,
            Files = files,
            Urls = urls,
            Sets = [.. config.Sets, .. options.Sets],
            DownloadsLockOverride = config.DownloadsLock,
        };
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
