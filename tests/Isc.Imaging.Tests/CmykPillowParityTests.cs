using System.Globalization;
using Isc.Imaging.Assets;
using Isc.Imaging.Augmentations;
using Isc.Imaging.Generation;
using Isc.Imaging.Pixels;
using Isc.Imaging.Randomness;
using Isc.Recipe.Chains;

namespace Isc.Imaging.Tests;

/// <summary>
/// Four-component JPEGs against the real Pillow 9.4 of /usr/bin/python3 (libjpeg-turbo 2.1), tolerance 0: the raw CMYK
/// decode (Image.open in mode CMYK) at every sampling, cmyk2rgb, the chain's resize/grayscale/RGB steps after a CMYK
/// overlay, every chain with CMYK overlays, and Pillow's bytes for a CMYK save. The steps that take a file in any mode
/// (decode to RGB, overlay, underlay, opacity, k = 0) are <see cref="ModePillowParityTests"/>' cases; the files are
/// <see cref="ModeJpegs"/>'.
/// </summary>
[TestFixture]
public class CmykPillowParityTests
{
    string _dir = "";

    [SetUp]
    public void Setup() => _dir = TestAssets.TempDir("cmyk");

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Pillow's Image.open(path) as C, M, Y, K bytes, interleaved.</summary>
    byte[] PillowRaw(string path)
    {
        var raw = Path.Combine(_dir, "pillow.raw");
        var mode = PythonPillow.Exec("import sys, numpy as np\nfrom PIL import Image\nim = Image.open(sys.argv[1])\nnp.asarray(im).tofile(sys.argv[2])\nprint(im.mode)", path, raw).Trim();
        Assert.That(mode, Is.EqualTo("CMYK"));
        return File.ReadAllBytes(raw);
    }

    static byte[] Interleaved(RgbImage cmyk)
    {
        Assert.That(cmyk.IsCmyk, "a CMYK image");
        var s = new byte[cmyk.Width * cmyk.Height * 4];
        for (var i = 0; i < cmyk.Width * cmyk.Height; i++)
        {
            s[4 * i] = cmyk.Pixels[3 * i];
            s[4 * i + 1] = cmyk.Pixels[3 * i + 1];
            s[4 * i + 2] = cmyk.Pixels[3 * i + 2];
            s[4 * i + 3] = cmyk.Black[i];
        }
        return s;
    }

    [TestCase("cmyk", 203, 151)]
    [TestCase("cmyk", 97, 61)]
    [TestCase("cmyk-progressive", 203, 151)]
    [TestCase("ycck-2x2", 203, 151)]
    [TestCase("ycck-2x2", 97, 61)]
    [TestCase("ycck-1x1", 97, 61)]
    [TestCase("ycck-2x1", 97, 61)]
    [TestCase("ycck-1x2", 97, 61)]
    [TestCase("ycck-2x1", 5, 3)]
    [TestCase("ycck-2x2", 3, 9)]
    public void Raw_decode_equals_Pillows_CMYK(string kind, int w, int h)
    {
        var path = ModeJpegs.Write(_dir, "raw", kind, w, h, 7);
        using var mine = ImageCodec.DecodeAsOpened(path, (_, _) => (0, 0), out _, out _, out var mode);
        Assert.That(mode, Is.EqualTo(PillowMode.Cmyk));
        Assert.That(Interleaved(mine), Is.EqualTo(PillowRaw(path)));
    }

    /// <summary>cmyk2rgb on every (ink, K) pair: C and M sweep 0…255 against K, Y mixes them.</summary>
    [Test]
    public void Cmyk_to_RGB_is_Pillows_on_every_ink_and_black_pair()
    {
        using var img = new RgbImage(256, 256);
        img.AddBlack();
        for (var y = 0; y < 256; y++)
            for (var x = 0; x < 256; x++)
            {
                var i = y * 256 + x;
                img.Pixels[3 * i] = (byte)x;
                img.Pixels[3 * i + 1] = (byte)(255 - x);
                img.Pixels[3 * i + 2] = (byte)(x * 7 + y);
                img.Black[i] = (byte)y;
            }
        var raw = Path.Combine(_dir, "sweep.raw");
        File.WriteAllBytes(raw, Interleaved(img));
        var outPath = Path.Combine(_dir, "sweep.png");
        PythonPillow.Exec("import sys, numpy as np\nfrom PIL import Image\nImage.fromarray(np.fromfile(sys.argv[1], np.uint8).reshape(256, 256, 4), 'CMYK').convert('RGB').save(sys.argv[2])", raw, outPath);
        using var theirs = ImageCodec.Decode(outPath);
        using var mine = ModeJpegs.AsRgb(img);
        Assert.That(PythonPillow.MaxDiff(mine, theirs), Is.EqualTo(0));
    }

    /// <summary>
    /// The chain's tail after a CMYK overlay: torchvision Resize (bilinear, in CMYK), then RandomGrayscale
    /// (convert('L'), through RGB) or the final convert('RGB').
    /// </summary>
    [TestCase(false)]
    [TestCase(true)]
    public void Resize_grayscale_and_RGB_steps_after_a_CMYK_overlay(bool grayscale)
    {
        var path = ModeJpegs.Write(_dir, "tail", "ycck-2x2", 200, 150, 44);
        var overlays = OverlayLibrary.Open(Path.GetDirectoryName(path)!, 1);
        var spec = new ImageOverlay(1, new(0.3, 0.5), new(0, 0.5), new(0, 0.5));
        using var current = TestAssets.Picture(120, 90, 9);
        var draws = new ImageRandom(80);
        draws.IntInclusive(0, 0);
        double s = draws.Uniform(0.3, 0.5), x = draws.Uniform(0, 0.5), y = draws.Uniform(0, 0.5);
        using var overlaid = new ImageOverlayStep(spec, overlays, 256).Apply(current, new ImageRandom(80));
        using var resized = new ResizeStep(64).Apply(overlaid, new ImageRandom(1));
        Assert.That(resized.IsCmyk, "resized in CMYK");
        using var tail = grayscale ? new GrayscaleStep().Apply(resized.Clone(), new ImageRandom(1)) : new Isc.Imaging.Augmentations.Identity().Apply(resized, new ImageRandom(1));
        Assert.That(tail.IsCmyk, Is.False);
        using var theirs = ModeJpegs.Pillow(_dir, current, path, $"""
            base = Image.open(path)
            x = img.resize((int(img.size[0]*{F(s)}), int(img.size[1]*{F(s)})))
            base.paste(x, (int(base.size[0]*{F(x)}), int(base.size[1]*{F(y)})))
            base = base.resize((64, 64), Image.BILINEAR)
            assert base.mode == 'CMYK'
            out = base.convert('L') if {(grayscale ? "True" : "False")} else base.convert('RGB')
            """);
        Assert.That(PythonPillow.MaxDiff(tail, theirs), Is.EqualTo(0));
    }

    /// <summary>
    /// Every dataset's chain with only CMYK overlay images: whichever steps follow the overlay, none refuses the CMYK
    /// image and every draw ends RGB.
    /// </summary>
    [Test]
    public void Every_chain_runs_with_CMYK_overlay_images_and_ends_RGB()
    {
        var path = ModeJpegs.Write(_dir, "chains", "ycck-2x2", 120, 90, 45);
        var context = TestAssets.Context(Path.GetDirectoryName(path)!, 1);
        using var source = TestAssets.Picture(96, 80, 12);
        var overlaid = 0;
        foreach (var dataset in Isc.Recipe.Datasets.All)
        {
            var chain = new CompiledChain(DatasetChains.For(dataset), context);
            for (var k = 1; k < 40; k++)
            {
                string? cmyk = null;
                using var image = chain.Apply(source, ImageRandom.For(dataset.Name, 0, k, 1), (spec, img) =>
                {
                    if (img.IsCmyk) cmyk ??= spec.Id;
                });
                Assert.That(image.IsCmyk || image.HasAlpha, Is.False, $"{dataset.Name} k={k}");
                if (cmyk is not null) overlaid++;
            }
        }
        Assert.That(overlaid, Is.GreaterThan(0), "some draws went through a CMYK overlay");
    }

    /// <summary>Pillow's save of a CMYK image: the same bytes, at several sizes (edges padded) and qualities.</summary>
    [TestCase(64, 64, 100)]
    [TestCase(97, 61, 90)]
    [TestCase(17, 250, 75)]
    [TestCase(256, 256, 100)]
    [TestCase(5, 3, 50)]
    public void Cmyk_save_has_Pillows_bytes(int w, int h, int quality)
    {
        var samples = ModeJpegs.CmykSamples(w, h, 3);
        using var img = new RgbImage(w, h);
        img.AddBlack();
        for (var i = 0; i < w * h; i++)
        {
            img.Pixels[3 * i] = samples[4 * i];
            img.Pixels[3 * i + 1] = samples[4 * i + 1];
            img.Pixels[3 * i + 2] = samples[4 * i + 2];
            img.Black[i] = samples[4 * i + 3];
        }
        var raw = Path.Combine(_dir, "save.raw");
        var theirs = Path.Combine(_dir, "theirs.jpg");
        File.WriteAllBytes(raw, samples);
        PythonPillow.Exec($"import sys, numpy as np\nfrom PIL import Image\nImage.fromarray(np.fromfile(sys.argv[1], np.uint8).reshape({h}, {w}, 4), 'CMYK').save(sys.argv[2], quality={quality})", raw, theirs);
        Assert.That(ImageCodec.EncodeJpeg(img, quality, PillowMode.Cmyk), Is.EqualTo(File.ReadAllBytes(theirs)));
    }
}
