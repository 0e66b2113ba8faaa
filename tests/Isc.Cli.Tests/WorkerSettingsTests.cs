using Isc.Recipe;
using NUnit.Framework;

namespace Isc.Cli.Tests;

/// <summary>How every worker command gets its settings: the step spec's resolved settings, or a profile with --set by hand.</summary>
[TestFixture]
public class WorkerSettingsTests
{
    static readonly SettingsRecord[] DatasetRecords = [SettingsRecord.Generation, SettingsRecord.Source];

    [Test]
    public void The_settings_of_a_step_spec_are_read_exactly()
    {
        using var specs = new SpecFiles();
        var resolved = SettingOverrides.Resolve(Profiles.Demo,
            [("Source", "TrainingImages", "120"), ("Source", "Seed", "7"), ("Datasets", "JpegQuality", "90")], "Dataset:isc_100k_256_big");
        var args = new CommandArgs(["--settings", specs.Write("Dataset:isc_100k_256_big", resolved)]);
        Assert.That(WorkerSettings.Read(args, DatasetRecords), Is.EqualTo(resolved));
        Assert.DoesNotThrow(args.RejectUnknown);
    }

    [TestCase("--profile", "demo")]
    [TestCase("--set", "seed=3")]
    public void Settings_from_a_spec_cannot_be_mixed_with_a_profile_or_overrides(string option, string value)
    {
        using var specs = new SpecFiles();
        var args = new CommandArgs(["--settings", specs.Write("Train:baseline_CC_50", Profiles.Demo), option, value]);
        Assert.That(() => WorkerSettings.Read(args, [SettingsRecord.Training, SettingsRecord.Model]),
            Throws.TypeOf<UsageException>().With.Message.Contains("without --profile and --set"));
    }

    [Test]
    public void A_spec_without_settings_or_a_missing_spec_is_refused_saying_what_to_do()
    {
        using var specs = new SpecFiles();
        var none = specs.Write("Model:baseline_CC_50", null);
        Assert.That(() => WorkerSettings.Read(new CommandArgs(["--settings", none]), []),
            Throws.TypeOf<UsageException>().With.Message.Contains("the step spec of Model:baseline_CC_50 carries no settings"));
        var missing = Path.Combine(specs.Root, "nothing.spec.json");
        Assert.That(() => WorkerSettings.Read(new CommandArgs(["--settings", missing]), []),
            Throws.TypeOf<UsageException>().With.Message.Contains($"--settings {missing}: no such file"));
    }

    [Test]
    public void By_hand_a_key_goes_to_the_first_record_of_the_command_that_has_it()
    {
        var args = new CommandArgs(["--profile", "demo", "--set", "seed=7", "--set", "TrainingImages=40"]);
        var p = WorkerSettings.Read(args, DatasetRecords);
        Assert.That((p.Generation.Seed, p.Source.Seed, p.Source.TrainingImages), Is.EqualTo((7, Profiles.Demo.Source.Seed, 40)));
    }

    [Test]
    public void By_hand_an_unknown_key_or_a_bad_value_is_refused()
    {
        Assert.That(() => WorkerSettings.Read(new CommandArgs(["--profile", "demo", "--set", "epochz=2"]), [SettingsRecord.Training, SettingsRecord.Model]),
            Throws.TypeOf<RecipeException>().With.Message.StartWith("--set: 'epochz' is not a setting of TrainingSettings or ModelSettings"));
        Assert.That(() => WorkerSettings.Read(new CommandArgs(["--profile", "demo", "--set", "JpegQuality=1000"]), DatasetRecords),
            Throws.TypeOf<RecipeException>().With.Message.EqualTo(
                "--set: JpegQuality=1000 is not accepted (GenerationSettings.JpegQuality accepts an integer with 1 <= x <= 100)"));
    }

    [Test]
    public void A_command_that_takes_no_overrides_leaves_set_to_the_unknown_option_check()
    {
        var args = new CommandArgs(["--profile", "demo", "--set", "StemWidth=4"]);
        Assert.That(WorkerSettings.Read(args, []), Is.EqualTo(Profiles.Demo));
        Assert.That(args.RejectUnknown, Throws.TypeOf<UsageException>().With.Message.Contains("--set"));
    }
}
