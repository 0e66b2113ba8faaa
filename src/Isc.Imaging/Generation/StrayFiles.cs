namespace Isc.Imaging.Generation;

/// <summary>
/// Files in a generated folder that the generator did not plan (copied in by hand, or left by a larger or earlier plan):
/// the readers take every image they find there, so the generators delete them before they write.
/// </summary>
public static class StrayFiles
{
    /// <summary>
    /// Deletes the files of <paramref name="directory"/> whose names <paramref name="planned"/> lacks and returns their
    /// names in ordinal order; temp files of an interrupted run are left to <see cref="AtomicFile.CleanTemps"/>.
    /// </summary>
    public static List<string> Remove(string directory, IReadOnlySet<string> planned)
    {
        if (!Directory.Exists(directory)) return [];
        var strays = Directory.EnumerateFiles(directory).Select(p => Path.GetFileName(p))
            .Where(n => !planned.Contains(n) && !n.EndsWith(AtomicFile.TempSuffix, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        foreach (var name in strays) File.Delete(Path.Combine(directory, name));
        return strays;
    }
}
