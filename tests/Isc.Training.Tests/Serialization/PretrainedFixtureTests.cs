using System.Text.Json;
using Isc.Recipe;
using Isc.Training.Model;
using Isc.Torch.Runtime;
using Isc.Torch.Serialization;
using Isc.Training.Tests.Support;
using TorchSharp;

namespace Isc.Training.Tests.Serialization;

/// <summary>Reads real torch.save / pickle.dump output written by PyTorch 1.13 (protocols 3 and 4, tensors; numpy arrays are refused: OriginalPretrainedLoadingTests).</summary>
[TestFixture]
public class PretrainedFixtureTests
{
    string dir = "";
    JsonElement expected;
    const int Width = 8;

    [OneTimeSetUp]
    public void WriteFixtures()
    {
        TorchRuntime.EnsureLoadable();
        dir = Directory.CreateTempSubdirectory("isc-fixtures-").FullName;
        PyTorch.Run("fixtures", "--out", dir, "--width", Width.ToString());
        expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "expected.json"))).RootElement;
    }

    [OneTimeTearDown]
    public void Clean() { if (Directory.Exists(dir)) Directory.Delete(dir, true); }

    static ModelSettings Demo => Profiles.Demo.Model with { StemWidth = Width };

    [TestCase("resnet50", "resnet50_zip.pth")]
    [TestCase("resnet50", "resnet50_legacy.pth")]
    [TestCase("resnet152", "resnet152_p3_tensor.pkl")]
    [TestCase("resnet152", "resnet152_p4_tensor.pkl")]
    [TestCase("ibn", "ibn_p3_tensor.pkl")]
    public void LoadsEveryBackboneTensorByName(string backbone, string file)
    {
        using var model = new D2lvNet(Backbones.Get(backbone), Demo, 8);
        var report = PretrainedLoader.Load(model, Path.Combine(dir, file));
        var sums = expected.GetProperty(file);
        Assert.That(report.Missing, Is.Empty);
        Assert.That(report.Unexpected, Is.Empty);
        Assert.That(report.Matched, Has.Count.EqualTo(sums.EnumerateObject().Count()));
        var byTv = PretrainedLoader.TorchvisionStateDict(model).ToDictionary(kv => kv.Key, kv => kv.Value);
        foreach (var e in sums.EnumerateObject())
        {
            var sum = byTv[e.Name].to(torch.float64).sum().item<double>();
            Assert.That(sum, Is.EqualTo(e.Value.GetDouble()).Within(1e-6 * Math.Max(1, Math.Abs(e.Value.GetDouble()))), e.Name);
        }
    }

    [Test]
    public void RefusesAFileOfAnotherBackbone()
    {
        using var model = new D2lvNet(Backbones.Resnet50, Demo with { StemWidth = 16 }, 8);
        Assert.That(() => PretrainedLoader.Load(model, Path.Combine(dir, "resnet50_zip.pth")),
            Throws.InstanceOf<InvalidDataException>().With.Message.Contains("weights and running statistics").And.Message.Contains("of another shape"));
        using var resnet = new D2lvNet(Backbones.Resnet152, Demo, 8);
        Assert.That(() => PretrainedLoader.Load(resnet, Path.Combine(dir, "ibn_p3_tensor.pkl")),
            Throws.InstanceOf<InvalidDataException>().With.Message.Contains("is not a resnet152 backbone"));
    }

    [TestCase("views_zip.pth")]
    [TestCase("views_p4.pkl")]
    public void GathersViewsWithOffsetsAndStrides(string file)
    {
        var root = (Dictionary<object, object?>)TorchFile.Load(Path.Combine(dir, file))!;
        foreach (var e in expected.GetProperty("views").EnumerateObject())
        {
            var t = (torch.Tensor)root[e.Name]!;
            var want = e.Value.EnumerateArray().Select(x => x.GetDouble()).ToArray();
            Assert.That(t.to(torch.float64).flatten().data<double>().ToArray(), Is.EqualTo(want), e.Name);
        }
        Assert.That(((torch.Tensor)root["scalar"]!).dtype, Is.EqualTo(torch.int64));
        Assert.That(((torch.Tensor)root["scalar"]!).shape, Is.Empty);
    }

    [Test]
    public void RejectsTruncatedAndForeignFiles()
    {
        var src = File.ReadAllBytes(Path.Combine(dir, "ibn_p4_numpy.pkl"));
        var cut = Path.Combine(dir, "cut.pkl");
        File.WriteAllBytes(cut, src[..(src.Length / 2)]);
        Assert.That(() => TorchFile.Load(cut), Throws.InstanceOf<InvalidDataException>());
        var html = Path.Combine(dir, "page.pth");
        File.WriteAllText(html, "<!DOCTYPE html><html>quota exceeded</html>");
        Assert.That(() => TorchFile.Load(html), Throws.InstanceOf<InvalidDataException>());
    }
}
