using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace Isc.Training.Logging;

/// <summary>
/// TensorBoard scalar events written by hand (no .NET library is served here): a TFRecord file of
/// <c>Event</c> protobufs (wall_time=1 double, step=2 int64, file_version=3 string, summary=5 { value=1 { tag=1, simple_value=2 float } }),
/// each record framed as length, masked CRC-32C of the length, data, masked CRC-32C of the data.
/// </summary>
public sealed class TensorBoardWriter : IDisposable
{
    readonly FileStream file;

    public string Path { get; }

    public TensorBoardWriter(string dir)
    {
        Directory.CreateDirectory(dir);
        var now = DateTimeOffset.UtcNow;
        Path = System.IO.Path.Combine(dir, $"events.out.tfevents.{now.ToUnixTimeSeconds()}.{Environment.MachineName}.{Environment.ProcessId}");
        file = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read);
        var ev = new List<byte>();
        Double(ev, 1, now.ToUnixTimeMilliseconds() / 1000.0);
        Bytes(ev, 3, Encoding.UTF8.GetBytes("brain.Event:2"));
        Record([.. ev]);
    }

    public void Scalar(string tag, float value, long step)
    {
        var val = new List<byte>();
        Bytes(val, 1, Encoding.UTF8.GetBytes(tag));
        Tag(val, 2, 5); val.AddRange(BitConverter.GetBytes(value));
        var summary = new List<byte>();
        Bytes(summary, 1, [.. val]);
        var ev = new List<byte>();
        Double(ev, 1, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0);
        Tag(ev, 2, 0); Varint(ev, (ulong)step);
        Bytes(ev, 5, [.. summary]);
        Record([.. ev]);
    }

    public void Flush() => file.Flush();

    void Record(byte[] data)
    {
        Span<byte> len = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)data.Length);
        Span<byte> crc = stackalloc byte[4];
        file.Write(len);
        BinaryPrimitives.WriteUInt32LittleEndian(crc, MaskedCrc(len));
        file.Write(crc);
        file.Write(data);
        BinaryPrimitives.WriteUInt32LittleEndian(crc, MaskedCrc(data));
        file.Write(crc);
    }

    public static uint Crc32C(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data) crc = BitOperations.Crc32C(crc, b);
        return ~crc;
    }

    public static uint MaskedCrc(ReadOnlySpan<byte> data)
    {
        var c = Crc32C(data);
        return ((c >> 15) | (c << 17)) + 0xa282ead8u;
    }

    static void Tag(List<byte> b, int field, int wire) => Varint(b, (ulong)((field << 3) | wire));

    static void Varint(List<byte> b, ulong v)
    {
        while (v >= 0x80) { b.Add((byte)(v | 0x80)); v >>= 7; }
        b.Add((byte)v);
    }

    static void Double(List<byte> b, int field, double v) { Tag(b, field, 1); b.AddRange(BitConverter.GetBytes(v)); }

    static void Bytes(List<byte> b, int field, byte[] data) { Tag(b, field, 2); Varint(b, (ulong)data.Length); b.AddRange(data); }

    public void Dispose() => file.Dispose();
}
