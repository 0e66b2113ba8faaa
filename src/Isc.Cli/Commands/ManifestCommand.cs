using Isc.Artifacts;

namespace Isc.Cli.Commands;

/// <summary>Fingerprints a folder (names, sizes, SHA-256s) into a manifest file: how fetched folders become build outputs.</summary>
public sealed class ManifestCommand : IWorkerCommand
{
    public string Name => "manifest";
    public string Summary => "write the manifest (name, size, SHA-256 of every file) of a folder";
    public string Usage => """
        usage: isc manifest --dir <folder> --out <manifest.json> [--min-files N]

        Hidden files (names starting with '.') are left out. --min-files fails when the folder holds fewer files.
        """;

    public Task<int> RunAsync(CommandArgs args, CancellationToken cancel)
    {
        var dir = args.Required("dir");
        var output = args.Required("out");
        var minFiles = args.Int("min-files", 1);
        args.RejectUnknown();
        if (!Directory.Exists(dir)) throw new UsageException($"folder {dir} does not exist");
        var manifest = DirectoryManifest.Build(dir);
        if (manifest.Files.Count < minFiles)
            throw new InvalidDataException($"folder {dir} holds {manifest.Files.Count} files; at least {minFiles} are needed");
        manifest.Save(output);
        Console.WriteLine($"manifest of {dir}: {manifest.Files.Count} files, {manifest.TotalBytes / (1024 * 1024.0):F1} MiB → {output}");
        return Task.FromResult(0);
    }
}
