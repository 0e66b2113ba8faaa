using System.Xml.Linq;
using NUnit.Framework;

namespace Isc.Artifacts.Tests;

/// <summary>Isc.Artifacts (stamps, atomic files, locks) is the bottom layer: it knows nothing of the recipe or any other project.</summary>
[TestFixture]
public class ProjectReferencesTests
{
    [Test]
    public void Isc_Artifacts_references_no_other_project()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "D2lv.sln"))) dir = dir.Parent;
        Assert.That(dir, Is.Not.Null, "D2lv.sln not found above the test folder");
        var project = XDocument.Load(Path.Combine(dir!.FullName, "src", "Isc.Artifacts", "Isc.Artifacts.csproj"));
        var references = project.Descendants("ProjectReference").Select(r => (string?)r.Attribute("Include")).ToList();
        Assert.That(references, Is.Empty, "src/Isc.Artifacts/Isc.Artifacts.csproj");
    }
}
