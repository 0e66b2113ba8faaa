using Cake.Core;
using Cake.Core.Diagnostics;
using Isc.Artifacts;
using Isc.Build.Host;

namespace Isc.Build.Tasks;

/// <summary>Deletes the profile's artifacts, or one artifact (--artifact=ID or --target=Clean:ID): its outputs, stamp and log.</summary>
public sealed class CleanTask : BuildTask
{
    public override string Name => "Clean";
    public override string Description => "delete all artifacts of the profile, or one (--target=Clean:<artifact>)";

    public override Task RunAsync(BuildContext context)
    {
        var root = context.Settings.ArtifactsRoot;
        if (context.Options.CleanArtifact is not { } id)
        {
            if (!Directory.Exists(root)) { context.Log.Information("nothing to clean in {0}", root); return Task.CompletedTask; }
            foreach (var entry in Directory.EnumerateFileSystemEntries(root))
            {
                var name = Path.GetFileName(entry);
                if (name is ".lock" or ".lock.holder.json") continue;
                if (Directory.Exists(entry)) Directory.Delete(entry, recursive: true); else File.Delete(entry);
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

    /// <summary>A training's whole log folder goes (so it restarts from scratch); otherwise the declared outputs.</summary>
    static IEnumerable<string> CleanPaths(Graph.ArtifactNode node) =>
        node.Kind == "training"
            ? node.Outputs.Select(o => Path.GetDirectoryName(o.Path)!).Distinct()
            : node.Outputs.Select(o => o.Path);
}
