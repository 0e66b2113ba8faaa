using System.Diagnostics;
using Isc.Imaging.Pixels;
using SkiaSharp;

namespace Isc.Imaging.Synthetic;

/// <summary>
/// Writes a folder of synthetic JPEGs named like the DISC21 training set (T000000.jpg ...) or the
/// overlay set (O000000.jpg ...). Each file is written under a temporary name and renamed, and files
/// already present are kept, so an interrupted run resumes where it stopped.
/// </summary>
public static class SyntheticImageSet
{
    public sealed record Options(string Directory, string Prefix, int Count, int Width, int Height, int Seed,
        string? FontFile, int Quality = 95, int Parallelism = 0);

    public static string FileName(string prefix, int index) => $"{prefix}{index:D6}.jpg";

    public static void Write(Options o, Action<string>? log = null, CancellationToken cancel = default)
    {
        if (o.Count <= 0) throw new ArgumentException($"image count must be positive, got {o.Count}");
        if (o.Width < 16 || o.Height < 16) throw new ArgumentException($"images must be at least 16x16, got {o.Width}x{o.Height}");
        Directory.CreateDirectory(o.Directory);
        using var typeface = SyntheticPhotos.LoadTypeface(o.FontFile);
        var done = 0;
        var watch = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        var options = new ParallelOptions
        {
            MaxDegreeOfParallelism = o.Parallelism > 0 ? o.Parallelism : Environment.ProcessorCount,
            CancellationToken = cancel,
        };
        Parallel.For(0, o.Count, options, i =>
        {
            var path = Path.Combine(o.Directory, FileName(o.Prefix, i));
            if (!File.Exists(path))
            {
                using var rgb = SyntheticPhotos.RenderRgb(i, o.Width, o.Height, o.Seed, typeface);
                // libjpeg-turbo, whose output does not depend on which SIMD instructions the CPU offers (ImageSharp's did).
                var temp = path + ".tmp";
                File.WriteAllBytes(temp, ImageCodec.EncodeJpeg(rgb, o.Quality));
                File.Move(temp, path, overwrite: true);
            }
            var n = Interlocked.Increment(ref done);
            lock (options)
            {
                if (log is not null && (watch.Elapsed - lastReport > TimeSpan.FromSeconds(2) || n == o.Count))
                {
                    lastReport = watch.Elapsed;
                    var rate = n / Math.Max(watch.Elapsed.TotalSeconds, 1e-3);
                    log($"{o.Prefix} images: {n}/{o.Count} ({rate:F0}/s, ETA {TimeSpan.FromSeconds((o.Count - n) / Math.Max(rate, 1e-3)):hh\\:mm\\:ss})");
                }
            }
        });
    }
}
