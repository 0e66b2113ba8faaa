using System.Text;
using Isc.Recipe;
using Isc.Training.Model;
using Isc.Torch.Pickle;
using Isc.Torch.Runtime;
using Isc.Torch.Serialization;
using NUnit.Framework;
using static TorchSharp.torch;

namespace Isc.Training.Tests.Serialization;

/// <summary>Reading weights never trusts the file: only allow-listed pickle globals are read, and non-finite weights are reported.</summary>
[TestFixture]
public class WeightsSafetyTests
{
    string _dir = "";

    [SetUp]
    public void SetUp() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), $"isc-weights-{Guid.NewGuid():N}"));

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    // pickle.dumps of an object whose __reduce__ is (os.system, ("touch x",)), by hand: protocol 2 uses GLOBAL, protocol 4 STACK_GLOBAL.
    static readonly byte[] GlobalPayload =
        [0x80, 2, .. Encoding.ASCII.GetBytes("cposix\nsystem\n"), (byte)'X', 7, 0, 0, 0, .. Encoding.ASCII.GetBytes("touch x"), 0x85, (byte)'R', (byte)'.'];
    static readonly byte[] StackGlobalPayload =
        [0x80, 4, 0x8c, 5, .. Encoding.ASCII.GetBytes("posix"), 0x8c, 6, .. Encoding.ASCII.GetBytes("system"), 0x93,
         0x8c, 7, .. Encoding.ASCII.GetBytes("touch x"), 0x85, (byte)'R', (byte)'.'];

    [TestCase("global")]
    [TestCase("stack_global")]
    public void A_pickle_naming_a_global_off_the_allow_list_is_refused_naming_the_file_and_the_global(string kind)
    {
        var path = Path.Combine(_dir, $"evil_{kind}.pkl");
        File.WriteAllBytes(path, kind == "global" ? GlobalPayload : StackGlobalPayload);
        var e = Assert.Throws<InvalidDataException>(() => TorchFile.Load(path))!;
        Assert.That(e.Message, Does.StartWith(path).And.Contain("refused pickle global 'posix.system'"));
    }

    [Test]
    public void The_reader_refuses_at_the_global_whatever_the_caller_maps()
    {
        var reader = new PickleReader { Source = "x.pkl", Reduce = (_, _) => "mapped" };
        var e = Assert.Throws<InvalidDataException>(() => reader.Load(new MemoryStream(GlobalPayload)))!;
        Assert.That(e.Message, Does.StartWith("x.pkl: refused pickle global 'posix.system'"));
    }

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
