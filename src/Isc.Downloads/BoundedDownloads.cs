namespace Isc.Downloads;

/// <summary>Runs several downloads at once, at most <see cref="DownloadOptions.MaxConcurrency"/> in flight; all are attempted, failures reported together.</summary>
public static class BoundedDownloads
{
    public static async Task<IReadOnlyList<DownloadResult>> RunAsync(ResumableDownloader downloader, IReadOnlyList<DownloadRequest> requests,
        int maxConcurrency, Action<string> log, CancellationToken cancel = default)
    {
        if (maxConcurrency < 1) throw new ArgumentOutOfRangeException(nameof(maxConcurrency), "at least one download must be allowed at a time");
        var results = new DownloadResult?[requests.Count];
        var failures = new System.Collections.Concurrent.ConcurrentBag<(int Index, Exception Error)>();
        var done = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, requests.Count),
            new ParallelOptions { MaxDegreeOfParallelism = maxConcurrency, CancellationToken = cancel },
            async (i, ct) =>
            {
                try
                {
                    results[i] = await downloader.DownloadAsync(requests[i], ct);
                }
                catch (IOException e)
                {
                    failures.Add((i, e));
                }
                var n = Interlocked.Increment(ref done);
                log($"files: {n}/{requests.Count} done{(failures.IsEmpty ? "" : $", {failures.Count} failed")}");
            });
        if (!failures.IsEmpty)
            throw new DownloadException($"{failures.Count} of {requests.Count} downloads failed:\n  " +
                string.Join("\n  ", failures.OrderBy(f => f.Index).Select(f => f.Error.Message)));
        return results!;
    }
}
