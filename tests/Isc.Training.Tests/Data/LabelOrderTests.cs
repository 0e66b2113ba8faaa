using Isc.Training.Data;
using Isc.Training.Tests.Support;

namespace Isc.Training.Tests.Data;

/// <summary>
/// Identities are labelled in the original's order: its dataset classes sort the file names as Python sorts strings
/// and label each id at its first file. The C# labels are compared with that procedure run by Debian's Python on the
/// same folder (empty files: labelling reads names only).
/// </summary>
[TestFixture]
public class LabelOrderTests
{
    string _dir = "";

    [SetUp] public void SetUp() => _dir = Directory.CreateTempSubdirectory("isc-label-order-").FullName;
    [TearDown] public void TearDown() => Directory.Delete(_dir, recursive: true);

    void Files(IEnumerable<int> ids, IEnumerable<int> ks)
    {
        foreach (var id in ids)
            foreach (var k in ks)
                File.WriteAllBytes(Path.Combine(_dir, $"{id}_{k}.jpg"), []);
    }

    [Test]
    public void Sixteen_ids_are_labelled_as_their_names_sort()
    {
        Files(Enumerable.Range(0, 16), Enumerable.Range(0, 20));
        Assert.That(TrainingSet.Open(_dir).Ids, Is.EqualTo(new long[] { 0, 10, 11, 12, 13, 14, 15, 1, 2, 3, 4, 5, 6, 7, 8, 9 }));
    }

    // The demo's datasets: 16 ids, more in the face datasets (ids after the 16), 20 images each; then ids 0...1200.
    [TestCase(16, 20)]
    [TestCase(20, 20)]
    [TestCase(24, 20)]
    [TestCase(1201, 3)]
    public void Labels_are_the_originals(int ids, int perId)
    {
        Files(Enumerable.Range(0, ids), [.. Enumerable.Range(0, perId - 1), 19]);
        var set = TrainingSet.Open(_dir);
        var python = PyTorch.Run("original-labels", "--folder", _dir);
        Assert.That(set.Ids, Is.EqualTo(python.GetProperty("ids").EnumerateArray().Select(e => e.GetInt64())));
        Assert.That(set.ImageCount, Is.EqualTo(python.GetProperty("images").GetInt32()));
        for (var label = 0; label < set.Classes; label++)
            Assert.That(set.Images[label].Select(Path.GetFileName), Has.All.StartsWith($"{set.Ids[label]}_"),
                $"label {label}: the sampler's images are those of the identity the label stands for");
    }
}
