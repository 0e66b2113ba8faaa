using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace Isc.Artifacts;

/// <summary>
/// What a folder output held when its step finished: its files (names relative to it, sizes) and the
/// modification times of the folder and each sub-folder. Names starting with '.' are left out at every
/// level: they are the harness's temporary and bookkeeping files, not output.
/// </summary>
/// <remarks>
/// A folder's modification time moves whenever an entry is added to, removed from or renamed in it, so
/// unchanged times of the few folders of a dataset vouch for its 2,000,000 names without listing them.
/// In-place edits of a file's bytes do not move them: that is Verify --deep's job.
/// </remarks>
public sealed class FolderListing
{
    public required List<(string Name, long Size)> Files { get; init; }
    public required SortedDictionary<string, long> Folders { get; init; }

    string? _hash;
    public string Hash => _hash ??= Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Text)));

    /// <summary>One "name\tsize" line per file, sorted by name (ordinal).</summary>
    public string Text
    {
        get
        {
            var text = new StringBuilder();
            foreach (var (name, size) in Files) text.Append(name).Append('\t').Append(size).Append('\n');
            return text.ToString();
        }
    }

    public static FolderListing Of(string directory)
    {
        var files = new List<(string, long)>();
        var folders = new SortedDictionary<string, long>(StringComparer.Ordinal);
        void Walk(DirectoryInfo dir, string relative)
        {
            folders[relative] = dir.LastWriteTimeUtc.Ticks;
            foreach (var entry in dir.EnumerateFileSystemInfos())
            {
                if (entry.Name.StartsWith('.')) continue;
                var name = relative.Length == 0 ? entry.Name : relative + "/" + entry.Name;
                if (entry is DirectoryInfo sub) Walk(sub, name);
                else files.Add((name, ((FileInfo)entry).Length));
            }
        }
        Walk(new DirectoryInfo(directory), "");
        files.Sort((a, b) => string.CompareOrdinal(a.Item1, b.Item1));
        return new FolderListing { Files = files, Folders = folders };
    }

    /// <summary>True when the folder and every recorded sub-folder still exist with their recorded modification times (one stat each).</summary>
    public static bool TimesUnchanged(string directory, IReadOnlyDictionary<string, long> folders)
    {
        foreach (var (relative, ticks) in folders)
        {
            var info = new DirectoryInfo(relative.Length == 0 ? directory : Path.Combine(directory, relative));
            if (!info.Exists || info.LastWriteTimeUtc.Ticks != ticks) return false;
        }
        return true;
    }

    /// <summary>Saves the names (gzip-compressed text) so a later check can say which files went missing.</summary>
    public void Save(string path) => AtomicFile.Write(path, stream =>
    {
        using var gzip = new GZipStream(stream, CompressionLevel.Fastest, leaveOpen: true);
        gzip.Write(Encoding.UTF8.GetBytes(Text));
    });

    /// <summary>The files saved at <paramref name="path"/>, or null when missing, unreadable or not the listing with <paramref name="hash"/>.</summary>
    public static List<(string Name, long Size)>? Load(string path, string hash)
    {
        try
        {
            using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
            using var reader = new StreamReader(gzip, Encoding.UTF8);
            var text = reader.ReadToEnd();
            if (Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))) != hash) return null;
            return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
            {
                var tab = line.LastIndexOf('\t');
                return (line[..tab], long.Parse(line[(tab + 1)..], System.Globalization.CultureInfo.InvariantCulture));
            })];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or FormatException) { return null; }
    }

    /// <summary>How <paramref name="now"/> differs from <paramref name="then"/>: files missing, added, resized, each with an example.</summary>
    public static List<string> Differences(IReadOnlyList<(string Name, long Size)> then, IReadOnlyList<(string Name, long Size)> now)
    {
        var before = then.ToDictionary(f => f.Name, f => f.Size, StringComparer.Ordinal);
        var after = now.ToDictionary(f => f.Name, f => f.Size, StringComparer.Ordinal);
        var missing = then.Where(f => !after.ContainsKey(f.Name)).Select(f => f.Name).ToList();
        var added = now.Where(f => !before.ContainsKey(f.Name)).Select(f => f.Name).ToList();
        var resized = now.Where(f => before.TryGetValue(f.Name, out var size) && size != f.Size).Select(f => f.Name).ToList();
        var parts = new List<string>();
        if (missing.Count > 0) parts.Add($"{missing.Count} file(s) missing since it was built (e.g. {missing[0]})");
        if (added.Count > 0) parts.Add($"{added.Count} file(s) added since it was built (e.g. {added[0]})");
        if (resized.Count > 0) parts.Add($"{resized.Count} file(s) changed size since it was built (e.g. {resized[0]})");
        return parts;
    }
}
