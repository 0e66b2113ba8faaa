using Isc.Recipe;

namespace Isc.Cli.Commands;

/// <summary>Prints the recipe catalog (datasets, backbones, runs, profiles) as Markdown, the form the README and docs/recipe.md carry.</summary>
public sealed class CatalogCommand : IWorkerCommand
{
    public string Name => "catalog";
    public string Summary => "print the recipe catalog (datasets, backbones, profiles, output layout) as Markdown tables";
    public string Usage => """
        usage: isc catalog [--section datasets|backbones|profiles|outputs]
               isc catalog --doc recipe [--section datasets|base-chain|settings]
               isc catalog --doc imaging [--section query-chain]
        --doc recipe   the tables of docs/recipe.md instead of the README's
        --doc imaging  the tables of docs/imaging.md
        """;

    public Task<int> RunAsync(CommandArgs args, CancellationToken cancel)
    {
        var section = args.Optional("section");
        var doc = args.Optional("doc");
        args.RejectUnknown();
        var sections = doc switch
        {
            null or "readme" => CatalogMarkdown.Sections,
            "recipe" => CatalogMarkdown.RecipeDocSections,
            "imaging" => CatalogMarkdown.ImagingDocSections,
            _ => throw new UsageException($"--doc {doc}: unknown document; known: readme, recipe, imaging"),
        };
        foreach (var (name, table) in sections)
        {
            if (section is not null && section != name) continue;
            Console.WriteLine($"<!-- catalog:{name} -->");
            Console.Write(table);
            Console.WriteLine($"<!-- /catalog:{name} -->");
            Console.WriteLine();
        }
        return Task.FromResult(0);
    }
}
