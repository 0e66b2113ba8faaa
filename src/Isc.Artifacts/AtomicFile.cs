namespace Isc.Artifacts;

/// <summary>
/// Writes that are all-or-nothing: content goes to a temporary file beside the target, is flushed,
/// and is renamed over the target only when complete. A reader sees the old file or the new one, never half of one.
/// </summary>
public static class AtomicFile
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

    static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
