using BitMiracle.LibJpeg.Classic;
using Isc.Imaging.Pixels;

namespace Isc.Imaging.Tests;

/// <summary>
/// JPEG files in each form a DISC21 image opens in with Pillow, for the mode parity tests, and Pillow itself running the
/// original scripts' lines on them. Kinds: "L" and "RGB" (a photo-like picture saved by Pillow in that mode), "cmyk" and
/// "cmyk-progressive" (four varying inks saved by Pillow: plain CMYK, unsubsampled), "ycck-HxV" (written by
/// BitMiracle as YCCK, Adobe transform 2, Y and K sampled H×V; Pillow cannot write YCCK, and this encoder only has to
/// make a valid file: Pillow decodes it for the expected values).
/// </summary>
static class ModeJpegs
{
    /// <summary>Writes <c>root/folder/O00000.jpg</c> (one file per folder, an overlay library of one) and returns its path.</summary>
    public static string Write(string root, string folder, string kind, int w, int h, int seed, int quality = 92)
    {
        var dir = Path.Combine(root, folder);
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "O00000.jpg");
        if (kind is "L" or "RGB")
        {
            using var pic = TestAssets.Picture(w, h, seed);
            var png = Path.Combine(root, folder + ".png");
            File.WriteAllBytes(png, ImageCodec.EncodePng(pic));
            PythonPillow.Exec($"import sys\nfrom PIL import Image\nImage.open(sys.argv[1]).convert('{kind}').save(sys.argv[2], quality={quality})", png, path);
            return path;
        }
        var samples = CmykSamples(w, h, seed);
        if (kind.StartsWith("cmyk", StringComparison.Ordinal))
        {
            var raw = Path.Combine(root, folder + ".raw");
            File.WriteAllBytes(raw, samples);
            PythonPillow.Exec($"""
                import sys, numpy as np
                from PIL import Image
                a = np.fromfile(sys.argv[1], np.uint8).reshape({h}, {w}, 4)
                Image.fromarray(a, 'CMYK').save(sys.argv[2], quality={quality}, progressive={(kind == "cmyk-progressive" ? "True" : "False")})
                """, raw, path);
        }
        else if (kind.StartsWith("ycck-", StringComparison.Ordinal)) File.WriteAllBytes(path, Ycck(samples, w, h, kind[5] - '0', kind[7] - '0', quality));
        else throw new ArgumentException($"unknown kind {kind}", nameof(kind));
        return path;
    }

    /// <summary>Whether Pillow opens files of <paramref name="kind"/> in mode CMYK.</summary>
    public static bool IsCmyk(string kind) => kind is not ("L" or "RGB");

    /// <summary>A picture with all four inks varying: C, M, Y from a photo-like picture, K from a second one.</summary>
    public static byte[] CmykSamples(int w, int h, int seed)
    {
        using var a = TestAssets.Picture(w, h, seed);
        using var b = TestAssets.Picture(w, h, seed + 1000);
        var s = new byte[w * h * 4];
        for (var i = 0; i < w * h; i++)
        {
            s[4 * i] = (byte)(255 - a.Pixels[3 * i]);
            s[4 * i + 1] = (byte)(255 - a.Pixels[3 * i + 1]);
            s[4 * i + 2] = (byte)(255 - a.Pixels[3 * i + 2]);
            s[4 * i + 3] = (byte)(b.Pixels[3 * i + 1] / 2);
        }
        return s;
    }

    static byte[] Ycck(byte[] samples, int w, int h, int hs, int vs, int quality)
    {
        using var output = new MemoryStream();
        var c = new jpeg_compress_struct(new jpeg_error_mgr());
        c.jpeg_stdio_dest(output);
        c.Image_width = w;
        c.Image_height = h;
        c.Input_components = 4;
        c.In_color_space = J_COLOR_SPACE.JCS_CMYK;
        c.jpeg_set_defaults();
        c.jpeg_set_quality(quality, true);
        c.jpeg_set_colorspace(J_COLOR_SPACE.JCS_YCCK);
        c.do_fancy_downsampling = false; // its DCT-domain downsampling has no 2x1/1x2 implementation
        foreach (var i in new[] { 0, 3 })
        {
            c.Component_info[i].H_samp_factor = hs;
            c.Component_info[i].V_samp_factor = vs;
        }
        c.jpeg_start_compress(true);
        var row = new byte[1][];
        for (var y = 0; y < h; y++)
        {
            row[0] = new byte[w * 4];
            for (var i = 0; i < w * 4; i++) row[0][i] = (byte)(255 - samples[y * w * 4 + i]); // libjpeg's samples are Adobe-inverted
            c.jpeg_write_scanlines(row, 1);
        }
        c.jpeg_finish_compress();
        return output.ToArray();
    }

    /// <summary>
    /// Runs <paramref name="body"/> in Pillow with `img` (<paramref name="current"/>, RGB) and `path` (the file); its
    /// `out`, converted to RGB, is returned.
    /// </summary>
    public static RgbImage Pillow(string root, RgbImage current, string path, string body)
    {
        var inPath = Path.Combine(root, "current.png");
        var outPath = Path.Combine(root, "pillow-out.png");
        File.WriteAllBytes(inPath, ImageCodec.EncodePng(current));
        PythonPillow.Exec($"import sys, numpy as np\nfrom PIL import Image\nimg = Image.open(sys.argv[1]).convert('RGB')\npath = sys.argv[2]\n{body}\nout.convert('RGB').save(sys.argv[3])",
            inPath, path, outPath);
        return ImageCodec.Decode(outPath);
    }

    /// <summary>An image as Pillow's convert('RGB') gives it (a CMYK one through cmyk2rgb).</summary>
    public static RgbImage AsRgb(RgbImage img)
    {
        var c = img.Clone();
        if (c.IsCmyk) PillowCmyk.ToRgbInPlace(c);
        return c;
    }
}
