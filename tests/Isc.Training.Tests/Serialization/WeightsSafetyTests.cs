using Isc.Recipe;
using Isc.Training.Model;
using Isc.Torch.Pickle;
using Isc.Torch.Runtime;
using Isc.Torch.Serialization;
using NUnit.Framework;
using static TorchSharp.torch;

namespace Isc.Training.Tests.Serialization;

/// <summary>Reading weights never trusts the file: a malformed checkpoint is not passed and non-finite weights are reported (the pickle allow-list: Isc.Torch.Tests, PickleRefusalTests).</summary>
[TestFixture]
public class WeightsSafetyTests
{
    string _dir = "";

    [SetUp]
    public void SetUp() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), $"isc-weights-{Guid.NewGuid():N}"));

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void A_checkpoint_whose_state_dict_is_not_a_dict_is_not_passed()
    {
        var path = Path.Combine(_dir, "checkpoint_2.pth.tar");
        TorchZip.Save(path, new Dictionary<object, object?> { ["state_dict"] = 5L, ["epoch"] = 3L, ["optimizer"] = new Dictionary<object, object?>(), ["lr_scheduler"] = new Dictionary<object, object?>() });
        Assert.That(LayoutCheck.Check(path, Backbones.Get("resnet50"), Profiles.Demo.Model, 16, trimmed: false), Has.Member("its 'state_dict' is not a dict"));
    }

    [Test]
    public void Non_finite_weights_are_reported_by_tensor_name()
    {
        TorchRuntime.EnsureLoadable();
        var m = Profiles.Demo.Model;
        using var model = new D2lvNet(Backbones.Get("resnet50"), m, 16);
        var clean = new PyOrderedDict();
        foreach (var (k, v) in StateDicts.Ordered(model).Where(kv => !kv.Key.StartsWith("classifier_", StringComparison.Ordinal))) clean.Add(k, v);
        var cleanFile = Path.Combine(_dir, "clean.pth.tar");
        TorchZip.Save(cleanFile, clean);
        Assert.That(LayoutCheck.Check(cleanFile, Backbones.Get("resnet50"), m, 16, trimmed: true), Is.Empty);

        var floats = clean.Where(kv => kv.Value is Tensor t && t.is_floating_point() && t.numel() > 2).ToList();
        var (nanKey, infKey) = (floats[0].Key, floats[^2].Key);
        using (no_grad())
        {
            ((Tensor)floats[0].Value!).view(-1)[0] = tensor(float.NaN);
            ((Tensor)floats[^2].Value!).view(-1)[1] = tensor(float.NegativeInfinity);
        }
        var bad = Path.Combine(_dir, "nan.pth.tar");
        TorchZip.Save(bad, clean);
        var problems = LayoutCheck.Check(bad, Backbones.Get("resnet50"), m, 16, trimmed: true);
        Assert.That(problems, Has.Count.EqualTo(1));
        Assert.That(problems[0], Does.Contain("2 tensor(s) hold NaN or infinite values").And.Contain($"{nanKey} (1 of").And.Contain($"{infKey} (1 of"));
    }
}
