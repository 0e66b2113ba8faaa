using System.Text.Json;
using Isc.Recipe;
using Isc.Training.Model;
using Isc.Torch.Runtime;
using Isc.Training.Tests.Support;
using TorchSharp;

namespace Isc.Training.Tests.Serialization;

/// <summary>
/// Each pretrained file either loads to the weights the original training gets from it, or is refused (never a silent
/// difference). The original's loading (torch.load / pickle.load(f)['model'], then load_state_dict(strict=False) into
/// torchvision's network) is run for real by Debian's PyTorch on the same files.
/// </summary>
[TestFixture]
public class OriginalPretrainedLoadingTests
{
    string dir = "";
    const int Width = 8;

    [OneTimeSetUp]
    public void WriteFixtures()
    {
        TorchRuntime.EnsureLoadable();
        dir = Directory.CreateTempSubdirectory("isc-original-load-").FullName;
        PyTorch.Run("fixtures", "--out", dir, "--width", Width.ToString());
    }

    [OneTimeTearDown]
    public void Clean() { if (Directory.Exists(dir)) Directory.Delete(dir, true); }

    static D2lvNet Model(string backbone) => new(Backbones.Get(backbone), Profiles.Demo.Model with { StemWidth = Width }, 8);

    JsonElement Original(string backbone, string path) =>
        PyTorch.Run("original-load", "--file", path, "--backbone", backbone, "--width", Width.ToString());

    static void AssertSameWeights(D2lvNet model, JsonElement original)
    {
        var ours = PretrainedLoader.TorchvisionStateDict(model).ToDictionary(kv => kv.Key, kv => kv.Value);
        var sums = original.GetProperty("sums").EnumerateObject().ToList();
        Assert.That(ours.Keys, Is.EquivalentTo(sums.Select(e => e.Name)));
        foreach (var e in sums)
        {
            var sum = ours[e.Name].to(torch.float64).sum().item<double>();
            Assert.That(sum, Is.EqualTo(e.Value.GetDouble()).Within(1e-9 * Math.Max(1, Math.Abs(e.Value.GetDouble()))), e.Name);
        }
    }

    [TestCase("resnet50", "resnet50_zip.pth")]
    [TestCase("resnet50", "resnet50_legacy.pth")]
    [TestCase("resnet50", "resnet50_no_counter.pth")]
    [TestCase("resnet152", "resnet152_p3_tensor.pkl")]
    [TestCase("resnet152", "resnet152_p4_tensor.pkl")]
    [TestCase("ibn", "ibn_p3_tensor.pkl")]
    [TestCase("ibn", "ibn_p4_tensor.pkl")]
    public void A_file_holding_every_backbone_tensor_gives_the_originals_weights(string backbone, string file)
    {
        var path = Path.Combine(dir, file);
        var original = Original(backbone, path);
        Assert.That(original.TryGetProperty("error", out _), Is.False, original.ToString());
        Assert.That(original.GetProperty("missing").EnumerateArray().Select(x => x.GetString()).Where(k => !k!.EndsWith("num_batches_tracked")), Is.Empty);
        using var model = Model(backbone);
        PretrainedLoader.Load(model, path);
        AssertSameWeights(model, original);
    }

    [TestCase("resnet152", "resnet152_p3_numpy.pkl")]
    [TestCase("resnet152", "resnet152_p4_numpy.pkl")]
    [TestCase("ibn", "ibn_p4_numpy.pkl")]
    public void Numpy_arrays_are_refused_as_the_originals_load_state_dict_raises_on_them(string backbone, string file)
    {
        var path = Path.Combine(dir, file);
        Assert.That(Original(backbone, path).GetProperty("error").GetString(), Does.Contain("numpy.ndarray"));
        using var model = Model(backbone);
        Assert.That(() => PretrainedLoader.Load(model, path), Throws.InstanceOf<InvalidDataException>()
            .With.Message.Contains(path).And.Message.Contains("numpy arrays (e.g. conv1.weight)").And.Message.Contains("torch.from_numpy"));
    }

    [Test]
    public void Module_prefixed_names_are_refused_where_the_original_silently_loads_nothing()
    {
        var path = Path.Combine(dir, "resnet50_module.pth");
        var original = Original("resnet50", path);
        Assert.That(original.GetProperty("unexpected").EnumerateArray().All(x => x.GetString()!.StartsWith("module.")), Is.True);
        // torch does not report an absent num_batches_tracked as missing (it keeps the module's 0).
        Assert.That(original.GetProperty("missing").EnumerateArray().Select(x => x.GetString()),
            Is.EquivalentTo(original.GetProperty("sums").EnumerateObject().Select(e => e.Name).Where(k => !k.EndsWith("num_batches_tracked"))),
            "the original matched none of the file's names");
        using var model = Model("resnet50");
        Assert.That(() => PretrainedLoader.Load(model, path), Throws.InstanceOf<InvalidDataException>()
            .With.Message.Contains(path).And.Message.Contains("start with \"module.\"").And.Message.Contains("nn.DataParallel"));
    }

    [Test]
    public void Absent_backbone_tensors_are_refused_where_the_original_keeps_torchvisions_values()
    {
        var path = Path.Combine(dir, "resnet50_partial.pth");
        var original = Original("resnet50", path);
        var unchanged = original.GetProperty("unchanged").EnumerateArray().Select(x => x.GetString()).ToList();
        Assert.That(unchanged, Does.Contain("layer4.2.conv1.weight"), "the original leaves an absent weight at the network's own value");
        using var model = Model("resnet50");
        Assert.That(() => PretrainedLoader.Load(model, path), Throws.InstanceOf<InvalidDataException>()
            .With.Message.Contains(path).And.Message.Match(@"missing e\.g\. layer4\.2\.").And.Message.Contains("torchvision's ImageNet"));
    }

    [Test]
    public void A_torch_save_file_for_a_pickled_backbone_is_refused_as_pickle_load_cannot_read_it()
    {
        var path = Path.Combine(dir, "ibn_zip.pth");
        Assert.That(Original("ibn", path).TryGetProperty("error", out _), Is.True);
        using var model = Model("ibn");
        Assert.That(() => PretrainedLoader.Load(model, path), Throws.InstanceOf<InvalidDataException>()
            .With.Message.Contains(path).And.Message.Contains("pickle.load(f)['model']"));
    }

    [TestCase("resnet50")]
    [TestCase("resnet152")]
    [TestCase("ibn")]
    public void The_demos_synthetic_backbone_loads_in_the_original_to_the_weights_written(string backbone)
    {
        var path = Path.Combine(dir, $"synth_{backbone}");
        torch.random.manual_seed(3);
        using var written = Model(backbone);
        PretrainedWriter.Write(written, path, "test");
        var original = Original(backbone, path);
        Assert.That(original.TryGetProperty("error", out _), Is.False, original.ToString());
        Assert.That(original.GetProperty("missing").GetArrayLength(), Is.Zero);
        AssertSameWeights(written, original);
        using var read = Model(backbone);
        PretrainedLoader.Load(read, path);
        AssertSameWeights(read, original);
    }
}
