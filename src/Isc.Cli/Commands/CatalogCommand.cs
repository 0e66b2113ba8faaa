using Isc.Recipe;

namespace Isc.Cli.Commands;

/// <summary>Prints the recipe catalog (datasets, backbones, runs, profiles) as Markdown, the form the README carries.</summary>
public sealed class CatalogCommand : IWorkerCommand
{
    public string Name => "catalog";
    public string Summary => "print the recipe catalog (datasets, backbones, profiles, output layout) as Markdown tables";
    public string Usage => """
        usage: isc catalog [--section datasets|backbones|profiles|outputs]
        """;

    public Task<int> RunAsync(CommandArgs args, CancellationToken cancel)
    {
        var section = args.Optional("section");
        args.RejectUnknown();
        foreach (var (name, table) in CatalogMarkdown.Sections)
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
