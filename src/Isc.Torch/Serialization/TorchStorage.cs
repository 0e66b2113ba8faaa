using Isc.Torch.Pickle;
using TorchSharp;
using static TorchSharp.torch;

namespace Isc.Torch.Serialization;

/// <summary>A storage read from a torch file: its dtype, element count and (once read) raw little-endian bytes.</summary>
public sealed class TorchStorage(ScalarType dtype, long numel)
{
    public ScalarType Dtype { get; } = dtype;
    public long Numel { get; } = numel;
    public byte[]? Data { get; set; }
}

/// <summary>A tensor whose storage bytes come later in the file (the legacy format writes them after the pickle).</summary>
public sealed record PendingTensor(TorchStorage Storage, long Offset, long[] Size, long[] Stride);

/// <summary>torch storage class names, dtypes and element sizes, and building tensors from raw bytes.</summary>
public static class TorchDtypes
{
    static readonly (string Storage, ScalarType Dtype, int Bytes, string Numpy)[] Table =
    [
        ("FloatStorage", ScalarType.Float32, 4, "f4"),
        ("DoubleStorage", ScalarType.Float64, 8, "f8"),
        ("HalfStorage", ScalarType.Float16, 2, "f2"),
        ("BFloat16Storage", ScalarType.BFloat16, 2, ""),
        ("LongStorage", ScalarType.Int64, 8, "i8"),
        ("IntStorage", ScalarType.Int32, 4, "i4"),
        ("ShortStorage", ScalarType.Int16, 2, "i2"),
        ("CharStorage", ScalarType.Int8, 1, "i1"),
        ("ByteStorage", ScalarType.Byte, 1, "u1"),
        ("BoolStorage", ScalarType.Bool, 1, "b1"),
    ];

    public static ScalarType FromStorageClass(string name) =>
        Table.FirstOrDefault(t => t.Storage == name) is { Storage: not null } e ? e.Dtype
        : throw new InvalidDataException($"unsupported torch storage type '{name}'");

    public static string StorageClass(ScalarType dtype) =>
        Table.FirstOrDefault(t => t.Dtype == dtype) is { Storage: not null } e ? e.Storage
        : throw new ArgumentException($"cannot save tensors of dtype {dtype}");

    public static ScalarType FromNumpy(string code) =>
        Table.FirstOrDefault(t => t.Numpy == code && code != "") is { Storage: not null } e ? e.Dtype
        : throw new InvalidDataException($"unsupported numpy dtype '{code}'");

    public static int ElementSize(ScalarType dtype) => Table.First(t => t.Dtype == dtype).Bytes;

    /// <summary>A contiguous CPU tensor gathered from storage bytes with PyTorch's offset/size/stride semantics.</summary>
    public static Tensor Build(ScalarType dtype, byte[] data, long storageNumel, long offset, long[] size, long[] stride)
    {
        var esize = ElementSize(dtype);
        if (data.LongLength < storageNumel * esize)
            throw new InvalidDataException($"storage holds {data.LongLength} bytes, {storageNumel * esize} expected (truncated file?)");
        long maxIndex = offset;
        for (var i = 0; i < size.Length; i++) if (size[i] > 0) maxIndex += (size[i] - 1) * stride[i];
        if (size.All(d => d > 0) && maxIndex >= Math.Max(storageNumel, 1))
            throw new InvalidDataException($"tensor view (offset {offset}, size [{string.Join(",", size)}]) runs past its storage of {storageNumel}");
        using var flat = empty(storageNumel, dtype);
        if (storageNumel > 0) data.AsSpan(0, checked((int)(storageNumel * esize))).CopyTo(flat.bytes);
        using var view = flat.as_strided(size, stride, offset);
        // Every intermediate disposed here: a wrapper left to the collector is freed on its finalizer thread.
        using var packed = view.contiguous();
        return packed.clone();
    }

    public static Tensor Materialize(PendingTensor p) =>
        Build(p.Storage.Dtype, p.Storage.Data ?? throw new InvalidDataException("storage bytes missing from the file"), p.Storage.Numel, p.Offset, p.Size, p.Stride);

    internal static long[] Longs(object? tuple) => ((object?[])tuple!).Select(Convert.ToInt64).ToArray();

    /// <summary>The reducer shared by all formats: torch._utils._rebuild_tensor(_v2) and _rebuild_parameter.</summary>
    internal static object? RebuildTensor(PyGlobal f, object?[] a)
    {
        if (f.Module != "torch._utils") return null;
        switch (f.Name)
        {
            case "_rebuild_tensor_v2":
            case "_rebuild_tensor":
                {
                    var st = (TorchStorage)a[0]!;
                    var p = new PendingTensor(st, Convert.ToInt64(a[1]), Longs(a[2]), Longs(a[3]));
                    return st.Data is null ? p : Materialize(p);
                }
            case "_rebuild_parameter":
            case "_rebuild_parameter_with_state":
                return a[0];
            default: return null;
        }
    }
}
