using Isc.Torch.Pickle;
using static TorchSharp.torch;

namespace Isc.Torch.Serialization;

/// <summary>
/// A tensor as <c>pickle.dump</c> (not torch.save) writes it: <c>torch._utils._rebuild_tensor_v2</c> over
/// <c>torch.storage._load_from_bytes(b)</c>, where b is a whole legacy torch.save stream of the one storage
/// (magic number, protocol 1001, system info, the storage's persistent id, its key list, then the element count
/// and the raw little-endian bytes). <c>pickle.load</c> gives the tensor back without torch.load.
/// </summary>
public static class PlainPickleTensor
{
    static readonly System.Numerics.BigInteger Magic = System.Numerics.BigInteger.Parse("119547037146038801333356");

    public static PyObject Encode(Tensor tensor)
    {
        using var t = tensor.detach().cpu().contiguous();
        var shape = t.shape;
        var stride = new long[shape.Length];
        long acc = 1;
        for (var i = shape.Length - 1; i >= 0; i--) { stride[i] = acc; acc *= shape[i]; }
        return new PyObject(new PyGlobal("torch._utils", "_rebuild_tensor_v2"),
        [
            new PyObject(new PyGlobal("torch.storage", "_load_from_bytes"), [Latin1Bytes(LegacyStorage(t))]),
            0, shape.Select(x => (object?)x).ToArray(), stride.Select(x => (object?)x).ToArray(), false,
            new PyObject(new PyGlobal("collections", "OrderedDict"), []),
        ]);
    }

    static byte[] LegacyStorage(Tensor t)
    {
        using var ms = new MemoryStream();
        PickleWriter.Write(ms, Magic);
        PickleWriter.Write(ms, 1001L);
        PickleWriter.Write(ms, new Dictionary<object, object?>
        {
            ["protocol_version"] = 1001L,
            ["little_endian"] = true,
            ["type_sizes"] = new Dictionary<object, object?> { ["short"] = 2L, ["int"] = 4L, ["long"] = 4L },
        });
        PickleWriter.Write(ms, new PyPersistent(new object?[] { "storage", new PyGlobal("torch", TorchDtypes.StorageClass(t.dtype)), "0", "cpu", t.numel(), null }));
        PickleWriter.Write(ms, new List<object?> { "0" });
        var count = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(count, t.numel());
        ms.Write(count);
        if (t.numel() > 0) ms.Write(t.bytes);
        return ms.ToArray();
    }

    /// <summary>bytes as a protocol-2 pickle holds them: <c>_codecs.encode(latin-1 text, "latin1")</c>.</summary>
    static PyObject Latin1Bytes(byte[] b) =>
        new(new PyGlobal("_codecs", "encode"), [System.Text.Encoding.Latin1.GetString(b), "latin1"]);
}
