using System.Security.Cryptography;
using System.Text.Json;
using Isc.Imaging.Generation;
using Isc.Recipe;

namespace Isc.Imaging.Tests;

/// <summary>Whole-dataset generation on real JPEG folders: determinism, resume, manifest, divisibility, bad inputs.</summary>
[TestFixture]
public class GenerationTests
{
    string _root = "";
    string _src = "";
    string _ov = "";

    /// <summary>The demo profile shrunk further: 40 source images → 4 ids × 6 images.</summary>
    static readonly Profile Small = Profiles.Demo with
    {
        Source = Profiles.Demo.Source with { TrainingImages = 40, OverlayImages = 5 },
        Generation = Profiles.Demo.Generation with { ImagesPerId = 6 },
    };

    [OneTimeSetUp]
    public void Setup()
    {
        _root = TestAssets.TempDir("gen");
        _src = TestAssets.Sources(_root, 40, 160, 120);
        _ov = TestAssets.Overlays(_root, 5);
    }

    [OneTimeTearDown]
    public void TearDown() => Directory.Delete(_root, true);

    GenerationResult Generate(string outDir, int jobs = 2, string dataset = "isc_100k_256_big", Profile? profile = null,
        string? source = null, string? overlays = null, string? faces = null, StringWriter? log = null) =>
        new DatasetGenerator(
            TestAssets.Request(_root, source ?? _src, overlays ?? _ov, dataset, jobs, profile ?? Small, faces, outDir),
            log ?? new StringWriter()).Run();

    static Dictionary<string, string> Hashes(string dir) =>
        Directory.GetFiles(dir).ToDictionary(f => Path.GetFileName(f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));

    [Test]
    public void Output_is_byte_identical_whatever_the_parallelism()
    {
        var a = Path.Combine(_root, "det-a");
        var b = Path.Combine(_root, "det-b");
        Generate(a, jobs: 1);
        Generate(b, jobs: 3);
        var ha = Hashes(Path.Combine(a, "isc_100k_256_big"));
        Assert.That(ha, Has.Count.EqualTo(4 * 6));
        Assert.That(Hashes(Path.Combine(b, "isc_100k_256_big")), Is.EqualTo(ha));
        Assert.That(File.ReadAllBytes(Path.Combine(b, "manifest.json")), Is.EqualTo(File.ReadAllBytes(Path.Combine(a, "manifest.json"))));
        Assert.That(ha.Values.Distinct().Count(), Is.EqualTo(24), "every image differs");
    }

    [Test]
    public void Seed_and_dataset_change_the_images()
    {
        var a = Path.Combine(_root, "seed-a");
        var b = Path.Combine(_root, "seed-b");
        Generate(a);
        Generate(b, profile: Small with { Generation = Small.Generation with { Seed = 7 } });
        var ha = Hashes(Path.Combine(a, "isc_100k_256_big"));
        var hb = Hashes(Path.Combine(b, "isc_100k_256_big"));
        Assert.That(hb["0_0.jpg"], Is.EqualTo(ha["0_0.jpg"]), "k = 0 is the resized source");
        Assert.That(hb["0_1.jpg"], Is.Not.EqualTo(ha["0_1.jpg"]));
    }

    [Test]
    public void Interrupted_generation_resumes_without_redoing_finished_images()
    {
        var full = Path.Combine(_root, "resume-full");
        Generate(full);
        var expected = Hashes(Path.Combine(full, "isc_100k_256_big"));

        var dir = Path.Combine(_root, "resume");
        Generate(dir);
        var images = Path.Combine(dir, "isc_100k_256_big");
        // Simulate a kill: manifest and sheet not yet written, 8 images missing, a half-written temp file left behind.
        File.Delete(Path.Combine(dir, "manifest.json"));
        File.Delete(Path.Combine(dir, "contact_sheet.png"));
        var removed = Directory.GetFiles(images).Order().Where((_, i) => i % 3 == 0).ToList();
        foreach (var f in removed) File.Delete(f);
        File.WriteAllBytes(Path.Combine(images, ".2_3.jpg.0123.partial"), [0xFF, 0xD8, 0x00]);
        var kept = Directory.GetFiles(images, "*.jpg").ToDictionary(f => f, File.GetLastWriteTimeUtc);
        Thread.Sleep(20);

        var log = new StringWriter();
        var result = Generate(dir, log: log);
        Assert.That(result.Produced, Is.EqualTo(removed.Count), "only the missing images are made");
        Assert.That(removed, Has.Count.EqualTo(8));
        Assert.That(Hashes(images), Is.EqualTo(expected), "byte-identical to an uninterrupted run");
        foreach (var (f, t) in kept) Assert.That(File.GetLastWriteTimeUtc(f), Is.EqualTo(t), $"{f} was not rewritten");
        Assert.That(Directory.GetFiles(images, "*.partial"), Is.Empty);
        Assert.That(log.ToString(), Does.Contain("removed 1 partial file"));
        Assert.That(File.Exists(Path.Combine(dir, "manifest.json")));

        var again = Generate(dir);
        Assert.That(again.Produced, Is.Zero, "a complete dataset is recognised by its manifest");

        File.Delete(Path.Combine(images, "3_5.jpg"));
        var repaired = Generate(dir);
        Assert.That(repaired.Produced, Is.EqualTo(1), "an image deleted after completion is made again");
        Assert.That(Hashes(images), Is.EqualTo(expected));
    }

    [Test]
    public void Manifest_lists_every_file_with_size_and_hash_and_the_settings()
    {
        var dir = Path.Combine(_root, "manifest");
        Generate(dir);
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dir, "manifest.json")));
        var m = doc.RootElement;
        Assert.That(m.GetProperty("dataset").GetString(), Is.EqualTo("isc_100k_256_big"));
        Assert.That(m.GetProperty("complete").GetBoolean());
        Assert.That(m.GetProperty("identities").GetInt32(), Is.EqualTo(4));
        Assert.That(m.GetProperty("images").GetInt32(), Is.EqualTo(24));
        Assert.That(m.GetProperty("droppedForDivisibility").GetArrayLength(), Is.Zero);
        Assert.That(m.GetProperty("settings").GetProperty("generation.Seed").GetString(), Is.EqualTo("2021"));
        Assert.That(m.GetProperty("chain").EnumerateArray().Select(e => e.GetString()), Has.Some.Contains("blur [gaussian-blur]"));
        var files = m.GetProperty("files").EnumerateArray().ToList();
        Assert.That(files, Has.Count.EqualTo(24));
        Assert.That(files[0].GetProperty("path").GetString(), Is.EqualTo("isc_100k_256_big/0_0.jpg"));
        foreach (var f in files)
        {
            var bytes = File.ReadAllBytes(Path.Combine(dir, f.GetProperty("path").GetString()!));
            Assert.That(f.GetProperty("bytes").GetInt64(), Is.EqualTo(bytes.Length));
            Assert.That(f.GetProperty("sha256").GetString(), Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(bytes))));
        }
        var ids = m.GetProperty("identityList").EnumerateArray().Select(e => e.GetProperty("source").GetString()).ToList();
        Assert.That(ids, Is.EqualTo(new[] { "T000000.jpg", "T000010.jpg", "T000020.jpg", "T000030.jpg" }), "every 10th sorted image");
        Assert.That(File.Exists(Path.Combine(dir, "contact_sheet.png")));
        Assert.That(Directory.GetFiles(dir, "*.partial", SearchOption.AllDirectories), Is.Empty);
    }

    [Test]
    public void Images_are_256_style_jpegs_of_the_output_size_and_bw_sets_are_gray_including_k0()
    {
        var dir = Path.Combine(_root, "bw");
        Generate(dir, dataset: "isc_100k_256_big_bw");
        foreach (var f in Directory.GetFiles(Path.Combine(dir, "isc_100k_256_big_bw")))
        {
            using var img = Pixels.ImageCodec.Decode(f);
            Assert.That((img.Width, img.Height), Is.EqualTo((64, 64)));
            var p = img.Pixels;
            var maxSpread = 0;
            for (var i = 0; i < p.Length; i += 3) maxSpread = Math.Max(maxSpread, Math.Max(Math.Abs(p[i] - p[i + 1]), Math.Abs(p[i] - p[i + 2])));
            Assert.That(maxSpread, Is.LessThanOrEqualTo(3), $"{Path.GetFileName(f)} is gray (JPEG rounding aside)");
        }
    }

    [Test]
    public void Face_identities_are_appended_and_the_count_made_divisible_by_4()
    {
        var faces = Path.Combine(_root, "faces.txt");
        // 5 face images, one of them already an identity (T000010): 4 base + 4 new = 8 → no drop; with 6 new → 10 → drop 2.
        File.WriteAllLines(faces, ["# my list", "T000003.jpg", "T000010.jpg", "T000005.jpg", "T000001.jpg", "T000007.jpg"]);
        var dir = Path.Combine(_root, "ff");
        var r = Generate(dir, dataset: "isc_100k_256_big_ff", faces: faces);
        Assert.That(r.Plan.Identities.Select(i => i.SourceName).Skip(4), Is.EqualTo(new[] { "T000001.jpg", "T000003.jpg", "T000005.jpg", "T000007.jpg" }));
        Assert.That(r.Plan.Identities.Count % 4, Is.Zero);
        Assert.That(r.Plan.Dropped, Is.Empty);

        File.WriteAllLines(faces, ["T000001.jpg", "T000002.jpg", "T000003.jpg", "T000004.jpg", "T000005.jpg", "T000006.jpg"]);
        var dir2 = Path.Combine(_root, "ff2");
        var log = new StringWriter();
        var r2 = Generate(dir2, dataset: "isc_100k_256_big_ff", faces: faces, log: log);
        Assert.That(r2.Plan.Identities, Has.Count.EqualTo(8));
        Assert.That(r2.Plan.Dropped.Select(d => d.SourceName), Is.EqualTo(new[] { "T000005.jpg", "T000006.jpg" }));
        Assert.That(log.ToString(), Does.Contain("dropped 2 id(s) for divisibility by 4"));
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dir2, "manifest.json")));
        Assert.That(doc.RootElement.GetProperty("droppedForDivisibility").GetArrayLength(), Is.EqualTo(2));
        Assert.That(doc.RootElement.GetProperty("faceIdentities").GetInt32(), Is.EqualTo(6));
        Assert.That(Directory.GetFiles(Path.Combine(dir2, "isc_100k_256_big_ff")), Has.Length.EqualTo(8 * 6));
    }

    [Test]
    public void Bw_k0_is_the_grayscaled_source_then_resized()
    {
        using var src = Pixels.ImageCodec.Decode(Path.Combine(_src, "T000000.jpg"));
        var ctx = TestAssets.Context(_ov, 5);
        var chain = new Augmentations.CompiledChain(Recipe.Chains.DatasetChains.For("isc_100k_256_big_bw"), ctx);
        using var k0 = chain.Original(src);
        using var gray = src.Clone();
        Pixels.PillowColor.GrayscaleInPlace(gray);
        using var expected = Pixels.PillowResize.Resize(gray, 64, 64, Pixels.ResizeFilter.Bicubic);
        Assert.That(PythonPillow.MaxDiff(k0, expected), Is.Zero);
    }

    [Test]
    public void Identity_plan_drops_at_most_the_allowed_number_of_ids()
    {
        var names = Enumerable.Range(0, 70).Select(i => $"T{i:000000}.jpg").ToArray();
        var plan = IdentityPlan.Build(names, Small.Source with { TrainingImages = 70 }, Small.Generation, null);
        Assert.That(plan.Identities, Has.Count.EqualTo(4));
        Assert.That(plan.Dropped.Select(d => d.Id), Is.EqualTo(new[] { 4, 5, 6 }));
        Assert.Throws<GenerationInputException>(() =>
            IdentityPlan.Build(names, Small.Source with { TrainingImages = 70 }, Small.Generation with { MaxIdsDropped = 2 }, null));
    }
}
