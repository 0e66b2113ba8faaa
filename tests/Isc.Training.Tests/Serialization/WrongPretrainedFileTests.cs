using System.IO.Compression;
using Isc.Recipe;
using Isc.Training.Model;
using Isc.Torch.Runtime;
using Isc.Training.Tests.Support;

namespace Isc.Training.Tests.Serialization;

/// <summary>Files that are not a checkpoint of the backbone fail with an error naming the file and what it is.</summary>
[TestFixture]
public class WrongPretrainedFileTests
{
    string _dir = "";
    const int Width = 8;

    [OneTimeSetUp]
    public void Setup()
    {
        TorchRuntime.EnsureLoadable();
        _dir = Directory.CreateTempSubdirectory("isc-wrong-pretrained-").FullName;
    }

    [OneTimeTearDown]
    public void Clean() { if (Directory.Exists(_dir)) Directory.Delete(_dir, true); }

    static D2lvNet Resnet50() => new(Backbones.Resnet50, Profiles.Demo.Model with { StemWidth = Width }, 8);

    [Test]
    public void A_text_file_is_named_and_called_a_text_file()
    {
        var path = Path.Combine(_dir, "resnet50_bar.pth");
        File.WriteAllText(path, "not found\n");
        using var model = Resnet50();
        Assert.That(() => PretrainedLoader.Load(model, path),
            Throws.InstanceOf<InvalidDataException>().With.Message.Contains(path).And.Message.Contains("text file"));
    }

    [Test]
    public void A_zip_that_is_not_a_torch_file_is_named()
    {
        var path = Path.Combine(_dir, "photos.pth");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        using (var s = zip.CreateEntry("photo.jpg").Open()) s.Write(new byte[100]);
        using var model = Resnet50();
        Assert.That(() => PretrainedLoader.Load(model, path),
            Throws.InstanceOf<InvalidDataException>().With.Message.Contains(path).And.Message.Contains("not a torch.save file"));
    }

    [Test]
    public void A_resnet18_given_as_resnet50_says_how_many_keys_matched_and_which_are_missing()
    {
        var path = Path.Combine(_dir, "resnet18.pth");
        PyTorch.Run("resnet18", "--out", path, "--width", Width.ToString());
        using var model = Resnet50();
        var e = Assert.Throws<InvalidDataException>(() => PretrainedLoader.Load(model, path))!;
        Assert.That(e.Message, Does.Contain(path).And.Contain("expected keys matched").And.Match(@"missing e\.g\. layer\d\.\d\.(conv|bn)\d\.").And.Contain("not a resnet50 backbone"));
    }
}
