using Isc.Imaging.Generation;
using Isc.Recipe;

namespace Isc.Imaging.Tests;

/// <summary>
/// Policy under test: every bad input is a clear error naming the file or folder and what to do; nothing is ever
/// silently short. A corrupt source image fails the run after all other ids are finished (they are kept, no manifest),
/// so fixing the file and rerunning completes the dataset.
/// </summary>
[TestFixture]
public class BadInputTests() : TinySourcesFixture("bad")
{
    string Fresh(string name) => Path.Combine(_root, name + "-" + Guid.NewGuid().ToString("N")[..6]);

    GenerationInputException Fails(GenerationRequest r) =>
        Assert.Throws<GenerationInputException>(() => new DatasetGenerator(r, new StringWriter()).Run())!;

    GenerationRequest Req(string? src = null, string? ov = null, string dataset = "isc_100k_256_big", string? faces = null, string? outDir = null) =>
        TestAssets.Request(_root, src ?? _src, ov ?? _ov, dataset, 2, Small, faces, outDir ?? Fresh("out"));

    string CopyOfSources(string name)
    {
        var dir = Fresh(name);
        Directory.CreateDirectory(dir);
        foreach (var f in Directory.GetFiles(_src)) File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
        return dir;
    }

    [Test]
    public void Missing_source_folder()
    {
        var e = Fails(Req(src: Path.Combine(_root, "nope")));
        Assert.That(e.Message, Does.Contain("does not exist").And.Contain("--source"));
    }

    [Test]
    public void Empty_or_wrong_folder()
    {
        var empty = Fresh("empty");
        Directory.CreateDirectory(empty);
        File.WriteAllText(Path.Combine(empty, "readme.txt"), "not images");
        Assert.That(Fails(Req(src: empty)).Message, Does.Contain("holds no .jpg"));
        Assert.That(Fails(Req(src: _ov)).Message, Does.Contain("holds 3 JPEGs but the profile expects 40").And.Contain("--set TrainingImages=3"));
    }

    [Test]
    public void Corrupt_source_image_fails_after_finishing_the_rest_and_a_rerun_completes()
    {
        var src = CopyOfSources("corrupt");
        var bad = Path.Combine(src, "T000010.jpg");
        var good = File.ReadAllBytes(bad);
        File.WriteAllBytes(bad, good[..(good.Length / 3)]);
        var outDir = Fresh("out-corrupt");
        var e = Fails(Req(src: src, outDir: outDir));
        Assert.That(e.Message, Does.Contain("T000010.jpg").And.Contain("corrupt or truncated").And.Contain("id 1"));
        Assert.That(File.Exists(Path.Combine(outDir, "manifest.json")), Is.False, "no manifest for an incomplete dataset");
        Assert.That(Directory.GetFiles(Path.Combine(outDir, "isc_100k_256_big")), Has.Length.EqualTo(9), "ids 0, 2, 3 were finished and kept");

        File.WriteAllBytes(bad, good);
        var r = new DatasetGenerator(Req(src: src, outDir: outDir), new StringWriter()).Run();
        Assert.That(r.Produced, Is.EqualTo(3));
        Assert.That(File.Exists(Path.Combine(outDir, "manifest.json")));
    }

    [Test]
    public void A_file_that_is_not_an_image()
    {
        var src = CopyOfSources("notimage");
        File.WriteAllText(Path.Combine(src, "T000000.jpg"), "<html>quota exceeded</html>");
        Assert.That(Fails(Req(src: src)).Message, Does.Contain("T000000.jpg").And.Contain("not a readable image"));
    }

    [Test]
    public void Too_few_overlay_images()
    {
        var ov = Fresh("ov-short");
        Directory.CreateDirectory(ov);
        File.Copy(Directory.GetFiles(_ov)[0], Path.Combine(ov, "a.jpg"));
        var e = Fails(Req(ov: ov));
        Assert.That(e.Message, Does.Contain("holds 1 images").And.Contain("at least 3"));
        Assert.That(Fails(Req(ov: Path.Combine(_root, "no-ov"))).Message, Does.Contain("overlay folder").And.Contain("does not exist"));
    }

    [Test]
    public void Corrupt_overlay_image_is_found_before_any_work()
    {
        var ov = Fresh("ov-bad");
        Directory.CreateDirectory(ov);
        foreach (var f in Directory.GetFiles(_ov)) File.Copy(f, Path.Combine(ov, Path.GetFileName(f)));
        File.WriteAllText(Path.Combine(ov, "O00001.jpg"), "garbage");
        var outDir = Fresh("out-ovbad");
        Assert.That(Fails(Req(ov: ov, outDir: outDir)).Message, Does.Contain("O00001.jpg"));
        Assert.That(Directory.Exists(Path.Combine(outDir, "isc_100k_256_big")), Is.False);
    }

    [Test]
    public void Face_datasets_need_a_valid_face_list()
    {
        Assert.That(Fails(Req(dataset: "isc_100k_256_big_ff")).Message, Does.Contain("--faces"));
        var list = Path.Combine(_root, "bad-faces.txt");
        File.WriteAllLines(list, ["T000001.jpg", "X999.jpg"]);
        Assert.That(Fails(Req(dataset: "isc_100k_256_big_ff", faces: list)).Message, Does.Contain("X999.jpg").And.Contain("not in the source folder"));
        Assert.That(Fails(Req(dataset: "isc_100k_256_big_ff", faces: Path.Combine(_root, "none.txt"))).Message, Does.Contain("isc faces"));
    }

    [Test]
    public void Changed_settings_start_the_folder_over_and_a_foreign_folder_is_refused()
    {
        var outDir = Fresh("reuse");
        new DatasetGenerator(Req(outDir: outDir), new StringWriter()).Run();
        var stale = Path.Combine(outDir, "isc_100k_256_big", "0_1.jpg");
        var before = File.ReadAllBytes(stale);
        var other = TestAssets.Request(_root, _src, _ov, "isc_100k_256_big", 2,
            Small with { Generation = Small.Generation with { Seed = 99 } }, null, outDir);
        var log = new StringWriter();
        var r = new DatasetGenerator(other, log).Run();
        Assert.That(log.ToString(), Does.Contain("generation.Seed").And.Contain("starting over"));
        Assert.That(r.Produced, Is.EqualTo(r.Images), "every image is made again");
        Assert.That(File.ReadAllBytes(stale), Is.Not.EqualTo(before));

        var foreign = Fresh("foreign");
        Directory.CreateDirectory(Path.Combine(foreign, "isc_100k_256_big"));
        File.WriteAllText(Path.Combine(foreign, "isc_100k_256_big", "0_0.jpg"), "someone else's");
        Assert.That(Fails(Req(outDir: foreign)).Message, Does.Contain("did not make"));
    }

    [Test]
    public void Missing_font_or_emoji_folder()
    {
        var r = Req() with { FontFile = "/nonexistent/font.ttf" };
        Assert.That(Fails(r).Message, Does.Contain("font file").And.Contain("--font"));
        var r2 = Req() with { EmojiDirectory = Path.Combine(_root, "no-emoji") };
        Assert.That(Fails(r2).Message, Does.Contain("emoji folder").And.Contain("--emoji"));
    }
}
