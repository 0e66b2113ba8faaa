namespace Isc.Downloads;

/// <summary>Knobs of the downloader; the defaults suit real downloads, tests shrink the delays.</summary>
public sealed record DownloadOptions
{
    /// <summary>Retries after a transient failure (timeout, dropped connection, 5xx, 429) that made no progress.</summary>
    public int MaxRetries { get; init; } = 6;

    /// <summary>First back-off delay; doubles per retry, with jitter, up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>A Retry-After longer than this is not waited out: the download fails with the server's wait in the message.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Time allowed to receive the response headers.</summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>A body read that delivers nothing for this long counts as a dropped connection.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How often a progress line is printed per file.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Rounds of retries allowed in total, as long as each round made progress (a flaky link on a 20 GB zip); with MaxRetries = 0 there is one round.</summary>
    public int MaxProgressRounds { get; init; } = 50;

    /// <summary>Where gdrive:&lt;id&gt; sources are requested; tests point it at a loopback server.</summary>
    public Uri DriveBaseUri { get; init; } = new("https://drive.google.com/");

    /// <summary>Files fetched at once by <see cref="BoundedDownloads"/>.</summary>
    public int MaxConcurrency { get; init; } = 4;

    public string UserAgent { get; init; } = "isc-harness-downloader/1.0";

    /// <summary>Progress and log lines; Console.WriteLine unless replaced.</summary>
    public Action<string> Log { get; init; } = Console.WriteLine;
}
