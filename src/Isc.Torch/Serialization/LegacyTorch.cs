using Isc.Torch.Pickle;

namespace Isc.Torch.Serialization;

/// <summary>
/// The legacy (pre-1.6, non-zip) torch.save stream: magic pickle, protocol pickle, sys-info pickle, the main
/// pickle (storages as 6-tuple persistent ids), the list of storage keys, then each storage's int64 element
/// count and raw bytes in that order. Also the form that <c>torch.storage._load_from_bytes</c> embeds in
/// plain pickles of tensors.
/// </summary>
public static class LegacyTorch
{

    public static object? Load(Stream s, string name)
    {
        var plain = new PickleReader { Source = name };
        var magic = plain.Load(s);
        if (magic is not System.Numerics.BigInteger big || big != System.Numerics.BigInteger.Parse("119547037146038801333356"))
            throw new InvalidDataException($"{name}: not a torch.save file (bad magic number {magic})");
        if (plain.Load(s) is not long protocol || protocol != 1001)
            throw new InvalidDataException($"{name}: unsupported legacy torch protocol");
        plain.Load(s); // sys info: little-endian is the only layout supported
        var storages = new Dictionary<string, TorchStorage>();
        var pending = new List<PendingTensor>();
        var main = new PickleReader
        {
            Source = name,
            Reduce = (f, a) =>
            {
                var r = TorchDtypes.RebuildTensor(f, a);
                if (r is PendingTensor p) pending.Add(p);
                return r ?? Reduce(f, a);
            },
            PersistentLoad = id =>
            {
                var t = (object?[])id!;
                if ((string?)t[0] != "storage") throw new InvalidDataException($"{name}: pickled module objects are not supported, only tensors");
                var key = (string)t[2]!;
                if (!storages.TryGetValue(key, out var st))
                    storages[key] = st = new TorchStorage(TorchDtypes.FromStorageClass(((PyGlobal)t[1]!).Name), Convert.ToInt64(t[4]));
                return st;
            },
        }.Load(s);
        var keys = (List<object?>)plain.Load(s)!;
        var br = new BinaryReader(s);
        foreach (var item in keys)
        {
            var key = item as string ?? throw new InvalidDataException($"{name}: the storage key list holds a {item?.GetType().Name ?? "None"}, not a storage key");
            var numel = br.ReadInt64();
            if (!storages.TryGetValue(key, out var st)) throw new InvalidDataException($"{name}: storage {key} not referenced by the pickle");
            if (numel != st.Numel) throw new InvalidDataException($"{name}: storage {key} has {numel} elements, the pickle says {st.Numel}");
            var bytes = br.ReadBytes(checked((int)(numel * TorchDtypes.ElementSize(st.Dtype))));
            if (bytes.Length != numel * TorchDtypes.ElementSize(st.Dtype)) throw new InvalidDataException($"{name}: file ends inside storage {key} (truncated?)");
            st.Data = bytes;
        }
        return Resolve(main);
    }

    /// <summary>Replaces <see cref="PendingTensor"/>s (storages now read) with tensors throughout the graph.</summary>
    internal static object? Resolve(object? v)
    {
        switch (v)
        {
            case PendingTensor p: return TorchDtypes.Materialize(p);
            case Dictionary<object, object?> d:
                foreach (var k in d.Keys.ToList()) d[k] = Resolve(d[k]);
                return d;
            case List<object?> l:
                for (var i = 0; i < l.Count; i++) l[i] = Resolve(l[i]);
                return l;
            case object?[] t:
                for (var i = 0; i < t.Length; i++) t[i] = Resolve(t[i]);
                return t;
            default: return v;
        }
    }

    /// <summary>Reducers for plain pickles: embedded legacy storages and numpy arrays.</summary>
    internal static object? Reduce(PyGlobal f, object?[] a)
    {
        if (f.Module == "torch.storage" && f.Name == "_load_from_bytes")
        {
            using var ms = new MemoryStream((byte[])a[0]!);
            return Load(ms, "embedded storage");
        }
        return null;
    }
}
