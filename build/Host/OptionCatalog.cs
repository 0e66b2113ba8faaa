using System.Text.RegularExpressions;
using Isc.Build.Executors.Slurm;
using Isc.Recipe;

namespace Isc.Build.Host;

/// <summary>How an option's value is read (on the command line and in a configuration file) and checked.</summary>
public enum OptionType
{
    /// <summary>--name alone means true; --name=false is accepted.</summary>
    Flag,
    Text,
    /// <summary>A path: relative to the working directory on the command line, to the repository in a configuration file.</summary>
    Path,
    /// <summary>One of <see cref="BuildOption.Allowed"/>.</summary>
    Choice,
    PositiveInteger,
    Seconds,
    /// <summary>--gpus=0,1,2,3.</summary>
    DeviceList,
    /// <summary>--set=&lt;target&gt;.&lt;setting&gt;=&lt;value&gt;, repeatable; "set": { target: { setting: value } } in a file.</summary>
    Setting,
    /// <summary>--file:&lt;artifact&gt;=&lt;path&gt;; "files": { artifact: path } in a file.</summary>
    ArtifactPath,
    /// <summary>--url:&lt;artifact&gt;=&lt;url&gt;; "urls": { artifact: url } in a file.</summary>
    ArtifactUrl,
    /// <summary>A section of a configuration file read by its own reader (the "slurm" section).</summary>
    Section,
}

/// <summary>
/// One option of ./build.sh or key of isc.json, declared once: the command-line parser (<see cref="BuildOptions"/>), the
/// configuration reader and its schema check (<see cref="BuildConfig"/>, <see cref="ConfigSchema"/>), the layering into the
/// graph's settings (<see cref="SettingsResolver"/>) and ./build.sh --help (<see cref="HelpText"/>) all read it.
/// </summary>
public sealed record BuildOption
{
    /// <summary>The command-line name (--name); for a configuration-only key, the key.</summary>
    public required string Name { get; init; }
    public string[] Aliases { get; init; } = [];
    public required OptionType Type { get; init; }
    /// <summary>For a <see cref="OptionType.Choice"/>: the values accepted, as shown to the user.</summary>
    public IReadOnlyList<string> Allowed { get; init; } = [];
    /// <summary>Accepts a value not literally in <see cref="Allowed"/> ("cuda:N"); default: one of them, exactly.</summary>
    public Func<string, bool>? Accepts { get; init; }
    /// <summary>The allowed values come from the catalog and grow with it: an error lists them as "one of ...".</summary>
    public bool AllowedFromCatalog { get; init; }
    /// <summary>The value when no layer sets one.</summary>
    public string? Default { get; init; }
    /// <summary>How --help shows the value ("&lt;target&gt;"); default: the allowed values.</summary>
    public string? Value { get; init; }
    /// <summary>The --help line (a newline continues it on the next line).</summary>
    public required string Help { get; init; }
    /// <summary>Its key path in isc.json / isc.local.json ("inputs.trainImages"), or null for a command-line-only option.</summary>
    public string? ConfigKey { get; init; }
    /// <summary>For a <see cref="OptionType.Section"/>: its reader, which throws a <see cref="Core.BuildUsageException"/> on a mistake.</summary>
    public Action<System.Text.Json.Nodes.JsonObject>? CheckSection { get; init; }
    public bool OnCommandLine { get; init; } = true;

    public bool IsFlag => Type == OptionType.Flag;

    /// <summary>Prefix options (--file:ARTIFACT, --url:ARTIFACT) carry the artifact in the name.</summary>
    public bool IsPerArtifact => Type is OptionType.ArtifactPath or OptionType.ArtifactUrl;

    public bool Names(string name) =>
        string.Equals(Name, name, StringComparison.OrdinalIgnoreCase) || Aliases.Contains(name, StringComparer.OrdinalIgnoreCase);

    public bool IsAccepted(string value) => Accepts?.Invoke(value) ?? Allowed.Contains(value, StringComparer.Ordinal);

    /// <summary>What a choice accepts, in an error, each value in <paramref name="quote"/>: one of 'paper', 'demo' / 'generate' or 'download'.</summary>
    public string Expected(char quote)
    {
        var values = Allowed.Select(v => $"{quote}{v}{quote}").ToList();
        return AllowedFromCatalog ? "one of " + string.Join(", ", values) : string.Join(", ", values[..^1]) + " or " + values[^1];
    }

    /// <summary>How --help writes it: --name=&lt;value&gt;, --name, or --file:&lt;artifact&gt;=&lt;path&gt;.</summary>
    public string Usage => Type switch
    {
        OptionType.Flag => $"--{Name}",
        _ when IsPerArtifact => $"--{Name}:<artifact>={Value}",
        _ => $"--{Name}={Value ?? $"<{string.Join('|', Allowed)}>"}",
    };
}

/// <summary>Every option of the build, in the order --help lists them and configuration errors name their keys.</summary>
public static partial class OptionCatalog
{
    public static readonly IReadOnlyList<BuildOption> All =
    [
        new() { Name = "target", Aliases = ["t"], Type = OptionType.Text, Default = "All33", Value = "<target>", Help = "what to build (default All33)" },
        new()
        {
            Name = "profile", Type = OptionType.Choice, ConfigKey = "profile", Default = "paper",
            Allowed = [.. Profiles.All.Select(p => p.Name)], AllowedFromCatalog = true,
            Accepts = v => Profiles.All.Any(p => string.Equals(p.Name, v, StringComparison.OrdinalIgnoreCase)),
            Help = "paper: the published recipe (default); demo: the same graph, tiny and synthetic",
        },
        new() { Name = "artifacts", Type = OptionType.Path, ConfigKey = "artifacts", Default = "artifacts", Value = "<dir>", Help = "artifacts root (default ./artifacts; each profile in its own folder)" },
        new() { Name = "train-images", Type = OptionType.Path, ConfigKey = "inputs.trainImages", Value = "<dir>", Help = "the DISC21 training images (paper profile; or inputs.trainImages in isc.json)" },
        new() { Name = "query-images", Type = OptionType.Path, ConfigKey = "inputs.queryImages", Value = "<dir>", Help = "the DISC21 development query images, Q00000.jpg ... (paper evaluation; or inputs.queryImages in isc.json)" },
        new() { Name = "reference-images", Type = OptionType.Path, ConfigKey = "inputs.referenceImages", Value = "<dir>", Help = "the DISC21 reference images, R000000.jpg ... (paper evaluation; or inputs.referenceImages in isc.json)" },
        new() { Name = "overlay-images", Type = OptionType.Path, ConfigKey = "inputs.overlayImages", Value = "<dir>", Help = "a folder of >= 10,001 overlay images instead of the published download" },
        new() { Name = "faces", Type = OptionType.Path, ConfigKey = "inputs.faces", OnCommandLine = false, Help = "a text file of the training images with faces (the ff datasets); unset: the face detector runs" },
        new() { Name = "file", Type = OptionType.ArtifactPath, ConfigKey = "inputs.files", Value = "<path>", Help = "use a file you already have, e.g. --file:Pretrained:resnet50=~/resnet50.pth" },
        new()
        {
            Name = "datasets", Type = OptionType.Choice, ConfigKey = "datasets", Default = "generate", Allowed = ["generate", "download"],
            Help = "generate the 11 datasets (default) or download the published zips (paper)",
        },
        new()
        {
            Name = "device", Type = OptionType.Choice, ConfigKey = "device", Allowed = ["cpu", "cuda", "cuda:N"], Accepts = v => Device().IsMatch(v),
            Help = "where trainings run",
        },
        new() { Name = "url", Type = OptionType.ArtifactUrl, ConfigKey = "urls", Value = "<url>", Help = "fetch an artifact from a mirror" },
        new()
        {
            Name = "set", Type = OptionType.Setting, ConfigKey = "set", Value = "<target>.<setting>=<value>",
            Help = "override a setting of one artifact, e.g. --set=Dataset:isc_100k_256_big.seed=7;\n" +
                   "Trainings.<setting> / Datasets.<setting> reach all of them, e.g. --set=Trainings.precision=bf16",
        },
        new() { Name = "slurm", Type = OptionType.Section, ConfigKey = "slurm", OnCommandLine = false, CheckSection = s => SlurmConfig.Parse(s), Help = "where and how cluster jobs run (docs/cluster.md)" },
        new() { Name = "downloadsLock", Type = OptionType.Path, ConfigKey = "downloadsLock", OnCommandLine = false, Help = "the lock file of pinned download hashes (default downloads.lock.json in the repository)" },
        new() { Name = "dryrun", Aliases = ["noop", "whatif"], Type = OptionType.Flag, Help = "show what would be built and why, build nothing" },
        new()
        {
            Name = "verbosity", Aliases = ["v"], Type = OptionType.Choice, Default = "normal", Value = "<level>",
            Allowed = ["quiet", "minimal", "normal", "verbose", "diagnostic"], Accepts = v => ParseVerbosity(v) is not null,
            Help = "quiet, minimal, normal (default), verbose (lists up-to-date tasks), diagnostic",
        },
        new() { Name = "keep-going", Aliases = ["keepgoing"], Type = OptionType.Flag, Help = "after a failed step, keep building what does not depend on it" },
        new() { Name = "deep", Type = OptionType.Flag, Help = "Verify: re-hash every dataset image instead of checking sizes" },
        new() { Name = "jobs", Type = OptionType.PositiveInteger, Default = "1", Value = "<n>", Help = "how many CPU steps run at once (default 1; each then gets cores/n threads)" },
        new() { Name = "gpus", Type = OptionType.DeviceList, Value = "<0,1,...>", Help = "GPU steps (trainings) run one per listed device index (nvidia-smi -L), each told its device" },
        new()
        {
            Name = "executor", Type = OptionType.Choice, Default = "local", Allowed = ["local", "slurm"],
            Help = "local: steps run here (default); slurm: each stale step is a batch job (docs/cluster.md)",
        },
        new() { Name = "detach", Type = OptionType.Flag, Help = "with --executor=slurm: return after submitting; build again to wait for the jobs" },
        new() { Name = "config", Type = OptionType.Path, Value = "<file>", Help = "configuration file (default isc.json + isc.local.json at the repository root)" },
        new() { Name = "artifact", Type = OptionType.Text, Value = "<artifact>", Help = "Clean: the one artifact to delete (as --target=Clean:<artifact>)" },
        new() { Name = "wait-lock", Type = OptionType.Seconds, Default = "0", Value = "<seconds>", Help = "wait this long for another build on the same artifacts to finish (default: refuse)" },
        new() { Name = "no-install", Type = OptionType.Flag, Help = "never install missing system packages: name them and the command to run, and exit 2" },
        new() { Name = "yes", Aliases = ["y"], Type = OptionType.Flag, Help = "Clean: delete without asking (needed when stdin is not a terminal)" },
        new() { Name = "help", Aliases = ["h", "?"], Type = OptionType.Flag, Help = "this text" },
    ];

    /// <summary>The option a command-line name (or alias) stands for; --file:X and --url:X by their prefix.</summary>
    public static BuildOption? Find(string name)
    {
        var colon = name.IndexOf(':');
        if (colon > 0 && All.FirstOrDefault(o => o.IsPerArtifact && o.Names(name[..colon])) is { } perArtifact) return perArtifact;
        return All.FirstOrDefault(o => o.OnCommandLine && !o.IsPerArtifact && o.Names(name));
    }

    public static BuildOption Named(string name) => All.Single(o => o.Name == name);

    /// <summary>quiet|q, minimal|m, normal|n, verbose|v, diagnostic|diag|d.</summary>
    public static Cake.Core.Diagnostics.Verbosity? ParseVerbosity(string value) => value.ToLowerInvariant() switch
    {
        "quiet" or "q" => Cake.Core.Diagnostics.Verbosity.Quiet,
        "minimal" or "m" => Cake.Core.Diagnostics.Verbosity.Minimal,
        "normal" or "n" => Cake.Core.Diagnostics.Verbosity.Normal,
        "verbose" or "v" => Cake.Core.Diagnostics.Verbosity.Verbose,
        "diagnostic" or "diag" or "d" => Cake.Core.Diagnostics.Verbosity.Diagnostic,
        _ => null,
    };

    [GeneratedRegex(@"^(cpu|cuda(:\d+)?)$")]
    private static partial Regex Device();
}
