namespace Isc.Imaging.Pixels;

/// <summary>
/// libjpeg-turbo's chroma upsampling (jdsample.c) with fancy upsampling on, as Pillow decodes: triangle filters for
/// 2h1v, 1h2v (a libjpeg-turbo addition that IJG's libjpeg lacks) and 2h2v, plain replication for any other whole
/// ratio and for 2h1v/2h2v planes at most 2 samples wide. Rows above the first and below the last repeat them, as
/// libjpeg's context rows do.
/// </summary>
static class JpegUpsample
{
    /// <summary>
    /// The plane (<paramref name="width"/>×<paramref name="height"/> samples, row stride <paramref name="stride"/>)
    /// upsampled by (<paramref name="rh"/>, <paramref name="rv"/>) into a new plane of (width·rh)×(height·rv).
    /// </summary>
    public static byte[] Upsample(byte[] plane, int stride, int width, int height, int rh, int rv)
    {
        var ow = width * rh;
        var output = new byte[ow * height * rv];
        if (rh == 2 && rv == 1 && width > 2) H2V1(plane, stride, width, height, output);
        else if (rh == 1 && rv == 2) H1V2(plane, stride, width, height, output);
        else if (rh == 2 && rv == 2 && width > 2) H2V2(plane, stride, width, height, output);
        else
            for (var y = 0; y < height * rv; y++)
            {
                var src = plane.AsSpan((y / rv) * stride, width);
                var dst = output.AsSpan(y * ow, ow);
                for (var x = 0; x < ow; x++) dst[x] = src[x / rh];
            }
        return output;
    }

    static void H2V1(byte[] plane, int stride, int width, int height, byte[] output)
    {
        for (var y = 0; y < height; y++)
        {
            var s = plane.AsSpan(y * stride, width);
            var d = output.AsSpan(y * width * 2, width * 2);
            d[0] = s[0];
            d[1] = (byte)((s[0] * 3 + s[1] + 2) >> 2);
            for (var x = 1; x < width - 1; x++)
            {
                var v = s[x] * 3;
                d[2 * x] = (byte)((v + s[x - 1] + 1) >> 2);
                d[2 * x + 1] = (byte)((v + s[x + 1] + 2) >> 2);
            }
            var last = width - 1;
            d[2 * last] = (byte)((s[last] * 3 + s[last - 1] + 1) >> 2);
            d[2 * last + 1] = s[last];
        }
    }

    static void H1V2(byte[] plane, int stride, int width, int height, byte[] output)
    {
        for (var y = 0; y < height; y++)
            for (var v = 0; v < 2; v++)
            {
                var near = plane.AsSpan(y * stride, width);
                var far = plane.AsSpan(Math.Clamp(v == 0 ? y - 1 : y + 1, 0, height - 1) * stride, width);
                var bias = v == 0 ? 1 : 2;
                var d = output.AsSpan((2 * y + v) * width, width);
                for (var x = 0; x < width; x++) d[x] = (byte)((near[x] * 3 + far[x] + bias) >> 2);
            }
    }

    static void H2V2(byte[] plane, int stride, int width, int height, byte[] output)
    {
        for (var y = 0; y < height; y++)
            for (var v = 0; v < 2; v++)
            {
                var near = plane.AsSpan(y * stride, width);
                var far = plane.AsSpan(Math.Clamp(v == 0 ? y - 1 : y + 1, 0, height - 1) * stride, width);
                var d = output.AsSpan((2 * y + v) * width * 2, width * 2);
                int sum = near[0] * 3 + far[0], next = near[1] * 3 + far[1];
                d[0] = (byte)((sum * 4 + 8) >> 4);
                d[1] = (byte)((sum * 3 + next + 7) >> 4);
                var previous = sum;
                sum = next;
                for (var x = 1; x < width - 1; x++)
                {
                    next = near[x + 1] * 3 + far[x + 1];
                    d[2 * x] = (byte)((sum * 3 + previous + 8) >> 4);
                    d[2 * x + 1] = (byte)((sum * 3 + next + 7) >> 4);
                    previous = sum;
                    sum = next;
                }
                var last = width - 1;
                d[2 * last] = (byte)((sum * 3 + previous + 8) >> 4);
                d[2 * last + 1] = (byte)((sum * 4 + 7) >> 4);
            }
    }
}
