using System.Diagnostics;
using Isc.Recipe;
using Isc.Training.Tests.Support;
using Isc.Training.Data;
using Isc.Training.Util;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace Isc.Training.Tests.Data;

[TestFixture]
public class ImagePipelineTests
{
    string dir = "";

    [OneTimeSetUp] public void Setup() => dir = Directory.CreateTempSubdirectory("isc-pipe-").FullName;
    [OneTimeTearDown] public void Clean() { if (Directory.Exists(dir)) Directory.Delete(dir, true); }

    static readonly float[] Mean = [.. TrainingSettings.NormalizeMean.Select(x => (float)x)];
    static readonly float[] Std = [.. TrainingSettings.NormalizeStd.Select(x => (float)x)];

    /// <summary>Back from normalised floats to 0..255 bytes (exact: every step is a monotone affine map of a byte).</summary>
    static byte[] Bytes(float[] chw, int s)
    {
        var rgb = new byte[3 * s * s];
        for (var c = 0; c < 3; c++)
            for (var i = 0; i < s * s; i++)
                rgb[3 * i + c] = (byte)Math.Round((chw[c * s * s + i] * Std[c] + Mean[c]) * 255);
        return rgb;
    }

    static string Photo(string path, int w, int h, bool gray = false)
    {
        using var img = new Image<Rgb24>(w, h);
        var rng = DetRandom.For(3, w, h);
        for (var y = 0; y < h; y++)
            for (var x = 0; x < w; x++)
            {
                var v = (byte)Math.Clamp(128 + 100 * Math.Sin(x / 9.0) * Math.Cos(y / 13.0) + rng.NextInt(40) - 20, 0, 255);
                img[x, y] = gray ? new Rgb24(v, v, v) : new Rgb24(v, (byte)(x * 255 / w), (byte)(255 - v));
            }
        img.Save(path, new JpegEncoder { Quality = 95, ColorType = gray ? JpegColorType.Luminance : JpegColorType.YCbCrRatio420 });
        return path;
    }

    [TestCase(false)]
    [TestCase(true)]
    public void DecodedPixelsAreExactlyPillows(bool gray)
    {
        var jpg = Photo(Path.Combine(dir, gray ? "gray.jpg" : "color.jpg"), 64, 64, gray);
        var output = new float[3 * 64 * 64];
        ImagePipeline.ForEval(64).Load(jpg, null, output);
        var mine = Bytes(output, 64);

        var pillow = PythonRgb(jpg, "Image.open(sys.argv[1]).convert('RGB')");
        Assert.That(mine, Is.EqualTo(pillow), "the same libjpeg-turbo decode as Pillow's, so the same pixels the original loader saw");
    }

    /// <summary>
    /// The recipe's Resize((S, S)) on an image of another size, odd sizes included, up and down: torchvision's Resize on
    /// the PIL image (Pillow's bilinear with antialiasing), byte for byte.
    /// </summary>
    [TestCase(97, 61, 48)]
    [TestCase(31, 45, 48)]
    [TestCase(257, 255, 256)]
    public void AnOddSizedImageIsResizedToExactlyTorchvisionsPixels(int width, int height, int size)
    {
        var jpg = Photo(Path.Combine(dir, $"odd_{width}x{height}.jpg"), width, height);
        var output = new float[3 * size * size];
        ImagePipeline.ForEval(size).Load(jpg, null, output);
        var mine = Bytes(output, size);

        var torchvision = PythonRgb(jpg, $"torchvision.transforms.Resize(({size}, {size}))(Image.open(sys.argv[1]).convert('RGB'))");
        Assert.That(mine, Is.EqualTo(torchvision), $"{width}x{height} resized to {size}x{size} as the original loader resized it");
    }

    /// <summary>The RGB bytes of the PIL image <paramref name="expression"/> computes from sys.argv[1] = <paramref name="jpg"/>, under /usr/bin/python3.</summary>
    static byte[] PythonRgb(string jpg, string expression)
    {
        PyTorch.RequireTorch();
        var raw = Path.ChangeExtension(jpg, ".rgb");
        var psi = new ProcessStartInfo(PyTorch.Python) { RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add($"import sys, torchvision; from PIL import Image; open(sys.argv[2], 'wb').write(({expression}).tobytes())");
        psi.ArgumentList.Add(jpg);
        psi.ArgumentList.Add(raw);
        using (var p = Process.Start(psi)!)
        {
            var err = p.StandardError.ReadToEnd();
            p.WaitForExit();
            Assert.That(p.ExitCode, Is.EqualTo(0), err);
        }
        return File.ReadAllBytes(raw);
    }

    [Test]
    public void FlipPadAndCropMoveThePixelsAsTheRecipeSays()
    {
        const int s = 16, pad = 3;
        var png = Path.Combine(dir, "grid.png");
        using (var img = new Image<Rgb24>(s, s))
        {
            for (var y = 0; y < s; y++) for (var x = 0; x < s; x++) img[x, y] = new Rgb24((byte)(x * 16), (byte)(y * 16), 200);
            img.SaveAsPng(png);
        }
        var pipeline = new ImagePipeline(s, pad, 0.5);
        var seenFlip = new HashSet<bool>();
        for (var seed = 0; seed < 40; seed++)
        {
            // The same draws the pipeline makes, in its order: flip, then the crop's row and column offsets.
            var mirror = DetRandom.For(seed);
            var flip = mirror.NextDouble() < 0.5;
            var dy = mirror.NextInt(2 * pad + 1) - pad;
            var dx = mirror.NextInt(2 * pad + 1) - pad;
            seenFlip.Add(flip);
            var output = new float[3 * s * s];
            pipeline.Load(png, DetRandom.For(seed), output);
            var got = Bytes(output, s);
            for (var y = 0; y < s; y++)
                for (var x = 0; x < s; x++)
                {
                    var (sx, sy) = (x + dx, y + dy);
                    var inside = sx >= 0 && sx < s && sy >= 0 && sy < s;
                    var fx = flip ? s - 1 - sx : sx;
                    byte[] want = inside ? [(byte)(fx * 16), (byte)(sy * 16), 200] : [0, 0, 0];
                    var i = 3 * (y * s + x);
                    Assert.That(got[i..(i + 3)], Is.EqualTo(want), $"seed {seed} pixel ({x},{y}) flip {flip} offset ({dx},{dy})");
                }
        }
        Assert.That(seenFlip, Has.Count.EqualTo(2), "both flipped and unflipped draws occurred");
    }

    [Test]
    public void BytesNormalisedOnTheDeviceEqualTheFloatPipelineBitForBit()
    {
        var jpg = Photo(Path.Combine(dir, "bits.jpg"), 48, 48);
        var pipeline = new ImagePipeline(48, 4, 0.5);
        var floats = new float[pipeline.FloatsPerImage];
        var bytes = new byte[pipeline.BytesPerImage];
        pipeline.Load(jpg, DetRandom.For(9), floats);
        pipeline.LoadBytes(jpg, DetRandom.For(9), bytes);
        using var onDevice = ImagePipeline.Normalize(TorchSharp.torch.tensor(bytes, [1, 3, 48, 48]));
        Assert.That(onDevice.dtype, Is.EqualTo(TorchSharp.torch.ScalarType.Float32));
        var got = onDevice.data<float>().ToArray();
        Assert.That(got.Select(BitConverter.SingleToInt32Bits), Is.EqualTo(floats.Select(BitConverter.SingleToInt32Bits)));
    }

    [Test]
    public void AnImageOfAnotherSizeIsStretchedToTheInputSize()
    {
        var jpg = Photo(Path.Combine(dir, "wide.jpg"), 96, 40);
        var output = new float[3 * 32 * 32];
        ImagePipeline.ForEval(32).Load(jpg, null, output);
        Assert.That(output.All(float.IsFinite));
        var rgb = Bytes(output, 32);
        Assert.That(rgb.Distinct().Count(), Is.GreaterThan(20), "real content, not a blank fill");
    }

    [Test]
    public void ACorruptOrMissingImageIsAnErrorNamingTheFile()
    {
        var good = File.ReadAllBytes(Photo(Path.Combine(dir, "cut-source.jpg"), 64, 64));
        var cut = Path.Combine(dir, "cut.jpg");
        File.WriteAllBytes(cut, good[..(good.Length / 2)]);
        var junk = Path.Combine(dir, "junk.jpg");
        File.WriteAllText(junk, "not a jpeg");
        var buffer = new float[3 * 64 * 64];
        var pipeline = ImagePipeline.ForEval(64);
        foreach (var bad in new[] { cut, junk, Path.Combine(dir, "missing.jpg") })
        {
            var e = Assert.Throws<InvalidDataException>(() => pipeline.Load(bad, null, buffer));
            Assert.That(e!.Message, Does.Contain(bad));
        }
    }
}
