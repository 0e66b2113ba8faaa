using Isc.Artifacts;
using Isc.Torch.Serialization;

namespace Isc.Training.Inference;

/// <summary>
/// The rows of a descriptor file written so far: <c>&lt;file&gt;.partial</c>, a float32 [N, D] .npy whose rows arrive batch by
/// batch, and <c>&lt;file&gt;.partial.json</c>, the identity of the work (model, images, size) it belongs to. An interrupted
/// extraction resumes from its last whole batch, only for the same identity; anything else starts over. Memory stays
/// one batch, whatever N is.
/// </summary>
public sealed class PartialDescriptors : IDisposable
{
    readonly FileStream _stream;
    readonly string _output;
    readonly int _dim;

    public int RowsDone { get; private set; }

    public static string PathOf(string output) => output + ".partial";
    static string IdentityPath(string output) => PathOf(output) + ".json";

    PartialDescriptors(FileStream stream, string output, int dim, int rowsDone) => (_stream, _output, _dim, RowsDone) = (stream, output, dim, rowsDone);

    /// <summary>Opens the partial file of <paramref name="output"/>: resumed at its last whole batch when made for <paramref name="identity"/>, else new.</summary>
    public static PartialDescriptors Open(string output, string identity, int rows, int dim, int batchSize)
    {
        var path = PathOf(output);
        var header = Npy.Header(rows, dim);
        if (File.Exists(path) && File.Exists(IdentityPath(output)) && File.ReadAllText(IdentityPath(output)) == identity)
        {
            var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
            var whole = (int)Math.Min(rows, Math.Max(0, (stream.Length - header.Length) / (4L * dim)));
            var done = whole / batchSize * batchSize;
            if (stream.Length >= header.Length)
            {
                stream.SetLength(header.Length + 4L * dim * done);
                stream.Seek(0, SeekOrigin.End);
                return new PartialDescriptors(stream, output, dim, done);
            }
            stream.Dispose();
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        AtomicFile.WriteAllText(IdentityPath(output), identity);
        var fresh = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.Read);
        fresh.Write(header);
        return new PartialDescriptors(fresh, output, dim, 0);
    }

    public void Append(ReadOnlySpan<float> rows)
    {
        _stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(rows));
        _stream.Flush();
        RowsDone += rows.Length / _dim;
    }

    /// <summary>Makes the rows the descriptor file: the names file first, then the .npy renamed into place, the identity last.</summary>
    public void Complete(IReadOnlyList<string> images)
    {
        _stream.Flush(flushToDisk: true);
        _stream.Dispose();
        AtomicFile.WriteAllText(DescriptorFile.NamesPath(_output), string.Join("\n", images.Select(Path.GetFileName)) + "\n");
        File.Move(PathOf(_output), _output, overwrite: true);
        File.Delete(IdentityPath(_output));
    }

    public void Dispose() => _stream.Dispose();
}
