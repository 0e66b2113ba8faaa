using System.IO.Compression;
using Isc.Cli.Commands;
using Isc.Recipe;
using NUnit.Framework;

namespace Isc.Cli.Tests;

/// <summary>
/// Worker commands run with the settings of the step spec they are given (--settings), not the catalog profile's:
/// each one is run in this process on real files, with settings that differ from the catalog's.
/// </summary>
[TestFixture]
public class WorkerCommandSettingsTests
{
    static Task<int> Run(IWorkerCommand command, params string[] args) => command.RunAsync(new CommandArgs(args), CancellationToken.None);

    [Test]
    public async Task Synth_images_draws_the_count_size_and_seed_of_the_specs_source_settings()
    {
        using var specs = new SpecFiles();
        var settings = SettingOverrides.WithSource(Profiles.Demo,
            [("Source", "TrainingImages", "3"), ("Source", "SyntheticWidth", "24"), ("Source", "SyntheticHeight", "20"), ("Source", "Seed", "11")]);
        var spec = specs.Write("Source", settings);
        var fromSpec = Path.Combine(specs.Root, "from-spec");
        var byHand = Path.Combine(specs.Root, "by-hand");

        Assert.That(await Run(new SynthImagesCommand(), "--kind", "training", "--settings", spec, "--out", fromSpec, "--jobs", "1"), Is.Zero);
        Assert.That(await Run(new SynthImagesCommand(), "--kind", "training", "--profile", "demo", "--count", "3", "--width", "24",
            "--height", "20", "--seed", "11", "--out", byHand, "--jobs", "1"), Is.Zero);

        var names = Directory.GetFiles(Path.Combine(fromSpec, "images")).Select(Path.GetFileName).Order().ToList();
        Assert.That(names, Is.EqualTo(new[] { "T000000.jpg", "T000001.jpg", "T000002.jpg" }));
        foreach (var name in names)
            Assert.That(File.ReadAllBytes(Path.Combine(fromSpec, "images", name!)), Is.EqualTo(File.ReadAllBytes(Path.Combine(byHand, "images", name!))),
                $"{name}: the spec's settings must draw exactly what the same explicit options draw");
    }

    /// <summary>A published-dataset zip laid out as {name}/{id}_{k}.jpg.</summary>
    static string Zip(string dir, string dataset, int ids, int perId)
    {
        var path = Path.Combine(dir, dataset + ".zip");
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        for (var id = 0; id < ids; id++)
            for (var k = 0; k < perId; k++)
            {
                using var s = zip.CreateEntry($"{dataset}/{id}_{k}.jpg").Open();
                s.Write([0xFF, 0xD8, 0xFF, (byte)id, (byte)k, 0xFF, 0xD9]);
            }
        return path;
    }

    [Test]
    public async Task Extract_expects_the_identities_and_images_per_id_of_the_specs_settings()
    {
        using var specs = new SpecFiles();
        const string dataset = "isc_100k_256_big";
        // 40 training images at IdStride 10 are 4 identities; 2 images each (the catalog's demo: 16 x 20).
        var settings = SettingOverrides.Resolve(Profiles.Demo, [("Source", "TrainingImages", "40"), ("Datasets", "ImagesPerId", "2")], $"Dataset:{dataset}");
        var spec = specs.Write($"Dataset:{dataset}", settings);
        var zip = Zip(specs.Root, dataset, ids: 4, perId: 2);

        var catalog = Path.Combine(specs.Root, "catalog");
        Assert.That(() => Run(new ExtractCommand(), "--zip", zip, "--out", catalog, "--expect-dataset", dataset, "--profile", "demo"),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("does not have the recipe's layout"),
            "the catalog's demo settings expect 16 ids of 20 images");

        var out_ = Path.Combine(specs.Root, "from-spec");
        Assert.That(await Run(new ExtractCommand(), "--zip", zip, "--out", out_, "--expect-dataset", dataset, "--settings", spec), Is.Zero);
        Assert.That(Directory.GetFiles(Path.Combine(out_, dataset)), Has.Length.EqualTo(8));
    }

    [Test]
    public void Extract_takes_settings_only_with_expect_dataset()
    {
        using var specs = new SpecFiles();
        var spec = specs.Write("Dataset:isc_100k_256_big", Profiles.Demo);
        Assert.That(() => Run(new ExtractCommand(), "--zip", "a.zip", "--out", "b", "--settings", spec),
            Throws.TypeOf<UsageException>().With.Message.Contains("only apply with --expect-dataset"));
    }

    [Test]
    public void Train_refuses_a_spec_whose_settings_are_out_of_range_before_anything_is_written()
    {
        using var specs = new SpecFiles();
        var bad = Profiles.Demo with { Training = Profiles.Demo.Training with { FlipProbability = 2 } };
        var spec = specs.Write("Train:baseline_CC_50", bad);
        var pretrained = Path.Combine(specs.Root, "backbone.pth");
        File.WriteAllBytes(pretrained, [0]);
        var output = Path.Combine(specs.Root, "run");
        Assert.That(() => Run(new TrainCommand(), "--settings", spec, "--run", "baseline_CC_50", "--dataset", specs.Root,
                "--pretrained", pretrained, "--out", output),
            Throws.TypeOf<RecipeException>().With.Message.EqualTo(
                $"{spec}: FlipProbability=2 is not accepted (TrainingSettings.FlipProbability accepts a finite number with 0 <= x <= 1)"));
        Assert.That(Directory.Exists(output), Is.False);
    }
}
