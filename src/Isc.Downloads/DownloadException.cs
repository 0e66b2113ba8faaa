namespace Isc.Downloads;

/// <summary>A download that cannot succeed as asked; the message says what, where and what to do.</summary>
public class DownloadException(string message, Exception? inner = null) : IOException(message, inner);

/// <summary>A failure worth retrying: timeout, dropped connection, 5xx, 408, 429.</summary>
public sealed class TransientDownloadException(string message, TimeSpan? retryAfter = null, Exception? inner = null)
    : IOException(message, inner)
{
    /// <summary>The wait the server asked for (Retry-After), if any.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}

/// <summary>The downloaded bytes do not match what the catalog or the lock file says they must be.</summary>
public sealed class VerificationException(string message) : DownloadException(message);
