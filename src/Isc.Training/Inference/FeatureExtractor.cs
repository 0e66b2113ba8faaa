using Isc.Torch.Runtime;
using TorchSharp;
using Isc.Torch.Serialization;
using Isc.Training.Data;
using Isc.Training.Model;
using static TorchSharp.torch;

namespace Isc.Training.Inference;

/// <summary>Eval-mode GeM features (the 2048-d f at paper width) of images, as float32 .npy plus a names file.</summary>
public static class FeatureExtractor
{
    public static IReadOnlyList<string> ListImages(string imagesArg)
    {
        if (Directory.Exists(imagesArg))
            return [.. Directory.EnumerateFiles(imagesArg)
                .Where(f => f.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".jpeg", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal)];
        if (File.Exists(imagesArg))
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(imagesArg))!;
            return [.. File.ReadLines(imagesArg).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))
                .Select(l => Path.IsPathRooted(l) ? l : Path.Combine(dir, l))];
        }
        throw new FileNotFoundException($"--images {imagesArg}: neither a folder nor a list file");
    }

    public static float[] Features(D2lvNet model, Tensor batch)
    {
        model.eval();
        using var _ = no_grad();
        using var f = model.Features(batch);
        return f.to(float32).cpu().contiguous().data<float>().ToArray();
    }

    /// <summary>
    /// Writes the descriptor file <paramref name="output"/> (<see cref="DescriptorFile"/>: .npy [N, D] and its names file)
    /// batch by batch through <see cref="PartialDescriptors"/>, so memory is one batch and an interrupted run resumes
    /// when <paramref name="identity"/> (what the rows are made from: model, images, size) is the same; returns N.
    /// </summary>
    public static int Run(D2lvNet model, IReadOnlyList<string> images, int size, string output, Device device, int batchSize, TextWriter progress,
        string identity)
    {
        if (images.Count == 0) throw new InvalidDataException("no images to describe");
        model.to(device);
        var pipeline = ImagePipeline.ForEval(size);
        var dim = model.Settings.FeatureDim;
        using var partial = PartialDescriptors.Open(output, identity, images.Count, dim, batchSize);
        if (partial.RowsDone > 0) progress.WriteLine($"features: resuming after {partial.RowsDone} of {images.Count} images ({PartialDescriptors.PathOf(output)})");
        var resumedAt = partial.RowsDone;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var lastLog = 0.0;
        for (var start = partial.RowsDone; start < images.Count; start += batchSize)
        {
            var n = Math.Min(batchSize, images.Count - start);
            var pixels = new float[n * pipeline.FloatsPerImage];
            Parallel.For(0, n, i => pipeline.Load(images[start + i], null, pixels.AsSpan(i * pipeline.FloatsPerImage, pipeline.FloatsPerImage)));
            using var x = tensor(pixels, [n, 3, size, size]).to(device);
            partial.Append(Features(model, x));
            var done = start + n;
            if (clock.Elapsed.TotalSeconds - lastLog >= 5 || done == images.Count)
            {
                lastLog = clock.Elapsed.TotalSeconds;
                var rate = (done - resumedAt) / Math.Max(lastLog, 1e-9);
                progress.WriteLine($"features {done}/{images.Count} images, {rate:F1} images/s, ETA {TimeSpan.FromSeconds((images.Count - done) / Math.Max(rate, 1e-9)):hh\\:mm\\:ss}");
            }
        }
        partial.Complete(images);
        return images.Count;
    }
}
