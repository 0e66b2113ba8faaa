using Isc.Recipe;
using Isc.Training.Util;
using NUnit.Framework;

namespace Isc.Training.Tests.Training;

/// <summary>The trainer's own --set parsing checks the same declared ranges as the build (a worker run by hand included).</summary>
[TestFixture]
public class ProfileSettingsTests
{
    [TestCase("learningRate", "NaN", "LearningRate=NaN is not accepted")]
    [TestCase("flipProbability", "2", "FlipProbability=2 is not accepted")]
    [TestCase("gemP", "-Infinity", "GemP=-Infinity is not accepted")]
    public void Out_of_range_overrides_are_refused_before_training(string key, string value, string message) =>
        Assert.That(() => ProfileSettings.Resolve("demo", [new(key, value)]),
            Throws.TypeOf<RecipeException>().With.Message.StartWith("--set: ").And.Message.Contains(message));

    [Test]
    public void Valid_overrides_apply()
    {
        var (model, training) = ProfileSettings.Resolve("demo", [new("epochs", "2"), new("stemWidth", "4")]);
        Assert.That((training.Epochs, model.StemWidth), Is.EqualTo((2, 4)));
    }
}
