using Isc.Cli.Commands;
using Isc.Recipe;
using NUnit.Framework;

namespace Isc.Cli.Tests;

/// <summary>`isc synth-eval-set` run in this process on real files: settings from a step spec or --profile/--set, and the paper profile refused.</summary>
[TestFixture]
public class SynthEvalSetCommandTests
{
    static Task<int> Run(params string[] args) => new SynthEvalSetCommand().RunAsync(new CommandArgs(args), CancellationToken.None);

    static readonly string[] Small = ["references=5", "copyQueries=3", "distractorQueries=2", "backgrounds=2", "imageWidth=64", "imageHeight=48", "querySize=32"];

    [Test]
    public async Task The_spec_settings_draw_exactly_what_the_same_sets_by_hand_draw()
    {
        using var specs = new SpecFiles();
        var settings = SettingOverrides.Apply(Profiles.Demo, Small.Select(s => new KeyValuePair<string, string>(s.Split('=')[0], s.Split('=')[1])),
            "test", SettingsRecord.EvalSet);
        var spec = specs.Write("EvalSet:demo", settings);
        var fromSpec = Path.Combine(specs.Root, "from-spec");
        var byHand = Path.Combine(specs.Root, "by-hand");

        Assert.That(await Run("--settings", spec, "--out", fromSpec, "--jobs", "1"), Is.Zero);
        Assert.That(await Run([.. Small.SelectMany(s => new[] { "--set", s }), "--profile", "demo", "--out", byHand, "--jobs", "2"]), Is.Zero);

        var gt = File.ReadAllLines(Path.Combine(fromSpec, "ground_truth.csv"));
        Assert.That(gt, Has.Length.EqualTo(1 + 5));
        Assert.That(Directory.GetFiles(Path.Combine(fromSpec, "references")), Has.Length.EqualTo(5));
        foreach (var file in Directory.GetFiles(fromSpec, "*", SearchOption.AllDirectories))
            Assert.That(File.ReadAllBytes(Path.Combine(byHand, Path.GetRelativePath(fromSpec, file))), Is.EqualTo(File.ReadAllBytes(file)),
                Path.GetRelativePath(fromSpec, file));
    }

    /// <summary>The harness draws the ground truth (Isc.Imaging) and the metrics read it (Isc.Evaluation): one format.</summary>
    [Test]
    public async Task The_drawn_ground_truth_is_the_evaluation_file_format()
    {
        using var specs = new SpecFiles();
        var dir = Path.Combine(specs.Root, "set");
        Assert.That(await Run([.. Small.SelectMany(s => new[] { "--set", s }), "--profile", "demo", "--out", dir, "--jobs", "1"]), Is.Zero);

        var path = Isc.Recipe.Layouts.EvalSetFolder.GroundTruth(dir);
        var truth = Isc.Evaluation.GroundTruthCsv.Read(path);
        Assert.That(truth.Queries, Has.Count.EqualTo(5));
        Assert.That(truth.Pairs, Has.Count.EqualTo(3));
        Assert.That(truth.Pairs.Select(p => p.ReferenceId), Is.All.Matches<string>(r => File.Exists(Path.Combine(dir, "references", r + ".jpg"))));
        var rewritten = Path.Combine(specs.Root, "rewritten.csv");
        Isc.Evaluation.GroundTruthCsv.Write(rewritten, truth);
        Assert.That(File.ReadAllText(rewritten), Is.EqualTo(File.ReadAllText(path)), "Isc.Evaluation writes the same file");
    }

    [Test]
    public void The_paper_profile_has_no_set_to_draw_and_says_so()
    {
        using var specs = new SpecFiles();
        Assert.That(() => Run("--profile", "paper", "--out", Path.Combine(specs.Root, "paper")),
            Throws.TypeOf<UsageException>().With.Message.Contains("paper profile has no evaluation set to draw").And.Message.Contains("DISC21"));
        Assert.That(Directory.Exists(Path.Combine(specs.Root, "paper")), Is.False);
    }

    [Test]
    public void An_unknown_setting_is_refused_naming_the_eval_set_settings() =>
        Assert.That(() => Run("--profile", "demo", "--set", "referencez=3", "--out", "unused"),
            Throws.TypeOf<RecipeException>().With.Message.Contains("'referencez' is not a setting of EvalSetSettings"));
}
