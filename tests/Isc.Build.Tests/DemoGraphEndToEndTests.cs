using System.Text.RegularExpressions;
using Isc.Artifacts;
using NUnit.Framework;

namespace Isc.Build.Tests;

/// <summary>
/// The whole demo graph, built for real from nothing (synthetic sources, 11 datasets, 3 backbones,
/// 33 trainings, 33 trimmed models), then evaluated (every model, its stand-in published model and the
/// backbones, and Compare), then rebuilt: nothing runs; a deleted model, a changed model and a changed
/// dataset parameter rebuild exactly what they affect; Verify and Report pass over the result.
/// </summary>
[TestFixture, Order(100)]
public class DemoGraphEndToEndTests
{
    string _root = "";
    string Demo => Path.Combine(_root, "demo");
    Harness.Result _first = null!;

    Harness.Result Build(params string[] extra) => Harness.Build([.. extra, "--profile=demo", $"--artifacts={_root}"]);

    [OneTimeSetUp]
    public void BuildEverything()
    {
        _root = Harness.TempRoot("demo-all33");
        _first = Build("--target=All33");
        Assert.That(_first.ExitCode, Is.EqualTo(0), _first.ToString());
        TestContext.Progress.WriteLine($"demo All33 from scratch: {_first.Elapsed.TotalSeconds:F0} s");
    }

    [OneTimeTearDown]
    public void Remove()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Test, Order(1)]
    public void The_first_build_made_every_artifact_of_the_graph()
    {
        var built = Harness.Built(_first.Output);
        Assert.That(built.Count(b => b.StartsWith("Dataset:")), Is.EqualTo(11));
        Assert.That(built.Count(b => b.StartsWith("Train:")), Is.EqualTo(33));
        Assert.That(built.Count(b => b.StartsWith("Model:")), Is.EqualTo(33));
        Assert.That(built.Count(b => b.StartsWith("Pretrained:")), Is.EqualTo(3));
        Assert.That(File.Exists(Path.Combine(Demo, "V5_baseline_CC", "baseline_cc_50.pth.tar")));
        Assert.That(File.Exists(Path.Combine(Demo, "V5_face_BW", "face_bw_ibn.pth.tar")));
    }

    [Test, Order(2)]
    public void A_second_build_runs_nothing_in_under_two_seconds()
    {
        var again = Build("--target=All33");
        Assert.That(again.ExitCode, Is.EqualTo(0), again.ToString());
        Assert.That(Harness.Built(again.Output), Is.Empty);
        var seconds = double.Parse(Regex.Match(again.Output, @"Build time ([\d.]+) s").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        TestContext.Progress.WriteLine($"no-op rebuild of the demo graph: {seconds:F2} s after start-up, {again.Elapsed.TotalSeconds:F2} s with start-up");
        Assert.That(seconds, Is.LessThan(2.0));
    }

    [Test, Order(6)]
    public void Verify_passes_and_the_report_is_written()
    {
        var verify = Build("--target=Verify");
        Assert.That(verify.ExitCode, Is.EqualTo(0), verify.ToString());
        Assert.That(verify.Output, Does.Contain("0 mismatched, 0 not built"));
        var report = Build("--target=Report");
        Assert.That(report.ExitCode, Is.EqualTo(0), report.ToString());
        var html = File.ReadAllText(Path.Combine(Demo, "report.html"));
        Assert.That(Regex.Matches(html, "alt=\"training curves of").Count, Is.EqualTo(33));
        Assert.That(Regex.Matches(html, "alt=\"contact sheet of").Count, Is.EqualTo(11));
        // After Compare (the tests before): the evaluation section with one precision-recall plot per dataset family.
        Assert.That(Regex.Matches(html, "alt=\"precision-recall curves of").Count, Is.EqualTo(Isc.Recipe.Datasets.All.Select(d => d.Family).Distinct().Count()));
    }

    [Test, Order(7)]
    public void A_deleted_trimmed_model_is_rebuilt_alone_and_identical()
    {
        var path = Path.Combine(Demo, "V5_dark_CC", "dark_cc_152.pth.tar");
        var before = Fingerprint.OfFile(path);
        File.Delete(path);
        var r = Build("--target=All33");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
        Assert.That(Harness.Built(r.Output), Is.EqualTo(new[] { "Model:dark_CC_152" }));
        Assert.That(Fingerprint.OfFile(path), Is.EqualTo(before), "trimming is deterministic");
    }

    [Test, Order(8)]
    public void A_second_build_from_scratch_elsewhere_gives_identical_datasets_and_models()
    {
        var other = Harness.TempRoot("demo-again");
        try
        {
            string[] models = ["Model:baseline_CC_50", "Model:face_BW_152", "Model:opa_CC_ibn"];
            foreach (var target in models.Prepend("Datasets"))
            {
                var r = Harness.Build($"--target={target}", "--profile=demo", $"--artifacts={other}");
                Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
            }
            foreach (var d in Isc.Recipe.Datasets.All)
                Assert.That(ManifestFiles(Path.Combine(other, "demo", "datasets", d.Name, "manifest.json")),
                    Is.EqualTo(ManifestFiles(Path.Combine(Demo, "datasets", d.Name, "manifest.json"))), d.Name);
            foreach (var m in models)
            {
                var path = Isc.Recipe.Runs.Get(m[6..]).TrimmedModelPath;
                Assert.That(Fingerprint.OfFile(Path.Combine(other, "demo", path)), Is.EqualTo(Fingerprint.OfFile(Path.Combine(Demo, path))), m);
            }
        }
        finally { Directory.Delete(other, recursive: true); }
    }

    /// <summary>Each file of a dataset manifest with its size and hash (the rest of the manifest names folders, which differ).</summary>
    static List<string> ManifestFiles(string manifest)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(manifest));
        return [.. doc.RootElement.GetProperty("files").EnumerateArray().Select(f => f.ToString())];
    }

    [Test, Order(3)]
    public void Compare_evaluates_every_model_and_every_metrics_file_recomputes_from_its_predictions()
    {
        var r = Build("--target=Compare");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
        var built = Harness.Built(r.Output);
        Assert.That(built.Where(b => !b.StartsWith("Eval") && !b.StartsWith("Features:") && !b.StartsWith("Pca:") && !b.StartsWith("Published:")),
            Is.EqualTo(new[] { "Compare" }), "only the evaluation runs after All33");
        Assert.That(built.Count(b => b.StartsWith("Eval:")), Is.EqualTo(33 + 33 + 3));
        Assert.That(built.Count(b => b.StartsWith("Features:")), Is.EqualTo(69));
        Assert.That(built.Count(b => b.StartsWith("Pca:")), Is.EqualTo(69));
        Assert.That(built.Count(b => b.StartsWith("Published:")), Is.EqualTo(33));
        TestContext.Progress.WriteLine($"demo evaluation (Compare after All33): {r.Elapsed.TotalSeconds:F0} s");

        // An independent implementation (Python) recomputes every metrics.json from the files beside it.
        var set = Path.Combine(Demo, "eval", "demo");
        var truth = Path.Combine(set, "ground_truth.csv");
        var models = Directory.GetDirectories(set).Where(d => File.Exists(Path.Combine(d, "metrics.json"))).ToList();
        Assert.That(models, Has.Count.EqualTo(69));
        foreach (var model in models)
        {
            using var written = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(model, "metrics.json")));
            var reference = PythonMetrics(Path.Combine(model, "predictions.csv"), truth);
            foreach (var key in new[] { "average_precision", "recall_at_p90", "recall_at_rank1", "recall_at_rank10" })
                Assert.That(written.RootElement.GetProperty(key).GetDouble(), Is.EqualTo(reference.GetProperty(key).GetDouble()).Within(1e-9),
                    $"{Path.GetFileName(model)}: {key}");
            Assert.That(written.RootElement.GetProperty("predictions").GetInt32(), Is.EqualTo(40 * 10), Path.GetFileName(model));
        }
        Assert.That(File.ReadAllText(Path.Combine(set, "compare.md")), Does.Contain("baseline_CC_50"));
        Assert.That(r.Output, Does.Contain("Reproduction verdict: "));
        if (ComparedFailures(set) > 0)
            Assert.That(r.Output, Does.Contain("below a stand-in published model"), "runs failing against stand-ins warn and do not fail the build");
    }

    static int ComparedFailures(string set)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(set, "compare.json")));
        return doc.RootElement.GetProperty("failed").GetInt32();
    }

    /// <summary>
    /// A real published model (a file, not a stand-in) that beats the rebuilt one by more than the tolerance fails the
    /// build, and the verdict names the run. The published file is the demo's best ResNet-50 model, given for its worst.
    /// </summary>
    [Test, Order(5)]
    public void A_run_below_a_real_published_model_fails_the_build_and_is_named()
    {
        var set = Path.Combine(Demo, "eval", "demo");
        double Map(string run)
        {
            using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(set, run, "metrics.json")));
            return doc.RootElement.GetProperty("average_precision").GetDouble();
        }
        var resnet50 = Isc.Recipe.Runs.All.Where(r => r.Backbone.Name == "resnet50").OrderBy(r => Map(r.Name)).ToList();
        var (worst, best) = (resnet50[0], resnet50[^1]);
        var tolerance = Isc.Recipe.Profiles.Demo.Evaluation.CompareTolerance;
        Assume.That(Map(best.Name) - Map(worst.Name), Is.GreaterThan(tolerance), "the demo's ResNet-50 models differ by more than the tolerance");

        var published = Path.Combine(_root, "published-" + worst.Name + ".pth.tar");
        File.Copy(Path.Combine(Demo, best.TrimmedModelPath), published);
        // A configuration of the test's own, so the repository's downloads.lock.json is never written.
        var config = Path.Combine(_root, "isc.published-test.json");
        File.WriteAllText(config, System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["downloadsLock"] = Path.Combine(_root, "published.lock.json") }));
        var r = Build("--target=Compare", $"--config={config}", $"--file:{worst.PublishedTarget}={published}");
        Assert.That(r.ExitCode, Is.EqualTo(1), r.ToString());
        Assert.That(r.Output, Does.Contain("The reproduction fails for 1 run(s)").And.Contain(worst.Name));
        Assert.That(Map(EvaluationName(worst)), Is.EqualTo(Map(best.Name)), "the published file is evaluated like the model it is");

        var back = Build("--target=Compare");
        Assert.That(back.ExitCode, Is.EqualTo(0), back.ToString());
    }

    static string EvaluationName(Isc.Recipe.Run run) => Isc.Recipe.Layouts.EvaluationFolder.PublishedModelName(run);

    static System.Text.Json.JsonElement PythonMetrics(string predictions, string truth)
    {
        var script = Path.Combine(TestContext.CurrentContext.TestDirectory, "python", "isc_metrics_reference.py");
        var (code, stdout, stderr) = Isc.Tests.DebianPython.Run([script, predictions, truth]);
        Assert.That(code, Is.EqualTo(0), $"the Python metrics reference failed: {stderr}");
        return System.Text.Json.JsonDocument.Parse(stdout.Trim()).RootElement.Clone();
    }

    [Test, Order(4)]
    public void A_second_evaluation_runs_nothing()
    {
        foreach (var target in new[] { "Compare", "Evaluations" })
        {
            var again = Build($"--target={target}");
            Assert.That(again.ExitCode, Is.EqualTo(0), again.ToString());
            Assert.That(Harness.Built(again.Output), Is.Empty, target);
        }
    }

    [Test, Order(9)]
    public void A_changed_model_rebuilds_its_own_descriptors_and_evaluation_only()
    {
        var r = Build("--target=Compare", "--set=Train:blur_CC_50.seed=5");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
        Assert.That(Harness.Built(r.Output), Is.EquivalentTo(new[]
        {
            "Train:blur_CC_50", "Model:blur_CC_50", "Features:blur_CC_50:demo", "Pca:blur_CC_50", "Eval:blur_CC_50",
            "Published:blur_CC_50", "Features:Published:blur_CC_50:demo", "Pca:Published:blur_CC_50", "Eval:Published:blur_CC_50", "Compare",
        }));
    }

    [Test, Order(10)]
    public void A_changed_dataset_parameter_rebuilds_that_dataset_its_3_runs_and_3_models_only()
    {
        // With the last test's training setting, so only the dataset's change shows.
        string[] sets = ["--set=Dataset:isc_100k_256_big_u.seed=5", "--set=Train:blur_CC_50.seed=5"];
        var r = Build(["--target=All33", .. sets]);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
        Assert.That(Harness.Built(r.Output), Is.EquivalentTo(new[]
        {
            "Dataset:isc_100k_256_big_u", "Train:u_CC_50", "Train:u_CC_152", "Train:u_CC_ibn",
            "Model:u_CC_50", "Model:u_CC_152", "Model:u_CC_ibn",
        }));
        Assert.That(Harness.Built(Build(["--target=All33", .. sets]).Output), Is.Empty);
    }
}
