using Isc.Training.Data;
using Isc.Training.Engine;

namespace Isc.Training.Tests.Data;

/// <summary>
/// The trainer reads a dataset folder and a run folder with the layouts' one parser each: a file whose name the
/// generator or the trainer would never write is ignored, never a second copy of an image or a checkpoint.
/// </summary>
[TestFixture]
public class DatasetLayoutReadingTests
{
    string _dir = "";

    [SetUp] public void SetUp() => _dir = Directory.CreateTempSubdirectory("isc-layout-reading-").FullName;
    [TearDown] public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Names_outside_the_layout_are_not_images_of_an_identity()
    {
        foreach (var name in new[] { "0_0.jpg", "0_1.jpg", "1_0.jpg", "1_1.jpg", "01_0.jpg", "1_1.JPG", "1_2.jpeg", "notes.txt" })
            File.WriteAllText(Path.Combine(_dir, name), "");
        var set = TrainingSet.Open(_dir);
        Assert.That(set.Ids, Is.EqualTo(new long[] { 0, 1 }));
        Assert.That(set.Images.Select(i => i.Select(Path.GetFileName)),
            Is.EqualTo(new[] { new[] { "0_0.jpg", "0_1.jpg" }, new[] { "1_0.jpg", "1_1.jpg" } }));
    }

    [Test]
    public void Only_checkpoint_names_the_trainer_writes_are_epochs()
    {
        foreach (var name in new[] { "checkpoint_3.pth.tar", "checkpoint_03.pth.tar", "checkpoint_4.pth.tar", "checkpoint_+4.pth.tar" })
            File.WriteAllText(Path.Combine(_dir, name), "");
        Assert.That(Checkpoints.Epochs(_dir), Is.EqualTo(new[] { 4, 3 }));
    }
}
