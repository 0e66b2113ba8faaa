using Isc.Recipe;

namespace Isc.Build.Graph;

/// <summary>
/// Everything that shapes the graph: a plain record, resolved by the host from the catalog, isc.json, isc.local.json and the
/// command line (in that order of precedence, last wins). The graph knows nothing of where a value came from.
/// </summary>
public sealed class BuildSettings
{
    public required string RepoRoot { get; init; }
    public required Profile Profile { get; init; }
    public required string ArtifactsRoot { get; init; }
    public string? TrainImages { get; init; }
    public string? OverlayImages { get; init; }
    public string? QueryImages { get; init; }
    public string? ReferenceImages { get; init; }
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

}
