namespace Isc.Imaging.Pixels;

/// <summary>
/// What a JPEG's markers up to its first scan say about the frame: the size, each component's id, sampling factors and
/// quantisation table, and the tables themselves in natural order (DQT stores them zigzagged).
/// </summary>
sealed record JpegFrame(int Width, int Height, JpegFrame.Component[] Components, int[]?[] QuantTables)
{
    public sealed record Component(int Id, int H, int V, int QuantTable);

    public int MaxH => Components.Max(c => c.H);
    public int MaxV => Components.Max(c => c.V);

    /// <summary>Zigzag position → natural (row-major) index.</summary>
    static ReadOnlySpan<byte> Natural =>
    [
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21,
        28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61,
        54, 47, 55, 62, 63,
    ];

    public static JpegFrame Read(ReadOnlySpan<byte> data)
    {
        var tables = new int[]?[4];
        Component[]? components = null;
        int width = 0, height = 0;
        var i = 2;
        while (i + 4 <= data.Length)
        {
            if (data[i] != 0xFF) throw new InvalidDataException("JPEG markers are damaged");
            var marker = data[i + 1];
            if (marker == 0xFF) { i++; continue; }
            if (marker is 0xD8 or 0x01 or (>= 0xD0 and <= 0xD7)) { i += 2; continue; }
            var length = (data[i + 2] << 8) | data[i + 3];
            if (length < 2 || i + 2 + length > data.Length) throw new InvalidDataException("JPEG marker runs past the end of the file");
            var body = data.Slice(i + 4, length - 2);
            if (marker == 0xDB)
                for (var p = 0; p < body.Length;)
                {
                    int precision = body[p] >> 4, id = body[p] & 15, size = precision == 0 ? 64 : 128;
                    if (id > 3 || p + 1 + size > body.Length) throw new InvalidDataException("JPEG quantisation table is damaged");
                    var table = new int[64];
                    for (var k = 0; k < 64; k++)
                        table[Natural[k]] = precision == 0 ? body[p + 1 + k] : (body[p + 1 + 2 * k] << 8) | body[p + 2 + 2 * k];
                    tables[id] = table;
                    p += 1 + size;
                }
            else if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                if (body.Length < 6) throw new InvalidDataException("JPEG frame header is damaged");
                height = (body[1] << 8) | body[2];
                width = (body[3] << 8) | body[4];
                var n = body[5];
                if (body.Length < 6 + 3 * n) throw new InvalidDataException("JPEG frame header is damaged");
                components = new Component[n];
                for (var c = 0; c < n; c++)
                {
                    var b = body.Slice(6 + 3 * c, 3);
                    components[c] = new Component(b[0], b[1] >> 4, b[1] & 15, b[2] & 3);
                }
            }
            else if (marker == 0xDA) break;
            i += 2 + length;
        }
        if (components is null || width == 0 || height == 0) throw new InvalidDataException("JPEG has no frame header before its image data");
        if (components.Any(c => c.H is < 1 or > 4 || c.V is < 1 or > 4)) throw new InvalidDataException("JPEG sampling factors are invalid");
        return new JpegFrame(width, height, components, tables);
    }
}
