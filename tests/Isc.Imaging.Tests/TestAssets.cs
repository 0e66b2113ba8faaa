using Isc.Imaging.Assets;
using Isc.Imaging.Augmentations;
using Isc.Imaging.Generation;
using Isc.Imaging.Pixels;
using Isc.Recipe;

namespace Isc.Imaging.Tests;

/// <summary>Real files for the tests: photo-like JPEG sources and overlays written to a temp folder, Debian font and emoji.</summary>
public static class TestAssets
{
    /// <summary>The demo profile shrunk to 40 source images (4 ids), 3 overlays and 3 images per id.</summary>
    public static readonly Profile TinyProfile = Profiles.Demo with
    {
        Source = Profiles.Demo.Source with { TrainingImages = 40, OverlayImages = 3 },
        Generation = Profiles.Demo.Generation with { ImagesPerId = 3 },
    };

    public const string Font = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
    public const string NaskhFont = "/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf";
    public const string EmojiDir = "/usr/share/rubygems-integration/all/gems/tanuki_emoji-0.6.0/app/assets/images/tanuki_emoji";
    public const string Astronaut = "/usr/lib/python3/dist-packages/skimage/data/astronaut.png";
    public const string Python = "/usr/bin/python3";

    /// <summary>A smooth, colourful, photo-like test picture (sums of sinusoids and a disc), deterministic in <paramref name="seed"/>.</summary>
    public static RgbImage Picture(int width, int height, int seed)
    {
        var rng = new Random(seed);
        var f = Enumerable.Range(0, 6).Select(_ => 0.005 + rng.NextDouble() * 0.06).ToArray();
        var ph = Enumerable.Range(0, 3).Select(_ => rng.NextDouble() * 6).ToArray();
        double cx = rng.Next(width), cy = rng.Next(height), rad = Math.Min(width, height) * (0.15 + 0.2 * rng.NextDouble());
        var img = new RgbImage(width, height);
        var p = img.Pixels;
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                var o = (y * width + x) * 3;
                var inDisc = (x - cx) * (x - cx) + (y - cy) * (y - cy) < rad * rad;
                for (var c = 0; c < 3; c++)
                {
                    var v = 127 + 110 * Math.Sin(x * f[c] + y * f[c + 3] + ph[c]);
                    if (inDisc) v = 255 - v * 0.5;
                    p[o + c] = (byte)Math.Clamp(v, 0, 255);
                }
            }
        return img;
    }

    public static void WriteJpeg(string path, RgbImage img, int quality = 92) =>
        File.WriteAllBytes(path, ImageCodec.EncodeJpeg(img, quality));

    /// <summary>A folder of <paramref name="count"/> source JPEGs named T000000.jpg …</summary>
    public static string Sources(string root, int count, int width = 320, int height = 240)
    {
        var dir = Path.Combine(root, "src");
        Directory.CreateDirectory(dir);
        for (var i = 0; i < count; i++)
        {
            using var img = Picture(width, height, i);
            WriteJpeg(Path.Combine(dir, $"T{i:000000}.jpg"), img);
        }
        return dir;
    }

    public static string Overlays(string root, int count, int width = 200, int height = 150)
    {
        var dir = Path.Combine(root, "ov");
        Directory.CreateDirectory(dir);
        for (var i = 0; i < count; i++)
        {
            using var img = Picture(width, height, 1000 + i);
            WriteJpeg(Path.Combine(dir, $"O{i:00000}.jpg"), img);
        }
        return dir;
    }

    public static string TempDir(string name)
    {
        var d = Path.Combine(Path.GetTempPath(), "isc-imaging-tests", name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(d);
        return d;
    }

    public static AugmentationContext Context(string overlayDir, int overlays, int outputSize = 64) =>
        new(outputSize, OverlayLibrary.Open(overlayDir, overlays), EmojiLibrary.Open(EmojiDir), TextRenderer.Open(Font));

    public static GenerationRequest Request(string root, string source, string overlays, string dataset = "isc_100k_256_big",
        int jobs = 2, Profile? profile = null, string? faces = null, string? outDir = null) =>
        new(profile ?? Profiles.Demo, Datasets.Get(dataset), source, overlays, outDir ?? Path.Combine(root, "out-" + dataset), faces,
            Font, EmojiDir, jobs);
}
