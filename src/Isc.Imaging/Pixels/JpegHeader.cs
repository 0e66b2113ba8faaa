namespace Isc.Imaging.Pixels;

/// <summary>
/// The frame header (SOF) of a JPEG file: stored size and component count, read by walking the markers. Used to pick
/// the decoder and the DCT scale before decoding; anything unexpected returns false (the caller falls back).
/// </summary>
public readonly record struct JpegHeader(int Width, int Height, int Components, bool Progressive)
{
    public static bool IsJpeg(ReadOnlySpan<byte> data) => data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF;

    public static bool TryRead(ReadOnlySpan<byte> data, out JpegHeader header)
    {
        header = default;
        if (!IsJpeg(data)) return false;
        var i = 2;
        while (i + 4 <= data.Length)
        {
            if (data[i] != 0xFF) return false;
            var marker = data[i + 1];
            if (marker == 0xFF) { i++; continue; } // fill byte
            if (marker is 0xD8 or 0x01 or (>= 0xD0 and <= 0xD7)) { i += 2; continue; } // no length
            var length = (data[i + 2] << 8) | data[i + 3];
            if (length < 2) return false;
            // SOF0…SOF15 except DHT (C4), JPG (C8) and DAC (CC).
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                if (i + 10 > data.Length) return false;
                var height = (data[i + 5] << 8) | data[i + 6];
                var width = (data[i + 7] << 8) | data[i + 8];
                header = new JpegHeader(width, height, data[i + 9], marker is 0xC2 or 0xC6 or 0xCA or 0xCE);
                return width > 0 && height > 0;
            }
            if (marker == 0xDA) return false; // scan before frame: not a valid JPEG
            i += 2 + length;
        }
        return false;
    }
}
