using System.Globalization;
using System.Text.RegularExpressions;

namespace Isc.Recipe.Layouts;

/// <summary>
/// The name of one dataset image, <c>{id}_{k}.jpg</c>: image <see cref="K"/> of identity <see cref="Id"/> (the class).
/// The one formatter and parser of the layout: the generator writes names with <see cref="FileName"/>; the zip
/// extractor's layout check, the manifest check, the training set and Verify read them with <see cref="TryParse"/>.
/// Only the form the generator writes parses (decimal digits without sign or leading zeros, lower-case <c>.jpg</c>),
/// so "07_1.jpg" or "7_1.JPG" can never stand for a second copy of image 7_1.
/// </summary>
public readonly partial record struct DatasetImageName(int Id, int K)
{
    /// <summary>The layout as messages write it.</summary>
    public const string Pattern = "{id}_{k}.jpg";

    public string FileName => string.Create(CultureInfo.InvariantCulture, $"{Id}_{K}.jpg");

    public override string ToString() => FileName;

    public static string Format(int id, int k) => new DatasetImageName(id, k).FileName;

    /// <summary>True for a name in the layout (a bare file name, no folder); at most 9 digits each, so both fit an int.</summary>
    public static bool TryParse(string fileName, out DatasetImageName name)
    {
        var m = Name().Match(fileName);
        name = m.Success
            ? new(int.Parse(m.Groups[1].ValueSpan, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].ValueSpan, CultureInfo.InvariantCulture))
            : default;
        return m.Success;
    }

    [GeneratedRegex(@"^(0|[1-9][0-9]{0,8})_(0|[1-9][0-9]{0,8})\.jpg\z", RegexOptions.CultureInvariant)]
    private static partial Regex Name();
}
