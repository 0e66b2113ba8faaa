using System.Security.Cryptography;

namespace Isc.Downloads;

public static class FileHash
{
    /// <summary>Lower-case hex SHA-256 of a whole file.</summary>
    public static async Task<string> Sha256Async(string path, CancellationToken cancel = default)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancel));
    }

    /// <summary>Feeds the first <paramref name="length"/> bytes of <paramref name="stream"/> (from position 0) into <paramref name="hash"/>.</summary>
    public static async Task AppendPrefixAsync(IncrementalHash hash, FileStream stream, long length, CancellationToken cancel)
    {
        stream.Position = 0;
        var buffer = new byte[1 << 20];
        var left = length;
        while (left > 0)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cancel);
            if (n == 0) throw new EndOfStreamException($"{stream.Name} is shorter than the {length:N0} bytes expected");
            hash.AppendData(buffer, 0, n);
            left -= n;
        }
    }

    public static string Normalize(string? hex, string what)
    {
        if (hex is null) return "";
        var h = hex.Trim().ToLowerInvariant();
        if (h.Length != 64 || !h.All(Uri.IsHexDigit))
            throw new DownloadException($"{what}: '{hex}' is not a SHA-256 (64 hex digits)");
        return h;
    }
}
