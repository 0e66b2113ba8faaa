using Isc.Cli.Commands;
using Isc.Recipe;
using Isc.Torch.Runtime;
using Isc.Torch.Serialization;
using Isc.Training.Model;
using NUnit.Framework;
using TorchSharp;
using static TorchSharp.torch;

namespace Isc.Cli.Tests;

/// <summary>`isc synth-published` on a real trimmed model: the stand-in loads, is seeded, and differs from its input as documented.</summary>
[TestFixture]
public class SynthPublishedCommandTests
{
    string dir = "";
    string trimmed = "";

    [OneTimeSetUp]
    public void Prepare() => TorchRuntime.EnsureLoadable();

    [SetUp]
    public void CreateModel()
    {
        dir = Directory.CreateTempSubdirectory("isc-synth-published-").FullName;
        trimmed = ModelFiles.RandomTrimmed(Path.Combine(dir, "baseline_cc_50.pth.tar"), Backbones.Resnet50, 3);
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(dir, true);

    static Task<int> Run(params string[] args) => new SynthPublishedCommand().RunAsync(new CommandArgs(args), CancellationToken.None);

    static Dictionary<string, Tensor> Tensors(string path) =>
        ((Dictionary<object, object?>)TorchFile.Load(path)!).ToDictionary(kv => (string)kv.Key, kv => (Tensor)kv.Value!);

    [Test]
    public async Task The_stand_in_loads_as_a_trimmed_model_with_noise_of_the_asked_size_on_the_weights_only()
    {
        var output = Path.Combine(dir, "published", "baseline_cc_50.pth.tar");
        Assert.That(await Run("--model", trimmed, "--out", output, "--seed", "7", "--noise", "0.1"), Is.Zero);
        using (var loaded = TrimmedModel.Load(output, Profiles.Demo.Model))
            Assert.That(loaded.Backbone, Is.EqualTo(Backbones.Resnet50));

        var before = Tensors(trimmed);
        var after = Tensors(output);
        Assert.That(after.Keys, Is.EqualTo(before.Keys), "the same tensors in the same order");
        foreach (var (name, t) in before)
        {
            var u = after[name];
            Assert.That(u.shape, Is.EqualTo(t.shape), name);
            Assert.That(u.dtype, Is.EqualTo(t.dtype), name);
            var kept = name.EndsWith("running_mean", StringComparison.Ordinal) || name.EndsWith("running_var", StringComparison.Ordinal)
                || !t.is_floating_point() || t.numel() == 1;
            Assert.That(u.eq(t).all().item<bool>(), Is.EqualTo(kept), kept ? $"{name} is kept" : $"{name} gets noise");
        }
        // The noise of a large weight has about noise × the weight's own standard deviation.
        var weight = before["base.9.2.conv2.weight"];
        var ratio = (after["base.9.2.conv2.weight"] - weight).std().item<float>() / weight.std().item<float>();
        Assert.That(ratio, Is.EqualTo(0.1).Within(0.01));
        foreach (var t in before.Values.Concat(after.Values)) t.Dispose();
    }

    [Test]
    public async Task The_same_seed_gives_the_same_file_and_another_seed_another()
    {
        string Out(string name) => Path.Combine(dir, name + ".pth.tar");
        Assert.That(await Run("--model", trimmed, "--out", Out("a"), "--seed", "7"), Is.Zero);
        torch.random.manual_seed(99);
        Assert.That(await Run("--model", trimmed, "--out", Out("b"), "--seed", "7"), Is.Zero);
        Assert.That(await Run("--model", trimmed, "--out", Out("c"), "--seed", "8"), Is.Zero);
        Assert.That(File.ReadAllBytes(Out("b")), Is.EqualTo(File.ReadAllBytes(Out("a"))));
        Assert.That(File.ReadAllBytes(Out("c")), Is.Not.EqualTo(File.ReadAllBytes(Out("a"))));
        Assert.That(File.ReadAllBytes(Out("a")), Is.Not.EqualTo(File.ReadAllBytes(trimmed)));
        Assert.That(Directory.GetFiles(dir).Where(f => f.Contains(".tmp", StringComparison.Ordinal)), Is.Empty, "no temp file left");
    }

    [Test]
    public void A_file_that_is_not_a_model_is_refused_naming_it_and_nothing_is_written()
    {
        var text = Path.Combine(dir, "notes.pth.tar");
        File.WriteAllText(text, "this is not a model\n");
        var output = Path.Combine(dir, "out.pth.tar");
        var e = Assert.ThrowsAsync<InvalidDataException>(() => Run("--model", text, "--out", output, "--seed", "1"));
        Assert.That(e!.Message, Does.Contain(text).And.Contain("text file"));
        Assert.That(File.Exists(output), Is.False);
    }

    [Test]
    public void A_backbone_file_is_not_a_trimmed_model()
    {
        var backbone = Path.Combine(dir, "resnet50_bar.pth");
        Assert.That(new SynthPretrainedCommand().RunAsync(new CommandArgs(["--profile", "demo", "--backbone", "resnet50", "--out", backbone]), CancellationToken.None).Result, Is.Zero);
        var e = Assert.ThrowsAsync<InvalidDataException>(() => Run("--model", backbone, "--out", Path.Combine(dir, "out.pth.tar"), "--seed", "1"));
        Assert.That(e!.Message, Does.Contain(backbone));
    }

    [TestCase(new[] { "--out", "O" }, "missing --model")]
    [TestCase(new[] { "--model", "M", "--out", "O" }, "missing --seed")]
    [TestCase(new[] { "--model", "M", "--out", "O", "--seed", "1", "--noise", "-0.1" }, "--noise must be")]
    [TestCase(new[] { "--model", "absent.pth.tar", "--out", "O", "--seed", "1" }, "absent.pth.tar: no such file")]
    public void The_options_are_checked(string[] args, string message)
    {
        var resolved = args.Select(a => a == "M" ? trimmed : a == "O" ? Path.Combine(dir, "o.pth.tar") : a).ToArray();
        var e = Assert.ThrowsAsync<UsageException>(() => Run(resolved));
        Assert.That(e!.Message, Does.Contain(message));
    }
}
