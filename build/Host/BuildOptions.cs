using System.Globalization;
using Cake.Core.Diagnostics;
using Isc.Build.Core;

namespace Isc.Build.Host;

/// <summary>
/// The command line of ./build.sh, Cake-style (--target=X --verbosity=Y --dryrun) plus the harness's own options, read
/// against <see cref="OptionCatalog"/>: its <see cref="Layer"/> is the top layer of the settings (<see cref="SettingsResolver"/> reads it
/// by option); the properties are typed views of the options the host and the tasks act on.
/// </summary>
public sealed class BuildOptions
{
    BuildOptions(OptionLayer layer, string target, string? cleanArtifact)
    {
        Layer = layer;
        Target = target;
        CleanArtifact = cleanArtifact;
    }

    public OptionLayer Layer { get; }

    /// <summary>The requested target; --target=Clean:&lt;artifact&gt; reads as Clean with <see cref="CleanArtifact"/>.</summary>
    public string Target { get; }
    public string? CleanArtifact { get; }

    string Value(string name) => Layer[name] ?? OptionCatalog.Named(name).Default ?? "";
    bool Flag(string name) => Layer[name] == "true";

    public Verbosity Verbosity => OptionCatalog.ParseVerbosity(Value("verbosity"))!.Value;
    public bool DryRun => Flag("dryrun");
    public bool Help => Flag("help");
    public bool KeepGoing => Flag("keep-going");
    public bool Deep => Flag("deep");
    public string? ConfigFile => Layer["config"];
    public string? DatasetsMode => Layer["datasets"];
    public int? Jobs => Layer["jobs"] is { } jobs ? int.Parse(jobs, CultureInfo.InvariantCulture) : null;
    public List<string> Gpus => Layer["gpus"] is { } gpus ? [.. gpus.Split(',')] : [];
    public string Executor => Value("executor");
    public bool Detach => Flag("detach");
    /// <summary>--no-install: never install missing system packages; say which and how instead (exit 2).</summary>
    public bool NoInstall => Flag("no-install");
    public bool Yes => Flag("yes");
    public TimeSpan WaitLock => TimeSpan.FromSeconds(double.Parse(Value("wait-lock"), CultureInfo.InvariantCulture));
    public Dictionary<string, string> Files => Layer.Files;
    public Dictionary<string, string> Urls => Layer.Urls;

    public static BuildOptions Parse(IReadOnlyList<string> args)
    {
        var layer = new OptionLayer(commandLine: true);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith('-')) throw new BuildUsageException($"unexpected argument '{arg}' (options look like --name=value)");
            var body = arg.TrimStart('-');
            string name, value;
            var eq = body.IndexOf('=');
            // --file:<artifact>=<path> and --url:<artifact>=<url>: the artifact name holds a colon itself.
            var option = OptionCatalog.Find(eq >= 0 ? body[..eq] : body);
            if (eq >= 0) { name = body[..eq]; value = body[(eq + 1)..]; }
            else if (option is null) throw UnknownOption(body);
            else if (option.IsFlag) { name = body; value = "true"; }
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--")) { name = body; value = args[++i]; }
            else throw new BuildUsageException($"option --{body} needs a value (--{body}=VALUE)");
            Read(layer, option ?? throw UnknownOption(name), name, value);
        }
        if (layer["detach"] == "true" && (layer["executor"] ?? OptionCatalog.Named("executor").Default) != "slurm")
            throw new BuildUsageException("--detach only applies to --executor=slurm (a local build runs its steps itself)");
        var target = layer["target"] ?? OptionCatalog.Named("target").Default!;
        // Clean:<artifact> is accepted as a target too.
        return target.StartsWith("Clean:", StringComparison.OrdinalIgnoreCase)
            ? new BuildOptions(layer, "Clean", target[6..])
            : new BuildOptions(layer, target, layer["artifact"]);
    }

    /// <summary>Checks one value by its option's type and records it in the layer.</summary>
    static void Read(OptionLayer layer, BuildOption option, string name, string value)
    {
        switch (option.Type)
        {
            case OptionType.Flag:
                layer.Set(option, bool.TryParse(value, out var b) ? b ? "true" : "false" : throw new BuildUsageException($"--{name} takes true or false, got '{value}'"));
                break;
            case OptionType.Path:
                layer.Set(option, Path.GetFullPath(value));
                break;
            case OptionType.Choice when !option.IsAccepted(value):
                throw new BuildUsageException($"--{option.Name} must be {option.Expected('\'')}, got '{value}'");
            case OptionType.PositiveInteger:
                layer.Set(option, int.TryParse(value, out var n) && n > 0 ? value : throw new BuildUsageException($"--{option.Name} must be a positive integer, got '{value}'"));
                break;
            case OptionType.Seconds:
                layer.Set(option, double.TryParse(value, CultureInfo.InvariantCulture, out _) ? value : throw new BuildUsageException($"--{option.Name} takes seconds, got '{value}'"));
                break;
            case OptionType.DeviceList:
                layer.Set(option, string.Join(',', ParseGpus(value)));
                break;
            case OptionType.Setting:
                layer.Sets.Add(ParseSet(value));
                break;
            case OptionType.ArtifactPath or OptionType.ArtifactUrl:
                var artifact = name[(name.IndexOf(':') + 1)..];
                layer.MapOf(option)[artifact] = option.Type == OptionType.ArtifactPath ? Path.GetFullPath(value) : value;
                break;
            default:
                layer.Set(option, value);
                break;
        }
    }

    static BuildUsageException UnknownOption(string name)
    {
        var known = OptionCatalog.All.Where(o => o.OnCommandLine)
            .SelectMany(o => o.IsPerArtifact ? [$"{o.Name}:<artifact>"] : o.Aliases.Where(a => a.Length > 1).Prepend(o.Name));
        var close = TargetResolver.Closest(name, known);
        var hint = close.Count > 0 ? $" Did you mean: {string.Join(", ", close.Select(c => "--" + c))}?" : "";
        return new BuildUsageException($"unknown option --{name}.{hint} ./build.sh --help lists the options");
    }

    /// <summary>--gpus=0,1,2,3: the device indices (as CUDA numbers them) trainings run on, one training per GPU.</summary>
    static List<string> ParseGpus(string value)
    {
        var gpus = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var bad = gpus.Where(g => !int.TryParse(g, NumberStyles.None, CultureInfo.InvariantCulture, out _)).ToList();
        if (gpus.Length == 0 || bad.Count > 0)
            throw new BuildUsageException($"--gpus takes a list of GPU device indices separated by commas, e.g. --gpus=0,1,2,3 (nvidia-smi -L lists them); '{value}' is not one" +
                (gpus.Length > 1 && bad.Count > 0 ? $" ('{bad[0]}' is not a device index)" : ""));
        var repeated = gpus.GroupBy(g => int.Parse(g, CultureInfo.InvariantCulture)).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null) throw new BuildUsageException($"--gpus lists GPU {repeated.Key} twice ('{value}'); name each device once");
        return [.. gpus];
    }

    /// <summary>"Dataset:isc_100k_256_big_blur.seed=7" → (target, key, value); the key follows the last dot before '='.</summary>
    public static (string, string, string) ParseSet(string text)
    {
        var eq = text.IndexOf('=');
        var dot = eq > 0 ? text.LastIndexOf('.', eq) : -1;
        if (eq <= 0 || dot <= 0) throw new BuildUsageException($"--set needs <target>.<setting>=<value> (e.g. --set=Dataset:isc_100k_256_big.seed=7), got '{text}'");
        return (text[..dot], text[(dot + 1)..eq], text[(eq + 1)..]);
    }
}
