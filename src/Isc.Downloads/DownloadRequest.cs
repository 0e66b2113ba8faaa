namespace Isc.Downloads;

/// <summary>One file to fetch: its sources (tried in order), where it goes and what it must be.</summary>
/// <param name="Sources">http(s) URLs or gdrive:&lt;id&gt;; the first that yields a verified file wins.</param>
/// <param name="Destination">Final path; bytes accumulate in <c>Destination.part</c> and are renamed only once verified.</param>
/// <param name="Sha256">Known SHA-256 (hex), e.g. from the catalog; null if unknown.</param>
/// <param name="Size">Known size in bytes; null if unknown.</param>
/// <param name="LockKey">Key in the hash lock file: a pinned hash there must match; pinning is a separate, later step (<see cref="HashLock.Pin"/>).</param>
public sealed record DownloadRequest(
    IReadOnlyList<string> Sources,
    string Destination,
    string? Sha256 = null,
    long? Size = null,
    string? LockKey = null)
{
    /// <summary>The name used in progress and error lines.</summary>
    public string DisplayName => LockKey ?? Path.GetFileName(Destination);

    public static DownloadRequest Single(string source, string destination, string? sha256 = null, long? size = null, string? lockKey = null) =>
        new([source], destination, sha256, size, lockKey);
}

/// <summary>A verified file at its destination.</summary>
/// <param name="BytesTransferred">Bytes received over the network by this call (0 when the file was already there or came from a local file).</param>
public sealed record DownloadResult(
    string Path,
    long Size,
    string Sha256,
    string Source,
    long BytesTransferred,
    TimeSpan Elapsed,
    bool AlreadyPresent);
