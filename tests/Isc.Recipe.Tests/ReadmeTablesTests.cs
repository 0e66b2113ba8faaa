using Isc.Recipe;
using NUnit.Framework;

namespace Isc.Recipe.Tests;

/// <summary>The README's catalog tables are generated (tools/isc catalog); this keeps them from drifting.</summary>
[TestFixture]
public class ReadmeTablesTests
{
    static string Readme()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "D2lv.sln"))) return File.ReadAllText(Path.Combine(dir.FullName, "README.md"));
        throw new FileNotFoundException("README.md not found above the test folder");
    }

    [TestCaseSource(typeof(CatalogMarkdown), nameof(CatalogMarkdown.Sections))]
    public void Readme_carries_the_catalog_table(KeyValuePair<string, string> section)
    {
        var readme = Readme();
        var start = $"<!-- catalog:{section.Key} -->";
        var end = $"<!-- /catalog:{section.Key} -->";
        Assert.That(readme, Does.Contain(start), "README lacks the table; paste the output of tools/isc catalog");
        var body = readme[(readme.IndexOf(start) + start.Length)..readme.IndexOf(end)].Trim();
        Assert.That(body, Is.EqualTo(section.Value.Trim()), $"README's {section.Key} table is out of date: run tools/isc catalog --section {section.Key}");
    }
}
