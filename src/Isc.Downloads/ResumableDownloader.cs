using System.Diagnostics;
using System.Net;
using Polly;
using Polly.Retry;

namespace Isc.Downloads;

/// <summary>
/// Fetches one file with all the guarantees: resumes from <c>DEST.part</c>, retries transient failures with
/// back-off and jitter (Polly; Retry-After honoured), follows Drive's confirmation page, refuses HTML, verifies
/// size and SHA-256 (catalog, command line, an existing lock file pin) and only then renames to DEST. Thread-safe: one instance
/// can serve concurrent downloads of different files.
/// </summary>
public sealed class ResumableDownloader : IDisposable
{
    readonly DownloadOptions _options;
    readonly HashLock? _lock;
    readonly HttpClient _http;
    readonly HttpAttempt _attempt;

    public ResumableDownloader(DownloadOptions options, HashLock? hashLock = null)
    {
        _options = options;
        _lock = hashLock;
        var cookies = new CookieContainer();
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = 10,
            UseCookies = true,
            CookieContainer = cookies,
            AutomaticDecompression = DecompressionMethods.None, // ranges count bytes of the file itself
            ConnectTimeout = options.ResponseTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd(options.UserAgent);
        _attempt = new HttpAttempt(_http, cookies, new DriveResolver(options.DriveBaseUri), options);
    }

    public async Task<DownloadResult> DownloadAsync(DownloadRequest request, CancellationToken cancel = default)
    {
        if (request.Sources.Count == 0) throw new DownloadException($"{request.DisplayName}: no source to download from");
        var destination = Path.GetFullPath(request.Destination);
        request = request with { Destination = destination };
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        var verifier = new FileVerifier(request, _lock);

        if (File.Exists(destination)) return await ExistingAsync(request, verifier, cancel);

        var failures = new List<DownloadException>();
        foreach (var source in request.Sources)
        {
            try
            {
                return await FromSourceAsync(request, source, verifier, cancel);
            }
            catch (DownloadException e) when (request.Sources.Count > 1)
            {
                _options.Log($"{request.DisplayName}: {source} failed: {e.Message}");
                failures.Add(e);
            }
        }
        throw new DownloadException($"{request.DisplayName}: every source failed:\n  " + string.Join("\n  ", failures.Select(f => f.Message)));
    }

    async Task<DownloadResult> ExistingAsync(DownloadRequest request, FileVerifier verifier, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        var size = new FileInfo(request.Destination).Length;
        var sha = await FileHash.Sha256Async(request.Destination, cancel);
        try
        {
            verifier.Check(sha, size, $"the existing {request.Destination}");
        }
        catch (VerificationException e)
        {
            throw new VerificationException(e.Message + $". Delete {request.Destination} to download it again.");
        }
        _options.Log($"{request.DisplayName}: already present and verified ({ProgressReporter.Bytes(size)}, sha256 {sha})");
        return new DownloadResult(request.Destination, size, sha, "existing file", 0, clock.Elapsed, AlreadyPresent: true);
    }

    async Task<DownloadResult> FromSourceAsync(DownloadRequest request, string source, FileVerifier verifier, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        var part = await PartFile.OpenAsync(request.Destination, source, _options.Log, cancel);
        try
        {
            var startBytes = part.Committed;
            if (startBytes > 0) _options.Log($"{request.DisplayName}: resuming at {startBytes:N0} bytes from {part.Path}");
            else _options.Log($"{request.DisplayName}: downloading from {source}");
            var progress = new ProgressReporter(request.DisplayName, _options.Log, _options.ProgressInterval);
            var pipeline = RetryPipeline(request);

            for (var round = 1; ; round++)
            {
                var before = part.Committed;
                try
                {
                    await pipeline.ExecuteAsync(async ct => await _attempt.RunAsync(request, source, part, progress, ct), cancel);
                    break;
                }
                catch (TransientDownloadException e) when (part.Committed > before && round < _options.MaxProgressRounds && _options.MaxRetries > 0)
                {
                    _options.Log($"{e.Message}; retries exhausted but bytes arrived, starting another round ({round + 1}/{_options.MaxProgressRounds})");
                }
                catch (TransientDownloadException e)
                {
                    throw new DownloadException(
                        $"{e.Message}. Gave up after {_options.MaxRetries} retries; {part.Committed:N0} bytes are kept in {part.Path} and the next run resumes from them.", e);
                }
            }

            var sha = part.Finish();
            var size = part.Committed;
            try
            {
                verifier.Check(sha, size, $"the download from {source}");
            }
            catch (VerificationException e)
            {
                var rejected = await part.RejectAsync(request.Destination);
                throw new VerificationException($"{e.Message}. The bytes were moved to {rejected}; nothing was saved as {request.Destination}.");
            }
            await part.PromoteAsync(request.Destination);
            var received = part.Received;
            _options.Log($"{request.DisplayName}: done, {ProgressReporter.Bytes(size)} in {ProgressReporter.Duration(clock.Elapsed)} " +
                         $"({ProgressReporter.Bytes((long)(received / Math.Max(clock.Elapsed.TotalSeconds, 1e-3)))}/s), sha256 {sha}" +
                         $" -> {request.Destination}");
            return new DownloadResult(request.Destination, size, sha, source, received, clock.Elapsed, AlreadyPresent: false);
        }
        catch (DownloadException) when (part.Committed == 0)
        {
            await part.DeleteAsync(); // an HTML page or an error before any byte: leave nothing behind
            throw;
        }
        finally
        {
            await part.DisposeAsync();
        }
    }

    ResiliencePipeline RetryPipeline(DownloadRequest request) => _options.MaxRetries <= 0 ? ResiliencePipeline.Empty : new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<TransientDownloadException>(),
            MaxRetryAttempts = _options.MaxRetries,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = _options.BaseDelay,
            MaxDelay = _options.MaxDelay,
            DelayGenerator = args => new ValueTask<TimeSpan?>(
                args.Outcome.Exception is TransientDownloadException { RetryAfter: { } wait } ? wait : null),
            OnRetry = args =>
            {
                _options.Log($"{args.Outcome.Exception?.Message}; retry {args.AttemptNumber + 1}/{_options.MaxRetries} in {args.RetryDelay.TotalSeconds:0.##} s");
                return default;
            },
        })
        .Build();

    public void Dispose() => _http.Dispose();
}
