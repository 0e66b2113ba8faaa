using Isc.Recipe;
using NUnit.Framework;

namespace Isc.Recipe.Tests;

/// <summary>docs/recipe.md's numbers come from the catalog (tools/isc catalog --doc recipe); this keeps them from drifting.</summary>
[TestFixture]
public class RecipeDocTablesTests
{
    static string Doc(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "D2lv.sln"))) return File.ReadAllText(Path.Combine(dir.FullName, "docs", name + ".md"));
        throw new FileNotFoundException($"docs/{name}.md not found above the test folder");
    }

    [TestCaseSource(typeof(CatalogMarkdown), nameof(CatalogMarkdown.RecipeDocSections))]
    public void Recipe_doc_carries_the_catalog_table(KeyValuePair<string, string> section) => CarriesTable("recipe", section);

    [TestCaseSource(typeof(CatalogMarkdown), nameof(CatalogMarkdown.ImagingDocSections))]
    public void Imaging_doc_carries_the_catalog_table(KeyValuePair<string, string> section) => CarriesTable("imaging", section);

    static void CarriesTable(string docName, KeyValuePair<string, string> section)
    {
        var doc = Doc(docName);
        var start = $"<!-- catalog:{section.Key} -->";
        var end = $"<!-- /catalog:{section.Key} -->";
        Assert.That(doc, Does.Contain(start).And.Contain(end), $"docs/{docName}.md lacks the {section.Key} table; paste the output of tools/isc catalog --doc {docName}");
        var body = doc[(doc.IndexOf(start) + start.Length)..doc.IndexOf(end)].Trim();
        Assert.That(body, Is.EqualTo(section.Value.Trim()),
            $"docs/{docName}.md's {section.Key} table is out of date: run tools/isc catalog --doc {docName} --section {section.Key}");
    }

    [Test]
    public void The_base_chain_table_has_every_step_with_its_probability()
    {
        var table = CatalogMarkdown.BaseChain();
        Assert.That(table, Does.Contain("| 3 | `rotation` | rotation | 0.3 | `degrees=U(-50, 50)"));
        Assert.That(table.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(2 + Recipe.Chains.DatasetChains.Base.Steps.Count));
    }
}
