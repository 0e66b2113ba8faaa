using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Isc.Downloads;

/// <summary>
/// One connection's worth of a download: request from the bytes on disk (Range + If-Range), follow Drive's
/// confirmation page, classify the answer (transient, permanent, HTML), stream the body into the part file.
/// Throws <see cref="TransientDownloadException"/> for anything worth retrying; the caller owns the retries.
/// </summary>
public sealed class HttpAttempt(HttpClient http, CookieContainer cookies, DriveResolver drive, DownloadOptions options)
{
    const int HtmlLimit = 1 << 20;
    const int SniffBytes = 1024;

    public async Task RunAsync(DownloadRequest request, string source, PartFile part, ProgressReporter progress, CancellationToken cancel)
    {
        try
        {
            await TransferAsync(request, source, part, progress, cancel);
        }
        catch (Exception e) when (e is HttpRequestException || (e is IOException && e is not DownloadException and not TransientDownloadException))
        {
            part.Rollback();
            throw new TransientDownloadException($"{request.DisplayName}: connection failed at {part.Committed:N0} bytes ({e.Message})", inner: e);
        }
        catch (TransientDownloadException)
        {
            part.Rollback();
            throw;
        }
    }

    async Task TransferAsync(DownloadRequest request, string source, PartFile part, ProgressReporter progress, CancellationToken cancel)
    {
        var isDrive = DriveResolver.IsDrive(source);
        var driveId = isDrive ? DriveResolver.IdOf(source) : null;
        var uri = isDrive ? drive.InitialUri(driveId!) : new Uri(source);

        for (var hop = 0; ; hop++)
        {
            using var response = await SendAsync(request, uri, part, cancel);
            ThrowIfTransient(request, response, uri);

            await using var body = await response.Content.ReadAsStreamAsync(cancel);
            var head = await ReadHeadAsync(request, body, SniffBytes, cancel);
            if (HtmlPage.Looks(response.Content.Headers.ContentType?.MediaType, head) && !ExpectsHtml(request.Destination))
            {
                var html = await ReadTextAsync(head, body, cancel);
                var pageUri = response.RequestMessage?.RequestUri ?? uri;
                if (isDrive && hop < 3 && DriveResolver.ConfirmUri(html, pageUri, cookies.GetAllCookies(), driveId!) is { } confirm)
                {
                    options.Log($"{request.DisplayName}: Drive asked for confirmation (large file); following it");
                    uri = confirm;
                    continue;
                }
                throw DriveResolver.HtmlInsteadOfFile(request.DisplayName, source,
                    $"HTTP {(int)response.StatusCode}, {(isDrive ? "Drive" : "the server")} says: {DriveResolver.Reason(html)}", request.Destination, request.LockKey);
            }
            if (!response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.RequestedRangeNotSatisfiable)
                throw new DownloadException($"{request.DisplayName}: {uri} answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}; check the source (or pass a mirror URL)");

            var total = CheckRange(request, response, part);
            if (total is { } t && part.Committed == t && response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable) return;
            if (request.Size is { } expected && total is { } announced && announced != expected)
                throw new VerificationException($"{request.DisplayName}: {uri} serves {announced:N0} bytes but {expected:N0} are expected; it is not the published file");

            part.SaveState(new PartState(source, StrongETag(response), response.Content.Headers.LastModified, total));
            await CopyBodyAsync(request, head, body, part, total, progress, cancel);
            return;
        }
    }

    async Task<HttpResponseMessage> SendAsync(DownloadRequest request, Uri uri, PartFile part, CancellationToken cancel)
    {
        var message = new HttpRequestMessage(HttpMethod.Get, uri);
        if (part.Committed > 0)
        {
            message.Headers.Range = new RangeHeaderValue(part.Committed, null);
            if (part.State?.ETag is { } etag) message.Headers.IfRange = new RangeConditionHeaderValue(etag);
            else if (part.State?.LastModified is { } modified) message.Headers.IfRange = new RangeConditionHeaderValue(modified);
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(options.ResponseTimeout);
        try
        {
            return await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            throw new TransientDownloadException($"{request.DisplayName}: no response from {uri.Host} within {options.ResponseTimeout.TotalSeconds:0.#} s");
        }
    }

    void ThrowIfTransient(DownloadRequest request, HttpResponseMessage response, Uri uri)
    {
        var code = (int)response.StatusCode;
        if (code is not (408 or 429) && code < 500) return;
        var wait = RetryAfter(response);
        if (wait > options.MaxRetryAfter)
            throw new DownloadException($"{request.DisplayName}: {uri.Host} answered HTTP {code} and asks to wait {wait.Value.TotalMinutes:0.#} minutes; try again later or use a mirror");
        throw new TransientDownloadException($"{request.DisplayName}: {uri.Host} answered HTTP {code} {response.ReasonPhrase}", wait);
    }

    static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta) return delta;
        if (header?.Date is { } date) return date - DateTimeOffset.UtcNow is var d && d > TimeSpan.Zero ? d : TimeSpan.Zero;
        return null;
    }

    /// <summary>Reconciles the answer with the bytes on disk; returns the file's total size when the server said it.</summary>
    long? CheckRange(DownloadRequest request, HttpResponseMessage response, PartFile part)
    {
        var range = response.Content.Headers.ContentRange;
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            if (range?.Length is { } whole && whole == part.Committed) return whole;
            options.Log($"{request.DisplayName}: the server refused to resume at {part.Committed:N0} bytes; starting over");
            part.Restart();
            throw new TransientDownloadException($"{request.DisplayName}: range not satisfiable; restarting from 0", TimeSpan.Zero);
        }
        if (response.StatusCode == HttpStatusCode.PartialContent)
        {
            if (range?.From != part.Committed)
            {
                part.Restart();
                throw new TransientDownloadException($"{request.DisplayName}: the server sent a range starting at {range?.From} instead of {part.Committed}; restarting from 0", TimeSpan.Zero);
            }
            return range.Length;
        }
        if (part.Committed > 0)
        {
            options.Log($"{request.DisplayName}: the server sent the whole file instead of resuming at {part.Committed:N0} bytes (range ignored or file changed); starting over");
            part.Restart();
        }
        return response.Content.Headers.ContentLength;
    }

    async Task CopyBodyAsync(DownloadRequest request, byte[] head, Stream body, PartFile part, long? total, ProgressReporter progress, CancellationToken cancel)
    {
        progress.Begin(part.Committed);
        await part.AppendAsync(head, cancel);
        var buffer = new byte[1 << 16];
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        while (true)
        {
            stall.CancelAfter(options.StallTimeout);
            int n;
            try
            {
                n = await body.ReadAsync(buffer, stall.Token);
            }
            catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
            {
                throw new TransientDownloadException($"{request.DisplayName}: no data for {options.StallTimeout.TotalSeconds:0.#} s at {part.Committed:N0} bytes");
            }
            if (n == 0) break;
            await part.AppendAsync(buffer.AsMemory(0, n), cancel);
            progress.Report(part.Committed, total);
        }
        if (total is { } t && part.Committed < t)
            throw new TransientDownloadException($"{request.DisplayName}: the connection closed at {part.Committed:N0} of {t:N0} bytes");
        if (total is { } u && part.Committed > u)
        {
            part.Restart();
            throw new TransientDownloadException($"{request.DisplayName}: received more bytes than the announced {u:N0}; restarting from 0");
        }
    }

    async Task<byte[]> ReadHeadAsync(DownloadRequest request, Stream body, int count, CancellationToken cancel)
    {
        var buffer = new byte[count];
        var filled = 0;
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        stall.CancelAfter(options.StallTimeout);
        try
        {
            while (filled < count)
            {
                var n = await body.ReadAsync(buffer.AsMemory(filled), stall.Token);
                if (n == 0) break;
                filled += n;
            }
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            throw new TransientDownloadException($"{request.DisplayName}: no data for {options.StallTimeout.TotalSeconds:0.#} s after the response headers");
        }
        return filled == count ? buffer : buffer[..filled];
    }

    static async Task<string> ReadTextAsync(byte[] head, Stream body, CancellationToken cancel)
    {
        using var all = new MemoryStream();
        all.Write(head);
        var buffer = new byte[1 << 14];
        int n;
        while (all.Length < HtmlLimit && (n = await body.ReadAsync(buffer, cancel)) > 0) all.Write(buffer, 0, n);
        return Encoding.UTF8.GetString(all.GetBuffer(), 0, (int)all.Length);
    }

    static string? StrongETag(HttpResponseMessage response) =>
        response.Headers.ETag is { IsWeak: false } etag ? etag.Tag : null;

    static bool ExpectsHtml(string destination) =>
        destination.EndsWith(".html", StringComparison.OrdinalIgnoreCase) || destination.EndsWith(".htm", StringComparison.OrdinalIgnoreCase);
}
