using Isc.Torch.Pickle;
using static TorchSharp.torch;

namespace Isc.Torch.Serialization;

/// <summary>numpy arrays as pickled by <c>ndarray.__reduce__</c>: _reconstruct, then BUILD (version, shape, dtype, fortran, bytes).</summary>
public static class Numpy
{
    public static bool IsArray(object? v) =>
        v is PyObject { Callable: { Name: "_reconstruct" } g } && g.Module.StartsWith("numpy", StringComparison.Ordinal);

    public static Tensor ToTensor(PyObject o)
    {
        var state = o.State as object?[] ?? throw new InvalidDataException("numpy array without state");
        var shape = TorchDtypes.Longs(state[1]);
        var dtype = (PyObject)state[2]!;
        var code = (string)dtype.Args[0]!;
        var dstate = dtype.State as object?[];
        var order = dstate is { Length: > 1 } ? dstate[1] as string : "<";
        if (order == ">") throw new InvalidDataException("big-endian numpy arrays are not supported");
        var fortran = state[3] is true;
        var bytes = state[4] switch
        {
            byte[] b => b,
            string s => System.Text.Encoding.Latin1.GetBytes(s),
            _ => throw new InvalidDataException("numpy array data is neither bytes nor str"),
        };
        var st = FromCode(code);
        var numel = shape.Aggregate(1L, (x, y) => x * y);
        var stride = new long[shape.Length];
        long acc = 1;
        if (fortran) for (var i = 0; i < shape.Length; i++) { stride[i] = acc; acc *= shape[i]; }
        else for (var i = shape.Length - 1; i >= 0; i--) { stride[i] = acc; acc *= shape[i]; }
        return TorchDtypes.Build(st, bytes, numel, 0, shape, stride);
    }

    static ScalarType FromCode(string code) => code switch
    {
        "f4" or "float32" => ScalarType.Float32,
        "f8" or "float64" => ScalarType.Float64,
        "f2" or "float16" => ScalarType.Float16,
        "i8" or "int64" => ScalarType.Int64,
        "i4" or "int32" => ScalarType.Int32,
        "i2" => ScalarType.Int16,
        "i1" => ScalarType.Int8,
        "u1" or "uint8" => ScalarType.Byte,
        "b1" or "bool" => ScalarType.Bool,
        _ => throw new InvalidDataException($"unsupported numpy dtype '{code}'"),
    };
}
