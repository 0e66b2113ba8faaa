using Isc.Recipe;
using Isc.Torch.Pickle;
using Isc.Torch.Serialization;
using TorchSharp;
using static TorchSharp.torch;

namespace Isc.Training.Model;

/// <summary>
/// Writes a backbone in the published format of its kind (so the demo exercises the real readers):
/// resnet50 → torch.save zip of a torchvision-named state_dict without fc; resnet152/ibn → a plain pickle of
/// {"model": {name: numpy array}, "__author__": ..., "matching_heuristics": True}.
/// </summary>
public static class PretrainedWriter
{
    public static void Write(D2lvNet model, string path, string author)
    {
        var tensors = PretrainedLoader.TorchvisionStateDict(model);
        if (model.Backbone.PretrainedFormat == PretrainedFormat.TorchZip)
        {
            var od = new PyOrderedDict();
            foreach (var (k, t) in tensors) od.Add(k, t);
            TorchZip.Save(path, od);
            return;
        }
        var arrays = new Dictionary<object, object?>();
        foreach (var (k, t) in tensors) arrays[k] = NumpyArray(t);
        var root = new Dictionary<object, object?> { ["model"] = arrays, ["__author__"] = author, ["matching_heuristics"] = true };
        Isc.Artifacts.AtomicFile.Write(path, s => PickleWriter.Write(s, root));
    }

    /// <summary>numpy's own pickling of an ndarray (protocol 2 form: the bytes as _codecs.encode(latin-1 text)).</summary>
    static PyObject NumpyArray(Tensor t)
    {
        using var c = t.detach().cpu().contiguous();
        var code = c.dtype switch
        {
            ScalarType.Float32 => "f4",
            ScalarType.Int64 => "i8",
            _ => throw new ArgumentException($"no numpy code for {c.dtype}"),
        };
        var bytes = c.numel() == 0 ? [] : c.bytes.ToArray();
        var dtype = new PyObject(new PyGlobal("numpy", "dtype"), [code, false, true])
        {
            State = new object?[] { 3, "<", null, null, null, -1, -1, 0 },
        };
        return new PyObject(new PyGlobal("numpy.core.multiarray", "_reconstruct"), [new PyGlobal("numpy", "ndarray"), new object?[] { 0 }, Latin1Bytes([(byte)'b'])])
        {
            State = new object?[] { 1, c.shape.Select(x => (object?)x).ToArray(), dtype, false, Latin1Bytes(bytes) },
        };
    }

    static PyObject Latin1Bytes(byte[] b) =>
        new(new PyGlobal("_codecs", "encode"), [System.Text.Encoding.Latin1.GetString(b), "latin1"]);
}
