using Cake.Core;
using Cake.Core.Diagnostics;
using Isc.Artifacts;
using Isc.Build.Core;
using Isc.Recipe;

namespace Isc.Build.Tasks;

/// <summary>Deletes the profile's artifacts, or one artifact (--artifact=ID or --target=Clean:ID): its outputs, stamp and log.</summary>
public sealed class CleanTask : BuildTask<BuildContext>
{
    public override string Name => "Clean";
    public override string Description => "delete all artifacts of the profile (listed first; asks, or --yes), or one (--target=Clean:<artifact>)";

    public override Task RunAsync(BuildContext context)
    {
        var root = context.Settings.ArtifactsRoot;
        if (context.Options.CleanArtifact is not { } id)
        {
            if (!Directory.Exists(root)) { context.Log.Information("nothing to clean in {0}", root); return Task.CompletedTask; }
            foreach (var entry in Directory.EnumerateFileSystemEntries(root))
            {
                var name = Path.GetFileName(entry);
                if (CleanListing.IsKept(name)) continue;
                if (Directory.Exists(entry) && !new FileInfo(entry).Attributes.HasFlag(FileAttributes.ReparsePoint)) Directory.Delete(entry, recursive: true);
                else File.Delete(entry);
            }
            context.Log.Information("cleaned {0}", root);
            return Task.CompletedTask;
        }

        var node = context.Graph.Find(id) ?? throw new CakeException($"Clean: no artifact named '{id}'. {TargetResolver.Suggest(id, context.Graph.Nodes.Select(n => n.Id))}");
        if (node.IsExternal) throw new CakeException($"Clean: {node.Id} is an input you provide ({node.External!.Path}); the build never deletes it");
        foreach (var path in CleanPaths(node).Select(context.Store.Resolve))
        {
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
            else if (File.Exists(path)) File.Delete(path);
            context.Log.Information("deleted {0}", path);
        }
        context.Store.Delete(node.Id);
        new StepState(context.Store, node.Id).Delete();
        var log = Path.Combine(context.LogsDirectory, StampStore.SafeName(node.Id) + ".log");
        if (File.Exists(log)) File.Delete(log);
        context.Log.Information("cleaned {0}", node.Id);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Before the whole profile is deleted: lists what goes (folders with their sizes) and asks on a terminal, unless --yes.
    /// With stdin not a terminal (a script, CI) there is nobody to ask, so --yes is required: a pipe never deletes by default.
    /// --dryrun lists and deletes nothing. Returns the exit code to stop with, or null to go on and delete.
    /// </summary>
    public static int? ConfirmWholeProfile(BuildContext context)
    {
        var listing = CleanListing.Of(context.Settings.ArtifactsRoot);
        if (listing.Entries.Count == 0) return null;
        // Shown at every verbosity, --verbosity=quiet included: nobody confirms a deletion they were not shown.
        context.Log.Write(Verbosity.Quiet, LogLevel.Information, "Clean {0} everything the {1} profile built:", context.Options.DryRun ? "would delete" : "deletes", context.Settings.Profile.Name);
        foreach (var line in listing.Lines()) context.Log.Write(Verbosity.Quiet, LogLevel.Information, "{0}", line);
        if (context.Options.DryRun)
        {
            context.Log.Information("Dry run: nothing deleted.");
            return 0;
        }
        if (context.Options.Yes) return null;
        if (Console.IsInputRedirected)
            throw new BuildUsageException($"--target=Clean would delete {CleanListing.Size(listing.TotalBytes)} under {listing.Root} and there is no terminal to confirm it; " +
                "add --yes to delete, or --dryrun to only list it. Nothing was deleted.");
        Console.Write($"Delete these {listing.Entries.Count} entries ({CleanListing.Size(listing.TotalBytes)})? [y/N] ");
        var answer = Console.ReadLine()?.Trim().ToLowerInvariant();
        if (answer is "y" or "yes") return null;
        context.Log.Information("Nothing deleted.");
        return 1;
    }

    /// <summary>A training's whole log folder goes (so it restarts from scratch); otherwise the declared outputs.</summary>
    static IEnumerable<string> CleanPaths(Graph.ArtifactNode node) =>
        node.Kind == ArtifactKind.Training
            ? node.Outputs.Select(o => Path.GetDirectoryName(o.Path)!).Distinct()
            : node.Outputs.Select(o => o.Path);
}
