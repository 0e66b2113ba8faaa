namespace Isc.Artifacts;

/// <summary>
/// Removing state that must not be reused, without ever leaving a half-deleted copy under its real name: the file
/// or folder is first renamed to a hidden sibling (atomic), then deleted. A kill between the two leaves only the
/// hidden sibling, which the next <see cref="SweepBeside"/> removes.
/// </summary>
public static class Discard
{
    const string Marker = ".discarded.";

    public static void MoveAside(string path)
    {
        var aside = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}{Marker}{Guid.NewGuid():N}");
        if (Directory.Exists(path))
        {
            Directory.Move(path, aside);
            Directory.Delete(aside, recursive: true);
        }
        else if (File.Exists(path))
        {
            File.Move(path, aside);
            File.Delete(aside);
        }
    }

    /// <summary>Deletes the hidden leftovers of interrupted discards of <paramref name="path"/>; returns how many.</summary>
    public static int SweepBeside(string path)
    {
        var dir = Path.GetDirectoryName(path);
        if (dir is null || !Directory.Exists(dir)) return 0;
        var n = 0;
        foreach (var leftover in Directory.EnumerateFileSystemEntries(dir, $".{Path.GetFileName(path)}{Marker}*"))
        {
            if (Directory.Exists(leftover)) Directory.Delete(leftover, recursive: true); else File.Delete(leftover);
            n++;
        }
        return n;
    }
}
