using System.Text.RegularExpressions;

namespace Isc.Artifacts;

/// <summary>
/// Writes that are all-or-nothing: content goes to a temporary file beside the target, is flushed,
/// and is renamed over the target only when complete. A reader sees the old file or the new one, never half of one.
/// </summary>
public static partial class AtomicFile
{
    /// <summary>A unique temporary name in the target's folder (same file system, so the rename is atomic).</summary>
    public static string TempPathFor(string path) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");

    public static void Write(string path, Action<Stream> write)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var temp = TempPathFor(path);
        try
        {
            // ReadWrite: writers such as ZipArchive may seek back into what they wrote.
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 20))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    public static void WriteAllText(string path, string text) =>
        Write(path, s => { using var w = new StreamWriter(s, leaveOpen: true); w.Write(text); });

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.ToArray();
        Write(path, s => s.Write(copy));
    }

    /// <summary>Moves a finished temporary file or folder into place.</summary>
    public static void Commit(string temp, string path)
    {
        if (Directory.Exists(temp))
        {
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
            Directory.Move(temp, path);
        }
        else File.Move(temp, path, overwrite: true);
    }

    [GeneratedRegex(@"^\.(?<name>.+)\.\d+\.[0-9a-f]{32}\.tmp$")]
    private static partial Regex TempName();

    /// <summary>
    /// Deletes the temporary files <see cref="Write"/> left in <paramref name="directory"/> when its writer was killed
    /// (all of them, or only those of the file named <paramref name="forName"/>); returns how many. Call it only where
    /// no other writer can be at work (under the artifact's lock).
    /// </summary>
    public static int SweepTemps(string directory, string? forName = null)
    {
        if (!Directory.Exists(directory)) return 0;
        var n = 0;
        foreach (var file in Directory.EnumerateFiles(directory, forName is null ? ".*.tmp" : $".{forName}.*.tmp"))
        {
            var m = TempName().Match(Path.GetFileName(file));
            if (!m.Success || (forName is not null && m.Groups["name"].Value != forName)) continue;
            TryDelete(file);
            n++;
        }
        return n;
    }

    static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
