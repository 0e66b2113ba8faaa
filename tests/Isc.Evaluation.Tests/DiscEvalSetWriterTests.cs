namespace Isc.Evaluation.Tests;

/// <summary>A DISC21 set made from image folders and the challenge's lists: what it keeps, and what it refuses.</summary>
[TestFixture]
public class DiscEvalSetWriterTests
{
    static void Images(TempFolder folder, string sub, params string[] ids)
    {
        Directory.CreateDirectory(folder.Path(sub));
        foreach (var id in ids) File.WriteAllBytes(Path.Combine(folder.Path(sub), id + ".jpg"), [0xFF, 0xD8, 0xFF, 0xD9]);
    }

    [Test]
    public void The_listed_images_and_the_ground_truth_of_the_listed_queries_are_written()
    {
        using var f = new TempFolder();
        Images(f, "q", "Q00002", "Q00001", "Q00003");
        Images(f, "r", "R000001", "R000002", "R000009");
        var truth = f.Write("gt.csv", GroundTruthCsv.Header, "Q00001,R000002", "Q00002,", "Q00003,R000001");
        var (q, r, pairs) = DiscEvalSetWriter.Write(f.Path("q"), f.Path("r"), truth, ["Q00002", "Q00001"], ["R000002", "R000001"], f.Path("set"));
        Assert.That((q, r, pairs), Is.EqualTo((2, 2, 1)));
        Assert.That(File.ReadAllLines(f.Path("set/queries.txt")), Is.EqualTo(new[] { f.Path("q/Q00001.jpg"), f.Path("q/Q00002.jpg") }), "id order, absolute paths");
        Assert.That(File.ReadAllText(f.Path("set/ground_truth.csv")), Is.EqualTo("query_id,reference_id\nQ00001,R000002\nQ00002,\n"));

        // Without a reference list every image of the folder is a reference.
        DiscEvalSetWriter.Write(f.Path("q"), f.Path("r"), truth, null, null, f.Path("all"));
        Assert.That(File.ReadAllLines(f.Path("all/references.txt")), Has.Length.EqualTo(3));
        Assert.That(File.ReadAllText(f.Path("all/ground_truth.csv")), Does.Contain("Q00003,R000001"));
    }

    [Test]
    public void A_missing_image_is_an_error_naming_the_folder_and_the_images()
    {
        using var f = new TempFolder();
        Images(f, "q", "Q00001");
        Images(f, "r", "R000001");
        var truth = f.Write("gt.csv", GroundTruthCsv.Header, "Q00001,R000001", "Q00002,");
        var e = Assert.Throws<FileNotFoundException>(() => DiscEvalSetWriter.Write(f.Path("q"), f.Path("r"), truth, ["Q00001", "Q00002"], null, f.Path("set")));
        Assert.That(e!.Message, Does.Contain("1 of the 2 query images").And.Contain("Q00002.jpg").And.Contain(f.Path("q")));
        Assert.That(Directory.Exists(f.Path("set")), Is.False, "nothing written");
    }

    [Test]
    public void A_ground_truth_that_does_not_belong_to_the_lists_is_refused()
    {
        using var f = new TempFolder();
        Images(f, "q", "Q00001", "Q00002");
        Images(f, "r", "R000001", "R000002");
        var truth = f.Write("gt.csv", GroundTruthCsv.Header, "Q00001,R000002");
        var e = Assert.Throws<InvalidDataException>(() => DiscEvalSetWriter.Write(f.Path("q"), f.Path("r"), truth, ["Q00001"], ["R000001"], f.Path("a")));
        Assert.That(e!.Message, Does.Contain("(Q00001, R000002)").And.Contain("reference list"));
        e = Assert.Throws<InvalidDataException>(() => DiscEvalSetWriter.Write(f.Path("q"), f.Path("r"), truth, ["Q00001", "Q00002"], null, f.Path("b")));
        Assert.That(e!.Message, Does.Contain("1 of the 2 queries").And.Contain("Q00002"));
    }
}
