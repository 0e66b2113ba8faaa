using System.Globalization;
using Isc.Recipe;
using Isc.Recipe.Chains;

namespace Isc.Imaging.Tests;

[TestFixture]
public class ChainSpecTests
{
    [Test]
    public void Base_chain_has_the_recipe_steps_in_order_with_their_probabilities()
    {
        var steps = DatasetChains.Base.Steps;
        Assert.That(steps.Select(s => s.Id), Is.EqualTo(new[]
        {
            "to-rgb", "crop", "rotation", "pixelization", "shuffle", "perspective", "pad", "underlay", "jitter", "blur",
            "grayscale", "flip", "emoji", "text-1", "text-2", "overlay", "resize", "to-rgb-end",
        }));
        Assert.That(steps.Select(s => s.P), Is.EqualTo(new[] { 1, 1, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.8, 1.0, 0.3, 0.5, 0.3, 0.3, 0.3, 0.2, 1, 1 }));
        Assert.That(DatasetChains.Base.GrayscaleK0, Is.False);
    }

    [Test]
    public void Every_dataset_has_a_chain_and_the_variants_are_the_recipe_edits()
    {
        foreach (var d in Datasets.All) Assert.That(DatasetChains.For(d).Steps, Is.Not.Empty, d.Name);
        var bw = DatasetChains.For("isc_100k_256_big_bw");
        Assert.That(bw.Contains("grayscale"), Is.False);
        Assert.That(bw.Steps.Select(s => s.Id).SkipWhile(id => id != "resize").Skip(1).First(), Is.EqualTo("grayscale-all"));
        Assert.That(bw.GrayscaleK0, Is.True);

        var blur = DatasetChains.For("isc_100k_256_big_blur")["blur"];
        Assert.That(blur, Is.EqualTo(new GaussianBlur(0.3, new(5, 20), 256)));

        var blurBw = DatasetChains.For("isc_100k_256_big_blur_bw").Steps.Select(s => s.Id).ToList();
        Assert.That(blurBw.IndexOf("grayscale-all"), Is.EqualTo(blurBw.IndexOf("overlay") + 1));
        Assert.That(blurBw.IndexOf("resize"), Is.EqualTo(blurBw.IndexOf("grayscale-all") + 1));

        var color = DatasetChains.For("isc_100k_256_big_color_p4").Steps;
        Assert.That(color[1], Is.EqualTo(new Colorize(0.4, new(0, 255))));
        var colorBw = DatasetChains.For("isc_100k_256_big_color_p4_bw");
        Assert.That(colorBw["grayscale"].P, Is.EqualTo(1));
        Assert.That(colorBw.GrayscaleK0, Is.True);

        var dark = DatasetChains.For("isc_100k_256_big_dark").Steps.Select(s => s.Id).ToList();
        Assert.That(dark.IndexOf("dark"), Is.EqualTo(dark.IndexOf("jitter") + 1));
        Assert.That(((ColorJitter)DatasetChains.For("isc_100k_256_big_dark")["dark"]).Brightness, Is.EqualTo(new UniformRange(0.1, 0.5)));

        var opa = DatasetChains.For("isc_100k_256_big_opa").Steps.Select(s => s.Id).ToList();
        Assert.That(opa.IndexOf("opacity"), Is.EqualTo(opa.IndexOf("text-2") + 1));
        Assert.That(DatasetChains.For("isc_100k_256_big_u")["underlay"], Is.EqualTo(new Underlay(0.4, new(0.2, 0.3), new(0, 0.5), new(0, 0.5))));
        Assert.That(DatasetChains.For("isc_100k_256_big_ff").Describe(), Is.EqualTo(DatasetChains.Base.Describe()));
        Assert.That(DatasetChains.For("isc_100k_256_big_ff_bw").Describe(), Is.EqualTo(bw.Describe()));
    }

    [Test]
    public void Describe_is_one_line_per_step_and_changes_with_any_parameter()
    {
        var text = DatasetChains.Base.Describe();
        Assert.That(text.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(DatasetChains.Base.Steps.Count + 1));
        Assert.That(text, Does.Contain("10 blur [gaussian-blur] p=1 radius=U(0.1, 2)"));
        Assert.That(text, Does.Contain("03 rotation [rotation] p=0.3 degrees=U(-50, 50)"));
        var names = Datasets.All.Select(d => DatasetChains.For(d).Describe()).Distinct().Count();
        Assert.That(names, Is.EqualTo(9), "11 datasets, ff = big and ff_bw = bw");
        var tweaked = DatasetChains.Base.Replace("rotation", new Rotation(0.3, new(-50, 50.5)));
        Assert.That(tweaked.Describe(), Is.Not.EqualTo(text));
    }

    [Test]
    public void Describe_is_culture_invariant()
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            var invariant = DatasetChains.For("isc_100k_256_big_dark").Describe();
            // The test host runs with invariant globalization: build a comma-decimal culture by hand.
            var comma = (CultureInfo)CultureInfo.InvariantCulture.Clone();
            comma.NumberFormat.NumberDecimalSeparator = ",";
            comma.NumberFormat.NegativeSign = "\u2212";
            CultureInfo.CurrentCulture = comma;
            Assert.That(0.5.ToString(), Is.EqualTo("0,5"), "the culture really changed");
            Assert.That(DatasetChains.For("isc_100k_256_big_dark").Describe(), Is.EqualTo(invariant));
            Assert.That(invariant, Does.Contain("0.3"));
        }
        finally { CultureInfo.CurrentCulture = saved; }
    }

    [Test]
    public void Edits_reject_unknown_and_duplicate_ids()
    {
        Assert.Throws<RecipeException>(() => DatasetChains.Base.Remove("nope"));
        Assert.Throws<RecipeException>(() => DatasetChains.Base.InsertAfter("blur", new Grayscale(1)));
    }
}
