using System.Globalization;
using Isc.Imaging.Pixels;

namespace Isc.Imaging.Tests;

/// <summary>
/// Runs a snippet under the real Pillow of /usr/bin/python3 on raw pixels, alpha included: `img` is the input (RGBA when
/// it has an alpha plane, else RGB), `args` the extra arguments; assign `out`. Returns Pillow's mode and pixels.
/// </summary>
public static class PillowRgba
{
    public static (string Mode, RgbImage Image) Run(RgbImage input, string body, params string[] args)
    {
        var dir = TestAssets.TempDir("py-rgba");
        try
        {
            var inPath = Path.Combine(dir, "in.raw");
            var outPath = Path.Combine(dir, "out.raw");
            File.WriteAllBytes(inPath, Interleaved(input));
            var script = $"""
                import sys, numpy as np
                from PIL import Image, ImageDraw
                img = Image.frombytes(sys.argv[1], (int(sys.argv[2]), int(sys.argv[3])), open(sys.argv[4], 'rb').read())
                args = sys.argv[6:]
                {body}
                open(sys.argv[5], 'wb').write(out.tobytes())
                print(out.mode, out.size[0], out.size[1])
                """;
            string[] all = [input.HasAlpha ? "RGBA" : "RGB", N(input.Width), N(input.Height), inPath, outPath, .. args];
            var head = PythonPillow.Exec(script, all).Trim().Split(' ');
            var mode = head[0];
            int w = int.Parse(head[1], CultureInfo.InvariantCulture), h = int.Parse(head[2], CultureInfo.InvariantCulture);
            return (mode, FromRaw(File.ReadAllBytes(outPath), mode, w, h));
        }
        finally { Directory.Delete(dir, true); }
    }

    static string N(int v) => v.ToString(CultureInfo.InvariantCulture);

    public static byte[] Interleaved(RgbImage img)
    {
        if (!img.HasAlpha) return img.Pixels.ToArray();
        var p = img.Pixels;
        var a = img.Alpha;
        var raw = new byte[a.Length * 4];
        for (var i = 0; i < a.Length; i++)
        {
            raw[4 * i] = p[3 * i];
            raw[4 * i + 1] = p[3 * i + 1];
            raw[4 * i + 2] = p[3 * i + 2];
            raw[4 * i + 3] = a[i];
        }
        return raw;
    }

    static RgbImage FromRaw(byte[] raw, string mode, int w, int h)
    {
        var img = new RgbImage(w, h);
        var p = img.Pixels;
        switch (mode)
        {
            case "RGB": raw.CopyTo(p); break;
            case "L": for (var i = 0; i < w * h; i++) p[3 * i] = p[3 * i + 1] = p[3 * i + 2] = raw[i]; break;
            case "RGBA":
                img.AddAlpha();
                var a = img.Alpha;
                for (var i = 0; i < w * h; i++)
                {
                    p[3 * i] = raw[4 * i];
                    p[3 * i + 1] = raw[4 * i + 1];
                    p[3 * i + 2] = raw[4 * i + 2];
                    a[i] = raw[4 * i + 3];
                }
                break;
            default: throw new InvalidOperationException($"unexpected mode {mode}");
        }
        return img;
    }

    /// <summary>The largest difference over every channel, alpha included; both images must be RGBA or both RGB.</summary>
    public static int MaxDiff(RgbImage mine, RgbImage theirs)
    {
        Assert.That(mine.HasAlpha, Is.EqualTo(theirs.HasAlpha), "RGBA (has alpha) vs Pillow's mode");
        var max = PythonPillow.MaxDiff(mine, theirs);
        if (mine.HasAlpha)
        {
            var a = mine.Alpha;
            var b = theirs.Alpha;
            for (var i = 0; i < a.Length; i++) max = Math.Max(max, Math.Abs(a[i] - b[i]));
        }
        return max;
    }

    /// <summary>A photo-like picture with an alpha plane that has 0, 255 and everything between (a 0 block, a 255 block, ramps).</summary>
    public static RgbImage PictureWithAlpha(int width, int height, int seed)
    {
        var img = TestAssets.Picture(width, height, seed);
        img.AddAlpha();
        var a = img.Alpha;
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                a[y * width + x] = x < width / 5 && y < height / 5 ? (byte)0
                    : x > width * 4 / 5 && y > height * 4 / 5 ? (byte)255
                    : (byte)((x * 7 + y * 13 + seed) % 256);
        return img;
    }
}
