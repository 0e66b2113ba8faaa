using System.IO.Compression;

namespace Isc.Downloads;

/// <summary>
/// Decides, for each zip entry, whether it may be extracted and where to: names that are absolute, that climb out
/// with "..", or that are symbolic links are refused (the whole archive is refused, before anything is written).
/// Finder debris (__MACOSX/, .DS_Store) is skipped.
/// </summary>
public static class ZipEntryPolicy
{
    const int UnixFileTypeMask = 0xF000;
    const int UnixSymlink = 0xA000;

    public static bool IsDebris(string name) =>
        name.StartsWith("__MACOSX/", StringComparison.Ordinal) || name == ".DS_Store" || name.EndsWith("/.DS_Store", StringComparison.Ordinal);

    /// <summary>The entry name with '/' separators, or an error message if the entry must not be extracted.</summary>
    public static (string? Name, string? Refusal) Inspect(ZipArchiveEntry entry)
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
        return (name, null);
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
