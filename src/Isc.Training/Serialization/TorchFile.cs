using Isc.Training.Pickle;

namespace Isc.Training.Serialization;

/// <summary>Reads what torch.load or pickle.load would: a zip torch.save file, a legacy torch.save stream, or a plain pickle.</summary>
public static class TorchFile
{
    public static object? Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file", path);
        if (new FileInfo(path).Length == 0) throw new InvalidDataException($"{path}: empty file");
        if (TorchZip.IsZip(path)) return TorchZip.Load(path);
        using var fs = new BufferedStream(File.OpenRead(path), 1 << 20);
        var first = new byte[3];
        fs.ReadExactly(first);
        fs.Seek(0, SeekOrigin.Begin);
        // Legacy torch.save starts with the pickled magic number: PROTO 2, LONG1 of 10 bytes.
        if (first[0] == 0x80 && first[1] == 2 && first[2] == 0x8a) return LegacyTorch.Load(fs, path);
        try
        {
            var reader = new PickleReader
            {
                Source = path,
                Reduce = (f, a) => TorchDtypes.RebuildTensor(f, a) ?? LegacyTorch.Reduce(f, a),
            };
            return Numpys(LegacyTorch.Resolve(reader.Load(fs)));
        }
        catch (Exception e) when (e is InvalidCastException or KeyNotFoundException or EndOfStreamException or ArgumentException)
        {
            throw new InvalidDataException($"{path}: not a readable torch or pickle file ({e.Message})", e);
        }
    }

    static object? Numpys(object? v)
    {
        switch (v)
        {
            case PyObject o when Numpy.IsArray(o): return Numpy.ToTensor(o);
            case Dictionary<object, object?> d:
                foreach (var k in d.Keys.ToList()) d[k] = Numpys(d[k]);
                return d;
            case List<object?> l:
                for (var i = 0; i < l.Count; i++) l[i] = Numpys(l[i]);
                return l;
            default: return v;
        }
    }
}
