using NUnit.Framework;

namespace Isc.Build.Tests;

[TestFixture]
public class BuildCommandLineTests
{
    [Test]
    public void Help_lists_targets_options_and_profiles_from_the_catalog()
    {
        var r = Harness.Build("--help");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
        foreach (var text in new[] { "All33", "Datasets", "Dataset:<name>", "isc_100k_256_big_color_p4_bw", "Train:<run>", "Model:<run>",
                     "Pretrained", "Verify", "Plan", "Clean", "--dryrun", "--verbosity", "--profile", "demo", "paper", "resnet152" })
            Assert.That(r.Output, Does.Contain(text));
    }

    [Test]
    public void Unknown_target_is_refused_with_close_matches()
    {
        var r = Harness.Build("--target=Dataset:isc_100k_256_big_blurr", "--profile=demo");
        Assert.That(r.ExitCode, Is.EqualTo(2), r.ToString());
        Assert.That(r.Output, Does.Contain("unknown target").And.Contain("Dataset:isc_100k_256_big_blur"));
    }

    [Test]
    public void Target_names_are_case_insensitive()
    {
        var root = Harness.TempRoot("case");
        var r = Harness.Build("--target=plan", "--profile=demo", $"--artifacts={root}");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
        Assert.That(r.Output, Does.Contain("Model:baseline_CC_50"));
    }

    [Test]
    public void A_setting_aimed_at_an_unknown_artifact_is_refused_with_close_matches()
    {
        var r = Harness.Build("--target=Plan", "--profile=demo", "--set=Dataset:isc_100k_256_big_blr.seed=3");
        Assert.That(r.ExitCode, Is.EqualTo(2), r.ToString());
        Assert.That(r.Output, Does.Contain("there is no artifact 'Dataset:isc_100k_256_big_blr'").And.Contain("Dataset:isc_100k_256_big_blur"));
    }

    [Test]
    public void Unknown_option_is_refused()
    {
        var r = Harness.Build("--targte=All33");
        Assert.That(r.ExitCode, Is.EqualTo(2), r.ToString());
        Assert.That(r.Output, Does.Contain("unknown option --targte"));
    }

    [Test]
    public void Missing_training_images_fail_fast_naming_the_input_and_how_to_get_it()
    {
        var root = Harness.TempRoot("missing");
        var r = Harness.Build("--target=All33", "--profile=paper", $"--artifacts={root}");
        Assert.That(r.ExitCode, Is.EqualTo(2), r.ToString());
        Assert.That(r.Output, Does.Contain("DISC21 training images").And.Contain("inputs.trainImages").And.Contain("licence-gated"));
        Assert.That(Directory.Exists(Path.Combine(root, "paper", ".stamps")), Is.False, "nothing may be built");

        var wrong = Harness.Build("--target=Datasets", "--profile=paper", $"--artifacts={root}", $"--train-images={root}/nope");
        Assert.That(wrong.ExitCode, Is.EqualTo(2), wrong.ToString());
        Assert.That(wrong.Output, Does.Contain($"{root}/nope does not exist"));
    }

    [Test]
    public void Worker_help_lists_its_commands()
    {
        var r = Harness.Isc("--help");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
        Assert.That(r.Output, Does.Contain("step").And.Contain("synth-images").And.Contain("manifest"));
    }

    [Test]
    public void Worker_rejects_a_bad_invocation_with_a_clear_message()
    {
        var r = Harness.Isc("synth-images", "--kind", "sideways", "--out", Harness.TempRoot("bad"));
        Assert.That(r.ExitCode, Is.EqualTo(2), r.ToString());
        Assert.That(r.Output, Does.Contain("--kind must be 'training' or 'overlay'"));
    }
}
