using Cake.Core;
using Isc.Build.Core;
using Isc.Build.Graph;
using Isc.Recipe;

namespace Isc.Build.Host;

/// <summary>./build.sh --help: the targets and options, read from the catalog.</summary>
public static class HelpText
{
    public static void Print(IConsole o, IReadOnlyList<IBuildTask> tasks, BuildSettings settings)
    {
        o.WriteLine("D2LV training harness: builds the datasets, trainings and trimmed models of the D2LV recipe,");
        o.WriteLine("rebuilding only what is stale.");
        o.WriteLine("");
        o.WriteLine("usage: ./build.sh [--target=<target>] [options]      (build.ps1 on Windows)");
        o.WriteLine("");
        o.WriteLine("Targets (case-insensitive):");
        foreach (var t in tasks.Where(t => t.ListedInHelp)) o.WriteLine($"  {t.Name,-34}{t.Description}");
        o.WriteLine($"  {"Source, Overlays, Faces, Assets",-34}the inputs the datasets are made from");
        o.WriteLine($"  {"Dataset:<name>",-34}one dataset: {string.Join(", ", Datasets.All.Select(d => d.Name))}");
        o.WriteLine($"  {"Pretrained:<backbone>",-34}one backbone: {string.Join(", ", Backbones.All.Select(b => b.Name))}");
        o.WriteLine($"  {"Train:<run>",-34}one training, e.g. Train:{Runs.All[0].Name} (runs: <family>_<CC|BW>_<50|152|ibn>)");
        o.WriteLine($"  {"Model:<run>",-34}one trimmed model, e.g. Model:{Runs.All[0].Name}");
        o.WriteLine($"  {"Models:<dataset>",-34}one dataset's trainings and trimmed models, e.g. Models:{Datasets.All[0].Name}");
        o.WriteLine($"  {"Clean:<artifact>",-34}delete one artifact, e.g. Clean:Model:{Runs.All[0].Name}");
        o.WriteLine("");
        o.WriteLine("Options:");
        foreach (var option in OptionCatalog.All.Where(x => x.OnCommandLine))
        {
            var aliases = option.Aliases.Select(a => a.Length == 1 ? $"-{a}" : $"--{a}").ToList();
            var lines = (option.Help + (aliases.Count > 0 ? $" (also {string.Join(", ", aliases)})" : "")).Split('\n');
            o.WriteLine($"  {option.Usage,-34}{lines[0]}");
            foreach (var more in lines[1..]) o.WriteLine($"  {"",-34}{more}");
        }
        o.WriteLine("");
        o.WriteLine("Profiles:");
        foreach (var p in Profiles.All) o.WriteLine($"  {p.Name,-34}{p.Description}");
        o.WriteLine("");
        o.WriteLine($"Current: profile {settings.Profile.Name}, artifacts in {settings.ArtifactsRoot}");
    }
}
