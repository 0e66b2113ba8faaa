using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Isc.Torch.Serialization;

/// <summary>numpy's .npy format (version 1.0) for little-endian float32 arrays.</summary>
public static partial class Npy
{
    public static void WriteFloat32(string path, float[] data, params long[] shape)
    {
        if (shape.Aggregate(1L, (a, b) => a * b) != data.LongLength) throw new ArgumentException("shape does not match the data length");
        var dims = shape.Length == 1 ? $"({shape[0]},)" : "(" + string.Join(", ", shape) + ")";
        var header = $"{{'descr': '<f4', 'fortran_order': False, 'shape': {dims}, }}";
        var total = 10 + header.Length + 1;
        header += new string(' ', (64 - total % 64) % 64) + "\n";
        Isc.Artifacts.AtomicFile.Write(path, s =>
        {
            s.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
            s.Write(BitConverter.GetBytes((ushort)header.Length));
            s.Write(Encoding.ASCII.GetBytes(header));
            s.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan()));
        });
    }

    [GeneratedRegex(@"'shape':\s*\(([^)]*)\)")]
    private static partial Regex ShapeRx();

    public static (float[] Data, long[] Shape) ReadFloat32(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 10 || bytes[0] != 0x93 || Encoding.ASCII.GetString(bytes, 1, 5) != "NUMPY")
            throw new InvalidDataException($"{path}: not a .npy file");
        int headerLen, start;
        if (bytes[6] == 1) { headerLen = BitConverter.ToUInt16(bytes, 8); start = 10; }
        else { headerLen = (int)BitConverter.ToUInt32(bytes, 8); start = 12; }
        var header = Encoding.ASCII.GetString(bytes, start, headerLen);
        if (!header.Contains("'<f4'") || header.Contains("'fortran_order': True"))
            throw new InvalidDataException($"{path}: only C-order little-endian float32 arrays are supported ({header.Trim()})");
        var shape = ShapeRx().Match(header).Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(x => long.Parse(x, CultureInfo.InvariantCulture)).ToArray();
        var data = new float[(bytes.Length - start - headerLen) / 4];
        Buffer.BlockCopy(bytes, start + headerLen, data, 0, data.Length * 4);
        if (data.LongLength != shape.Aggregate(1L, (a, b) => a * b)) throw new InvalidDataException($"{path}: data length does not match shape");
        return (data, shape);
    }
}
