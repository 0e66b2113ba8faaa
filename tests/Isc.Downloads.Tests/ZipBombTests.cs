using System.Buffers.Binary;
using System.IO.Compression;

namespace Isc.Downloads.Tests;

/// <summary>
/// Zip bombs and lying headers are refused from the declared sizes before anything is written; the zips are crafted
/// in memory (a few KB), never gigabytes.
/// </summary>
[TestFixture]
public sealed class ZipBombTests : DownloadTestBase
{
    SafeZipExtractor Extractor => new(LogLines.Add, TimeSpan.Zero);

    static byte[] Zip(params (string Name, byte[] Data, CompressionLevel Level)[] entries)
    {
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, data, level) in entries)
            {
                using var s = zip.CreateEntry(name, level).Open();
                s.Write(data);
            }
        return memory.ToArray();
    }

    /// <summary>Rewrites the uncompressed size of every entry in both the local headers and the central directory.</summary>
    static byte[] DeclareUncompressed(byte[] zip, uint size)
    {
        var bytes = (byte[])zip.Clone();
        for (var i = 0; i + 30 <= bytes.Length; i++)
        {
            var signature = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(i));
            if (signature == 0x04034b50) BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i + 22), size);
            else if (signature == 0x02014b50) BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i + 24), size);
        }
        return bytes;
    }

    string Write(string name, byte[] bytes)
    {
        var path = PathIn(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    void AssertNothingWritten(string outDir)
    {
        Assert.That(Directory.Exists(outDir), Is.False);
        Assert.That(Directory.Exists(outDir + ".partial") && Directory.EnumerateFileSystemEntries(outDir + ".partial", "*", SearchOption.AllDirectories).Any(), Is.False,
            "nothing may be written before the sizes are checked");
    }

    [Test]
    public void An_entry_declaring_2_GiB_from_a_few_KB_is_refused_before_writing()
    {
        // 2 MiB of zeros deflate to about 2 KB; the header then claims 2 GiB.
        var zip = Write("bomb.zip", DeclareUncompressed(Zip(("a/ok.jpg", Payload(1000), CompressionLevel.Fastest), ("a/zeros.bin", new byte[2 << 20], CompressionLevel.Optimal)), 0x8000_0000));
        var outDir = PathIn("out");

        var e = Assert.ThrowsAsync<InvalidDataException>(() => Extractor.ExtractAsync(zip, outDir))!;

        Assert.That(e.Message, Does.Contain(zip).And.Contain("a/zeros.bin").And.Contain("2,147,483,648").And.Contain("ratio"));
        AssertNothingWritten(outDir);
    }

    [Test]
    public void An_honest_but_bomb_like_compression_ratio_is_refused_before_writing()
    {
        var zip = Write("zeros.zip", Zip(("a/ok.jpg", Payload(1000), CompressionLevel.Fastest), ("a/zeros.bin", new byte[8 << 20], CompressionLevel.Optimal)));
        var outDir = PathIn("out");

        var e = Assert.ThrowsAsync<InvalidDataException>(() => Extractor.ExtractAsync(zip, outDir))!;

        Assert.That(e.Message, Does.Contain(zip).And.Contain("a/zeros.bin").And.Contain("zip bomb"));
        AssertNothingWritten(outDir);
    }

    [Test]
    public async Task Ordinary_files_pass_the_ratio_check()
    {
        // Incompressible (JPEG-like) data and a small, very compressible text file.
        var zip = Write("fine.zip", Zip(("a/photo.jpg", Payload(3 << 20), CompressionLevel.Optimal), ("a/readme.txt", new byte[500_000], CompressionLevel.Optimal)));
        var result = await Extractor.ExtractAsync(zip, PathIn("out"));
        Assert.That(result.Files, Is.EqualTo(2));
    }

    [Test]
    public void An_entry_inflating_past_its_declared_size_is_stopped_at_that_size()
    {
        var real = Payload(300_000, seed: 7);
        var zip = Write("liar.zip", DeclareUncompressed(Zip(("a/liar.bin", real, CompressionLevel.Optimal)), 100_000));
        var outDir = PathIn("out");

        var e = Assert.ThrowsAsync<InvalidDataException>(() => Extractor.ExtractAsync(zip, outDir))!;

        Assert.That(e.Message, Does.Contain(zip).And.Contain("a/liar.bin"));
        Assert.That(Directory.Exists(outDir), Is.False);
        Assert.That(File.Exists(Path.Combine(outDir + ".partial", "a", "liar.bin")), Is.False, "the partial entry is removed");
    }
}
