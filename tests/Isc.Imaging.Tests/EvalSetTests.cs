using System.Security.Cryptography;
using Isc.Imaging.Generation;
using Isc.Imaging.Synthetic;
using Isc.Recipe;
using Isc.Recipe.Layouts;

namespace Isc.Imaging.Tests;

/// <summary>The demo evaluation set (`isc synth-eval-set`) drawn on real files: determinism, ground truth, resume, fresh images.</summary>
[TestFixture]
public class EvalSetTests
{
    /// <summary>The demo's set shrunk: 12 references, 6 copies, 4 distractors on 96 x 72 photos.</summary>
    static readonly EvalSetSettings Small = Profiles.Demo.EvalSet! with
    {
        References = 12, CopyQueries = 6, DistractorQueries = 4, Backgrounds = 4, ImageWidth = 96, ImageHeight = 72, QuerySize = 48,
    };

    string _root = "";

    [OneTimeSetUp]
    public void Setup() => _root = TestAssets.TempDir("evalset");

    [OneTimeTearDown]
    public void TearDown() => Directory.Delete(_root, true);

    string Draw(string name, EvalSetSettings? settings = null, int jobs = 2, StringWriter? log = null, string? overlays = null)
    {
        var dir = Path.Combine(_root, name);
        new EvalSetGenerator(new EvalSetRequest(settings ?? Small, dir, TestAssets.Font, TestAssets.NaskhFont, TestAssets.EmojiDir, overlays, jobs),
            log ?? new StringWriter()).Run();
        return dir;
    }

    /// <summary>Every file under the folder (the hidden settings file included), relative path → SHA-256.</summary>
    static SortedDictionary<string, string> Tree(string dir) =>
        new(Directory.GetFiles(dir, "*", SearchOption.AllDirectories).ToDictionary(
            f => Path.GetRelativePath(dir, f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))), StringComparer.Ordinal);

    static List<(string Query, string Reference)> GroundTruth(string dir)
    {
        var lines = File.ReadAllLines(EvalSetFolder.GroundTruth(dir));
        Assert.That(lines[0], Is.EqualTo("query_id,reference_id"));
        return [.. lines.Skip(1).Select(l => l.Split(',')).Select(p => { Assert.That(p, Has.Length.EqualTo(2)); return (p[0], p[1]); })];
    }

    [Test]
    public void The_same_settings_give_byte_identical_files_whatever_the_parallelism()
    {
        var a = Tree(Draw("det-a", jobs: 1));
        var b = Tree(Draw("det-b", jobs: 3));
        Assert.That(a.Keys, Does.Contain("manifest.json").And.Contain("ground_truth.csv").And.Contain(Path.Combine("queries", "Q00009.jpg")));
        Assert.That(b, Is.EqualTo(a));
        var images = a.Where(kv => kv.Key.EndsWith(".jpg", StringComparison.Ordinal)).Select(kv => kv.Value).ToList();
        Assert.That(images, Has.Count.EqualTo(12 + 10 + 4));
        Assert.That(images.Distinct().Count(), Is.EqualTo(images.Count), "every image differs");
    }

    [Test]
    public void Another_seed_draws_other_images_and_another_ground_truth()
    {
        var a = Draw("seed-a");
        var b = Draw("seed-b", Small with { Seed = Small.Seed + 10 });
        Assert.That(File.ReadAllBytes(Path.Combine(EvalSetFolder.References(b), "R000000.jpg")),
            Is.Not.EqualTo(File.ReadAllBytes(Path.Combine(EvalSetFolder.References(a), "R000000.jpg"))));
        Assert.That(GroundTruth(b), Is.Not.EqualTo(GroundTruth(a)));
    }

    [Test]
    public void The_ground_truth_names_every_query_once_copies_of_existing_distinct_references_and_distractors_of_none()
    {
        var dir = Draw("gt");
        var gt = GroundTruth(dir);
        var queries = Directory.GetFiles(EvalSetFolder.Queries(dir)).Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal).ToList();
        var references = Directory.GetFiles(EvalSetFolder.References(dir)).Select(Path.GetFileNameWithoutExtension).ToHashSet();

        Assert.That(queries, Has.Count.EqualTo(Small.CopyQueries + Small.DistractorQueries));
        Assert.That(references, Has.Count.EqualTo(Small.References));
        Assert.That(references, Does.Contain("R000000").And.Contain("R000011"));
        Assert.That(gt.Select(g => g.Query), Is.EqualTo(queries), "one line per query file, in id order");
        var copies = gt.Where(g => g.Reference.Length > 0).ToList();
        Assert.That(copies, Has.Count.EqualTo(Small.CopyQueries));
        Assert.That(gt.Count(g => g.Reference.Length == 0), Is.EqualTo(Small.DistractorQueries));
        Assert.That(copies.Select(c => c.Reference), Is.All.Matches<string>(references.Contains), "a copy names an existing reference");
        Assert.That(copies.Select(c => c.Reference).Distinct().Count(), Is.EqualTo(copies.Count), "copies are of different references");
        // Copies and distractors are interleaved, not one block after the other.
        var kinds = string.Concat(gt.Select(g => g.Reference.Length > 0 ? 'c' : 'd'));
        Assert.That(kinds, Is.Not.EqualTo("cccccddddd").And.Not.EqualTo("ddddcccccc"));
    }

    [Test]
    public void The_manifest_lists_every_file_of_the_set_with_its_hash()
    {
        var dir = Draw("manifest");
        var manifest = Isc.Artifacts.DirectoryManifest.Load(EvalSetFolder.Manifest(dir));
        var tree = Tree(dir);
        var listed = manifest.Files.ToDictionary(f => f.Name, f => f.Sha256.ToUpperInvariant());
        Assert.That(listed.Keys, Is.EquivalentTo(tree.Keys.Where(k => k != "manifest.json" && !k.StartsWith('.')).Select(k => k.Replace('\\', '/'))));
        Assert.That(listed["ground_truth.csv"], Is.EqualTo(tree["ground_truth.csv"]));
    }

    [Test]
    public void No_reference_is_a_demo_training_image_or_overlay()
    {
        // The demo's own references (its size and seed), against the demo's training images and overlays drawn the
        // way synth-images draws them (same size, quality and font): a shared seed would give identical files.
        var demo = Profiles.Demo;
        var settings = demo.EvalSet! with { References = 6, CopyQueries = 1, DistractorQueries = 1, Backgrounds = 2, QuerySize = 32 };
        var dir = Draw("fresh", settings);
        var sourceHashes = new HashSet<string>();
        foreach (var (prefix, seed) in new[] { ("T", demo.Source.Seed), ("O", demo.Source.Seed + 1) })
        {
            var folder = Path.Combine(_root, "demo-" + prefix);
            SyntheticImageSet.Write(new SyntheticImageSet.Options(folder, prefix, settings.References, demo.Source.SyntheticWidth,
                demo.Source.SyntheticHeight, seed, TestAssets.Font, Quality: settings.JpegQuality, Parallelism: 2));
            foreach (var f in Directory.GetFiles(folder)) sourceHashes.Add(Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));
        }
        Assert.That(sourceHashes, Has.Count.EqualTo(2 * settings.References));
        var referenceHashes = Directory.GetFiles(EvalSetFolder.References(dir)).Select(f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));
        Assert.That(referenceHashes, Has.None.Matches<string>(sourceHashes.Contains));
    }

    [Test]
    public void An_interrupted_run_resumes_to_the_same_files()
    {
        var whole = Tree(Draw("resume-whole"));
        var log = new StringWriter();
        var dir = Draw("resume", log: log);
        // What a killed run leaves: missing images, a temp file, no manifest or ground truth yet; plus a stray file.
        File.Delete(Path.Combine(EvalSetFolder.Queries(dir), "Q00003.jpg"));
        File.Delete(Path.Combine(EvalSetFolder.References(dir), "R000005.jpg"));
        File.Delete(EvalSetFolder.Manifest(dir));
        File.Delete(EvalSetFolder.GroundTruth(dir));
        File.WriteAllText(Path.Combine(EvalSetFolder.Queries(dir), ".Q00004.jpg.0123.partial"), "half");
        File.WriteAllText(Path.Combine(EvalSetFolder.References(dir), "R999999.jpg"), "not of this set");

        Draw("resume", log: log);
        Assert.That(Tree(dir), Is.EqualTo(whole));
        Assert.That(log.ToString(), Does.Contain("removed 1 partial file(s)").And.Contain("R999999.jpg"));
        Assert.That(log.ToString(), Does.Contain("eval set: 26/26 images").And.Contain("complete, 2 images made"));
    }

    [Test]
    public void A_complete_set_is_left_alone_and_an_image_deleted_after_it_is_made_again()
    {
        var dir = Draw("complete");
        var before = Tree(dir);
        var log = new StringWriter();
        Draw("complete", log: log);
        Assert.That(log.ToString(), Does.Contain("already complete"));
        File.Delete(Path.Combine(EvalSetFolder.Queries(dir), "Q00000.jpg"));
        Draw("complete", log: log);
        Assert.That(Tree(dir), Is.EqualTo(before));
    }

    [Test]
    public void Other_settings_clear_the_folder_so_no_image_of_the_old_set_survives()
    {
        var dir = Draw("changed");
        var log = new StringWriter();
        Draw("changed", Small with { References = 8, CopyQueries = 3, DistractorQueries = 2 }, log: log);
        Assert.That(log.ToString(), Does.Contain("drawn with other settings").And.Contain("evalset.References"));
        Assert.That(Directory.GetFiles(EvalSetFolder.References(dir)), Has.Length.EqualTo(8));
        Assert.That(Directory.GetFiles(EvalSetFolder.Queries(dir)), Has.Length.EqualTo(5));
        Assert.That(Tree(dir), Is.EqualTo(Tree(Draw("changed-fresh", Small with { References = 8, CopyQueries = 3, DistractorQueries = 2 }))));
    }

    [Test]
    public void A_folder_of_images_not_drawn_here_is_refused()
    {
        var dir = Path.Combine(_root, "foreign");
        Directory.CreateDirectory(EvalSetFolder.Queries(dir));
        File.WriteAllText(Path.Combine(EvalSetFolder.Queries(dir), "Q00000.jpg"), "someone else's");
        Assert.That(() => Draw("foreign"), Throws.TypeOf<GenerationInputException>().With.Message.Contains("did not make"));
    }

    [Test]
    public void Given_backgrounds_replace_the_drawn_ones_and_are_part_of_the_fingerprint()
    {
        var overlays = TestAssets.Overlays(Path.Combine(_root, "given"), 4, 96, 72);
        var drawn = Draw("bg-drawn");
        var given = Draw("bg-given", overlays: overlays);
        Assert.That(Directory.Exists(EvalSetFolder.Backgrounds(given)), Is.False);
        Assert.That(Directory.GetFiles(EvalSetFolder.Backgrounds(drawn)), Has.Length.EqualTo(4));
        Assert.That(Tree(EvalSetFolder.References(given)), Is.EqualTo(Tree(EvalSetFolder.References(drawn))), "references do not depend on backgrounds");
        Assert.That(File.ReadAllText(Path.Combine(given, ".eval-set-settings.json")), Does.Not.Contain("\"drawn\""));
    }
}
