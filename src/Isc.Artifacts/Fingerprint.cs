using System.Security.Cryptography;
using System.Text;

namespace Isc.Artifacts;

/// <summary>Content hashes: SHA-256, lower-case hex.</summary>
public static class Fingerprint
{
    public static string OfFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    public static string OfText(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>
    /// A folder's identity from its listing: sorted relative names and sizes (not contents). Cheap enough
    /// for a million files, and it changes when files are added, removed, renamed or resized.
    /// </summary>
    public static (string Hash, int Files) OfListing(string directory)
    {
        var entries = new List<(string Name, long Size)>();
        foreach (var f in new DirectoryInfo(directory).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = false }))
            entries.Add((Path.GetRelativePath(directory, f.FullName).Replace('\\', '/'), f.Length));
        entries.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, size) in entries) sha.AppendData(Encoding.UTF8.GetBytes($"{name}\t{size}\n"));
        return (Convert.ToHexStringLower(sha.GetHashAndReset()), entries.Count);
    }
}
