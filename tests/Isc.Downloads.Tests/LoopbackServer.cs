using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Isc.Downloads.Tests;

/// <summary>A request as the loopback server saw it.</summary>
public sealed record SeenRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers)
{
    public string Path => PathAndQuery.Split('?')[0];
    public string Query => PathAndQuery.Contains('?') ? PathAndQuery[(PathAndQuery.IndexOf('?') + 1)..] : "";
    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var v) ? v : null;

    /// <summary>The start of a "Range: bytes=N-" header, or null.</summary>
    public long? RangeStart => Header("range") is { } r && r.StartsWith("bytes=", StringComparison.Ordinal) && r.EndsWith('-')
        ? long.Parse(r[6..^1]) : null;
}

/// <summary>What the server answers. <see cref="DropAfter"/> closes the connection after that many body bytes (short of Content-Length); <see cref="StallAfter"/> stops sending but keeps it open.</summary>
public sealed record Reply(int Status, byte[] Body, IReadOnlyList<(string Name, string Value)> Headers)
{
    public int? DropAfter { get; init; }
    public int? StallAfter { get; init; }
    public TimeSpan Delay { get; init; }

    public static Reply Bytes(byte[] body, string contentType = "application/octet-stream") =>
        new(200, body, [("Content-Type", contentType)]);

    public static Reply Html(int status, string html, params (string, string)[] headers) =>
        new(status, Encoding.UTF8.GetBytes(html), [("Content-Type", "text/html; charset=utf-8"), .. headers]);

    public static Reply Code(int status, params (string, string)[] headers) =>
        new(status, Encoding.UTF8.GetBytes($"status {status}"), [("Content-Type", "text/plain"), .. headers]);

    /// <summary>The file, honouring "Range: bytes=N-" with a 206 like a real server.</summary>
    public static Reply File(SeenRequest request, byte[] file, string? etag = "\"v1\"")
    {
        List<(string, string)> headers = [("Content-Type", "application/octet-stream"), ("Accept-Ranges", "bytes")];
        if (etag is not null) headers.Add(("ETag", etag));
        if (request.RangeStart is { } start && (request.Header("if-range") is null || request.Header("if-range") == etag))
        {
            if (start >= file.Length)
                return new Reply(416, [], [("Content-Range", $"bytes */{file.Length}")]);
            headers.Add(("Content-Range", $"bytes {start}-{file.Length - 1}/{file.Length}"));
            return new Reply(206, file[(int)start..], headers);
        }
        return new Reply(200, file, headers);
    }
}

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1 (one request per connection), written for the tests because it must do
/// what real servers do badly on purpose: drop a connection midway, stall, answer 429/503, play Google Drive.
/// </summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    readonly Func<SeenRequest, int, Reply> _handler;
    readonly CancellationTokenSource _stop = new();
    readonly Task _loop;
    int _count, _inFlight, _maxInFlight;

    public ConcurrentQueue<SeenRequest> Requests { get; } = new();
    public Uri BaseUri { get; }
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);
    public int Count => Volatile.Read(ref _count);

    /// <param name="handler">Gets the request and its 0-based number; returns the reply.</param>
    public LoopbackServer(Func<SeenRequest, int, Reply> handler)
    {
        _handler = handler;
        _listener.Start();
        BaseUri = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _loop = Task.Run(AcceptLoop);
    }

    public Uri Url(string pathAndQuery) => new(BaseUri, pathAndQuery);

    async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) { return; }
            _ = Task.Run(() => Serve(client));
        }
    }

    async Task Serve(TcpClient client)
    {
        using var _ = client;
        var now = Interlocked.Increment(ref _inFlight);
        for (var max = MaxInFlight; now > max; max = MaxInFlight)
            if (Interlocked.CompareExchange(ref _maxInFlight, now, max) == max) break;
        try
        {
            var stream = client.GetStream();
            var request = await ReadRequest(stream);
            if (request is null) return;
            Requests.Enqueue(request);
            var reply = _handler(request, Interlocked.Increment(ref _count) - 1);
            if (reply.Delay > TimeSpan.Zero) await Task.Delay(reply.Delay, _stop.Token);

            var head = new StringBuilder($"HTTP/1.1 {reply.Status} {Reason(reply.Status)}\r\n");
            foreach (var (name, value) in reply.Headers) head.Append($"{name}: {value}\r\n");
            head.Append($"Content-Length: {reply.Body.Length}\r\nConnection: close\r\n\r\n");
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), _stop.Token);

            var limit = reply.DropAfter ?? reply.StallAfter ?? reply.Body.Length;
            await stream.WriteAsync(reply.Body.AsMemory(0, Math.Min(limit, reply.Body.Length)), _stop.Token);
            await stream.FlushAsync(_stop.Token);
            if (reply.StallAfter is not null) await Task.Delay(Timeout.Infinite, _stop.Token);
        }
        catch (Exception) { /* the client went away or the server stopped */ }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    static async Task<SeenRequest?> ReadRequest(NetworkStream stream)
    {
        var buffer = new List<byte>();
        var one = new byte[1];
        while (buffer.Count < 65536)
        {
            if (await stream.ReadAsync(one) == 0) return null;
            buffer.Add(one[0]);
            if (buffer.Count >= 4 && buffer[^1] == '\n' && buffer[^2] == '\r' && buffer[^3] == '\n' && buffer[^4] == '\r') break;
        }
        var lines = Encoding.ASCII.GetString(buffer.ToArray()).Split("\r\n");
        var parts = lines[0].Split(' ');
        var headers = new Dictionary<string, string>();
        foreach (var line in lines.Skip(1).Where(l => l.Contains(':')))
            headers[line[..line.IndexOf(':')].Trim().ToLowerInvariant()] = line[(line.IndexOf(':') + 1)..].Trim();
        return new SeenRequest(parts[0], parts[1], headers);
    }

    static string Reason(int status) => status switch
    {
        200 => "OK", 206 => "Partial Content", 302 => "Found", 403 => "Forbidden", 404 => "Not Found",
        416 => "Range Not Satisfiable", 429 => "Too Many Requests", 500 => "Internal Server Error", 503 => "Service Unavailable",
        _ => "Status",
    };

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try { await _loop; } catch (Exception) { }
        _stop.Dispose();
    }
}
