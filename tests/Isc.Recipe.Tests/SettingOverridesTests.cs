using System.Text.Json;
using System.Text.Json.Nodes;
using Isc.Recipe;
using NUnit.Framework;

namespace Isc.Recipe.Tests;

/// <summary>
/// The one resolver of setting overrides (the build's --set=target.key=value and a worker's --set key=value by hand),
/// and the JSON form in which the build hands the resolved settings to the worker.
/// </summary>
[TestFixture]
public class SettingOverridesTests
{
    static readonly SettingsRecord[] TrainingRecords = [SettingsRecord.Training, SettingsRecord.Model];
    const string Dataset = "Dataset:isc_100k_256_big";
    const string Train = "Train:baseline_CC_50";

    [TestCase("learningRate", "NaN", "LearningRate=NaN is not accepted")]
    [TestCase("flipProbability", "2", "FlipProbability=2 is not accepted")]
    [TestCase("gemP", "-Infinity", "GemP=-Infinity is not accepted")]
    public void Out_of_range_overrides_are_refused_before_training(string key, string value, string message) =>
        Assert.That(() => SettingOverrides.Apply(Profiles.Demo, [new(key, value)], "--set", TrainingRecords),
            Throws.TypeOf<RecipeException>().With.Message.StartWith("--set: ").And.Message.Contains(message));

    [Test]
    public void Each_key_goes_to_the_first_record_that_has_it()
    {
        var p = SettingOverrides.Apply(Profiles.Demo, [new("epochs", "2"), new("stemWidth", "4"), new("seed", "9")], "--set", TrainingRecords);
        Assert.That((p.Training.Epochs, p.Model.StemWidth, p.Training.Seed), Is.EqualTo((2, 4, 9)));
        Assert.That(p with { Training = Profiles.Demo.Training, Model = Profiles.Demo.Model }, Is.EqualTo(Profiles.Demo), "nothing else changes");
    }

    [Test]
    public void An_unknown_key_names_the_target_and_every_record_it_was_looked_up_in()
    {
        var e = Assert.Throws<RecipeException>(() => SettingOverrides.Resolve(Profiles.Demo, [(Train, "epoch", "2")], Train))!;
        Assert.That(e.Message, Does.StartWith($"{Train}: 'epoch' is not a setting of TrainingSettings or ModelSettings"));
        Assert.That(e.Message, Does.Contain("TrainingSettings: IdsPerBatch").And.Contain("ModelSettings: StemWidth"));
    }

    [Test]
    public void A_dataset_target_reaches_only_the_generation_settings()
    {
        var e = Assert.Throws<RecipeException>(() => SettingOverrides.Resolve(Profiles.Demo, [(Dataset, "TrainingImages", "40")], Dataset))!;
        Assert.That(e.Message, Does.StartWith($"{Dataset}: 'TrainingImages' is not a setting of GenerationSettings; settings: ImagesPerId"));
    }

    [Test]
    public void A_group_override_comes_before_the_targets_own_whatever_the_order_given()
    {
        (string, string, string)[] sets = [(Train, "Epochs", "1"), ("Trainings", "Epochs", "2"), ("trainings", "LearningRate", "0.001")];
        var own = SettingOverrides.Resolve(Profiles.Demo, sets, Train);
        var other = SettingOverrides.Resolve(Profiles.Demo, sets, "Train:baseline_CC_152");
        Assert.That((own.Training.Epochs, own.Training.LearningRate), Is.EqualTo((1, 0.001)));
        Assert.That((other.Training.Epochs, other.Training.LearningRate), Is.EqualTo((2, 0.001)));
        Assert.That(SettingOverrides.Resolve(Profiles.Demo, sets, Dataset).Training, Is.EqualTo(Profiles.Demo.Training), "Trainings. reaches no dataset");
    }

    [Test]
    public void Source_and_overlays_overrides_reach_every_artifact_and_a_shared_key_stays_in_the_source()
    {
        (string, string, string)[] sets = [("Source", "TrainingImages", "120"), ("Overlays", "Seed", "7"), ("Datasets", "Seed", "5")];
        foreach (var target in new[] { Dataset, Train, "Pretrained:resnet50" })
        {
            var p = SettingOverrides.Resolve(Profiles.Demo, sets, target);
            Assert.That((p.Source.TrainingImages, p.Source.Seed), Is.EqualTo((120, 7)), target);
        }
        var dataset = SettingOverrides.Resolve(Profiles.Demo, sets, Dataset);
        Assert.That(dataset.Generation.Seed, Is.EqualTo(5), "Source.Seed is the source's seed, Datasets.Seed the generation's");
        Assert.That(() => SettingOverrides.Resolve(Profiles.Demo, [("Source", "ImagesPerId", "3")], Train),
            Throws.TypeOf<RecipeException>().With.Message.StartWith("Source/Overlays: 'ImagesPerId' is not a setting of SourceSettings"));
    }

    [Test]
    public void Groups_are_Trainings_and_Datasets_only() =>
        Assert.That(new[] { "Trainings", "datasets", "Source", "Train:baseline_CC_50", "Models" }.Select(SettingOverrides.IsGroup),
            Is.EqualTo(new[] { true, true, false, false, false }));

    [Test]
    public void A_resolved_profile_survives_its_json_form_exactly()
    {
        var resolved = SettingOverrides.Resolve(Profiles.Paper,
            [("Trainings", "LearningRate", "0.000123456789012345"), (Train, "WaveblockRatio", "0.1"), (Train, "Precision", "bf16")], Train);
        foreach (var profile in Profiles.All.Append(resolved))
        {
            var back = ProfileJson.FromElement(JsonSerializer.SerializeToElement(ProfileJson.ToElement(profile)), "spec.json");
            Assert.That(back, Is.EqualTo(profile), profile.Name);
            foreach (var record in new object[] { back.Source, back.Generation, back.Model, back.Training })
                Assert.That(SettingsParams.ToParams(record), Is.EqualTo(SettingsParams.ToParams(Pick(profile, record.GetType()))));
        }
        Assert.That(ProfileJson.ToElement(Profiles.Demo).GetProperty("model").TryGetProperty("featureDim", out _), Is.False, "derived values are not settings");
    }

    static object Pick(Profile p, Type t) =>
        t == typeof(SourceSettings) ? p.Source : t == typeof(GenerationSettings) ? p.Generation : t == typeof(ModelSettings) ? p.Model : p.Training;

    [Test]
    public void Every_record_has_its_type_and_reaches_its_own_profile_member([Values] SettingsRecord record)
    {
        var type = SettingOverrides.TypeOf(record);
        var member = typeof(Profile).GetProperties().Single(p => Nullable.GetUnderlyingType(p.PropertyType) == type || p.PropertyType == type);
        var key = type.GetProperties().First(p => p.PropertyType == typeof(int) && p.CanWrite).Name;
        var value = (int)type.GetProperty(key)!.GetValue(member.GetValue(Profiles.Demo))! + 1;
        var after = SettingOverrides.Apply(Profiles.Demo, [new(key, value.ToString(System.Globalization.CultureInfo.InvariantCulture))], "test", record);
        Assert.That(type.GetProperty(key)!.GetValue(member.GetValue(after)), Is.EqualTo(value), $"{record}.{key}");
    }

    [TestCase("training", "epochs", null, "the settings are not a complete profile")]
    [TestCase("training", "epochz", "3", "the settings are not a complete profile")]
    [TestCase("generation", "jpegQuality", "1000", "spec.json: JpegQuality=1000 is not accepted")]
    [TestCase("evalSet", "copyQueries", "41", "spec.json: EvalSetSettings: each copy query copies a different reference")]
    public void A_damaged_settings_object_is_refused_naming_the_file(string record, string key, string? value, string message)
    {
        var json = JsonNode.Parse(ProfileJson.ToElement(Profiles.Demo).GetRawText())!.AsObject();
        var section = json[record]!.AsObject();
        if (value is null) section.Remove(key);
        else section[key] = JsonValue.Create(int.Parse(value));
        Assert.That(() => ProfileJson.FromElement(JsonSerializer.SerializeToElement(json), "spec.json"),
            Throws.TypeOf<RecipeException>().With.Message.Contains(message).And.Message.StartWith("spec.json: "));
    }
}
