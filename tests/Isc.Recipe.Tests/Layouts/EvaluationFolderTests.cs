using Isc.Recipe.Layouts;
using NUnit.Framework;

namespace Isc.Recipe.Tests.Layouts;

[TestFixture]
public class EvaluationFolderTests
{
    [Test]
    public void Evaluation_files_are_where_other_tools_look_for_them()
    {
        var run = Runs.Get("baseline_CC_50");
        var set = EvaluationFolder.Directory("/a", "demo");
        Assert.That(EvaluationFolder.RelativePath("subset1"), Is.EqualTo("eval/subset1"));
        Assert.That(EvaluationFolder.GroundTruth(set), Is.EqualTo("/a/eval/demo/ground_truth.csv"));
        Assert.That(EvaluationFolder.Predictions(EvaluationFolder.ModelDirectory(set, EvaluationFolder.ModelName(run))),
            Is.EqualTo("/a/eval/demo/baseline_CC_50/predictions.csv"));
        Assert.That(EvaluationFolder.Metrics(EvaluationFolder.ModelDirectory(set, EvaluationFolder.PublishedModelName(run))),
            Is.EqualTo("/a/eval/demo/Published_baseline_CC_50/metrics.json"));
        Assert.That(EvaluationFolder.PretrainedModelName(Backbones.Resnet50), Is.EqualTo("Pretrained_resnet50"));
    }

    [TestCase("")]
    [TestCase("..")]
    [TestCase(".hidden")]
    [TestCase("a/b")]
    [TestCase("a b")]
    public void A_set_or_model_name_must_be_one_plain_folder_name(string name)
    {
        Assert.That(() => EvaluationFolder.RelativePath(name), Throws.ArgumentException);
        Assert.That(() => EvaluationFolder.ModelDirectory("/a/eval/demo", name), Throws.ArgumentException);
    }
}
