using Isc.Recipe.Layouts;

namespace Isc.Training.Data;

/// <summary>
/// The class label of each identity, numbered as the original's dataset classes number them
/// (<c>Training/dg/datasets/isc_100k_256_big*.py</c>): the folder's file names sorted as Python sorts strings (by code
/// point), each id labelled 0, 1, … at its first file. <c>_</c> sorts after the digits, so "10_0.jpg" comes before
/// "1_0.jpg": ids 0…15 are labelled in the order 0, 10, 11, …, 15, 1, 2, …, 9. The same order here keeps classifier
/// row L the same identity in the original's checkpoints and ours, so either resumes the other's.
/// </summary>
public static class LabelOrder
{
    /// <summary>The distinct ids of <paramref name="images"/> in label order (label = index).</summary>
    public static List<long> Ids(IEnumerable<DatasetImageName> images)
    {
        var ids = new List<long>();
        var seen = new HashSet<long>();
        // Ordinal (UTF-16 code units) is Python's code-point order here: the layout's names are ASCII.
        foreach (var image in images.OrderBy(i => i.FileName, StringComparer.Ordinal))
            if (seen.Add(image.Id)) ids.Add(image.Id);
        return ids;
    }
}
