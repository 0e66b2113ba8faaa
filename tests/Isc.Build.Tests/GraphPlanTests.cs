using Isc.Artifacts;
using Isc.Build.Graph;
using Isc.Build.Host;
using Isc.Recipe;
using NUnit.Framework;

namespace Isc.Build.Tests;

/// <summary>
/// The staleness rules over the whole 33-run graph, in-process: every artifact is given a stamp and
/// real output files on disk, then one thing is changed and the plan must name exactly what it affects.
/// </summary>
[TestFixture]
public class GraphPlanTests
{
    string _root = "";

    [SetUp] public void SetUp() => _root = Harness.TempRoot("graph");
    [TearDown] public void TearDown() => Directory.Delete(_root, recursive: true);

    BuildSettings Settings(params string[] args) =>
        SettingsResolver.Resolve(Harness.RepoRoot, BuildConfig.Empty, BuildOptions.Parse([.. args, "--profile=demo", $"--artifacts={_root}"]));

    /// <summary>Stamps every step node as built, with small real output files, in dependency order.</summary>
    static void StampEverything(BuildGraph graph, Planner planner)
    {
        var states = new Dictionary<string, NodeState>(StringComparer.OrdinalIgnoreCase);
        foreach (var node in graph.Nodes)
        {
            if (!node.IsExternal)
            {
                foreach (var o in node.Outputs)
                {
                    var path = planner.Store.Resolve(o.Path);
                    if (o.Kind == OutputKind.Directory) Directory.CreateDirectory(path);
                    else { Directory.CreateDirectory(Path.GetDirectoryName(path)!); File.WriteAllText(path, node.Id + o.Path); }
                }
                planner.Store.Write(new Stamp
                {
                    Artifact = node.Id, Step = node.Step!, StepVersion = node.StepVersion, Params = node.Params,
                    Inputs = new(node.Inputs.ToDictionary(i => i, i => states[i].Hash!), StringComparer.Ordinal),
                    Outputs = [.. node.Outputs.Select(planner.Store.Record)],
                });
            }
            states[node.Id] = planner.Evaluate(node, i => states[i]);
            Assert.That(states[node.Id].UpToDate, Is.True, $"{node.Id}: {states[node.Id].Reason}");
        }
    }

    static List<string> Stale(BuildSettings settings) =>
        [.. new Planner(new StampStore(settings.ArtifactsRoot)).Plan(GraphBuilder.Build(settings).Nodes)
            .Where(p => !p.State.UpToDate).Select(p => p.Node.Id)];

    [Test]
    public void The_graph_has_every_artifact_of_the_recipe_wired_as_the_recipe_says()
    {
        var graph = GraphBuilder.Build(Settings());
        Assert.That(graph.Nodes.Count(n => n.Kind == ArtifactKind.Dataset), Is.EqualTo(11));
        Assert.That(graph.Nodes.Count(n => n.Kind == ArtifactKind.Training), Is.EqualTo(33));
        Assert.That(graph.Nodes.Count(n => n.Kind == ArtifactKind.Model), Is.EqualTo(33));
        Assert.That(graph.Nodes.Count(n => n.Kind == ArtifactKind.Pretrained), Is.EqualTo(3));
        Assert.That(graph["Train:blur_BW_ibn"].Inputs, Is.EqualTo(new[] { "Dataset:isc_100k_256_big_blur_bw", "Pretrained:ibn" }));
        Assert.That(graph["Model:blur_BW_ibn"].Outputs.Single().Path, Is.EqualTo("V5_blur_BW/blur_bw_ibn.pth.tar"));
        Assert.That(graph["Train:baseline_CC_50"].Outputs.Single().Path, Is.EqualTo("logs/baseline_CC/50/checkpoint_2.pth.tar"));
        Assert.That(graph["Dataset:isc_100k_256_big_ff"].Inputs, Does.Contain("Faces"));
        Assert.That(graph["Dataset:isc_100k_256_big"].Inputs, Does.Not.Contain("Faces"));
        Assert.That(graph.Closure(["Model:u_CC_50"]).Select(n => n.Id),
            Is.EqualTo(new[] { "Source", "Overlays", "Font", "Emoji", "Dataset:isc_100k_256_big_u", "Pretrained:resnet50", "Train:u_CC_50", "Model:u_CC_50" }));
    }

    [Test]
    public void Paper_downloads_come_from_the_catalog_and_a_users_file_replaces_a_download()
    {
        var paper = SettingsResolver.Resolve(Harness.RepoRoot, BuildConfig.Empty,
            BuildOptions.Parse(["--profile=paper", $"--artifacts={_root}", $"--file:Pretrained:ibn={_root}/ibn.pkl"]));
        var graph = GraphBuilder.Build(paper);
        Assert.That(graph["Overlays"].Commands[0], Does.Contain($"gdrive:{Isc.Recipe.Assets.OverlayImages.DriveId}"));
        Assert.That(graph["Pretrained:resnet50"].Commands[0], Does.Contain(Isc.Recipe.Backbones.Resnet50.Published.Url));
        Assert.That(graph["Pretrained:ibn"].Commands[0], Does.Contain("--from-file").And.Contain($"{_root}/ibn.pkl"));
        Assert.That(graph["Pretrained:ibn"].Params["source"], Is.EqualTo("file"));
    }

    [Test]
    public void Everything_stamped_means_nothing_to_do()
    {
        var settings = Settings();
        StampEverything(GraphBuilder.Build(settings), new Planner(new StampStore(settings.ArtifactsRoot)));
        Assert.That(Stale(settings), Is.Empty);
    }

    [Test]
    public void A_dataset_parameter_change_stales_that_dataset_its_3_runs_and_3_models_only()
    {
        var settings = Settings();
        StampEverything(GraphBuilder.Build(settings), new Planner(new StampStore(settings.ArtifactsRoot)));
        var changed = Settings("--set=Dataset:isc_100k_256_big_blur.seed=7");
        string[] runs = ["blur_CC_50", "blur_CC_152", "blur_CC_ibn"];
        // Each model's evaluation follows it: its stand-in published model, descriptors, whitening, metrics; and the comparison.
        Assert.That(Stale(changed), Is.EquivalentTo(new[] { "Dataset:isc_100k_256_big_blur", "Compare" }.Concat(runs.SelectMany(r => new[]
        {
            $"Train:{r}", $"Model:{r}", $"Features:{r}:demo", $"Pca:{r}", $"Eval:{r}",
            $"Published:{r}", $"Features:Published:{r}:demo", $"Pca:Published:{r}", $"Eval:Published:{r}",
        }))));
        var plan = new Planner(new StampStore(changed.ArtifactsRoot)).Plan(GraphBuilder.Build(changed).Nodes).ToDictionary(p => p.Node.Id, p => p.State.Reason);
        Assert.That(plan["Dataset:isc_100k_256_big_blur"], Is.EqualTo("parameter generation.Seed changed (2021 → 7)"));
        Assert.That(plan["Train:blur_CC_50"], Is.EqualTo("input Dataset:isc_100k_256_big_blur will be rebuilt"));
    }

    [Test]
    public void A_set_on_Trainings_reaches_every_training_and_a_runs_own_set_wins()
    {
        var settings = Settings();
        StampEverything(GraphBuilder.Build(settings), new Planner(new StampStore(settings.ArtifactsRoot)));
        var changed = Settings("--set=Train:blur_CC_50.precision=fp16", "--set=Trainings.precision=bf16", "--set=Trainings.channels-last=true");
        var stale = Stale(changed);
        Assert.That(stale.Count(s => s.StartsWith("Train:")), Is.EqualTo(33));
        Assert.That(stale.Count(s => s.StartsWith("Model:")), Is.EqualTo(33));
        Assert.That(stale.Where(s => s.StartsWith("Dataset:") || s.StartsWith("Pretrained:") || s.StartsWith("EvalSet:")), Is.Empty, "datasets, backbones and the evaluation set untouched");
        Assert.That(stale.Where(s => s.Contains("Pretrained:")), Is.Empty, "the backbones' own evaluations untouched");
        var nodes = GraphBuilder.Build(changed).Nodes.ToDictionary(n => n.Id);
        Assert.That(nodes["Train:blur_CC_50"].Params["training.Precision"], Is.EqualTo("fp16"));
        Assert.That(nodes["Train:blur_CC_152"].Params["training.Precision"], Is.EqualTo("bf16"));
        Assert.That(nodes["Train:blur_CC_152"].Params["training.ChannelsLast"], Is.EqualTo("true"));
        var plan = new Planner(new StampStore(changed.ArtifactsRoot)).Plan(GraphBuilder.Build(changed).Nodes).ToDictionary(p => p.Node.Id, p => p.State.Reason);
        Assert.That(plan["Train:blur_CC_152"], Does.Contain("training.Precision changed (fp32 → bf16)"));
    }

    [Test]
    public void An_unknown_precision_is_refused_when_the_graph_is_built_naming_the_run_and_the_choices()
    {
        var e = Assert.Throws<Isc.Recipe.RecipeException>(() => GraphBuilder.Build(Settings("--set=Train:blur_BW_ibn.precision=fp8")));
        Assert.That(e!.Message, Does.Contain("Train:blur_BW_ibn").And.Contain("fp32, bf16, fp16").And.Contain("Precision=fp8"));
    }

    [Test]
    public void Each_datasets_stamp_records_its_own_chain_so_a_chain_edit_stales_that_dataset()
    {
        var datasets = GraphBuilder.Build(Settings()).Nodes.Where(n => n.Kind == ArtifactKind.Dataset).ToList();
        var chains = datasets.Select(n => n.Params["chain"]).ToList();
        Assert.That(chains.Distinct().Count(), Is.EqualTo(11), string.Join(", ", chains));
        foreach (var n in datasets)
        {
            var d = Isc.Recipe.Datasets.All.Single(x => x.Target == n.Id);
            Assert.That(n.Params["chain"], Does.Match($"^{System.Text.RegularExpressions.Regex.Escape(d.Variant)}@[0-9a-f]{{12}}$"));
        }
    }

    [Test]
    public void A_deleted_trimmed_model_stales_that_model_only()
    {
        var settings = Settings();
        StampEverything(GraphBuilder.Build(settings), new Planner(new StampStore(settings.ArtifactsRoot)));
        File.Delete(Path.Combine(settings.ArtifactsRoot, "V5_dark_CC", "dark_cc_152.pth.tar"));
        Assert.That(Stale(settings), Is.EqualTo(new[] { "Model:dark_CC_152", "Features:dark_CC_152:demo", "Pca:dark_CC_152", "Eval:dark_CC_152",
            "Published:dark_CC_152", "Features:Published:dark_CC_152:demo", "Pca:Published:dark_CC_152", "Eval:Published:dark_CC_152", "Compare" }));
    }

    [Test]
    public void A_rebuilt_input_with_new_content_stales_its_dependents_with_input_changed()
    {
        var settings = Settings();
        var store = new StampStore(settings.ArtifactsRoot);
        StampEverything(GraphBuilder.Build(settings), new Planner(store));
        // Pretend Pretrained:resnet152 was rebuilt with different bytes: a new stamp with a new output hash.
        var graph = GraphBuilder.Build(settings);
        var node = graph["Pretrained:resnet152"];
        File.WriteAllText(store.Resolve(node.Outputs[0].Path), "other weights");
        store.Write(store.Read(node.Id)! with { Outputs = [store.Record(node.Outputs[0])] });

        var plan = new Planner(store).Plan(graph.Nodes).Where(p => !p.State.UpToDate).ToDictionary(p => p.Node.Id, p => p.State.Reason);
        Assert.That(plan.Keys.Count(k => k.StartsWith("Train:")), Is.EqualTo(11));
        Assert.That(plan.Keys.Count(k => k.StartsWith("Model:")), Is.EqualTo(11));
        Assert.That(plan.Keys, Does.Contain("Eval:Pretrained:resnet152").And.Not.Contain("Eval:Pretrained:resnet50"));
        Assert.That(plan["Train:opa_CC_152"], Is.EqualTo("input Pretrained:resnet152 changed"));
        Assert.That(plan.Keys, Has.None.StartsWith("Dataset:"));
    }
}
