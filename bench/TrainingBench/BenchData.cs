using Isc.Training.Util;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

/// <summary>Small training folders in the published layout ({id}_{k}.jpg) for the benchmarks.</summary>
static class BenchData
{
    public static string DemoLayout(string dir, int ids, int perId, int size, int quality = 75)
    {
        Directory.CreateDirectory(dir);
        var encoder = new SixLabors.ImageSharp.Formats.Jpeg.JpegEncoder { Quality = quality };
        Parallel.For(0, ids, id =>
        {
            for (var k = 0; k < perId; k++)
            {
                var rng = DetRandom.For(5, id, k);
                using var img = new Image<Rgb24>(size, size);
                for (var y = 0; y < size; y++)
                    for (var x = 0; x < size; x++)
                        img[x, y] = new Rgb24((byte)(id * 15), (byte)rng.NextInt(256), (byte)(x * 256 / size));
                img.SaveAsJpeg(Path.Combine(dir, $"{id}_{k}.jpg"), encoder);
            }
        });
        return dir;
    }
}
