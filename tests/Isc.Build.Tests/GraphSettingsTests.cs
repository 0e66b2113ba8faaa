using Isc.Artifacts;
using Isc.Build.Graph;
using Isc.Build.Host;
using Isc.Recipe;
using NUnit.Framework;

namespace Isc.Build.Tests;

/// <summary>
/// In the graph, every worker command that reads settings is pointed at its artifact's step spec (--settings), which
/// carries the artifact's resolved settings, and the settings parameters of its stamp are made from those same settings.
/// </summary>
[TestFixture]
public class GraphSettingsTests
{
    string _root = "";

    [SetUp] public void SetUp() => _root = Harness.TempRoot("graph-settings");
    [TearDown] public void TearDown() => Directory.Delete(_root, recursive: true);

    static readonly string[] ReadSettings = ["generate", "extract", "train", "synth-images", "synth-pretrained", "check-pretrained"];

    static readonly string[] Overrides =
    [
        "--set=Source.TrainingImages=120", "--set=Overlays.Seed=7", "--set=Datasets.JpegQuality=90", "--set=Dataset:isc_100k_256_big.ImagesPerId=10",
        "--set=Trainings.Epochs=2", "--set=Train:baseline_CC_50.LearningRate=0.0002", "--set=Train:blur_BW_ibn.StemWidth=4",
    ];

    BuildGraph Graph(params string[] args) =>
        GraphBuilder.Build(SettingsResolver.Resolve(Harness.RepoRoot, BuildConfig.Empty, BuildOptions.Parse([.. args, .. Overrides, $"--artifacts={_root}"])));

    [TestCase("--profile=demo")]
    [TestCase("--profile=paper", "--datasets=download", "--train-images=/nonexistent/train")]
    public void Workers_read_the_settings_from_the_spec_and_are_passed_no_overrides(params string[] args)
    {
        var graph = Graph(args);
        var store = new StampStore(Path.Combine(_root, args[0]["--profile=".Length..]));
        var checkedCommands = 0;
        foreach (var node in graph.Nodes)
            foreach (var command in node.Commands)
            {
                Assert.That(command, Has.None.EqualTo("--set").And.None.StartsWith("--set="), $"{node.Id}: isc {string.Join(' ', command)}");
                if (!ReadSettings.Contains(command[0]) || command[0] == "extract" && !command.Contains("--expect-dataset")) continue;
                var at = command.IndexOf("--settings");
                Assert.That(at, Is.GreaterThan(0), $"{node.Id}: isc {string.Join(' ', command)} reads settings");
                Assert.That(command[at + 1], Is.EqualTo(store.SpecPathOf(node.Id)), node.Id);
                Assert.That(command, Has.None.EqualTo("--profile"), $"{node.Id}: the spec's settings, not the catalog's");
                Assert.That(node.Settings, Is.Not.Null, node.Id);
                checkedCommands++;
            }
        Assert.That(checkedCommands, Is.GreaterThan(33));
    }

    [Test]
    public void The_stamp_parameters_of_datasets_and_trainings_are_their_resolved_settings()
    {
        var graph = Graph("--profile=demo");
        foreach (var node in graph.Nodes.Where(n => n.Step is "generate" or "train"))
        {
            var settings = node.Settings!;
            var expected = node.Step == "generate"
                ? SettingsParams.ToParams(settings.Generation, "generation.")
                : new SortedDictionary<string, string>(SettingsParams.ToParams(settings.Training, "training.")
                    .Concat(SettingsParams.ToParams(settings.Model, "model.")).ToDictionary(), StringComparer.Ordinal);
            var prefixes = node.Step == "generate" ? new[] { "generation." } : ["training.", "model."];
            Assert.That(node.Params.Where(kv => prefixes.Any(kv.Key.StartsWith)), Is.EqualTo(expected), node.Id);
            Assert.That(settings.Source.TrainingImages, Is.EqualTo(120), node.Id);
        }
        var own = graph.Find("Train:baseline_CC_50")!.Settings!.Training;
        Assert.That((own.Epochs, own.LearningRate), Is.EqualTo((2, 0.0002)));
        Assert.That(graph.Find("Train:blur_BW_ibn")!.Params["model.StemWidth"], Is.EqualTo("4"));
        Assert.That(graph.Find("Dataset:isc_100k_256_big")!.Params["source.trainingImages"], Is.EqualTo("120"));
    }

    [Test]
    public void Without_source_overrides_a_dataset_records_no_training_images_parameter_as_before() =>
        Assert.That(GraphBuilder.Build(SettingsResolver.Resolve(Harness.RepoRoot, BuildConfig.Empty, BuildOptions.Parse(["--profile=demo", $"--artifacts={_root}"])))
            .Find("Dataset:isc_100k_256_big")!.Params.Keys, Has.None.StartsWith("source.trainingImages"));
}
