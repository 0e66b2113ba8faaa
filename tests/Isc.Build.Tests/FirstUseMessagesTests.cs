using System.Text.Json;
using NUnit.Framework;

namespace Isc.Build.Tests;

/// <summary>The messages and defaults a first-time user trips over, each tried as a user types it.</summary>
[TestFixture, NonParallelizable]
public class FirstUseMessagesTests
{
    string _root = "";

    [SetUp]
    public void SetUp() => _root = Harness.TempRoot("first-use");

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    Harness.Result Demo(params string[] args) => Harness.Build([.. args, "--profile=demo", $"--artifacts={_root}"]);

    [Test]
    public void An_unknown_option_without_a_value_is_called_unknown_with_the_close_matches()
    {
        var bogus = Harness.Build("--bogus-option");
        Assert.That(bogus.ExitCode, Is.EqualTo(2), bogus.ToString());
        Assert.That(bogus.Output, Does.Contain("unknown option --bogus-option").And.Not.Contain("needs a value"));

        var typo = Harness.Build("--dryrn");
        Assert.That(typo.ExitCode, Is.EqualTo(2), typo.ToString());
        Assert.That(typo.Output, Does.Contain("unknown option --dryrn").And.Contain("Did you mean: --dryrun"));

        var valued = Harness.Build("--artifact=x", "--profil=demo");
        Assert.That(valued.ExitCode, Is.EqualTo(2), valued.ToString());
        Assert.That(valued.Output, Does.Contain("unknown option --profil").And.Contain("--profile"));
    }

    [TestCase("x")]
    [TestCase("0,one")]
    [TestCase("cuda:0")]
    [TestCase("0,0")]
    public void Gpus_that_are_not_a_list_of_device_indices_are_refused_as_such(string gpus)
    {
        var r = Demo("--target=Plan", $"--gpus={gpus}");
        Assert.That(r.ExitCode, Is.EqualTo(2), r.ToString());
        Assert.That(r.Output, Does.Contain("--gpus").And.Not.Contain("CUDA"));
        Assert.That(r.Output, gpus == "0,0" ? Does.Contain("lists GPU 0 twice") : Does.Contain("device indices").And.Contain("0,1,2,3"));
    }

    [Test]
    public void Gpus_as_device_indices_are_accepted()
    {
        var r = Demo("--target=Plan", "--gpus=0, 1,2");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
    }

    [TestCase("--datasets=download", "the demo profile synthesises its training images and generates its datasets")]
    [TestCase("--file:Dataset:isc_100k_256_big=FILE", "the demo profile synthesises its training images and generates Dataset:isc_100k_256_big")]
    [TestCase("--file:Overlays=FILE", "the demo profile synthesises Overlays")]
    [TestCase("--url:Overlays=http://127.0.0.1:9/overlays.zip", "the demo profile synthesises Overlays")]
    [TestCase("--url:Pretrained:resnet50=http://127.0.0.1:9/r50.pth", "the demo profile synthesises its pretrained backbones")]
    [TestCase("--file:Train:baseline_CC_50=FILE", "the build cannot take Train:baseline_CC_50 from a file or a mirror")]
    [TestCase("--file:Dataset:isc_100k_256_bog=FILE", "there is no artifact 'Dataset:isc_100k_256_bog'")]
    public void Download_options_the_demo_would_ignore_are_refused_saying_why(string option, string why)
    {
        var file = Path.Combine(_root, "given.zip");
        File.WriteAllBytes(file, [1, 2, 3]);
        var r = Demo("--target=Plan", option.Replace("FILE", file));
        Assert.That(r.ExitCode, Is.EqualTo(2), r.ToString());
        Assert.That(r.Output, Does.Contain(option.Split('=')[0] + (option.StartsWith("--datasets") ? "=download" : "")).And.Contain("is not used").And.Contain(why));
    }

    [Test]
    public void A_file_for_a_pretrained_backbone_is_still_taken_by_the_demo()
    {
        var file = Path.Combine(_root, "r50.pth");
        File.WriteAllBytes(file, [1, 2, 3]);
        var r = Demo("--target=Plan", $"--file:Pretrained:resnet50={file}");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
        Assert.That(r.Output, Does.Contain("File:Pretrained:resnet50"));
    }

    [Test]
    public void A_generated_dataset_given_as_a_file_in_the_paper_profile_points_at_datasets_download()
    {
        var file = Path.Combine(_root, "given.zip");
        File.WriteAllBytes(file, [1, 2, 3]);
        var r = Harness.Build("--target=Plan", "--profile=paper", $"--artifacts={_root}", $"--file:Dataset:isc_100k_256_big={file}");
        Assert.That(r.ExitCode, Is.EqualTo(2), r.ToString());
        Assert.That(r.Output, Does.Contain("is generated here; add --datasets=download"));
    }

    // ---- Clean ----------------------------------------------------------------------------------------------------

    string Profile => Path.Combine(_root, "demo");

    /// <summary>A profile folder with what a build leaves (real files of known sizes; Clean deletes whatever is there).</summary>
    void FillProfile()
    {
        Directory.CreateDirectory(Path.Combine(Profile, "datasets", "x", "x"));
        for (var i = 0; i < 3; i++) File.WriteAllBytes(Path.Combine(Profile, "datasets", "x", "x", $"{i}_0.jpg"), new byte[2048]);
        Directory.CreateDirectory(Path.Combine(Profile, ".stamps"));
        File.WriteAllText(Path.Combine(Profile, ".stamps", "Source.json"), "{}");
        File.WriteAllBytes(Path.Combine(Profile, "report.html"), new byte[10]);
    }

    /// <summary>./build.sh with its stdin from /dev/null, as in a script or CI.</summary>
    Harness.Result DemoWithoutTerminal(params string[] args) =>
        Harness.Run("/bin/bash", ["-c", "exec \"$0\" \"$@\" </dev/null", Path.Combine(Harness.RepoRoot, "build.sh"), .. args, "--profile=demo", $"--artifacts={_root}"],
            TimeSpan.FromMinutes(10));

    [Test]
    public void Clean_without_a_terminal_requires_yes_and_deletes_nothing()
    {
        FillProfile();
        var r = DemoWithoutTerminal("--target=Clean");
        Assert.That(r.ExitCode, Is.EqualTo(2), r.ToString());
        Assert.That(r.Output, Does.Contain("add --yes").And.Match(@"datasets/\s+6\.0 KiB\s+in 3 file\(s\)"));
        Assert.That(Directory.Exists(Path.Combine(Profile, "datasets")) && File.Exists(Path.Combine(Profile, "report.html")), Is.True, "nothing may be deleted");
    }

    [Test]
    public void Clean_dryrun_lists_what_it_would_delete_and_deletes_nothing()
    {
        FillProfile();
        var r = DemoWithoutTerminal("--target=Clean", "--dryrun");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
        Assert.That(r.Output, Does.Contain("datasets/").And.Contain(".stamps/").And.Contain("report.html").And.Contain("nothing deleted"));
        Assert.That(Directory.Exists(Path.Combine(Profile, "datasets", "x", "x")), Is.True, "a dry run deletes nothing");
    }

    [Test]
    public void Clean_with_yes_lists_and_deletes_the_profile()
    {
        FillProfile();
        var r = DemoWithoutTerminal("--target=Clean", "--yes");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
        Assert.That(r.Output, Does.Match(@"datasets/\s+6\.0 KiB\s+in 3 file\(s\)").And.Contain("report.html"));
        Assert.That(Directory.EnumerateFileSystemEntries(Profile).Select(Path.GetFileName).Where(n => !n!.StartsWith(".lock")), Is.Empty, r.ToString());
    }

    [TestCase("n", 1, true)]
    [TestCase("", 1, true)]
    [TestCase("y", 0, false)]
    public void Clean_on_a_terminal_asks_first(string answer, int exitCode, bool kept)
    {
        FillProfile();
        // util-linux `script` gives the build a pseudo-terminal as its stdin and passes the answer through it.
        var command = string.Join(' ', new[] { Path.Combine(Harness.RepoRoot, "build.sh"), "--target=Clean", "--profile=demo", $"--artifacts={_root}" }.Select(Quote));
        var r = Harness.Run("/bin/bash", ["-c", $"sleep 0.5; printf '%s\\n' {Quote(answer)} | script -qec {Quote(command)} /dev/null"], TimeSpan.FromMinutes(10));
        Assert.That(r.Output, Does.Contain("datasets/").And.Contain("[y/N]"), r.ToString());
        Assert.That(r.ExitCode, Is.EqualTo(exitCode), r.ToString());
        Assert.That(Directory.Exists(Path.Combine(Profile, "datasets")), Is.EqualTo(kept), r.ToString());
    }

    static string Quote(string s) => "'" + s.Replace("'", "'\\''") + "'";

    // ---- source settings reach the worker ---------------------------------------------------------------------------

    const string Dataset = "Dataset:isc_100k_256_big";

    [Test]
    public void A_source_setting_reaches_the_generator_and_the_dataset_stamp()
    {
        var r = Demo($"--target={Dataset}", "--set=Source.TrainingImages=80");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
        var manifest = Path.Combine(Profile, "datasets", "isc_100k_256_big", "manifest.json");
        using (var doc = JsonDocument.Parse(File.ReadAllText(manifest)))
            Assert.That(doc.RootElement.GetProperty("identities").GetInt32(), Is.EqualTo(8), "80 images at a stride of 10 are 8 ids");
        using (var stamp = JsonDocument.Parse(File.ReadAllText(Path.Combine(Profile, ".stamps", "Dataset@isc_100k_256_big.json"))))
            Assert.That(stamp.RootElement.GetProperty("params").GetProperty("source.trainingImages").GetString(), Is.EqualTo("80"));

        var plan = Demo("--target=Plan", "--set=Source.TrainingImages=80", "--set=Source.IdStride=20");
        Assert.That(plan.ExitCode, Is.EqualTo(0), plan.ToString());
        Assert.That(plan.Output, Does.Match(@"Dataset:isc_100k_256_big\s+stale"), "a changed source setting makes the dataset stale\n" + plan);
    }

    [Test]
    public void The_too_few_images_advice_is_in_the_build_syntax_and_works()
    {
        var source = Demo("--target=Source");
        Assert.That(source.ExitCode, Is.EqualTo(0), source.ToString());
        var images = Path.Combine(Profile, "source", "images");
        File.Copy(Path.Combine(images, "T000000.jpg"), Path.Combine(images, "T000160.jpg"));

        var failed = Demo($"--target={Dataset}");
        Assert.That(failed.ExitCode, Is.EqualTo(1), failed.ToString());
        Assert.That(failed.Output, Does.Contain("holds 161 JPEGs but the profile expects 160").And.Contain("--set=Source.TrainingImages=161")
            .And.Not.Contain("--set TrainingImages"));

        var followed = Demo($"--target={Dataset}", "--set=Source.TrainingImages=161");
        Assert.That(followed.ExitCode, Is.EqualTo(0), followed.ToString());
    }

    // ---- the worker after the build ---------------------------------------------------------------------------------

    [Test]
    public void The_worker_is_not_rebuilt_right_after_the_build_built_it()
    {
        // Forget both bootstrap stamps, so ./build.sh builds the build program and the worker (dotnet's incremental build).
        File.Delete(Path.Combine(Harness.RepoRoot, "build", "bin", ".bootstrap-stamp"));
        File.Delete(Path.Combine(Harness.RepoRoot, "src", "Isc.Cli", "bin", ".bootstrap-stamp"));
        var build = Harness.Build("--help");
        Assert.That(build.ExitCode, Is.EqualTo(0), build.ToString());
        Assert.That(build.Output, Does.Contain("building the build program and the isc worker"));

        var worker = Harness.Isc("--help");
        Assert.That(worker.ExitCode, Is.EqualTo(0), worker.ToString());
        Assert.That(worker.Output, Does.Not.Contain("building the worker"), worker.ToString());
    }
}
