using System.IO.Compression;

namespace Isc.Downloads;

/// <summary>
/// Decides, for each zip entry, whether it may be extracted and where to: names that are absolute, that climb out
/// with "..", or that are symbolic links are refused, and so are entries whose declared sizes are impossible or
/// bomb-like (the whole archive is refused, before anything is written). Finder debris (__MACOSX/, .DS_Store) is skipped.
/// </summary>
public static class ZipEntryPolicy
{
    /// <summary>
    /// Largest uncompressed:compressed ratio accepted for an entry above <see cref="RatioCheckedAbove"/>. The recipe's
    /// zips hold JPEGs and PNGs, which deflate hardly at all (about 1:1); ordinary text stays under 20:1; deflate itself
    /// tops out near 1032:1, which is where zip bombs live (a few MB that inflate to gigabytes).
    /// </summary>
    public const double MaxCompressionRatio = 100;

    /// <summary>Entries up to this size are not ratio-checked: a small, highly compressible file is harmless.</summary>
    public const long RatioCheckedAbove = 1 << 20;

    const int UnixFileTypeMask = 0xF000;
    const int UnixSymlink = 0xA000;

    public static bool IsDebris(string name) =>
        name.StartsWith("__MACOSX/", StringComparison.Ordinal) || name == ".DS_Store" || name.EndsWith("/.DS_Store", StringComparison.Ordinal);

    /// <summary>The entry name with '/' separators, or an error message if the entry must not be extracted.</summary>
    /// <param name="archiveLength">Bytes of the whole zip file: no entry can honestly hold more compressed bytes.</param>
    public static (string? Name, string? Refusal) Inspect(ZipArchiveEntry entry, long archiveLength = long.MaxValue)
    {
        var raw = entry.FullName;
        var name = raw.Replace('\\', '/');
        if (name.Contains('\0')) return (null, $"entry '{raw}' has a NUL character in its name");
        if (name.StartsWith('/') || (name.Length >= 2 && char.IsAsciiLetter(name[0]) && name[1] == ':'))
            return (null, $"entry '{raw}' has an absolute path");
        if (name.Split('/').Any(segment => segment == ".."))
            return (null, $"entry '{raw}' climbs out of the target folder with '..'");
        var unixMode = (entry.ExternalAttributes >> 16) & 0xFFFF;
        if ((unixMode & UnixFileTypeMask) == UnixSymlink)
            return (null, $"entry '{raw}' is a symbolic link");
        return SizeRefusal(entry, raw, archiveLength) is { } refusal ? (null, refusal) : (name, null);
    }

    /// <summary>Declared sizes that cannot be honest: a zip bomb's compression ratio, or more compressed bytes than the archive has.</summary>
    static string? SizeRefusal(ZipArchiveEntry entry, string raw, long archiveLength)
    {
        long length = entry.Length, compressed = entry.CompressedLength;
        if (compressed > archiveLength)
            return $"entry '{raw}' declares {compressed:N0} compressed bytes, more than the whole archive ({archiveLength:N0} bytes)";
        if (length > RatioCheckedAbove && length > MaxCompressionRatio * Math.Max(compressed, 1))
            return $"entry '{raw}' declares {length:N0} bytes from {compressed:N0} compressed bytes " +
                   $"(ratio {length / (double)Math.Max(compressed, 1):N0}:1, over the limit of {MaxCompressionRatio:N0}:1): a zip bomb, not a file of the recipe";
        return null;
    }

    /// <summary>The path under <paramref name="root"/>; throws if it resolves outside it (a last guard after <see cref="Inspect"/>).</summary>
    public static string Resolve(string root, string relative)
    {
        var full = Path.GetFullPath(Path.Combine(root, relative));
        var rootWithSlash = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        if (!full.StartsWith(rootWithSlash, StringComparison.Ordinal))
            throw new InvalidDataException($"zip entry '{relative}' resolves to {full}, outside {root}; refused");
        return full;
    }
}
