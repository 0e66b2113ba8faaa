using System.Collections.Concurrent;
using Isc.Imaging.Generation;

namespace Isc.Imaging.Faces;

/// <summary>
/// The face-selection artifact of ff/ff_bw: the sorted names of the training images in which the detector finds a
/// face, one per line. Unreadable images are skipped and reported (in the log and as '#' comment lines at the top of
/// the list). A user may replace the file with a list of their own (same format).
/// </summary>
public static class FaceSelection
{
    public sealed record Result(IReadOnlyList<string> Faces, int Scanned, IReadOnlyList<string> Unreadable);

    public static Result Run(string sourceDirectory, string outFile, string cascadeFile, int jobs, TextWriter log, CancellationToken cancel = default)
    {
        if (!Directory.Exists(sourceDirectory))
            throw new GenerationInputException($"source folder '{sourceDirectory}' does not exist; pass --source <folder of the training JPEGs>");
        var names = Directory.EnumerateFiles(sourceDirectory).Select(Path.GetFileName).OfType<string>()
            .Where(n => n.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || n.EndsWith(".jpeg", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal).ToArray();
        if (names.Length == 0)
            throw new GenerationInputException($"source folder '{sourceDirectory}' holds no .jpg/.jpeg files");
        using (new FaceDetector(cascadeFile)) { } // fail fast on a bad cascade, before the threads start

        var faces = new ConcurrentBag<string>();
        var bad = new ConcurrentBag<string>();
        using var progress = new Progress(log, "faces", names.Length, TimeSpan.FromSeconds(5));
        using var detectors = new ThreadLocal<FaceDetector>(() => new FaceDetector(cascadeFile), trackAllValues: true);
        Parallel.ForEach(names, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, jobs), CancellationToken = cancel }, name =>
        {
            try
            {
                if (detectors.Value!.CountFaces(Path.Combine(sourceDirectory, name)) > 0) faces.Add(name);
            }
            catch (InvalidDataException e) { bad.Add(name); lock (log) log.WriteLine($"faces: skipped {e.Message}"); }
            progress.Add(1);
        });
        foreach (var d in detectors.Values) d.Dispose();
        progress.Report();

        var sorted = faces.Order(StringComparer.Ordinal).ToList();
        var badSorted = bad.Order(StringComparer.Ordinal).ToList();
        var lines = badSorted.Select(b => $"# skipped (unreadable): {b}").Concat(sorted);
        var dir = Path.GetDirectoryName(Path.GetFullPath(outFile))!;
        Directory.CreateDirectory(dir);
        AtomicFile.WriteText(outFile, string.Concat(lines.Select(l => l + "\n")));
        log.WriteLine($"faces: {sorted.Count} of {names.Length} images contain a face" +
                      (badSorted.Count > 0 ? $"; {badSorted.Count} unreadable image(s) skipped" : "") + $"; list {outFile}");
        return new Result(sorted, names.Length, badSorted);
    }
}
