using Isc.Recipe;
using NUnit.Framework;

namespace Isc.Recipe.Tests;

[TestFixture]
public class TrainingSettingsValidationTests
{
    [Test]
    public void Both_profiles_are_valid_and_every_precision_is_accepted()
    {
        foreach (var p in Profiles.All)
            foreach (var precision in TrainingSettings.Precisions)
                Assert.DoesNotThrow(() => (p.Training with { Precision = precision }).Validated(p.Name));
    }

    [TestCase("precision", "fp8", "precision must be one of fp32, bf16, fp16, got 'fp8'")]
    [TestCase("images-per-id-in-batch", "1", "at least 1 id and 2 images per id")]
    [TestCase("ids-per-batch", "0", "at least 1 id and 2 images per id")]
    [TestCase("epochs", "0", "epochs and iterations per epoch must be at least 1")]
    [TestCase("iterations-per-epoch", "0", "epochs and iterations per epoch must be at least 1")]
    public void Unusable_settings_are_refused_naming_where_and_what(string key, string value, string message)
    {
        var t = SettingsParams.With(Profiles.Paper.Training, key, value);
        var e = Assert.Throws<RecipeException>(() => t.Validated("Train:baseline_CC_50"));
        Assert.That(e!.Message, Does.StartWith("Train:baseline_CC_50: ").And.Contain(message));
    }
}
