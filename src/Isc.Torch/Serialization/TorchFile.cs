using Isc.Torch.Pickle;

namespace Isc.Torch.Serialization;

/// <summary>Reads what torch.load or pickle.load would: a zip torch.save file, a legacy torch.save stream, or a plain pickle.</summary>
public static class TorchFile
{
    /// <summary>Every failure names <paramref name="path"/> (a message from deep in a reader, e.g. an unknown pickle opcode, does not).</summary>
    public static object? Load(string path) => Load(path, numpyAsTensors: true);

    /// <summary>
    /// As <see cref="Load(string)"/>; with <paramref name="numpyAsTensors"/> false a numpy array stays the
    /// <see cref="PyObject"/> pickle made of it (<see cref="Numpy.IsArray"/>), for a caller that must tell arrays from tensors.
    /// </summary>
    public static object? Load(string path, bool numpyAsTensors)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file", path);
        if (new FileInfo(path).Length == 0) throw new InvalidDataException($"{path}: empty file");
        try
        {
            return LoadUnchecked(path, numpyAsTensors);
        }
        catch (Exception e) when (e is InvalidDataException or InvalidCastException or KeyNotFoundException or EndOfStreamException
                                      or ArgumentException or NotSupportedException or FormatException or IndexOutOfRangeException or OverflowException
                                      or InvalidOperationException)
        {
            if (e is InvalidDataException && e.Message.Contains(path, StringComparison.Ordinal)) throw;
            throw new InvalidDataException($"{path}: not a readable torch or pickle file ({e.Message}); {Describe(path)}", e);
        }
    }

    static object? LoadUnchecked(string path, bool numpyAsTensors)
    {
        if (TorchZip.IsZip(path)) return TorchZip.Load(path);
        using var fs = new BufferedStream(File.OpenRead(path), 1 << 20);
        var first = new byte[3];
        fs.ReadExactly(first);
        fs.Seek(0, SeekOrigin.Begin);
        // Legacy torch.save starts with the pickled magic number: PROTO 2, LONG1 of 10 bytes.
        if (first[0] == 0x80 && first[1] == 2 && first[2] == 0x8a) return LegacyTorch.Load(fs, path);
        var reader = new PickleReader
        {
            Source = path,
            Reduce = (f, a) => TorchDtypes.RebuildTensor(f, a) ?? LegacyTorch.Reduce(f, a),
        };
        var root = LegacyTorch.Resolve(reader.Load(fs));
        return numpyAsTensors ? Numpys(root) : root;
    }

    /// <summary>Whether <paramref name="path"/> is a torch.save file (zip, or the legacy stream), not a plain pickle.</summary>
    public static bool IsTorchSave(string path)
    {
        if (TorchZip.IsZip(path)) return true;
        using var fs = File.OpenRead(path);
        Span<byte> first = stackalloc byte[3];
        return fs.Read(first) == 3 && first[0] == 0x80 && first[1] == 2 && first[2] == 0x8a;
    }

    /// <summary>What the file looks like instead, from its first bytes (for the error message).</summary>
    static string Describe(string path)
    {
        var head = new byte[64];
        int n;
        using (var fs = File.OpenRead(path)) n = fs.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var bytes = head.AsSpan(0, n);
        if (bytes.Length >= 2 && bytes[0] == 0x80 && bytes[1] <= 5) return "it starts like a pickle but is damaged or not a checkpoint";
        var text = true;
        foreach (var b in bytes) text &= b is >= 0x20 and < 0x7f or (byte)'\n' or (byte)'\r' or (byte)'\t';
        if (text)
            return $"it is a text file (starts with \"{System.Text.Encoding.ASCII.GetString(bytes[..Math.Min(n, 40)]).ReplaceLineEndings(" ").Trim()}\"), not a checkpoint";
        return "it is neither a torch.save file nor a pickle; download the right file";
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
