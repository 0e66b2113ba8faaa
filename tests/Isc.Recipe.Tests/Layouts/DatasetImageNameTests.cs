using Isc.Recipe.Layouts;
using NUnit.Framework;

namespace Isc.Recipe.Tests.Layouts;

[TestFixture]
public class DatasetImageNameTests
{
    [TestCase(0, 0, "0_0.jpg")]
    [TestCase(7, 1, "7_1.jpg")]
    [TestCase(99_999, 19, "99999_19.jpg")]
    [TestCase(999_999_999, 999_999_999, "999999999_999999999.jpg")]
    public void The_name_the_generator_writes_parses_back_to_its_id_and_k(int id, int k, string expected)
    {
        var name = DatasetImageName.Format(id, k);
        Assert.That(name, Is.EqualTo(expected));
        Assert.That(DatasetImageName.TryParse(name, out var parsed), Is.True);
        Assert.That(parsed, Is.EqualTo(new DatasetImageName(id, k)));
    }

    // The old readers disagreed on these: the training set took .jpeg, upper case and leading zeros (07_1.jpg next to
    // 7_1.jpg made a third image of id 7), the manifest check took leading zeros and crashed on 10+ digits or
    // non-ASCII digits, the zip layout check refused them all.
    [TestCase("07_1.jpg")]
    [TestCase("7_01.jpg")]
    [TestCase("00_0.jpg")]
    [TestCase("7_1.jpeg")]
    [TestCase("7_1.JPG")]
    [TestCase("+7_1.jpg")]
    [TestCase("-7_1.jpg")]
    [TestCase("7_-1.jpg")]
    [TestCase("\u0667_1.jpg")]
    [TestCase("9999999999_0.jpg")]
    [TestCase("0_9999999999.jpg")]
    [TestCase("7_1.jpg\n")]
    [TestCase(" 7_1.jpg")]
    [TestCase("7_1_2.jpg")]
    [TestCase("7-1.jpg")]
    [TestCase("7_1.png")]
    [TestCase("ds/7_1.jpg")]
    [TestCase("")]
    public void Only_the_name_the_generator_would_write_parses(string name)
    {
        Assert.That(DatasetImageName.TryParse(name, out _), Is.False, name);
    }
}
