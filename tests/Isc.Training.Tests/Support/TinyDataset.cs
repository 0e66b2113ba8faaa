using Isc.Training.Util;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Isc.Training.Tests.Support;

/// <summary>
/// Real JPEG files in the published layout ({id}_{k}.jpg): each id a colour and stripe pattern, each k a jittered copy.
/// File ids are 0, idStride, 2·idStride, …
/// </summary>
public static class TinyDataset
{
    public static string Create(string dir, int ids, int perId, int size, int seed = 7, int idStride = 10)
    {
        Directory.CreateDirectory(dir);
        for (var id = 0; id < ids; id++)
        {
            var idRng = DetRandom.For(seed, id);
            var (r, g, b) = (idRng.NextInt(256), idRng.NextInt(256), idRng.NextInt(256));
            var period = 3 + id % 7;
            var vertical = id % 2 == 0;
            for (var k = 0; k < perId; k++)
            {
                var rng = DetRandom.For(seed, id, k);
                var shift = rng.NextInt(period);
                using var img = new Image<Rgb24>(size, size);
                for (var y = 0; y < size; y++)
                    for (var x = 0; x < size; x++)
                    {
                        var on = ((vertical ? x : y) + shift) / period % 2 == 0;
                        var n = rng.NextInt(31) - 15;
                        img[x, y] = on
                            ? new Rgb24(Clamp(r + n), Clamp(g + n), Clamp(b + n))
                            : new Rgb24(Clamp(255 - r + n), Clamp(255 - g + n), Clamp(255 - b + n));
                    }
                img.SaveAsJpeg(Path.Combine(dir, $"{id * idStride}_{k}.jpg"));
            }
        }
        return dir;
    }

    static byte Clamp(int v) => (byte)Math.Clamp(v, 0, 255);
}
