namespace Isc.Imaging.Generation;

/// <summary>
/// Writes that are never seen half-done: a temp file in the same folder, then a rename over the target.
/// Kept apart from Isc.Artifacts.AtomicFile on purpose: a dataset writes 2,000,000 small images, so this
/// one does not fsync each file, and its fixed ".partial" suffix lets an interrupted run sweep its leftovers.
/// </summary>
public static class AtomicFile
{
    public const string TempSuffix = ".partial";

    public static void Write(string path, ReadOnlySpan<byte> bytes)
    {
        var temp = TempPath(path);
        using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None))
            fs.Write(bytes);
        File.Move(temp, path, overwrite: true);
    }

    public static void Write(string path, Action<Stream> write)
    {
        var temp = TempPath(path);
        try
        {
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(fs);
                fs.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { }
            throw;
        }
    }

    public static void WriteText(string path, string text) =>
        Write(path, s => { using var w = new StreamWriter(s, new System.Text.UTF8Encoding(false), leaveOpen: true); w.Write(text); });

    /// <summary>Removes temp files a killed run left in <paramref name="directory"/>; returns how many.</summary>
    public static int CleanTemps(string directory)
    {
        if (!Directory.Exists(directory)) return 0;
        var n = 0;
        foreach (var f in Directory.EnumerateFiles(directory, "*" + TempSuffix)) { File.Delete(f); n++; }
        return n;
    }

    static string TempPath(string path) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}{TempSuffix}");
}
