using Isc.Recipe;
using Isc.Torch.Runtime;
using Isc.Torch.Serialization;
using Isc.Training.Inference;
using Isc.Training.Model;
using Isc.Training.Tests.Support;
using TorchSharp;

namespace Isc.Training.Tests.Inference;

/// <summary>Descriptor extraction streams its rows to a partial file and resumes it only for the same work.</summary>
[TestFixture]
public class ResumedExtractionTests
{
    string _dir = "";
    IReadOnlyList<string> _images = [];
    static readonly ModelSettings Small = Profiles.Demo.Model with { StemWidth = 8, ProjectorHidden = 64, ProjectorOut = 128 };

    [OneTimeSetUp]
    public void Images()
    {
        TorchRuntime.EnsureLoadable();
        _dir = Directory.CreateTempSubdirectory("isc-resume-features-").FullName;
        _images = FeatureExtractor.ListImages(TinyDataset.Create(Path.Combine(_dir, "images"), ids: 5, perId: 2, size: 48));
    }

    [OneTimeTearDown]
    public void Remove() => Directory.Delete(_dir, recursive: true);

    static D2lvNet Model()
    {
        torch.random.manual_seed(11);
        return new D2lvNet(Backbones.Resnet50, Small, 4);
    }

    string Extract(string name, string identity, StringWriter? log = null)
    {
        using var model = Model();
        var output = Path.Combine(_dir, name);
        FeatureExtractor.Run(model, _images, 32, output, torch.CPU, 4, log ?? new StringWriter(), identity);
        return output;
    }

    /// <summary>A partial file as a killed run leaves it: the header, then <paramref name="rows"/> rows of 7s and half a row.</summary>
    static void Interrupted(string output, string identity, int rows, int dim, int total)
    {
        using (var partial = PartialDescriptors.Open(output, identity, total, dim, batchSize: 4))
            partial.Append(Enumerable.Repeat(7f, rows * dim).ToArray());
        using var s = new FileStream(PartialDescriptors.PathOf(output), FileMode.Append);
        s.Write(new byte[dim * 2]);
    }

    [Test]
    public void A_run_resumes_from_its_last_whole_batch_and_only_for_the_same_identity()
    {
        var clean = Npy.ReadFloat32(Extract("clean.npy", "id-a")).Data;
        var dim = (int)(clean.Length / _images.Count);
        Assert.That(File.Exists(PartialDescriptors.PathOf(Path.Combine(_dir, "clean.npy"))), Is.False, "the partial file became the output");

        // 6 rows written (one batch of 4 and 2 more, then half a row): the resumed run keeps the first batch and redoes the rest.
        var resumed = Path.Combine(_dir, "resumed.npy");
        Interrupted(resumed, "id-a", rows: 6, dim, _images.Count);
        var log = new StringWriter();
        Extract("resumed.npy", "id-a", log);
        Assert.That(log.ToString(), Does.Contain("resuming after 4 of 10 images"));
        var data = Npy.ReadFloat32(resumed).Data;
        Assert.That(data.AsSpan(0, 4 * dim).ToArray(), Has.All.EqualTo(7f), "the first batch was taken from the partial file, not recomputed");
        Assert.That(data.AsSpan(4 * dim).ToArray(), Is.EqualTo(clean.AsSpan(4 * dim).ToArray()), "the rest was computed");

        // Another identity (another model, other images): the partial rows are not used.
        var other = Path.Combine(_dir, "other.npy");
        Interrupted(other, "id-b", rows: 8, dim, _images.Count);
        Extract("other.npy", "id-a");
        Assert.That(Npy.ReadFloat32(other).Data, Is.EqualTo(clean));
        Assert.That(File.ReadAllLines(DescriptorFile.NamesPath(other)), Has.Length.EqualTo(_images.Count));
    }

    [Test]
    public void The_npy_reader_streams_the_data_into_the_array_and_checks_its_length()
    {
        // The reader streams into the array instead of reading every byte first (a 1,000,000 × 2,048 file is 8 GB).
        var path = Path.Combine(_dir, "stream.npy");
        var values = Enumerable.Range(0, 3 * 1000).Select(i => i * 0.5f).ToArray();
        Npy.WriteFloat32(path, values, 1000, 3);
        var (data, shape) = Npy.ReadFloat32(path);
        Assert.That(shape, Is.EqualTo(new long[] { 1000, 3 }));
        Assert.That(data, Is.EqualTo(values));
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..^4]);
        Assert.That(() => Npy.ReadFloat32(path), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("does not match shape"));
    }
}
