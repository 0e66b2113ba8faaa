using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Isc.Recipe;
using NUnit.Framework;

namespace Isc.Recipe.Tests;

/// <summary>The declared ranges of every setting: the catalog's profiles satisfy them, bad values are refused by name.</summary>
[TestFixture]
public class SettingsRangesTests
{
    static readonly Type[] Records = [typeof(SourceSettings), typeof(GenerationSettings), typeof(ModelSettings), typeof(TrainingSettings), typeof(EvaluationSettings), typeof(EvalSetSettings)];

    static IEnumerable<PropertyInfo> Settable(Type t) =>
        t.GetProperties().Where(p => p.CanWrite && p.Name != "EqualityContract");

    [Test]
    public void Both_catalog_profiles_are_accepted_as_they_are()
    {
        foreach (var p in Profiles.All)
        {
            Assert.That(SettingsValidation.Problems(p.Source), Is.Empty, p.Name);
            Assert.That(SettingsValidation.Problems(p.Generation), Is.Empty, p.Name);
            Assert.That(SettingsValidation.Problems(p.Model), Is.Empty, p.Name);
            Assert.That(SettingsValidation.Problems(p.Training), Is.Empty, p.Name);
            Assert.That(SettingsValidation.Problems(p.Evaluation), Is.Empty, p.Name);
            if (p.EvalSet is not null) Assert.That(SettingsValidation.Problems(p.EvalSet), Is.Empty, p.Name);
        }
    }

    [Test]
    public void Eval_set_settings_are_checked_field_by_field_and_together()
    {
        var demo = Profiles.Demo.EvalSet!;
        Assert.That(() => SettingsParams.WithAll(demo, [new("references", "0")], "EvalSet"),
            Throws.TypeOf<RecipeException>().With.Message.Contains("References=0 is not accepted"));
        Assert.That(() => SettingsParams.WithAll(demo, [new("seed", int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture))], "EvalSet"),
            Throws.TypeOf<RecipeException>().With.Message.Contains("is not accepted"));
        Assert.That(() => SettingsParams.WithAll(demo, [new("copyQueries", "41")], "EvalSet"),
            Throws.TypeOf<RecipeException>().With.Message.Contains("CopyQueries (41) cannot exceed References (40)"));
        Assert.That(() => SettingsParams.WithAll(demo, [new("copyQueries", "0"), new("distractorQueries", "0")], "EvalSet"),
            Throws.TypeOf<RecipeException>().With.Message.Contains("CopyQueries + DistractorQueries must be between 1"));
    }

    [Test]
    public void Every_numeric_or_text_setting_declares_what_it_accepts()
    {
        foreach (var t in Records)
            foreach (var p in Settable(t).Where(p => p.PropertyType != typeof(bool)))
                Assert.That(p.GetCustomAttributes<ValidationAttribute>(), Is.Not.Empty, $"{t.Name}.{p.Name} has no [Range] or [AllowedValues]");
    }

    [TestCase("OutputSize", "-64", "OutputSize=-64 is not accepted (GenerationSettings.OutputSize accepts an integer with 16 <= x <= 8192)")]
    [TestCase("JpegQuality", "1000", "JpegQuality=1000 is not accepted (GenerationSettings.JpegQuality accepts an integer with 1 <= x <= 100)")]
    [TestCase("JpegQuality", "0", "JpegQuality=0 is not accepted")]
    [TestCase("ImagesPerId", "0", "ImagesPerId=0 is not accepted")]
    [TestCase("Seed", "-1", "Seed=-1 is not accepted (GenerationSettings.Seed accepts an integer with x >= 0)")]
    public void Bad_dataset_settings_are_refused_naming_target_setting_value_and_range(string key, string value, string message)
    {
        var e = Assert.Throws<RecipeException>(() =>
            SettingsParams.WithAll(Profiles.Demo.Generation, [new(key, value)], "Dataset:isc_100k_256_big"))!;
        Assert.That(e.Message, Does.StartWith("Dataset:isc_100k_256_big: ").And.Contain(message));
    }

    [TestCase("learningRate", "NaN", "LearningRate=NaN is not accepted (TrainingSettings.LearningRate accepts a finite number with x > 0)")]
    [TestCase("learningRate", "Infinity", "LearningRate=Infinity is not accepted")]
    [TestCase("learningRate", "0", "LearningRate=0 is not accepted")]
    [TestCase("weightDecay", "-Infinity", "WeightDecay=-Infinity is not accepted (TrainingSettings.WeightDecay accepts a finite number with x >= 0)")]
    [TestCase("flipProbability", "1.5", "FlipProbability=1.5 is not accepted (TrainingSettings.FlipProbability accepts a finite number with 0 <= x <= 1)")]
    [TestCase("beta1", "1", "Beta1=1 is not accepted (TrainingSettings.Beta1 accepts a finite number with 0 <= x < 1)")]
    [TestCase("labelSmoothing", "NaN", "LabelSmoothing=NaN is not accepted")]
    [TestCase("inputSize", "-1", "InputSize=-1 is not accepted")]
    [TestCase("precision", "fp8", "Precision=fp8 is not accepted (TrainingSettings.Precision accepts one of fp32, bf16, fp16)")]
    public void Bad_training_settings_are_refused(string key, string value, string message)
    {
        var e = Assert.Throws<RecipeException>(() =>
            SettingsParams.WithAll(Profiles.Demo.Training, [new(key, value)], "Train:baseline_CC_50"))!;
        Assert.That(e.Message, Does.StartWith("Train:baseline_CC_50: ").And.Contain(message));
    }

    [TestCase("gemP", "NaN")]
    [TestCase("gemP", "0")]
    [TestCase("waveblockRatio", "2")]
    [TestCase("stemWidth", "0")]
    [TestCase("classifierInitStd", "Infinity")]
    public void Bad_model_settings_are_refused(string key, string value) =>
        Assert.That(() => SettingsParams.WithAll(Profiles.Demo.Model, [new(key, value)], "Train:blur_CC_ibn"),
            Throws.TypeOf<RecipeException>().With.Message.StartWith("Train:blur_CC_ibn: ").And.Message.Contains("is not accepted"));

    [Test]
    public void Source_settings_are_checked_field_by_field_and_together()
    {
        Assert.That(() => SettingsParams.WithAll(Profiles.Demo.Source, [new("trainingImages", "0")], "Source"),
            Throws.TypeOf<RecipeException>().With.Message.Contains("TrainingImages=0 is not accepted"));
        Assert.That(() => SettingsParams.WithAll(Profiles.Demo.Source, [new("syntheticWidth", "0")], "Source"),
            Throws.TypeOf<RecipeException>().With.Message.Contains("synthetic images need SyntheticWidth and SyntheticHeight of at least 16 px"));
        Assert.That(SettingsParams.WithAll(Profiles.Paper.Source, [], "Source").SyntheticWidth, Is.Zero, "paper: not synthetic, 0 is fine");
    }

    [Test]
    public void Good_values_at_the_edges_are_accepted()
    {
        var t = SettingsParams.WithAll(Profiles.Demo.Training, [new("flipProbability", "1"), new("weightDecay", "0"), new("learningRate", "1e-9")], "Train:x");
        Assert.That((t.FlipProbability, t.WeightDecay, t.LearningRate), Is.EqualTo((1.0, 0.0, 1e-9)));
        var g = SettingsParams.WithAll(Profiles.Demo.Generation, [new("jpegQuality", "1")], "Dataset:x");
        Assert.That(g.JpegQuality, Is.EqualTo(1));
    }

    [Test]
    public void One_value_can_be_checked_alone_as_configuration_files_need()
    {
        Assert.That(SettingsParams.ValueProblem(typeof(GenerationSettings), "jpeg-quality", "90"), Is.Null);
        Assert.That(SettingsParams.ValueProblem(typeof(GenerationSettings), "jpegQuality", "1000"), Does.Contain("1 <= x <= 100"));
        Assert.That(SettingsParams.ValueProblem(typeof(GenerationSettings), "quality", "90"), Does.Contain("'quality' is not a setting of GenerationSettings"));
        Assert.That(SettingsParams.ValueProblem(typeof(TrainingSettings), "epochs", "many"), Does.Contain("needs a Int32, got 'many'"));
    }
}
