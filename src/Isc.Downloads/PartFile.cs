using System.Security.Cryptography;
using System.Text.Json;

namespace Isc.Downloads;

/// <summary>What the server said about the bytes in a .part file, so a later run resumes only against the same file.</summary>
public sealed record PartState(string Source, string? ETag, DateTimeOffset? LastModified, long? Total);

/// <summary>
/// <c>DEST.part</c> (the bytes received so far) and <c>DEST.part.json</c> (their source and validators).
/// Bytes are hashed as they are written; <see cref="Committed"/> counts bytes both written and hashed, and after a
/// failure the file is cut back to it, so the running hash always matches the file.
/// </summary>
public sealed class PartFile : IAsyncDisposable
{
    readonly FileStream _stream;
    IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public string Path { get; }
    public string StatePath => Path + ".json";
    public long Committed { get; private set; }

    /// <summary>Bytes received over the network by this process (restarts included).</summary>
    public long Received { get; private set; }
    public PartState? State { get; private set; }

    PartFile(string path, FileStream stream)
    {
        Path = path;
        _stream = stream;
    }

    /// <summary>Opens (or creates) the part file of <paramref name="destination"/>; bytes from another source are discarded.</summary>
    public static async Task<PartFile> OpenAsync(string destination, string source, Action<string> log, CancellationToken cancel)
    {
        var path = destination + ".part";
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new DownloadException($"{path} is in use ({e.Message}); is another download of the same file running?", e);
        }
        var part = new PartFile(path, stream);
        part.State = part.ReadState();
        if (stream.Length > 0 && (part.State is null || part.State.Source != source))
        {
            log($"{System.IO.Path.GetFileName(path)}: discarding {stream.Length:N0} bytes that came from {part.State?.Source ?? "an unknown source"}, not {source}");
            part.State = null;
            stream.SetLength(0);
        }
        if (stream.Length > 0) await FileHash.AppendPrefixAsync(part._hash, stream, stream.Length, cancel);
        part.Committed = stream.Length;
        stream.Position = part.Committed;
        return part;
    }

    public void SaveState(PartState state)
    {
        State = state;
        var temp = StatePath + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(state));
        File.Move(temp, StatePath, overwrite: true);
    }

    public async Task AppendAsync(ReadOnlyMemory<byte> data, CancellationToken cancel)
    {
        try
        {
            await _stream.WriteAsync(data, cancel);
        }
        catch (IOException e)
        {
            // A local write failure (disk full, I/O error) is not a network hiccup: retrying will not help.
            throw new DownloadException($"cannot write {Path} at {Committed:N0} bytes ({e.Message}); free space or fix the disk, then run again to resume", e);
        }
        _hash.AppendData(data.Span);
        Committed += data.Length;
        Received += data.Length;
    }

    /// <summary>Cuts the file back to the bytes that were hashed (after a failed write or read).</summary>
    public void Rollback()
    {
        _stream.Flush();
        _stream.SetLength(Committed);
        _stream.Position = Committed;
    }

    /// <summary>Drops everything: the server ignored the range, or the file changed there.</summary>
    public void Restart()
    {
        _stream.SetLength(0);
        _stream.Position = 0;
        Committed = 0;
        _hash.Dispose();
        _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        State = null;
        File.Delete(StatePath);
    }

    /// <summary>Flushes to disk and returns the SHA-256 of all bytes (lower-case hex).</summary>
    public string Finish()
    {
        _stream.Flush(flushToDisk: true);
        return Convert.ToHexStringLower(_hash.GetCurrentHash());
    }

    /// <summary>Closes and renames the verified bytes to <paramref name="destination"/> (refusing to replace a file).</summary>
    public async Task PromoteAsync(string destination)
    {
        await DisposeAsync();
        File.Move(Path, destination, overwrite: false);
        File.Delete(StatePath);
    }

    /// <summary>Closes and moves bytes that failed verification aside, so they are neither used nor resumed.</summary>
    public async Task<string> RejectAsync(string destination)
    {
        await DisposeAsync();
        var rejected = destination + ".rejected";
        File.Move(Path, rejected, overwrite: true);
        File.Delete(StatePath);
        return rejected;
    }

    /// <summary>Closes and removes the part file (nothing useful in it).</summary>
    public async Task DeleteAsync()
    {
        await DisposeAsync();
        File.Delete(Path);
        File.Delete(StatePath);
    }

    PartState? ReadState()
    {
        try { return File.Exists(StatePath) ? JsonSerializer.Deserialize<PartState>(File.ReadAllText(StatePath)) : null; }
        catch (JsonException) { return null; }
    }

    bool _disposed;
    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        await _stream.DisposeAsync();
        _hash.Dispose();
    }
}
