using BitMiracle.LibJpeg.Classic;

namespace Isc.Imaging.Pixels;

/// <summary>
/// Four-component (CMYK or YCCK) JPEGs as Pillow reads and writes them through libjpeg-turbo: mode CMYK, samples in
/// rawmode "CMYK;I" (libjpeg's Adobe-inverted samples turned back, so 0 = no ink). BitMiracle.LibJpeg.NET only does
/// the entropy coding (its pixel stages follow IJG libjpeg 9, whose DCT scaling, upsampling and rounding differ from
/// libjpeg-turbo's); the DCTs, upsampling and colour conversion here are libjpeg-turbo's, so decodes and encodes are
/// Pillow's exactly (tested against Debian's Pillow 9.4).
/// </summary>
static class CmykJpeg
{
    /// <summary>Decodes to a CMYK image (<see cref="RgbImage.IsCmyk"/>) at full size: Pillow's Image.open(...) of the file.</summary>
    public static RgbImage Decode(string path, byte[] data)
    {
        var frame = JpegFrame.Read(data);
        if (frame.Components.Length != 4) throw new ArgumentException($"{path}: not a four-component JPEG");
        var cinfo = new jpeg_decompress_struct(new jpeg_error_mgr());
        jvirt_array<JBLOCK>[] coefficients;
        bool ycck;
        try
        {
            cinfo.jpeg_stdio_src(new MemoryStream(data, writable: false));
            cinfo.jpeg_read_header(true);
            ycck = cinfo.Jpeg_color_space == J_COLOR_SPACE.JCS_YCCK;
            coefficients = cinfo.jpeg_read_coefficients();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"{path}: the image data is corrupt or cannot be decoded ({e.Message}); replace or remove the file", e);
        }
        int w = frame.Width, h = frame.Height, maxH = frame.MaxH, maxV = frame.MaxV;
        var planes = new byte[4][];
        var strides = new int[4];
        Span<short> block = stackalloc short[64];
        for (var c = 0; c < 4; c++)
        {
            var comp = frame.Components[c];
            var quant = frame.QuantTables[comp.QuantTable] ?? throw new InvalidDataException($"{path}: a component's quantisation table is missing");
            if (maxH % comp.H != 0 || maxV % comp.V != 0)
                throw new InvalidDataException($"{path}: sampling factors {comp.H}x{comp.V} of {maxH}x{maxV} are not supported");
            int dw = Ceil(w * comp.H, maxH), dh = Ceil(h * comp.V, maxV);
            int bw = Ceil(dw, 8), bh = Ceil(dh, 8), stride = bw * 8;
            var plane = new byte[stride * bh * 8];
            for (var by = 0; by < bh; by++)
            {
                var row = coefficients[c].Access(by, 1)[0];
                for (var bx = 0; bx < bw; bx++)
                {
                    for (var k = 0; k < 64; k++) block[k] = row[bx][k];
                    JpegIslowDct.Inverse(block, quant, plane.AsSpan(by * 8 * stride + bx * 8), stride);
                }
            }
            int rh = maxH / comp.H, rv = maxV / comp.V;
            if (rh == 1 && rv == 1) { planes[c] = plane; strides[c] = stride; }
            else { planes[c] = JpegUpsample.Upsample(plane, stride, dw, dh, rh, rv); strides[c] = dw * rh; }
        }
        var img = new RgbImage(w, h, clear: false);
        img.AddBlack();
        var p = img.Pixels;
        var black = img.Black;
        for (var y = 0; y < h; y++)
            for (var x = 0; x < w; x++)
            {
                int i = y * w + x;
                int s0 = planes[0][y * strides[0] + x], s1 = planes[1][y * strides[1] + x],
                    s2 = planes[2][y * strides[2] + x], s3 = planes[3][y * strides[3] + x];
                if (ycck) YcckToCmyk(ref s0, ref s1, ref s2);
                p[3 * i] = (byte)(255 - s0);
                p[3 * i + 1] = (byte)(255 - s1);
                p[3 * i + 2] = (byte)(255 - s2);
                black[i] = (byte)(255 - s3);
            }
        return img;
    }

    static int Ceil(int a, int b) => (a + b - 1) / b;

    const int ScaleBits = 16, OneHalf = 1 << (ScaleBits - 1);
    const int Fix1402 = 91881, Fix1772 = 116130, Fix071414 = 46802, Fix034414 = 22554; // FIX(x) = x·2^16 rounded

    /// <summary>libjpeg-turbo's ycck_cmyk_convert: YCbCr → RGB by its tables, then inverted to CMY; K passes through.</summary>
    static void YcckToCmyk(ref int y, ref int cb, ref int cr)
    {
        int xb = cb - 128, xr = cr - 128;
        var rAdd = (Fix1402 * xr + OneHalf) >> ScaleBits;
        var bAdd = (Fix1772 * xb + OneHalf) >> ScaleBits;
        var gAdd = (-Fix034414 * xb + OneHalf - Fix071414 * xr) >> ScaleBits;
        int luma = y;
        y = Math.Clamp(255 - (luma + rAdd), 0, 255);
        cb = Math.Clamp(255 - (luma + gAdd), 0, 255);
        cr = Math.Clamp(255 - (luma + bAdd), 0, 255);
    }

    /// <summary>
    /// Pillow's save of a CMYK image as JPEG at <paramref name="quality"/> (1…100): libjpeg's default for CMYK input,
    /// a plain CMYK file (Adobe marker, transform 0, no colour transform), every component unsubsampled and on the
    /// luminance quantisation table, standard Huffman tables, baseline.
    /// </summary>
    public static byte[] Encode(RgbImage img, int quality)
    {
        if (!img.IsCmyk) throw new ArgumentException("the image is not CMYK");
        int w = img.Width, h = img.Height, bw = Ceil(w, 8), bh = Ceil(h, 8);
        using var output = new MemoryStream();
        var cinfo = new jpeg_compress_struct(new jpeg_error_mgr());
        cinfo.jpeg_stdio_dest(output);
        // BitMiracle's coefficient writer takes its frame settings (size and DCT block sizes, which it keeps internal)
        // from a decoder: that of a one-block CMYK file at this quality, its frame header given this image's size.
        Template(quality, w, h).jpeg_copy_critical_parameters(cinfo);
        var quant = LuminanceTable(quality);
        var arrays = new jvirt_array<JBLOCK>[4];
        var pixels = img.Pixels;
        var black = img.Black;
        Span<byte> samples = stackalloc byte[64];
        Span<short> coef = stackalloc short[64];
        for (var c = 0; c < 4; c++)
        {
            arrays[c] = jpeg_common_struct.CreateBlocksArray(bw, bh);
            arrays[c].ErrorProcessor = cinfo;
            for (var by = 0; by < bh; by++)
            {
                var row = arrays[c].Access(by, 1)[0];
                for (var bx = 0; bx < bw; bx++)
                {
                    // libjpeg pads the right and bottom edges by repeating the last column and row.
                    for (var r = 0; r < 8; r++)
                    {
                        var y = Math.Min(by * 8 + r, h - 1);
                        for (var k = 0; k < 8; k++)
                        {
                            var i = y * w + Math.Min(bx * 8 + k, w - 1);
                            samples[8 * r + k] = (byte)(255 - (c == 3 ? black[i] : pixels[3 * i + c]));
                        }
                    }
                    JpegIslowDct.Forward(samples, 8, quant, coef);
                    for (var k = 0; k < 64; k++) row[bx][k] = coef[k];
                }
            }
        }
        cinfo.jpeg_write_coefficients(arrays);
        cinfo.jpeg_finish_compress();
        return output.ToArray();
    }

    static jpeg_decompress_struct Template(int quality, int width, int height)
    {
        using var file = new MemoryStream();
        var c = new jpeg_compress_struct(new jpeg_error_mgr());
        c.jpeg_stdio_dest(file);
        c.Image_width = 8;
        c.Image_height = 8;
        c.Input_components = 4;
        c.In_color_space = J_COLOR_SPACE.JCS_CMYK;
        c.jpeg_set_defaults();
        c.jpeg_set_quality(quality, true);
        c.jpeg_start_compress(true);
        var rows = new byte[8][];
        for (var i = 0; i < 8; i++) rows[i] = new byte[32];
        c.jpeg_write_scanlines(rows, 8);
        c.jpeg_finish_compress();
        var bytes = file.ToArray();
        var sof = bytes.AsSpan().IndexOf((ReadOnlySpan<byte>)[0xFF, 0xC0]);
        bytes[sof + 5] = (byte)(height >> 8);
        bytes[sof + 6] = (byte)height;
        bytes[sof + 7] = (byte)(width >> 8);
        bytes[sof + 8] = (byte)width;
        var d = new jpeg_decompress_struct(new jpeg_error_mgr());
        d.jpeg_stdio_src(new MemoryStream(bytes, writable: false));
        d.jpeg_read_header(true);
        d.jpeg_calc_output_dimensions();
        return d;
    }

    /// <summary>The standard luminance table (natural order) scaled by jpeg_set_quality(quality, force_baseline: true).</summary>
    static int[] LuminanceTable(int quality)
    {
        ReadOnlySpan<int> basic =
        [
            16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56,
            14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
            49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
        ];
        var scale = quality < 50 ? 5000 / quality : 200 - quality * 2;
        var table = new int[64];
        for (var i = 0; i < 64; i++) table[i] = Math.Clamp((basic[i] * scale + 50) / 100, 1, 255);
        return table;
    }
}
