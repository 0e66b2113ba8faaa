using System.Security.Cryptography;
using System.Text.Json;
using Isc.Imaging.Generation;

namespace Isc.Imaging.Tests;

/// <summary>
/// The manifest check reads image names with the dataset layout's one parser: a name the generator would never
/// write is a problem to report, not an image of some id, and not a crash.
/// </summary>
[TestFixture]
public class ManifestLayoutTests
{
    string _dir = "";

    [SetUp] public void SetUp() => _dir = Directory.CreateTempSubdirectory("isc-manifest-layout-").FullName;
    [TearDown] public void TearDown() => Directory.Delete(_dir, recursive: true);

    /// <summary>A dataset "ds" of the given image names (each a few bytes) and a manifest that lists exactly them.</summary>
    ManifestCheck.Result Check(int identities, int perId, params string[] names)
    {
        Directory.CreateDirectory(Path.Combine(_dir, "ds"));
        var files = names.Select(n =>
        {
            var bytes = System.Text.Encoding.ASCII.GetBytes(n);
            File.WriteAllBytes(Path.Combine(_dir, "ds", n), bytes);
            return new { path = $"ds/{n}", bytes = bytes.Length, sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)) };
        }).ToList();
        File.WriteAllText(Path.Combine(_dir, "manifest.json"),
            JsonSerializer.Serialize(new { identities, imagesPerId = perId, identitiesDivisibleBy = 1, files }));
        return ManifestCheck.Check(_dir, "ds", deep: true);
    }

    [Test]
    public void A_dataset_in_the_layout_passes()
    {
        Assert.That(Check(2, 2, "0_0.jpg", "0_1.jpg", "1_0.jpg", "1_1.jpg").Problems, Is.Empty);
    }

    [Test]
    public void A_name_with_a_leading_zero_is_not_an_image_of_the_dataset()
    {
        var r = Check(2, 2, "0_0.jpg", "0_1.jpg", "1_0.jpg", "01_1.jpg");
        Assert.That(r.Problems, Has.Some.Contains("ds/01_1.jpg: not a {id}_{k}.jpg name of this dataset"));
    }

    [Test]
    public void A_name_with_an_id_too_long_for_a_number_is_reported_not_a_crash()
    {
        var r = Check(1, 2, "0_0.jpg", "99999999999_1.jpg");
        Assert.That(r.Problems, Has.Some.Contains("ds/99999999999_1.jpg: not a {id}_{k}.jpg name of this dataset"));
    }
}
