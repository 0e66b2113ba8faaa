using Isc.Artifacts;
using Isc.Torch.Serialization;
using static TorchSharp.torch;

namespace Isc.Training.Inference;

/// <summary>
/// A descriptor file as <see cref="FeatureExtractor"/> writes it: a float32 [N, D] .npy and, beside it,
/// <c>&lt;file&gt;.names.txt</c> with the N image names in row order. An image's id is its name without the extension.
/// </summary>
public sealed record DescriptorFile(Tensor Descriptors, IReadOnlyList<string> Ids) : IDisposable
{
    public static string NamesPath(string npyPath) => npyPath + ".names.txt";

    /// <summary>Writes <paramref name="rows"/> ([images, <paramref name="dim"/>], row-major) to <paramref name="npyPath"/> and the images' file names to <see cref="NamesPath"/>.</summary>
    public static void Write(string npyPath, float[] rows, int dim, IReadOnlyList<string> images)
    {
        Npy.WriteFloat32(npyPath, rows, images.Count, dim);
        AtomicFile.WriteAllText(NamesPath(npyPath), string.Join("\n", images.Select(Path.GetFileName)) + "\n");
    }

    public static DescriptorFile Read(string npyPath)
    {
        if (!File.Exists(npyPath)) throw new FileNotFoundException($"descriptor file {npyPath} not found (isc features writes it)", npyPath);
        var namesPath = NamesPath(npyPath);
        if (!File.Exists(namesPath))
            throw new FileNotFoundException($"{namesPath} not found: the image names of {npyPath}, one per row, written beside it by isc features", namesPath);
        var (data, shape) = Npy.ReadFloat32(npyPath);
        if (shape.Length != 2) throw new InvalidDataException($"{npyPath}: descriptors must be a [N, D] matrix, got shape [{string.Join(", ", shape)}]");
        var ids = File.ReadLines(namesPath).Where(l => l.Length > 0).Select(l => Path.GetFileNameWithoutExtension(l.Trim())).ToList();
        if (ids.Count != shape[0])
            throw new InvalidDataException($"{namesPath} names {ids.Count} images but {npyPath} has {shape[0]} rows: the two files are from different runs");
        var duplicate = ids.GroupBy(i => i, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new InvalidDataException($"{namesPath}: the id '{duplicate.Key}' is given by {duplicate.Count()} images (ids are names without the extension and must be unique)");
        return new DescriptorFile(tensor(data, shape), ids);
    }

    public void Dispose() => Descriptors.Dispose();
}
