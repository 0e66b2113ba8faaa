using Isc.Recipe;

namespace Isc.Downloads;

/// <summary>
/// The recipe's text/emoji assets (<see cref="Assets.All"/>): AugLy's font into OUT/fonts/ and the 92 smileys into
/// OUT/smileys/, fetched concurrently (bounded) with the resumable downloader, checked against their lock file pins;
/// new pins are recorded by <see cref="Pin"/> only once every file has arrived verified.
/// </summary>
public static class AssetFetcher
{
    /// <param name="mirrorBase">Replaces AugLy's raw assets URL (a mirror with the same fonts/ and twemojis/smileys/ paths); null for AugLy.</param>
    public static IReadOnlyList<DownloadRequest> Requests(string outDir, string? mirrorBase = null) =>
        [.. Assets.All.Select(a => new DownloadRequest(
            [mirrorBase is null ? a.Published.Url! : mirrorBase.TrimEnd('/') + "/" + a.RemotePath],
            Path.Combine(outDir, a.LocalFolder, a.Published.FileName),
            a.Published.Sha256, a.Published.Size, a.LockKey))];

    public static async Task<IReadOnlyList<DownloadResult>> FetchAsync(string outDir, DownloadOptions options, HashLock? hashLock,
        string? mirrorBase = null, CancellationToken cancel = default)
    {
        using var downloader = new ResumableDownloader(options, hashLock);
        var requests = Requests(outDir, mirrorBase);
        var results = await BoundedDownloads.RunAsync(downloader, requests, options.MaxConcurrency, options.Log, cancel);
        // Reached only when every file arrived verified: the step's check is the whole set, so pins are recorded now, not per file.
        if (hashLock is not null && Pin(results, requests, hashLock) is var pinned and > 0)
            options.Log($"assets: pinned {pinned} new file(s) in {hashLock.Path}");
        options.Log($"assets: {results.Count} files in {Path.GetFullPath(outDir)} " +
                    $"({results.Count(r => r.AlreadyPresent)} already there, {ProgressReporter.Bytes(results.Sum(r => r.BytesTransferred))} downloaded)");
        return results;
    }

    /// <summary>Records the pins of a finished, fully verified fetch (results in request order); returns how many were new.</summary>
    static int Pin(IReadOnlyList<DownloadResult> results, IReadOnlyList<DownloadRequest> requests, HashLock hashLock)
    {
        var recorded = 0;
        foreach (var (result, request) in results.Zip(requests))
            if (request.LockKey is { } key && hashLock.RecordOrVerify(key, new LockEntry(result.Sha256, result.Size, result.Source, DateTimeOffset.UtcNow)))
                recorded++;
        return recorded;
    }
}
