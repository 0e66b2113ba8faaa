namespace Isc.Build.Tasks;

/// <summary>What `--target=Clean` deletes under a profile's artifacts root: each top-level folder and file with its size.</summary>
public sealed record CleanListing(string Root, IReadOnlyList<CleanListing.Entry> Entries)
{
    public sealed record Entry(string Name, bool IsDirectory, long Bytes, long Files);

    /// <summary>The build lock and its holder record stay: the running build holds them.</summary>
    public static bool IsKept(string name) => name is ".lock" or ".lock.holder.json";

    public static CleanListing Of(string root)
    {
        if (!Directory.Exists(root)) return new(root, []);
        var entries = new List<Entry>();
        foreach (var path in Directory.EnumerateFileSystemEntries(root).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path);
            if (IsKept(name)) continue;
            var info = new FileInfo(path);
            if (Directory.Exists(path) && !info.Attributes.HasFlag(FileAttributes.ReparsePoint))
            {
                long bytes = 0, files = 0;
                foreach (var f in new DirectoryInfo(path).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 }))
                {
                    bytes += f.Length;
                    files++;
                }
                entries.Add(new(name, true, bytes, files));
            }
            else entries.Add(new(name, false, info.Exists ? info.Length : 0, 1));
        }
        return new(root, entries);
    }

    public long TotalBytes => Entries.Sum(e => e.Bytes);

    /// <summary>One line per entry ("  datasets/   1.2 GiB in 2,000,000 files"), then the total.</summary>
    public IEnumerable<string> Lines()
    {
        var width = Entries.Max(e => e.Name.Length + (e.IsDirectory ? 1 : 0));
        foreach (var e in Entries)
        {
            var name = (e.IsDirectory ? e.Name + "/" : e.Name).PadRight(width);
            yield return e.IsDirectory ? $"  {name}  {Size(e.Bytes),10}  in {e.Files:N0} file(s)" : $"  {name}  {Size(e.Bytes),10}";
        }
        yield return $"  total {Size(TotalBytes)} in {Root}";
    }

    public static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:F1} KiB",
        < 1024L * 1024 * 1024 => $"{bytes / (1024.0 * 1024):F1} MiB",
        _ => $"{bytes / (1024.0 * 1024 * 1024):F1} GiB",
    };
}
