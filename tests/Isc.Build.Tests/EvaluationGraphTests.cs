using Isc.Artifacts;
using Isc.Build.Graph;
using Isc.Build.Host;
using Isc.Recipe;
using NUnit.Framework;

namespace Isc.Build.Tests;

/// <summary>The evaluation half of the graph, in-process: which artifacts each evaluation needs, and what a change reaches.</summary>
[TestFixture]
public class EvaluationGraphTests
{
    string _root = "";

    [SetUp] public void SetUp() => _root = Harness.TempRoot("eval-graph");
    [TearDown] public void TearDown() => Directory.Delete(_root, recursive: true);

    BuildSettings Settings(string profile, params string[] args) =>
        SettingsResolver.Resolve(Harness.RepoRoot, BuildConfig.Empty, BuildOptions.Parse([.. args, $"--profile={profile}", $"--artifacts={_root}"]));

    [Test]
    public void Every_run_its_published_model_and_every_backbone_is_evaluated_on_the_demo_set()
    {
        var graph = GraphBuilder.Build(Settings("demo"));
        Assert.That(graph.Nodes.Count(n => n.Kind == ArtifactKind.Evaluation), Is.EqualTo(33 + 33 + 3));
        Assert.That(graph["Eval:baseline_CC_50"].Inputs, Is.EqualTo(new[] { "Features:baseline_CC_50:demo", "EvalSet:demo", "Pca:baseline_CC_50" }));
        Assert.That(graph["Features:baseline_CC_50:demo"].Inputs, Is.EqualTo(new[] { "Model:baseline_CC_50", "EvalSet:demo" }));
        Assert.That(graph["Pca:baseline_CC_50"].Inputs, Is.EqualTo(new[] { "Model:baseline_CC_50", "Source" }));
        Assert.That(graph["Features:Pretrained:ibn:demo"].Inputs, Is.EqualTo(new[] { "Pretrained:ibn", "EvalSet:demo" }));
        Assert.That(graph["Features:Pretrained:ibn:demo"].Commands[0], Does.Contain("--backbone").And.Contain("ibn"));
        Assert.That(graph["Published:baseline_CC_50"].Inputs, Is.EqualTo(new[] { "Model:baseline_CC_50" }), "the demo's stand-in is made from the rebuilt model");
        Assert.That(GraphBuilder.IsStandIn(graph["Published:baseline_CC_50"]), Is.True, "its verdict only warns");
        Assert.That(graph["Compare"].Inputs, Has.Count.EqualTo(33 * 2 + 3));
        Assert.That(graph["Eval:baseline_CC_50"].Outputs.Select(o => o.Path),
            Is.EqualTo(new[] { "eval/demo/baseline_CC_50/predictions.csv", "eval/demo/baseline_CC_50/metrics.json" }));
        Assert.That(graph["Eval:Published:baseline_CC_50"].Outputs[1].Path, Is.EqualTo("eval/demo/Published_baseline_CC_50/metrics.json"));
        Assert.That(graph["Eval:Pretrained:resnet50"].Outputs[1].Path, Is.EqualTo("eval/demo/Pretrained_resnet50/metrics.json"));
        Assert.That(graph["EvalSet:demo"].Outputs.Select(o => o.Path), Does.Contain("eval/demo/ground_truth.csv"));
    }

    [Test]
    public void A_protocol_setting_reaches_the_evaluation_only_and_the_search_setting_only_the_searches()
    {
        var before = GraphBuilder.Build(Settings("demo")).Nodes.ToDictionary(n => n.Id, n => n.Params);
        var after = GraphBuilder.Build(Settings("demo", "--set=Evaluation.topK=5")).Nodes.ToDictionary(n => n.Id, n => n.Params);
        var changed = before.Keys.Where(id => !before[id].SequenceEqual(after[id])).ToList();
        Assert.That(changed, Has.Count.EqualTo(69));
        Assert.That(changed, Has.All.StartsWith("Eval:"));

        var noWhitening = GraphBuilder.Build(Settings("demo", "--set=Evaluation.pcaTrainingImages=0"));
        Assert.That(noWhitening.Nodes.Where(n => n.Kind == ArtifactKind.Pca), Is.Empty);
        Assert.That(noWhitening["Eval:baseline_CC_50"].Commands[0], Does.Not.Contain("--pca"));
    }

    [Test]
    public void Evaluation_settings_are_checked_naming_the_setting()
    {
        var e = Assert.Throws<RecipeException>(() => GraphBuilder.Build(Settings("demo", "--set=Evaluation.pcaTrainingImages=20")));
        Assert.That(e!.Message, Does.Contain("Evaluation").And.Contain("PcaTrainingImages is 20"));
        e = Assert.Throws<RecipeException>(() => GraphBuilder.Build(Settings("demo", "--set=Evaluation.set=dev25k")));
        Assert.That(e!.Message, Does.Contain("Evaluation.set=dev25k").And.Contain("'demo'"));
        e = Assert.Throws<RecipeException>(() => GraphBuilder.Build(Settings("paper", "--set=Evaluation.set=demo")));
        Assert.That(e!.Message, Does.Contain("subset1 or dev25k"));
        e = Assert.Throws<RecipeException>(() => GraphBuilder.Build(Settings("paper", "--set=Evaluation.references=10")));
        Assert.That(e!.Message, Does.Contain("paper profile has no EvalSetSettings"));
    }

    [Test]
    public void The_paper_profile_evaluates_on_your_DISC21_folders_with_the_challenges_pinned_lists()
    {
        var graph = GraphBuilder.Build(Settings("paper", $"--query-images={_root}/q", $"--reference-images={_root}/r"));
        var set = graph["EvalSet:subset1"];
        Assert.That(set.Inputs, Is.EqualTo(new[] { "Queries", "References" }));
        Assert.That(graph["Queries"].External!.Path, Is.EqualTo($"{_root}/q"));
        var commands = set.Commands.Select(c => string.Join(" ", c)).ToList();
        Assert.That(commands.Count(c => c.StartsWith("download https://raw.githubusercontent.com/facebookresearch/isc2021/")), Is.EqualTo(3));
        Assert.That(commands.Count(c => c.StartsWith("pin ")), Is.EqualTo(3), "each list is pinned after the set was checked against it");
        Assert.That(commands.Single(c => c.StartsWith("eval-set")), Does.Contain("--query-list").And.Contain("subset_1_queries").And.Contain("--reference-list"));
        Assert.That(graph["Features:baseline_CC_50:subset1"].Commands[0], Does.Contain($"{_root}/paper/eval/subset1/queries.txt"));
        Assert.That(graph["Published:baseline_CC_50"].IsExternal, Is.True, "no published file is known by id: the user gives it");
        Assert.That(graph["Published:baseline_CC_50"].External!.HowToGet, Does.Contain("1xVIJdwCDbxVTjmlzo7YXUmlc8JwTUUgA"));

        var dev = GraphBuilder.Build(Settings("paper", "--set=Evaluation.set=dev25k"));
        Assert.That(string.Join(" ", dev["EvalSet:dev25k"].Commands.Single(c => c[0] == "eval-set")), Does.Not.Contain("--reference-list"), "dev25k searches every reference");
        Assert.That(dev["Pca:baseline_CC_50"].Commands[0], Does.Contain("--first").And.Contain("20000"));
    }

    [Test]
    public void A_published_file_you_give_is_imported_and_pinned()
    {
        var graph = GraphBuilder.Build(Settings("paper", $"--file:Published:blur_BW_ibn={_root}/blur_bw_ibn.pth.tar"));
        var node = graph["Published:blur_BW_ibn"];
        Assert.That(node.Inputs, Is.EqualTo(new[] { "File:Published:blur_BW_ibn" }));
        Assert.That(GraphBuilder.IsStandIn(node), Is.False, "a run below the authors' file fails the build");
        Assert.That(node.Commands[0], Does.Contain("--from-file"));
        Assert.That(node.Commands[^1][0], Is.EqualTo("pin"));
        Assert.That(node.Outputs.Single().Path, Is.EqualTo("published/V5_blur_BW/blur_bw_ibn.pth.tar"));
    }
}
