using Cake.Core.Diagnostics;

namespace Isc.Build.Host;

/// <summary>The command line of ./build.sh, Cake-style: --target=X --verbosity=Y --dryrun, plus the harness's own options.</summary>
public sealed class BuildOptions
{
    public string Target { get; private set; } = "All33";
    public Verbosity Verbosity { get; private set; } = Verbosity.Normal;
    public bool DryRun { get; private set; }
    public bool Help { get; private set; }
    public bool KeepGoing { get; private set; }
    public bool Deep { get; private set; }
    public string? Profile { get; private set; }
    public string? ConfigFile { get; private set; }
    public string? ArtifactsRoot { get; private set; }
    public string? TrainImages { get; private set; }
    public string? OverlayImages { get; private set; }
    public string? DatasetsMode { get; private set; }
    public string? Device { get; private set; }
    public string? CleanArtifact { get; private set; }
    public int? Jobs { get; private set; }
    public List<string> Gpus { get; private set; } = [];
    public string Executor { get; private set; } = "local";
    public bool Detach { get; private set; }
    /// <summary>--no-install: never install missing system packages; say which and how instead (exit 2).</summary>
    public bool NoInstall { get; private set; }
    public bool Yes { get; private set; }
    public TimeSpan WaitLock { get; private set; } = TimeSpan.Zero;
    public List<(string Target, string Key, string Value)> Sets { get; } = [];
    public Dictionary<string, string> Files { get; } = new(StringComparer.OrdinalIgnoreCase);
    public Dictionary<string, string> Urls { get; } = new(StringComparer.OrdinalIgnoreCase);

    public static BuildOptions Parse(IReadOnlyList<string> args)
    {
        var o = new BuildOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith('-')) throw new BuildUsageException($"unexpected argument '{arg}' (options look like --name=value)");
            var body = arg.TrimStart('-');
            string name, value;
            var eq = body.IndexOf('=');
            if (eq >= 0) { name = body[..eq]; value = body[(eq + 1)..]; }
            else if (!IsKnown(body)) throw UnknownOption(body);
            else if (IsFlag(body)) { name = body; value = "true"; }
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--")) { name = body; value = args[++i]; }
            else throw new BuildUsageException($"option --{body} needs a value (--{body}=VALUE)");

            // --file:<artifact>=<path> and --url:<artifact>=<url>: the artifact name holds a colon itself.
            if (name.StartsWith("file:", StringComparison.OrdinalIgnoreCase)) { o.Files[name[5..]] = value; continue; }
            if (name.StartsWith("url:", StringComparison.OrdinalIgnoreCase)) { o.Urls[name[4..]] = value; continue; }
            switch (name.ToLowerInvariant())
            {
                case "target" or "t": o.Target = value; break;
                case "verbosity" or "v": o.Verbosity = ParseVerbosity(value); break;
                case "dryrun" or "noop" or "whatif": o.DryRun = Bool(name, value); break;
                case "help" or "h" or "?": o.Help = true; break;
                case "keep-going" or "keepgoing": o.KeepGoing = Bool(name, value); break;
                case "deep": o.Deep = Bool(name, value); break;
                case "profile": o.Profile = value; break;
                case "config": o.ConfigFile = value; break;
                case "artifacts": o.ArtifactsRoot = value; break;
                case "train-images": o.TrainImages = value; break;
                case "overlay-images": o.OverlayImages = value; break;
                case "datasets": o.DatasetsMode = value is "generate" or "download" ? value : throw new BuildUsageException($"--datasets must be 'generate' or 'download', got '{value}'"); break;
                case "device": o.Device = value; break;
                case "artifact": o.CleanArtifact = value; break;
                case "jobs": o.Jobs = int.TryParse(value, out var j) && j > 0 ? j : throw new BuildUsageException($"--jobs must be a positive integer, got '{value}'"); break;
                case "gpus": o.Gpus = ParseGpus(value); break;
                case "wait-lock": o.WaitLock = TimeSpan.FromSeconds(double.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var s) ? s : throw new BuildUsageException($"--wait-lock takes seconds, got '{value}'")); break;
                case "set": o.Sets.Add(ParseSet(value)); break;
                case "executor": o.Executor = value is "local" or "slurm" ? value : throw new BuildUsageException($"--executor must be 'local' or 'slurm', got '{value}'"); break;
                case "detach": o.Detach = Bool(name, value); break;
                case "no-install": o.NoInstall = Bool(name, value); break;
                case "yes" or "y": o.Yes = Bool(name, value); break;
                default: throw UnknownOption(name);
            }
        }
        if (o.Detach && o.Executor != "slurm") throw new BuildUsageException("--detach only applies to --executor=slurm (a local build runs its steps itself)");
        // Clean:<artifact> is accepted as a target too.
        if (o.Target.StartsWith("Clean:", StringComparison.OrdinalIgnoreCase)) { o.CleanArtifact = o.Target[6..]; o.Target = "Clean"; }
        return o;
    }

    static bool IsFlag(string name) => name.ToLowerInvariant() is "dryrun" or "noop" or "whatif" or "help" or "h" or "?" or "keep-going" or "keepgoing" or "deep" or "detach" or "no-install" or "yes" or "y";

    /// <summary>The options that take a value (flags are <see cref="IsFlag"/>); --file:ARTIFACT and --url:ARTIFACT are known by their prefix.</summary>
    static readonly string[] ValuedOptions =
    [
        "target", "t", "verbosity", "v", "profile", "config", "artifacts", "train-images", "overlay-images", "datasets", "device",
        "artifact", "jobs", "gpus", "wait-lock", "set", "executor",
    ];

    static readonly string[] FlagOptions = ["dryrun", "noop", "whatif", "help", "keep-going", "deep", "detach", "no-install", "yes"];

    static bool IsKnown(string name) =>
        IsFlag(name) || ValuedOptions.Contains(name.ToLowerInvariant()) ||
        name.StartsWith("file:", StringComparison.OrdinalIgnoreCase) || name.StartsWith("url:", StringComparison.OrdinalIgnoreCase);

    static BuildUsageException UnknownOption(string name)
    {
        var close = TargetResolver.Closest(name, [.. ValuedOptions.Where(n => n.Length > 1), .. FlagOptions, "file:<artifact>", "url:<artifact>"]);
        var hint = close.Count > 0 ? $" Did you mean: {string.Join(", ", close.Select(c => "--" + c))}?" : "";
        return new BuildUsageException($"unknown option --{name}.{hint} ./build.sh --help lists the options");
    }

    /// <summary>--gpus=0,1,2,3: the device indices (as CUDA numbers them) trainings run on, one training per GPU.</summary>
    static List<string> ParseGpus(string value)
    {
        var gpus = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var bad = gpus.Where(g => !int.TryParse(g, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _)).ToList();
        if (gpus.Length == 0 || bad.Count > 0)
            throw new BuildUsageException($"--gpus takes a list of GPU device indices separated by commas, e.g. --gpus=0,1,2,3 (nvidia-smi -L lists them); '{value}' is not one" +
                (gpus.Length > 1 && bad.Count > 0 ? $" ('{bad[0]}' is not a device index)" : ""));
        var repeated = gpus.GroupBy(g => int.Parse(g, System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null) throw new BuildUsageException($"--gpus lists GPU {repeated.Key} twice ('{value}'); name each device once");
        return [.. gpus];
    }

    static bool Bool(string name, string value) => bool.TryParse(value, out var b) ? b : throw new BuildUsageException($"--{name} takes true or false, got '{value}'");

    static Verbosity ParseVerbosity(string value) => value.ToLowerInvariant() switch
    {
        "quiet" or "q" => Verbosity.Quiet,
        "minimal" or "m" => Verbosity.Minimal,
        "normal" or "n" => Verbosity.Normal,
        "verbose" or "v" => Verbosity.Verbose,
        "diagnostic" or "diag" or "d" => Verbosity.Diagnostic,
        _ => throw new BuildUsageException($"--verbosity must be quiet, minimal, normal, verbose or diagnostic, got '{value}'"),
    };

    /// <summary>"Dataset:isc_100k_256_big_blur.seed=7" → (target, key, value); the key follows the last dot before '='.</summary>
    public static (string, string, string) ParseSet(string text)
    {
        var eq = text.IndexOf('=');
        var dot = eq > 0 ? text.LastIndexOf('.', eq) : -1;
        if (eq <= 0 || dot <= 0) throw new BuildUsageException($"--set needs <target>.<setting>=<value> (e.g. --set=Dataset:isc_100k_256_big.seed=7), got '{text}'");
        return (text[..dot], text[(dot + 1)..eq], text[(eq + 1)..]);
    }
}

/// <summary>A bad command line or configuration: printed without a stack trace, exit code 2.</summary>
public sealed class BuildUsageException(string message) : Exception(message);
