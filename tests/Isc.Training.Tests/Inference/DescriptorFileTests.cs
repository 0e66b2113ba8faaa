using Isc.Training.Inference;

namespace Isc.Training.Tests.Inference;

/// <summary>The descriptor file's one writer (isc features) and one reader (isc search, isc pca) agree.</summary>
[TestFixture]
public class DescriptorFileTests
{
    [Test]
    public void What_Write_writes_Read_reads_back_with_ids_the_image_names_without_extension()
    {
        var dir = Directory.CreateTempSubdirectory("isc-descriptors-").FullName;
        try
        {
            var path = Path.Combine(dir, "q.npy");
            DescriptorFile.Write(path, [1, 2, 3, 4, 5, 6], 3, ["/images/Q00000.jpg", "Q00001.png"]);
            Assert.That(File.ReadAllText(DescriptorFile.NamesPath(path)), Is.EqualTo("Q00000.jpg\nQ00001.png\n"));
            using var read = DescriptorFile.Read(path);
            Assert.That(read.Ids, Is.EqualTo(new[] { "Q00000", "Q00001" }));
            Assert.That(read.Descriptors.shape, Is.EqualTo(new long[] { 2, 3 }));
            Assert.That(read.Descriptors[1, 2].item<float>(), Is.EqualTo(6f));
        }
        finally { Directory.Delete(dir, true); }
    }
}
