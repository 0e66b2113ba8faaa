using Isc.Recipe;
using NUnit.Framework;

namespace Isc.Recipe.Tests;

[TestFixture]
public class CatalogTests
{
    [Test]
    public void The_catalog_has_11_datasets_3_backbones_and_33_uniquely_named_runs()
    {
        Assert.That(Datasets.All, Has.Count.EqualTo(11));
        Assert.That(Backbones.All.Select(b => b.Name), Is.EqualTo(new[] { "resnet50", "resnet152", "ibn" }));
        Assert.That(Runs.All, Has.Count.EqualTo(33));
        Assert.That(Runs.All.Select(r => r.Name).Distinct().Count(), Is.EqualTo(33));
        Assert.That(Runs.All.Select(r => r.TrimmedModelPath).Distinct().Count(), Is.EqualTo(33));
    }

    [TestCase("baseline_CC_50", "logs/baseline_CC/50", "V5_baseline_CC/baseline_cc_50.pth.tar", "isc_100k_256_big")]
    [TestCase("blur_BW_ibn", "logs/blur_BW/ibn", "V5_blur_BW/blur_bw_ibn.pth.tar", "isc_100k_256_big_blur_bw")]
    [TestCase("face_CC_152", "logs/face_CC/152", "V5_face_CC/face_cc_152.pth.tar", "isc_100k_256_big_ff")]
    [TestCase("color_BW_50", "logs/color_BW/50", "V5_color_BW/color_bw_50.pth.tar", "isc_100k_256_big_color_p4_bw")]
    [TestCase("u_CC_ibn", "logs/u_CC/ibn", "V5_u_CC/u_cc_ibn.pth.tar", "isc_100k_256_big_u")]
    public void Runs_follow_the_original_script_names_and_output_layout(string run, string logs, string trimmed, string dataset)
    {
        var r = Runs.Get(run);
        Assert.That(r.LogDirectory, Is.EqualTo(logs));
        Assert.That(r.TrimmedModelPath, Is.EqualTo(trimmed));
        Assert.That(r.Dataset.Name, Is.EqualTo(dataset));
    }

    [Test]
    public void Dark_opa_and_u_have_no_bw_member_and_only_ff_adds_face_identities()
    {
        foreach (var family in new[] { "dark", "opa", "u" })
            Assert.That(Datasets.All.Where(d => d.Family == family).Select(d => d.Tone), Is.EqualTo(new[] { Tone.CC }));
        Assert.That(Datasets.All.Where(d => d.AddsFaceIdentities).Select(d => d.Name),
            Is.EquivalentTo(new[] { "isc_100k_256_big_ff", "isc_100k_256_big_ff_bw" }));
    }

    [Test]
    public void Paper_profile_has_the_published_numbers()
    {
        var p = Profiles.Paper;
        Assert.That(p.Source.Identities, Is.EqualTo(100_000));
        Assert.That(p.Generation.ImagesPerId, Is.EqualTo(20));
        Assert.That(p.Model.FeatureDim, Is.EqualTo(2048));
        Assert.That(p.Training.BatchSize, Is.EqualTo(128));
        Assert.That(p.Training.IterationsPerEpoch * p.Training.Epochs, Is.EqualTo(200_000));
    }

    [Test]
    public void Lr_factor_matches_the_schedule_for_all_25_epochs()
    {
        var t = Profiles.Paper.Training;
        double[] expected =
        [
            0.01, 0.208, 0.406, 0.604, 0.802, 1, 1, 1, 1, 1,
            .. Enumerable.Range(10, 15).Select(e => 0.5 * (1 + Math.Cos(Math.PI * (e - 10) / 15))),
        ];
        for (var e = 0; e < 25; e++) Assert.That(t.LrFactor(e), Is.EqualTo(expected[e]).Within(1e-12), $"epoch {e}");
        Assert.That(t.LrFactor(10), Is.EqualTo(1.0));
        Assert.That(t.LrFactor(24), Is.EqualTo(0.5 * (1 + Math.Cos(Math.PI * 14 / 15))).Within(1e-12));
    }

    [Test]
    public void Names_are_looked_up_case_insensitively_and_unknown_ones_list_the_known()
    {
        Assert.That(Runs.Get("BASELINE_cc_50").Name, Is.EqualTo("baseline_CC_50"));
        Assert.That(Backbones.Get("resnet_ibn50a"), Is.SameAs(Backbones.Ibn));
        var e = Assert.Throws<RecipeException>(() => Datasets.Get("isc_100k"))!;
        Assert.That(e.Message, Does.Contain("isc_100k_256_big_blur"));
    }
}
