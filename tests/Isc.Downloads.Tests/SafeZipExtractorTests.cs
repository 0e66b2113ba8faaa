using System.IO.Compression;
using Isc.Recipe;

namespace Isc.Downloads.Tests;

[TestFixture]
public sealed class SafeZipExtractorTests : DownloadTestBase
{
    /// <summary>An 8×8 JPEG written by Pillow (quality 90): a real JPEG file for the dataset layout.</summary>
    static readonly byte[] Jpeg = Convert.FromBase64String(
        "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYIDAoMDAsKCwsNDhIQDQ4RDgsLEBYQERMUFRUVDA8XGBYUGBIUFRT/2wBDAQMEBAUEBQkFBQkUDQsNFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBT/wAARCAAIAAgDASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwDwSiiivz8/uA//2Q==");

    const string Name = "isc_100k_256_big";
    static readonly DatasetExpectation FourIds = new(Name, Identities: 4, ImagesPerId: 20, ExtraIdsAllowed: false);

    SafeZipExtractor Extractor => new(LogLines.Add, TimeSpan.Zero);

    string MakeZip(string file, IEnumerable<(string Name, byte[] Data)> entries, Action<ZipArchiveEntry>? tweak = null,
        CompressionLevel level = CompressionLevel.Fastest)
    {
        var path = PathIn(file);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, data) in entries)
        {
            var entry = zip.CreateEntry(name, level);
            tweak?.Invoke(entry);
            using var s = entry.Open();
            s.Write(data);
        }
        return path;
    }

    static IEnumerable<(string, byte[])> DatasetEntries(string prefix, int ids, int perId = 20, int skipId = -1) =>
        from id in Enumerable.Range(0, ids)
        from k in Enumerable.Range(0, perId)
        where !(id == skipId && k == 7)
        select ($"{prefix}{id}_{k}.jpg", Jpeg);

    [Test]
    public async Task A_dataset_zip_is_extracted_checked_and_renamed_into_place()
    {
        var zip = MakeZip("d.zip", DatasetEntries($"{Name}/", 4));
        var outDir = PathIn("datasets", Name);

        var result = await Extractor.ExtractAsync(zip, outDir, FourIds);

        Assert.That(result.Identities, Is.EqualTo(4));
        Assert.That(Directory.GetFiles(Path.Combine(outDir, Name), "*.jpg"), Has.Length.EqualTo(80));
        Assert.That(File.ReadAllBytes(Path.Combine(outDir, Name, "3_19.jpg")), Is.EqualTo(Jpeg));
        Assert.That(Directory.Exists(outDir + ".partial"), Is.False);

        var again = await Extractor.ExtractAsync(zip, outDir, FourIds);
        Assert.That(again.Files, Is.EqualTo(0), "an extracted dataset with the right layout is left alone");
    }

    [Test]
    public async Task A_rerun_over_a_finished_extraction_is_a_no_op_but_a_foreign_folder_is_not_overwritten()
    {
        var zip = MakeZip("o.zip", [("imgs/a.jpg", Jpeg), ("imgs/b.jpg", Jpeg)]);
        var outDir = PathIn("overlays", "images");
        await Extractor.ExtractAsync(zip, outDir);

        var again = await Extractor.ExtractAsync(zip, outDir);
        Assert.That(again.Files, Is.EqualTo(0));

        File.Delete(Path.Combine(outDir, "imgs", "b.jpg"));
        var e = Assert.ThrowsAsync<IOException>(() => Extractor.ExtractAsync(zip, outDir));
        Assert.That(e!.Message, Does.Contain("imgs/b.jpg").And.Contain("delete it"));
    }

    [Test]
    public async Task Flat_or_wrapped_entries_are_placed_under_the_dataset_name()
    {
        var flat = await Extractor.ExtractAsync(MakeZip("flat.zip", DatasetEntries("", 4)), PathIn("a"), FourIds);
        var wrapped = await Extractor.ExtractAsync(MakeZip("wrapped.zip", DatasetEntries("export/images/", 4)), PathIn("b"), FourIds);

        Assert.That(flat.Identities, Is.EqualTo(4));
        Assert.That(wrapped.Identities, Is.EqualTo(4));
        Assert.That(File.Exists(PathIn("b", Name, "0_0.jpg")), Is.True);
    }

    [Test]
    public void A_missing_image_fails_the_layout_check_and_nothing_is_declared_done()
    {
        var zip = MakeZip("d.zip", DatasetEntries($"{Name}/", 4, skipId: 2));
        var outDir = PathIn(Name);

        var e = Assert.ThrowsAsync<InvalidDataException>(() => Extractor.ExtractAsync(zip, outDir, FourIds));

        Assert.That(e!.Message, Does.Contain("id 2: 19"));
        Assert.That(Directory.Exists(outDir), Is.False);
    }

    [Test]
    public void Too_few_ids_fail_the_layout_check()
    {
        var zip = MakeZip("d.zip", DatasetEntries($"{Name}/", 3));
        var e = Assert.ThrowsAsync<InvalidDataException>(() => Extractor.ExtractAsync(zip, PathIn(Name), FourIds));
        Assert.That(e!.Message, Does.Contain("3 ids found, 4 expected"));
    }

    [Test]
    public async Task Face_datasets_may_have_extra_ids()
    {
        var zip = MakeZip("ff.zip", DatasetEntries("isc_100k_256_big_ff/", 6));
        var expect = DatasetExpectation.For("isc_100k_256_big_ff",
            Profiles.Demo with { Source = Profiles.Demo.Source with { TrainingImages = 40 } });

        var result = await Extractor.ExtractAsync(zip, PathIn("ff"), expect);

        Assert.That(expect.ExtraIdsAllowed, Is.True);
        Assert.That(result.Identities, Is.EqualTo(6));
    }

    [TestCase("../evil.txt", "climbs out")]
    [TestCase("ok/../../evil.txt", "climbs out")]
    [TestCase("/etc/evil.txt", "absolute path")]
    [TestCase("C:/evil.txt", "absolute path")]
    [TestCase("..\\evil.txt", "climbs out")]
    public void Entries_escaping_the_target_refuse_the_whole_archive(string evil, string reason)
    {
        var zip = MakeZip("evil.zip", [("good.txt", "fine"u8.ToArray()), (evil, "pwned"u8.ToArray())]);
        var outDir = PathIn("x", "out");

        var e = Assert.ThrowsAsync<InvalidDataException>(() => Extractor.ExtractAsync(zip, outDir));

        Assert.That(e!.Message, Does.Contain(reason).And.Contain("nothing was extracted"));
        Assert.That(Directory.Exists(outDir) || Directory.Exists(outDir + ".partial"), Is.False);
        Assert.That(File.Exists(PathIn("x", "evil.txt")) || File.Exists(PathIn("evil.txt")), Is.False);
    }

    [Test]
    public void A_symbolic_link_entry_refuses_the_archive()
    {
        var zip = MakeZip("link.zip", [("link", "/etc/passwd"u8.ToArray())], e => e.ExternalAttributes = unchecked((int)(0xA1FFu << 16)));

        var e = Assert.ThrowsAsync<InvalidDataException>(() => Extractor.ExtractAsync(zip, PathIn("out")));

        Assert.That(e!.Message, Does.Contain("symbolic link"));
        Assert.That(Directory.Exists(PathIn("out")), Is.False);
    }

    [Test]
    public void A_truncated_zip_is_a_clear_error()
    {
        var zip = MakeZip("t.zip", DatasetEntries($"{Name}/", 4));
        var bytes = File.ReadAllBytes(zip);
        File.WriteAllBytes(zip, bytes[..(bytes.Length * 6 / 10)]);

        var e = Assert.ThrowsAsync<InvalidDataException>(() => Extractor.ExtractAsync(zip, PathIn(Name), FourIds));

        Assert.That(e!.Message, Does.Contain("t.zip").And.Contain("truncated or damaged").And.Contain("download it again"));
        Assert.That(Directory.Exists(PathIn(Name)), Is.False);
    }

    [Test]
    public void A_damaged_entry_fails_its_crc_check()
    {
        var data = Payload(5000, seed: 5);
        var zip = MakeZip("c.zip", [("a.bin", data)], level: CompressionLevel.NoCompression);
        var bytes = File.ReadAllBytes(zip);
        bytes[30 + "a.bin".Length + 1000] ^= 0xFF; // a byte inside the stored data of the first entry
        File.WriteAllBytes(zip, bytes);

        var e = Assert.ThrowsAsync<InvalidDataException>(() => Extractor.ExtractAsync(zip, PathIn("out")));

        Assert.That(e!.Message, Does.Contain("damaged").And.Contain("CRC-32").And.Contain("a.bin"));
        Assert.That(Directory.Exists(PathIn("out")), Is.False);
    }

    [Test]
    public async Task An_interrupted_extraction_resumes_from_the_partial_folder()
    {
        var zip = MakeZip("d.zip", DatasetEntries($"{Name}/", 4));
        var outDir = PathIn(Name);
        Directory.CreateDirectory(Path.Combine(outDir + ".partial", Name));
        for (var k = 0; k < 20; k++) File.WriteAllBytes(Path.Combine(outDir + ".partial", Name, $"0_{k}.jpg"), Jpeg);
        File.WriteAllBytes(Path.Combine(outDir + ".partial", Name, "1_0.jpg"), Jpeg[..100]); // cut short by the interruption

        var result = await Extractor.ExtractAsync(zip, outDir, FourIds);

        Assert.That(result.SkippedAsDone, Is.EqualTo(20));
        Assert.That(File.ReadAllBytes(Path.Combine(outDir, Name, "1_0.jpg")), Is.EqualTo(Jpeg));
    }

    [Test]
    public void A_non_jpeg_named_jpg_in_a_dataset_zip_is_refused()
    {
        var zip = MakeZip("d.zip", DatasetEntries($"{Name}/", 4).Select(e => e.Item1 == $"{Name}/1_3.jpg" ? (e.Item1, "<html>"u8.ToArray()) : e));
        var e = Assert.ThrowsAsync<InvalidDataException>(() => Extractor.ExtractAsync(zip, PathIn(Name), FourIds));
        Assert.That(e!.Message, Does.Contain("1_3.jpg").And.Contain("not a JPEG"));
    }
}
