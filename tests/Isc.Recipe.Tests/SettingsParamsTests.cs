using Isc.Recipe;
using NUnit.Framework;

namespace Isc.Recipe.Tests;

[TestFixture]
public class SettingsParamsTests
{
    [Test]
    public void Params_are_invariant_text_of_every_setting()
    {
        var p = SettingsParams.ToParams(Profiles.Paper.Training, "training.");
        Assert.That(p["training.LearningRate"], Is.EqualTo("0.00035"));
        Assert.That(p["training.IterationsPerEpoch"], Is.EqualTo("8000"));
        Assert.That(p.Keys, Has.Count.EqualTo(typeof(TrainingSettings).GetProperties().Count(x => x.CanWrite && x.Name != "EqualityContract"
            && !Attribute.IsDefined(x, typeof(RecordedWhenChangedAttribute)))));
    }

    [Test]
    public void A_setting_added_later_leaves_the_identity_of_what_was_built_at_its_default()
    {
        // The keys every training stamp and run.json already hold: a new setting at its default must not change them,
        // or every built training would be stale (and every run folder refused) after an upgrade.
        string[] before =
        [
            "AdamEps", "BatchNormShards", "Beta1", "Beta2", "ChannelsLast", "ConstantUntilEpoch", "CrossEntropyWeight", "Epochs",
            "FlipProbability", "IdsPerBatch", "ImagesPerIdInBatch", "InputSize", "IterationsPerEpoch", "KeepCheckpoints",
            "LabelSmoothing", "LearningRate", "Pad", "Precision", "Seed", "TripletMargin", "TripletWeight", "WarmupEpochs",
            "WarmupStartFactor", "WeightDecay",
        ];
        Assert.That(SettingsParams.ToParams(Profiles.Paper.Training).Keys, Is.EquivalentTo(before));
        var micro = SettingsParams.ToParams(Profiles.Paper.Training with { MicroBatch = true });
        Assert.That(micro["MicroBatch"], Is.EqualTo("true"), "once set, it is part of the identity");
        Assert.That(micro.Keys.Except(["MicroBatch"]), Is.EquivalentTo(before));
    }

    [Test]
    public void Overrides_clone_the_record_and_accept_dashed_names()
    {
        var g = Profiles.Demo.Generation;
        var changed = SettingsParams.With(g, "images-per-id", "7");
        Assert.That(changed.ImagesPerId, Is.EqualTo(7));
        Assert.That(g.ImagesPerId, Is.EqualTo(20), "the catalog's record must not change");
        Assert.That(changed with { ImagesPerId = 20 }, Is.EqualTo(g));
    }

    [Test]
    public void Bad_overrides_say_what_is_wrong()
    {
        var unknown = Assert.Throws<RecipeException>(() => SettingsParams.With(Profiles.Demo.Generation, "sed", "1"))!;
        Assert.That(unknown.Message, Does.Contain("'sed' is not a setting of GenerationSettings").And.Contain("Seed"));
        var badValue = Assert.Throws<RecipeException>(() => SettingsParams.With(Profiles.Demo.Training, "epochs", "many"))!;
        Assert.That(badValue.Message, Does.Contain("Epochs needs a Int32, got 'many'"));
    }
}
