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
        Isc.Artifacts.AtomicFile.Write(path, s =>
        {
            s.Write(Header(shape));
            s.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan()));
        });
    }

    /// <summary>The version-1.0 header of a C-order little-endian float32 array of <paramref name="shape"/>, padded to 64 bytes.</summary>
    public static byte[] Header(params long[] shape)
    {
        var dims = shape.Length == 1 ? $"({shape[0]},)" : "(" + string.Join(", ", shape) + ")";
        var header = $"{{'descr': '<f4', 'fortran_order': False, 'shape': {dims}, }}";
        var total = 10 + header.Length + 1;
        header += new string(' ', (64 - total % 64) % 64) + "\n";
        var bytes = new byte[10 + header.Length];
        new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 }.CopyTo(bytes, 0);
        BitConverter.GetBytes((ushort)header.Length).CopyTo(bytes, 8);
        Encoding.ASCII.GetBytes(header).CopyTo(bytes, 10);
        return bytes;
    }

    [GeneratedRegex(@"'shape':\s*\(([^)]*)\)")]
    private static partial Regex ShapeRx();

    /// <summary>
    /// Reads a float32 array. The file is streamed into the result, so only the array itself is held (4 bytes an element:
    /// 8 GB for 1,000,000 descriptors of 2,048 dimensions) and files over 2 GB read like small ones.
    /// </summary>
    public static (float[] Data, long[] Shape) ReadFloat32(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        var (shape, dataStart) = ReadHeader(stream, path);
        var count = shape.Aggregate(1L, (a, b) => a * b);
        if (stream.Length - dataStart != count * 4)
            throw new InvalidDataException($"{path}: data length does not match shape ({stream.Length - dataStart} bytes of data, {count * 4} expected)");
        var data = new float[count];
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan());
        stream.ReadExactly(bytes);
        return (data, shape);
    }

    /// <summary>The shape of a C-order little-endian float32 .npy and where its data starts; anything else is an error naming the file.</summary>
    public static (long[] Shape, long DataStart) ReadHeader(Stream stream, string path)
    {
        var prefix = new byte[12];
        if (stream.ReadAtLeast(prefix.AsSpan(0, 10), 10, throwOnEndOfStream: false) < 10 || prefix[0] != 0x93 || Encoding.ASCII.GetString(prefix, 1, 5) != "NUMPY")
            throw new InvalidDataException($"{path}: not a .npy file");
        int headerLen, start;
        if (prefix[6] == 1) { headerLen = BitConverter.ToUInt16(prefix, 8); start = 10; }
        else { stream.ReadExactly(prefix, 10, 2); headerLen = (int)BitConverter.ToUInt32(prefix, 8); start = 12; }
        var headerBytes = new byte[headerLen];
        stream.ReadExactly(headerBytes);
        var header = Encoding.ASCII.GetString(headerBytes);
        if (!header.Contains("'<f4'") || header.Contains("'fortran_order': True"))
            throw new InvalidDataException($"{path}: only C-order little-endian float32 arrays are supported ({header.Trim()})");
        var shape = ShapeRx().Match(header).Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(x => long.Parse(x, CultureInfo.InvariantCulture)).ToArray();
        return (shape, start + headerLen);
    }
}
