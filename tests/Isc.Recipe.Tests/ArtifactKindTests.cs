using System.Text.Json;
using NUnit.Framework;

namespace Isc.Recipe.Tests;

[TestFixture]
public class ArtifactKindTests
{
    [Test]
    public void A_kind_is_written_as_its_lower_case_name_and_read_back()
    {
        foreach (var kind in Enum.GetValues<ArtifactKind>())
        {
            var json = JsonSerializer.Serialize(kind);
            Assert.That(json, Is.EqualTo($"\"{kind.Name()}\""));
            Assert.That(JsonSerializer.Deserialize<ArtifactKind>(json), Is.EqualTo(kind));
        }
        Assert.That(JsonSerializer.Serialize(ArtifactKind.Training), Is.EqualTo("\"training\""));
    }

    [Test]
    public void A_number_or_an_unknown_name_is_not_a_kind()
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<ArtifactKind>("8"));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<ArtifactKind>("\"trainings\""));
    }

    [Test]
    public void Every_kind_with_cluster_resources_is_an_artifact_kind()
    {
        var names = Enum.GetValues<ArtifactKind>().Select(k => k.Name()).ToList();
        Assert.That(StepResourceCatalog.Kinds, Is.SubsetOf(names));
    }
}
