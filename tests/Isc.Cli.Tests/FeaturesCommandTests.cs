using Isc.Cli.Commands;
using Isc.Recipe;
using Isc.Torch.Runtime;
using Isc.Torch.Serialization;
using Isc.Training.Inference;
using NUnit.Framework;

namespace Isc.Cli.Tests;

/// <summary>`isc features` run in this process on real images: a trimmed model or a pretrained backbone alone, the settings, --first and the errors.</summary>
[TestFixture]
public class FeaturesCommandTests
{
    string dir = "";
    string images = "";
    string pretrained = "";

    [OneTimeSetUp]
    public void Prepare() => TorchRuntime.EnsureLoadable();

    [SetUp]
    public async Task CreateFiles()
    {
        dir = Directory.CreateTempSubdirectory("isc-features-cmd-").FullName;
        images = ModelFiles.Images(Path.Combine(dir, "images"), 5);
        pretrained = Path.Combine(dir, "resnet50_bar.pth");
        Assert.That(await new SynthPretrainedCommand().RunAsync(new CommandArgs(
            ["--profile", "demo", "--backbone", "resnet50", "--out", pretrained, "--seed", "11"]), CancellationToken.None), Is.Zero);
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(dir, true);

    static Task<int> Run(params string[] args) => new FeaturesCommand().RunAsync(new CommandArgs(args), CancellationToken.None);

    string Out(string name) => Path.Combine(dir, name + ".npy");

    [Test]
    public async Task The_backbone_alone_gives_byte_identical_files_on_every_run()
    {
        Assert.That(await Run("--backbone", "resnet50", "--pretrained", pretrained, "--images", images, "--out", Out("a"), "--profile", "demo"), Is.Zero);
        // Whatever the global generator holds in between, the next run builds the same network.
        TorchSharp.torch.random.manual_seed(12345);
        using (TorchSharp.torch.randn(100)) { }
        Assert.That(await Run("--backbone", "resnet50", "--pretrained", pretrained, "--images", images, "--out", Out("b"), "--profile", "demo"), Is.Zero);
        var (values, shape) = Npy.ReadFloat32(Out("a"));
        Assert.That(shape, Is.EqualTo(new long[] { 5, Profiles.Demo.Model.FeatureDim }));
        Assert.That(values.Distinct().Count(), Is.GreaterThan(10), "real descriptors, not a constant");
        Assert.That(File.ReadAllBytes(Out("b")), Is.EqualTo(File.ReadAllBytes(Out("a"))));
        Assert.That(File.ReadAllText(DescriptorFile.NamesPath(Out("b"))), Is.EqualTo(File.ReadAllText(DescriptorFile.NamesPath(Out("a")))));
    }

    [Test]
    public async Task The_backbone_alone_describes_images_exactly_as_a_trimmed_model_with_the_same_weights()
    {
        var demo = Profiles.Demo;
        string trimmed;
        using (var model = BackboneAlone.Load(Backbones.Resnet50, demo, pretrained))
            trimmed = ModelFiles.SaveTrimmed(model, Path.Combine(dir, "trimmed.pth.tar"));
        Assert.That(await Run("--backbone", "resnet50", "--pretrained", pretrained, "--images", images, "--out", Out("backbone"), "--profile", "demo"), Is.Zero);
        Assert.That(await Run("--model", trimmed, "--images", images, "--out", Out("trimmed"), "--profile", "demo"), Is.Zero);
        Assert.That(File.ReadAllBytes(Out("trimmed")), Is.EqualTo(File.ReadAllBytes(Out("backbone"))));
    }

    [Test]
    public async Task The_step_spec_gives_the_size()
    {
        using var specs = new SpecFiles();
        var spec = specs.Write("Features:Pretrained:resnet50:demo", Profiles.Demo with { Training = Profiles.Demo.Training with { InputSize = 32 } });
        string[] model = ["--backbone", "resnet50", "--pretrained", pretrained, "--images", images];
        Assert.That(await Run([.. model, "--out", Out("spec"), "--settings", spec]), Is.Zero);
        Assert.That(await Run([.. model, "--out", Out("32"), "--profile", "demo", "--size", "32"]), Is.Zero);
        Assert.That(await Run([.. model, "--out", Out("64"), "--profile", "demo"]), Is.Zero);
        Assert.That(File.ReadAllBytes(Out("spec")), Is.EqualTo(File.ReadAllBytes(Out("32"))), "the spec's InputSize, 32");
        Assert.That(File.ReadAllBytes(Out("64")), Is.Not.EqualTo(File.ReadAllBytes(Out("32"))), "the demo profile's InputSize, 64, describes differently");
    }

    [Test]
    public void The_settings_exclude_a_profile()
    {
        using var specs = new SpecFiles();
        var spec = specs.Write("Features:x", Profiles.Demo);
        var e = Assert.ThrowsAsync<UsageException>(() => Run("--backbone", "resnet50", "--pretrained", pretrained, "--images", images,
            "--out", Out("x"), "--settings", spec, "--profile", "demo"));
        Assert.That(e!.Message, Does.Contain("--settings"));
    }

    [Test]
    public async Task First_takes_the_first_images_in_listing_order()
    {
        Assert.That(await Run("--backbone", "resnet50", "--pretrained", pretrained, "--images", images, "--out", Out("all"), "--profile", "demo"), Is.Zero);
        Assert.That(await Run("--backbone", "resnet50", "--pretrained", pretrained, "--images", images, "--out", Out("first"), "--profile", "demo", "--first", "3"), Is.Zero);
        Assert.That(File.ReadAllLines(DescriptorFile.NamesPath(Out("first"))), Is.EqualTo(new[] { "img00.jpg", "img01.jpg", "img02.jpg" }));
        var (all, _) = Npy.ReadFloat32(Out("all"));
        var (first, shape) = Npy.ReadFloat32(Out("first"));
        Assert.That(shape, Is.EqualTo(new long[] { 3, Profiles.Demo.Model.FeatureDim }));
        Assert.That(first, Is.EqualTo(all.Take(first.Length).ToArray()));
    }

    [Test]
    public void First_beyond_the_folder_names_the_folder_and_its_count()
    {
        var e = Assert.ThrowsAsync<UsageException>(() => Run("--backbone", "resnet50", "--pretrained", pretrained, "--images", images,
            "--out", Out("x"), "--profile", "demo", "--first", "6"));
        Assert.That(e!.Message, Does.Contain(images).And.Contain("holds 5 images").And.Contain("--first 6"));
        Assert.That(File.Exists(Out("x")), Is.False);
        Assert.ThrowsAsync<UsageException>(() => Run("--backbone", "resnet50", "--pretrained", pretrained, "--images", images,
            "--out", Out("x"), "--profile", "demo", "--first", "0"));
    }

    [TestCase(new[] { "--model", "M", "--backbone", "resnet50", "--pretrained", "P" }, "not both")]
    [TestCase(new[] { "--model", "M", "--pretrained", "P" }, "not both")]
    [TestCase(new string[0], "missing the model")]
    [TestCase(new[] { "--backbone", "resnet50" }, "needs --pretrained")]
    [TestCase(new[] { "--pretrained", "P" }, "needs --backbone")]
    [TestCase(new[] { "--backbone", "resnet18", "--pretrained", "P" }, "unknown backbone 'resnet18'")]
    [TestCase(new[] { "--model", "no-such-file.pth.tar" }, "no-such-file.pth.tar: no such file")]
    public void The_model_options_are_checked(string[] model, string message)
    {
        var resolved = model.Select(a => a == "M" || a == "P" ? pretrained : a);
        var e = Assert.ThrowsAsync<UsageException>(() => Run([.. resolved, "--images", images, "--out", Out("x"), "--profile", "demo"]));
        Assert.That(e!.Message, Does.Contain(message));
    }

    [Test]
    public void A_pretrained_file_of_another_backbone_is_refused_naming_it()
    {
        var e = Assert.ThrowsAsync<InvalidDataException>(() => Run("--backbone", "resnet152", "--pretrained", pretrained, "--images", images,
            "--out", Out("x"), "--profile", "demo"));
        Assert.That(e!.Message, Does.Contain(pretrained).And.Contain("resnet152"));
    }
}
