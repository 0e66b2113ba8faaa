using Isc.Recipe;
using Isc.Training.Model;
using Isc.Torch.Runtime;
using TorchSharp;

namespace Isc.Training.Tests.Model;

[TestFixture]
public class StateDictParityTests
{
    [OneTimeSetUp] public void Load() => TorchRuntime.EnsureLoadable();

    static IEnumerable<TestCaseData> Cases() =>
        Backbones.All.Select(b => new TestCaseData(b.Name, $"state_dict_{(b == Backbones.Ibn ? "ibn" : b.Name)}.txt").SetName($"KeysOrderShapesDtypes_{b.Name}"));

    [TestCaseSource(nameof(Cases))]
    public void MatchesRecipeAtPaperWidth(string backbone, string file)
    {
        // The recipe lists 100,000 ids (pieces of 25,000 x 8192 = 3.3 GB); 8 ids build the same structure with pieces of 2.
        const int classes = 8;
        var expected = File.ReadLines(Path.Combine(TestContext.CurrentContext.TestDirectory, "Data", file))
            .Where(l => !l.StartsWith('#') && l.Length > 0)
            .Select(l => { var i = l.IndexOf(' '); var j = l.LastIndexOf(' '); return (Key: l[..i], Shape: l[(i + 1)..j], Dtype: l[(j + 1)..]); })
            .ToList();
        using var model = new D2lvNet(Backbones.Get(backbone), Profiles.Paper.Model, classes);
        var actual = StateDicts.Ordered(model);
        Assert.That(actual.Select(a => a.Key), Is.EqualTo(expected.Select(e => e.Key)));
        for (var i = 0; i < expected.Count; i++)
        {
            var (key, t) = (actual[i].Key, actual[i].Value);
            var shape = expected[i].Shape;
            if (key.StartsWith("classifier_")) shape = shape.Replace("25000", (classes / 4).ToString());
            Assert.That(StateDicts.Shape(t), Is.EqualTo(shape), key);
            Assert.That(t.dtype == torch.int64 ? "torch.int64" : t.dtype == torch.float32 ? "torch.float32" : t.dtype.ToString(), Is.EqualTo(expected[i].Dtype), key);
        }
    }
}
