using System.Globalization;
using BitMiracle.LibJpeg.Classic;
using Isc.Imaging.Assets;
using Isc.Imaging.Augmentations;
using Isc.Imaging.Generation;
using Isc.Imaging.Pixels;
using Isc.Imaging.Randomness;
using Isc.Recipe.Chains;

namespace Isc.Imaging.Tests;

/// <summary>
/// Four-component JPEGs against the real Pillow 9.4 of /usr/bin/python3 (libjpeg-turbo 2.1), tolerance 0: the raw CMYK
/// decode (Image.open in mode CMYK), convert('RGB'), the overlay/underlay/opacity steps with a CMYK overlay image as the
/// original scripts use Image.open(file), the chain's resize/grayscale/RGB steps after a CMYK overlay, and k = 0 saved
/// in CMYK. Pillow writes plain CMYK files (Adobe transform 0) only; the YCCK files are written here with
/// BitMiracle's encoder, which only has to make a valid file: Pillow decodes it for the expected values.
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

    /// <summary>A picture with all four inks varying: C, M, Y from a photo-like picture, K from a second one.</summary>
    static byte[] CmykSamples(int w, int h, int seed)
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

    /// <summary>
    /// A CMYK JPEG of <paramref name="kind"/>: "cmyk" and "cmyk-progressive" saved by Pillow (plain CMYK, unsubsampled),
    /// "ycck-HxV" written by BitMiracle as YCCK (Adobe transform 2) with Y and K sampled H×V (Cb, Cr 1×1).
    /// </summary>
    string CmykJpeg(string folder, string kind, int w, int h, int seed, int quality = 92)
    {
        var dir = Path.Combine(_dir, folder);
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "O00000.jpg");
        var samples = CmykSamples(w, h, seed);
        if (kind.StartsWith("cmyk", StringComparison.Ordinal))
        {
            var raw = Path.Combine(_dir, folder + ".raw");
            File.WriteAllBytes(raw, samples);
            PythonPillow.Exec($"""
                import sys, numpy as np
                from PIL import Image
                a = np.fromfile(sys.argv[1], np.uint8).reshape({h}, {w}, 4)
                Image.fromarray(a, 'CMYK').save(sys.argv[2], quality={quality}, progressive={(kind == "cmyk-progressive" ? "True" : "False")})
                """, raw, path);
        }
        else File.WriteAllBytes(path, Ycck(samples, w, h, kind[5] - '0', kind[7] - '0', quality));
        return path;
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

    /// <summary>Runs <paramref name="body"/> with `img` (the current image, RGB) and `path` (the overlay file); `out` is compared as RGB.</summary>
    RgbImage Pillow(RgbImage current, string overlayPath, string body)
    {
        var inPath = Path.Combine(_dir, "current.png");
        var outPath = Path.Combine(_dir, "pillow-out.png");
        File.WriteAllBytes(inPath, ImageCodec.EncodePng(current));
        PythonPillow.Exec($"import sys, numpy as np\nfrom PIL import Image\nimg = Image.open(sys.argv[1]).convert('RGB')\npath = sys.argv[2]\n{body}\nout.convert('RGB').save(sys.argv[3])",
            inPath, overlayPath, outPath);
        return ImageCodec.Decode(outPath);
    }

    static RgbImage AsRgb(RgbImage img)
    {
        var c = img.Clone();
        if (c.IsCmyk) PillowCmyk.ToRgbInPlace(c);
        return c;
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
        var path = CmykJpeg("raw", kind, w, h, 7);
        using var mine = ImageCodec.DecodeAsOpened(path, (_, _) => (0, 0), out _, out _, out var mode);
        Assert.That(mode, Is.EqualTo(PillowMode.Cmyk));
        Assert.That(Interleaved(mine), Is.EqualTo(PillowRaw(path)));
    }

    [TestCase("cmyk")]
    [TestCase("cmyk-progressive")]
    [TestCase("ycck-2x2")]
    [TestCase("ycck-1x1")]
    public void Rgb_decode_equals_Pillows_convert_RGB(string kind)
    {
        var path = CmykJpeg("rgb", kind, 203, 151, 5);
        using var mine = ImageCodec.Decode(path);
        using var theirs = Pillow(mine, path, "out = Image.open(path).convert('RGB')");
        Assert.That(PythonPillow.MaxDiff(mine, theirs), Is.EqualTo(0));
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
        using var mine = AsRgb(img);
        Assert.That(PythonPillow.MaxDiff(mine, theirs), Is.EqualTo(0));
    }

    /// <summary>
    /// random_image_overlay onto Image.open(CMYK file): the pasted RGB image becomes CMYK (inverted, K = 0). The
    /// background is no bigger than the output, so every version decodes it at full size.
    /// </summary>
    [TestCase("cmyk")]
    [TestCase("ycck-2x2")]
    public void Overlay_onto_a_CMYK_background_is_CMYK(string kind)
    {
        var path = CmykJpeg("ov", kind, 200, 150, 41);
        var overlays = OverlayLibrary.Open(Path.GetDirectoryName(path)!, 1);
        var spec = new ImageOverlay(1, new(0.3, 0.5), new(0, 0.5), new(0, 0.5));
        using var current = TestAssets.Picture(120, 90, 8);
        var draws = new ImageRandom(77);
        draws.IntInclusive(0, 0);
        double s = draws.Uniform(0.3, 0.5), x = draws.Uniform(0, 0.5), y = draws.Uniform(0, 0.5);
        using var mine = new ImageOverlayStep(spec, overlays, 256).Apply(current, new ImageRandom(77));
        Assert.That(mine.IsCmyk, "the result keeps the background's mode");
        using var theirs = Pillow(current, path, $"""
            base = Image.open(path)
            x = img.resize((int(img.size[0]*{F(s)}), int(img.size[1]*{F(s)})))
            base.paste(x, (int(base.size[0]*{F(x)}), int(base.size[1]*{F(y)})))
            assert base.mode == 'CMYK'
            out = base
            """);
        using var rgb = AsRgb(mine);
        Assert.That(PythonPillow.MaxDiff(rgb, theirs), Is.EqualTo(0));
    }

    /// <summary>
    /// The chain's tail after a CMYK overlay: torchvision Resize (bilinear, in CMYK), then RandomGrayscale
    /// (convert('L'), through RGB) or the final convert('RGB').
    /// </summary>
    [TestCase(false)]
    [TestCase(true)]
    public void Resize_grayscale_and_RGB_steps_after_a_CMYK_overlay(bool grayscale)
    {
        var path = CmykJpeg("tail", "ycck-2x2", 200, 150, 44);
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
        using var theirs = Pillow(current, path, $"""
            base = Image.open(path)
            x = img.resize((int(img.size[0]*{F(s)}), int(img.size[1]*{F(s)})))
            base.paste(x, (int(base.size[0]*{F(x)}), int(base.size[1]*{F(y)})))
            base = base.resize((64, 64), Image.BILINEAR)
            assert base.mode == 'CMYK'
            out = base.convert('L') if {(grayscale ? "True" : "False")} else base.convert('RGB')
            """);
        Assert.That(PythonPillow.MaxDiff(tail, theirs), Is.EqualTo(0));
    }

    /// <summary>random_image_underlay: Image.open(CMYK patch) resized in CMYK, converted to RGB by the paste.</summary>
    [TestCase("cmyk")]
    [TestCase("ycck-2x2")]
    public void Underlay_of_a_CMYK_patch(string kind)
    {
        var path = CmykJpeg("un", kind, 200, 150, 42);
        var overlays = OverlayLibrary.Open(Path.GetDirectoryName(path)!, 1);
        var spec = new Underlay(1, new(0.2, 0.5), new(0, 0.5), new(0, 0.5));
        using var current = TestAssets.Picture(160, 120, 9);
        var draws = new ImageRandom(78);
        draws.IntInclusive(0, 0);
        double s = draws.Uniform(0.2, 0.5), x = draws.Uniform(0, 0.5), y = draws.Uniform(0, 0.5);
        using var theirs = Pillow(current, path, $"""
            up = Image.open(path)
            up = up.resize((int(up.size[0]*{F(s)}), int(up.size[1]*{F(s)})))
            img.paste(up, (int(img.size[0]*{F(x)}), int(img.size[1]*{F(y)})))
            out = img
            """);
        using var mine = new UnderlayStep(spec, overlays).Apply(current.Clone(), new ImageRandom(78));
        Assert.That(PythonPillow.MaxDiff(mine, theirs), Is.EqualTo(0));
    }

    /// <summary>random_image_opaque: Image.open(CMYK background).resize in CMYK, then AugLy's convert('RGBA').</summary>
    [TestCase("cmyk")]
    [TestCase("ycck-2x2")]
    public void Opacity_blend_onto_a_CMYK_background(string kind)
    {
        var path = CmykJpeg("op", kind, 200, 150, 43);
        var overlays = OverlayLibrary.Open(Path.GetDirectoryName(path)!, 1);
        var spec = new OpacityBlend(1, new(0.2, 1.0));
        using var current = TestAssets.Picture(150, 110, 10);
        var draws = new ImageRandom(79);
        var opacity = draws.Uniform(0.2, 1.0);
        using var mine = new OpacityBlendStep(spec, overlays, 96).Apply(current, new ImageRandom(79));
        using var theirs = Pillow(current, path, $"""
            base = Image.open(path).resize((96, 96))
            x = img.resize((96, 96))
            mask = Image.fromarray((np.array(x.convert('RGBA').getchannel('A')) * {F(opacity)}).astype(np.uint8))
            out = base.convert('RGBA')
            out.paste(x, (0, 0), mask)
            """);
        Assert.That(PythonPillow.MaxDiff(mine, theirs), Is.EqualTo(0));
    }

    /// <summary>
    /// Every dataset's chain with only CMYK overlay images: whichever steps follow the overlay, none refuses the CMYK
    /// image and every draw ends RGB.
    /// </summary>
    [Test]
    public void Every_chain_runs_with_CMYK_overlay_images_and_ends_RGB()
    {
        var path = CmykJpeg("chains", "ycck-2x2", 120, 90, 45);
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
        var samples = CmykSamples(w, h, 3);
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

    /// <summary>
    /// k = 0 is image.resize((n, n)).save(...) of Image.open(source): a CMYK source is resized in CMYK and saved as a
    /// CMYK JPEG with Pillow's bytes; BW sets go through convert('RGB') first, so theirs are RGB.
    /// </summary>
    [TestCase("isc_100k_256_big", "cmyk", "out = im.resize((64, 64))")]
    [TestCase("isc_100k_256_big", "ycck-2x2", "out = im.resize((64, 64))")]
    [TestCase("isc_100k_256_big_bw", "cmyk", "out = im.convert('RGB').convert('L').convert('RGB').resize((64, 64))")]
    public void K0_of_a_CMYK_source_is_saved_in_CMYK_with_Pillows_bytes(string dataset, string kind, string body)
    {
        var first = CmykJpeg("one", kind, 160, 120, 1, quality: 90);
        var src = Path.Combine(_dir, "src");
        Directory.CreateDirectory(src);
        for (var i = 0; i < 40; i++) File.Copy(first, Path.Combine(src, $"T{i:D6}.jpg"));
        PythonPillow.Exec($"""
            import sys
            from PIL import Image
            im = Image.open(sys.argv[1])
            {body}
            assert out.mode == ('CMYK' if '{dataset}'.endswith('big') else 'RGB')
            out.save(sys.argv[2], quality=100)
            """, Path.Combine(src, "T000000.jpg"), Path.Combine(_dir, "theirs.jpg"));
        var ov = TestAssets.Overlays(_dir, 3);
        var request = TestAssets.Request(_dir, src, ov, dataset, 1, TestAssets.TinyProfile);
        new DatasetGenerator(request, new StringWriter()).Run();
        var mine = File.ReadAllBytes(Path.Combine(request.ImagesDirectory, GenerationRequest.ImageName(0, 0)));
        Assert.That(mine, Is.EqualTo(File.ReadAllBytes(Path.Combine(_dir, "theirs.jpg"))));
    }
}
