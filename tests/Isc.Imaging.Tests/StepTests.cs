using Isc.Imaging.Augmentations;
using Isc.Imaging.Pixels;
using Isc.Imaging.Randomness;
using Isc.Recipe;
using Isc.Recipe.Chains;

namespace Isc.Imaging.Tests;

/// <summary>Per step: output size and mode, value ranges, parameter ranges hit; per chain: application rates.</summary>
[TestFixture]
public class StepTests
{
    string _root = "";
    AugmentationContext _ctx = null!;

    [OneTimeSetUp]
    public void Setup()
    {
        _root = TestAssets.TempDir("steps");
        var ov = TestAssets.Overlays(_root, 6);
        _ctx = TestAssets.Context(ov, 6, outputSize: 64);
    }

    [OneTimeTearDown]
    public void TearDown() => Directory.Delete(_root, true);

    static IEnumerable<ChainStep> AllSpecs() =>
        Datasets.All.SelectMany(d => DatasetChains.For(d).Steps).DistinctBy(s => s.Describe());

    [TestCaseSource(nameof(AllSpecs))]
    public void Every_step_returns_a_valid_RGB_image_of_the_expected_size(ChainStep spec)
    {
        var step = AugmentationFactory.Create(spec, _ctx);
        for (var i = 0; i < 12; i++)
        {
            using var input = TestAssets.Picture(80, 60, i);
            var before = input.Pixels.ToArray();
            var output = step.Apply(step.MutatesInput ? input.Clone() : input, new ImageRandom((ulong)i));
            try
            {
                Assert.That(output.Pixels.Length, Is.EqualTo(output.Width * output.Height * 3), "RGB, 3 bytes per pixel");
                Assert.That(input.Pixels.ToArray(), Is.EqualTo(before), "the input is not modified when the step does not own it");
                var (w, h) = (output.Width, output.Height);
                switch (spec)
                {
                    case RandomResizedCrop or Recipe.Chains.Resize: Assert.That((w, h), Is.EqualTo((64, 64))); break;
                    case OpacityBlend: Assert.That((w, h), Is.EqualTo((64, 64))); break;
                    case Pad p:
                        Assert.That(w, Is.InRange(80, 80 + 2 * (int)(80 * p.WidthFactor.Hi)));
                        Assert.That(h, Is.InRange(60, 60 + 2 * (int)(60 * p.HeightFactor.Hi)));
                        Assert.That((w - 80) % 2, Is.Zero, "the same padding left and right");
                        break;
                    case ImageOverlay: Assert.That(Math.Min(w, h), Is.GreaterThanOrEqualTo(64), "a background no smaller than the output"); break;
                    default: Assert.That((w, h), Is.EqualTo((80, 60)), "size kept"); break;
                }
                if (spec is Grayscale)
                {
                    var p = output.Pixels;
                    for (var j = 0; j < p.Length; j += 3) Assert.That(p[j] == p[j + 1] && p[j] == p[j + 2], "R = G = B");
                }
            }
            finally
            {
                if (!ReferenceEquals(output, input)) output.Dispose();
            }
        }
    }

    [TestCase("isc_100k_256_big")]
    [TestCase("isc_100k_256_big_color_p4")]
    [TestCase("isc_100k_256_big_opa")]
    [TestCase("isc_100k_256_big_dark")]
    public void Steps_apply_at_their_probability(string dataset)
    {
        // 1,500 draws: a step with probability p applies 1500·p ± 4.5 σ (σ = sqrt(1500·p(1−p)) ≤ 19.4), so ±0.058 in rate.
        const int draws = 1500;
        var chain = new CompiledChain(DatasetChains.For(dataset), _ctx);
        var counts = chain.Chain.Steps.ToDictionary(s => s.Id, _ => 0);
        using var src = TestAssets.Picture(96, 72, 7);
        for (var i = 0; i < draws; i++)
        {
            using var img = chain.Apply(src, ImageRandom.For(dataset, i, 1, 0), (s, _) => counts[s.Id]++);
            Assert.That((img.Width, img.Height), Is.EqualTo((64, 64)), "every chain ends at the output size");
        }
        foreach (var s in chain.Chain.Steps)
        {
            var sigma = Math.Sqrt(s.P * (1 - s.P) / draws);
            Assert.That((double)counts[s.Id] / draws, Is.EqualTo(s.P).Within(4.5 * sigma + 1e-9), s.Id);
        }
    }

    [Test]
    public void Random_resized_crop_boxes_cover_the_scale_and_ratio_ranges()
    {
        var spec = (RandomResizedCrop)DatasetChains.Base["crop"];
        var step = new RandomResizedCropStep(spec, 64);
        var rng = new ImageRandom(3);
        double minScale = 1, maxScale = 0, minRatio = 9, maxRatio = 0;
        for (var i = 0; i < 4000; i++)
        {
            var (l, t, w, h) = step.Box(1024, 768, rng);
            Assert.That(l >= 0 && t >= 0 && l + w <= 1024 && t + h <= 768, "inside the image");
            var scale = (double)w * h / (1024 * 768);
            minScale = Math.Min(minScale, scale); maxScale = Math.Max(maxScale, scale);
            minRatio = Math.Min(minRatio, (double)w / h); maxRatio = Math.Max(maxRatio, (double)w / h);
        }
        Assert.That(minScale, Is.InRange(0.195, 0.23));
        Assert.That(maxScale, Is.InRange(0.95, 1.0));
        Assert.That(minRatio, Is.InRange(0.745, 0.78));
        Assert.That(maxRatio, Is.InRange(1.30, 1.337));
    }

    [Test]
    public void Random_resized_crop_falls_back_to_a_centre_crop_for_extreme_shapes()
    {
        var step = new RandomResizedCropStep(new RandomResizedCrop(new(0.99, 1), new(3.0 / 4, 4.0 / 3), 10), 64);
        var (l, t, w, h) = step.Box(1000, 100, new ImageRandom(1));
        Assert.That((l, t, w, h), Is.EqualTo((433, 0, 133, 100)), "h = H, w = round(H·4/3), centred");
    }

    [Test]
    public void Uniform_and_integer_draws_hit_their_ranges()
    {
        var rng = new ImageRandom(11);
        var ints = new HashSet<int>();
        double lo = 1, hi = 0;
        for (var i = 0; i < 20000; i++)
        {
            ints.Add(rng.IntInclusive(0, 20));
            var u = rng.Uniform(0.1, 2.0);
            Assert.That(u, Is.InRange(0.1, 2.0));
            lo = Math.Min(lo, u); hi = Math.Max(hi, u);
        }
        Assert.That(ints, Is.EquivalentTo(Enumerable.Range(0, 21)), "both ends of int[0, 20] are drawn");
        Assert.That(lo, Is.LessThan(0.11));
        Assert.That(hi, Is.GreaterThan(1.99));
    }

    [Test]
    public void Colorize_maps_gray_levels_through_three_random_colours()
    {
        var step = new ColorizeStep(new Colorize(1, new(0, 255)));
        using var black = RgbImage.Filled(8, 8, 0, 0, 0);
        using var white = RgbImage.Filled(8, 8, 255, 255, 255);
        using var a = step.Apply(black, new ImageRandom(4));
        using var b = step.Apply(white, new ImageRandom(4));
        var rng = new ImageRandom(4);
        byte[] expectBlack = [(byte)rng.IntInclusive(0, 255), (byte)rng.IntInclusive(0, 255), (byte)rng.IntInclusive(0, 255)];
        byte[] expectWhite = [(byte)rng.IntInclusive(0, 255), (byte)rng.IntInclusive(0, 255), (byte)rng.IntInclusive(0, 255)];
        Assert.That(a.Pixels[..3].ToArray(), Is.EqualTo(expectBlack), "0 → the black colour");
        Assert.That(b.Pixels[..3].ToArray(), Is.EqualTo(expectWhite), "255 → the white colour");
    }

    [Test]
    public void Resize_to_the_same_size_is_a_copy_and_pixelization_keeps_the_size()
    {
        using var img = TestAssets.Picture(64, 64, 1);
        using var same = PillowResize.Resize(img, 64, 64, ResizeFilter.Bilinear);
        Assert.That(PythonPillow.MaxDiff(img, same), Is.Zero);
        var pix = new PixelizationStep(new Pixelization(1, new(0.1, 0.1)));
        using var p = pix.Apply(img, new ImageRandom(1));
        Assert.That((p.Width, p.Height), Is.EqualTo((64, 64)));
        Assert.That(PythonPillow.DiffFraction(img, p), Is.GreaterThan(0.5), "a 6x6 version blown up differs almost everywhere");
    }
}
