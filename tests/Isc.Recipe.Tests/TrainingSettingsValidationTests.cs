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

    [Test]
    public void Micro_batches_are_the_BatchNorm_shards()
    {
        foreach (var p in Profiles.All)
            Assert.DoesNotThrow(() => (p.Training with { MicroBatch = true }).Validated(p.Name));
        var one = Assert.Throws<RecipeException>(() => (Profiles.Paper.Training with { MicroBatch = true, BatchNormShards = 1 }).Validated("Train:baseline_CC_50"));
        Assert.That(one!.Message, Does.StartWith("Train:baseline_CC_50: ").And.Contain("MicroBatch").And.Contain("BatchNormShards of at least 2"));
        var uneven = Assert.Throws<RecipeException>(() => (Profiles.Paper.Training with { MicroBatch = true, BatchNormShards = 3 }).Validated("Train:baseline_CC_50"));
        Assert.That(uneven!.Message, Does.Contain("(IdsPerBatch x ImagesPerIdInBatch = 128) to split into BatchNormShards (3) equal micro-batches"));
        Assert.DoesNotThrow(() => (Profiles.Paper.Training with { BatchNormShards = 3 }).Validated("paper"), "uneven shards stay allowed without micro-batches");
        var set = SettingsParams.With(Profiles.Paper.Training, "micro-batch", "true");
        Assert.That(set.MicroBatch, "--set micro-batch=true");
    }

    [TestCase("precision", "fp8", "Precision=fp8 is not accepted (TrainingSettings.Precision accepts one of fp32, bf16, fp16)")]
    [TestCase("images-per-id-in-batch", "1", "ImagesPerIdInBatch=1 is not accepted")]
    [TestCase("ids-per-batch", "0", "IdsPerBatch=0 is not accepted")]
    [TestCase("epochs", "0", "Epochs=0 is not accepted")]
    [TestCase("iterations-per-epoch", "0", "IterationsPerEpoch=0 is not accepted")]
    public void Unusable_settings_are_refused_naming_where_and_what(string key, string value, string message)
    {
        var t = SettingsParams.With(Profiles.Paper.Training, key, value);
        var e = Assert.Throws<RecipeException>(() => t.Validated("Train:baseline_CC_50"));
        Assert.That(e!.Message, Does.StartWith("Train:baseline_CC_50: ").And.Contain(message));
    }
}
