using Cake.Core;
using Isc.Build.Graph;
using Isc.Recipe;

namespace Isc.Build.Host;

/// <summary>./build.sh --help: the targets and options, read from the catalog.</summary>
public static class HelpText
{
    public static void Print(IConsole o, IReadOnlyList<BuildTask> tasks, BuildSettings settings)
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
        foreach (var (name, text) in Options) o.WriteLine($"  {name,-34}{text}");
        o.WriteLine("");
        o.WriteLine("Profiles:");
        foreach (var p in Profiles.All) o.WriteLine($"  {p.Name,-34}{p.Description}");
        o.WriteLine("");
        o.WriteLine($"Current: profile {settings.Profile.Name}, artifacts in {settings.ArtifactsRoot}");
    }

    static readonly (string, string)[] Options =
    [
        ("--target=<target>", "what to build (default All33)"),
        ("--profile=<paper|demo>", "paper: the published recipe (default); demo: the same graph, tiny and synthetic"),
        ("--dryrun", "show what would be built and why, build nothing (also --noop, --whatif)"),
        ("--verbosity=<level>", "quiet, minimal, normal (default), verbose (lists up-to-date tasks), diagnostic"),
        ("--keep-going", "after a failed step, keep building what does not depend on it"),
        ("--deep", "Verify: re-hash every dataset image instead of checking sizes"),
        ("--set=<target>.<setting>=<value>", "override a setting of one artifact, e.g. --set=Dataset:isc_100k_256_big.seed=7;"),
        ("", "Trainings.<setting> / Datasets.<setting> reach all of them, e.g. --set=Trainings.precision=bf16"),
        ("--train-images=<dir>", "the DISC21 training images (paper profile; or inputs.trainImages in isc.json)"),
        ("--overlay-images=<dir>", "a folder of >= 10,001 overlay images instead of the published download"),
        ("--datasets=<generate|download>", "generate the 11 datasets (default) or download the published zips (paper)"),
        ("--file:<artifact>=<path>", "use a file you already have, e.g. --file:Pretrained:resnet50=~/resnet50.pth"),
        ("--url:<artifact>=<url>", "fetch an artifact from a mirror"),
        ("--device=<cpu|cuda|cuda:N>", "where trainings run"),
        ("--jobs=<n>", "how many CPU steps run at once (default 1; each then gets cores/n threads)"),
        ("--gpus=<0,1,...>", "GPU steps (trainings) run one per listed device index (nvidia-smi -L), each told its device"),
        ("--executor=<local|slurm>", "local: steps run here (default); slurm: each stale step is a batch job (docs/cluster.md)"),
        ("--detach", "with --executor=slurm: return after submitting; build again to wait for the jobs"),
        ("--artifacts=<dir>", "artifacts root (default ./artifacts; each profile in its own folder)"),
        ("--config=<file>", "configuration file (default isc.json + isc.local.json at the repository root)"),
        ("--wait-lock=<seconds>", "wait this long for another build on the same artifacts to finish (default: refuse)"),
        ("--no-install", "never install missing system packages: name them and the command to run, and exit 2"),
        ("--yes", "Clean: delete without asking (needed when stdin is not a terminal)"),
        ("--help", "this text"),
    ];
}
