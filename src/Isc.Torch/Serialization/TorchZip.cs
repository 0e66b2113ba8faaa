using System.IO.Compression;
using System.Text;
using Isc.Torch.Pickle;
using TorchSharp;
using static TorchSharp.torch;

namespace Isc.Torch.Serialization;

/// <summary>
/// torch.save's zip format (the default since PyTorch 1.6), read and written without Python.
/// Writing: entries <c>archive/data.pkl</c>, <c>archive/data/&lt;n&gt;</c> (stored, uncompressed), <c>archive/version</c>;
/// a protocol-2 pickle whose tensors are <c>_rebuild_tensor_v2</c> over one storage each. Values in the object
/// graph: <see cref="Tensor"/>, dictionaries, lists, tuples (object?[]), strings, numbers, bools, null.
/// </summary>
public static class TorchZip
{
    public static bool IsZip(string path)
    {
        using var f = File.OpenRead(path);
        Span<byte> head = stackalloc byte[4];
        return f.Read(head) == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
    }

    /// <summary>Writes atomically: a temp file in the same folder, flushed, then renamed over <paramref name="path"/>.</summary>
    public static void Save(string path, object root) => Isc.Artifacts.AtomicFile.Write(path, s => Write(s, root));

    public static void Write(Stream output, object root)
    {
        var tensors = new List<Tensor>();
        var graph = Encode(root, tensors);
        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        var pkl = Entry(zip, "archive/data.pkl");
        using (var s = pkl.Open()) PickleWriter.Write(s, graph);
        for (var i = 0; i < tensors.Count; i++)
        {
            var e = Entry(zip, $"archive/data/{i}");
            using var s = e.Open();
            using var t = tensors[i].detach().cpu().contiguous();
            if (t.numel() > 0) s.Write(t.bytes);
        }
        var v = Entry(zip, "archive/version");
        using (var s = v.Open()) s.Write("3\n"u8);
    }

    /// <summary>A stored entry with a fixed timestamp, so the same tensors always make the same bytes (reproducible files, stable hashes).</summary>
    static ZipArchiveEntry Entry(ZipArchive zip, string name)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.NoCompression);
        entry.LastWriteTime = new DateTimeOffset(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);
        return entry;
    }

    static object? Encode(object? v, List<Tensor> tensors)
    {
        switch (v)
        {
            case Tensor t:
                {
                    var key = tensors.Count.ToString();
                    tensors.Add(t);
                    var shape = t.shape;
                    var stride = new long[shape.Length];
                    long acc = 1;
                    for (var i = shape.Length - 1; i >= 0; i--) { stride[i] = acc; acc *= shape[i]; }
                    var storage = new PyPersistent(new object?[]
                        { "storage", new PyGlobal("torch", TorchDtypes.StorageClass(t.dtype)), key, "cpu", t.numel() });
                    return new PyObject(new PyGlobal("torch._utils", "_rebuild_tensor_v2"),
                    [
                        storage, 0, shape.Select(x => (object?)x).ToArray(), stride.Select(x => (object?)x).ToArray(), false,
                        new PyObject(new PyGlobal("collections", "OrderedDict"), []),
                    ]);
                }
            case PyOrderedDict od:
                {
                    var copy = new PyOrderedDict();
                    foreach (var (k, x) in od) copy.Add(k, Encode(x, tensors));
                    return copy;
                }
            case System.Collections.IDictionary d:
                {
                    var copy = new Dictionary<object, object?>();
                    foreach (System.Collections.DictionaryEntry e in d) copy[e.Key] = Encode(e.Value, tensors);
                    return copy;
                }
            case object?[] tuple: return tuple.Select(x => Encode(x, tensors)).ToArray();
            case System.Collections.IList list when v is not string:
                return list.Cast<object?>().Select(x => Encode(x, tensors)).ToList();
            default: return v;
        }
    }

    public static object? Load(string path)
    {
        using var fs = File.OpenRead(path);
        return Load(fs, path);
    }

    public static object? Load(Stream stream, string name)
    {
        ZipArchive zip;
        try { zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true); }
        catch (InvalidDataException e) { throw new InvalidDataException($"{name}: not a readable torch zip file ({e.Message}); truncated or corrupt?", e); }
        using (zip)
        {
            if (zip.Entries.Count == 0) throw new InvalidDataException($"{name}: empty zip archive");
            var first = zip.Entries[0].FullName;
            var slash = first.IndexOf('/');
            if (slash <= 0) throw new InvalidDataException($"{name}: zip entries are not in a folder, so this is not a torch.save file");
            var prefix = first[..(slash + 1)];
            var pkl = zip.GetEntry(prefix + "data.pkl") ?? throw new InvalidDataException($"{name}: no {prefix}data.pkl, so this is not a torch.save file");
            var storages = new Dictionary<string, TorchStorage>();
            var reader = new PickleReader
            {
                Source = name,
                Reduce = TorchDtypes.RebuildTensor,
                PersistentLoad = id =>
                {
                    var t = (object?[])id!;
                    var key = (string)t[2]!;
                    if (storages.TryGetValue(key, out var known)) return known;
                    var dtype = TorchDtypes.FromStorageClass(((PyGlobal)t[1]!).Name);
                    var entry = zip.GetEntry(prefix + "data/" + key) ?? throw new InvalidDataException($"{name}: storage {key} missing");
                    var data = new byte[entry.Length];
                    using (var es = entry.Open()) es.ReadExactly(data);
                    var numel = data.LongLength / TorchDtypes.ElementSize(dtype);
                    return storages[key] = new TorchStorage(dtype, numel) { Data = data };
                },
            };
            using var ps = pkl.Open();
            return reader.Load(ps);
        }
    }
}
