using System.Text.RegularExpressions;
using Isc.Build.Host;
using NUnit.Framework;

namespace Isc.Build.Tests;

/// <summary>
/// Each build option is declared once, in <see cref="OptionCatalog"/>: the command line, the configuration files, the
/// layering and --help follow it, and the README's options table is checked against it. Real files in a temp folder.
/// </summary>
[TestFixture]
public partial class OptionCatalogTests
{
    string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Harness.TempRoot("options");

    [TearDown]
    public void TearDown()
    {
        if (_dir != "" && Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    [TestCase("--device=gpu", "--device must be 'cpu', 'cuda' or 'cuda:N', got 'gpu'")]
    [TestCase("--profile=papr", "--profile must be one of 'paper', 'demo', got 'papr'")]
    public void The_command_line_refuses_a_value_the_configuration_file_refuses(string option, string expected) =>
        Assert.That(() => BuildOptions.Parse([option]), Throws.Exception.With.Message.EqualTo(expected));

    [Test]
    public void Every_choice_accepts_and_refuses_the_same_values_on_the_command_line_and_in_a_configuration_file()
    {
        var choices = OptionCatalog.All.Where(o => o.Type == OptionType.Choice && o.ConfigKey is not null && o.OnCommandLine).ToList();
        Assert.That(choices.Select(o => o.Name), Is.SupersetOf(new[] { "profile", "datasets", "device" }));
        foreach (var option in choices)
        {
            foreach (var good in option.Allowed.Select(v => v.Replace(":N", ":1")))
            {
                Assert.DoesNotThrow(() => BuildOptions.Parse([$"--{option.Name}={good}"]), $"--{option.Name}={good}");
                Assert.DoesNotThrow(() => BuildConfig.Load(_dir, Write("good.json", ConfigWith(option.ConfigKey!, good))), $"{option.ConfigKey}: {good}");
            }
            Assert.That(() => BuildOptions.Parse([$"--{option.Name}=nonsense"]), Throws.Exception.With.Message.Contains($"--{option.Name} must be"));
            var bad = Write("bad.json", ConfigWith(option.ConfigKey!, "nonsense"));
            Assert.That(() => BuildConfig.Load(_dir, bad), Throws.Exception.With.Message.Contains($"{option.ConfigKey} must be"));
        }
    }

    [Test]
    public void The_command_line_wins_over_isc_local_json_which_wins_over_isc_json_which_wins_over_the_catalog()
    {
        Write("isc.json", """{ "profile": "demo", "datasets": "download", "device": "cuda", "inputs": { "trainImages": "committed", "overlayImages": "committed-overlays" } }""");
        Write("isc.local.json", """{ "device": "cuda:1", "inputs": { "trainImages": "local" } }""");
        var config = BuildConfig.Load(_dir, null);

        var files = SettingsResolver.Resolve(_dir, config, BuildOptions.Parse([]));
        Assert.That(files.Profile.Name, Is.EqualTo("demo"), "isc.json over the catalog's paper");
        Assert.That(files.DownloadDatasets, Is.True, "isc.json over the catalog's generate");
        Assert.That(files.Device, Is.EqualTo("cuda:1"), "isc.local.json over isc.json");
        Assert.That(files.TrainImages, Is.EqualTo(Path.Combine(_dir, "local")), "isc.local.json over isc.json, relative to the repository");
        Assert.That(files.OverlayImages, Is.EqualTo(Path.Combine(_dir, "committed-overlays")), "isc.json where isc.local.json says nothing");
        Assert.That(files.ArtifactsRoot, Is.EqualTo(Path.Combine(_dir, "artifacts", "demo")), "the catalog's default, relative to the repository");

        var line = SettingsResolver.Resolve(_dir, config, BuildOptions.Parse(["--profile=paper", "--device=cpu", "--datasets=generate", $"--train-images={_dir}/given"]));
        Assert.That((line.Profile.Name, line.Device, line.DownloadDatasets, line.TrainImages), Is.EqualTo(("paper", "cpu", false, Path.Combine(_dir, "given"))));

        var none = SettingsResolver.Resolve(_dir, BuildConfig.Empty, BuildOptions.Parse([]));
        Assert.That((none.Profile.Name, none.Device, none.DownloadDatasets, none.TrainImages), Is.EqualTo(("paper", (string?)null, false, (string?)null)));
    }

    [Test]
    public void The_configuration_keys_are_the_catalogs()
    {
        Assert.That(ConfigSchema.KeysOf(""), Is.EqualTo(new[] { "profile", "artifacts", "inputs", "datasets", "device", "urls", "set", "slurm", "downloadsLock" }));
        Assert.That(ConfigSchema.KeysOf("inputs"), Is.EqualTo(new[] { "trainImages", "queryImages", "referenceImages", "overlayImages", "faces", "files" }));
    }

    [Test]
    public void The_readme_options_table_lists_every_command_line_option_and_only_those()
    {
        var readme = File.ReadAllText(Path.Combine(Harness.RepoRoot, "README.md"));
        var start = readme.IndexOf("\n## Options", StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThan(0), "README has no ## Options section");
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var rows = readme[start..end].Split('\n').Where(l => l.StartsWith("| `-", StringComparison.Ordinal)).ToList();
        var problems = new List<string>();
        var documented = new HashSet<string>();
        foreach (var row in rows)
        {
            var cell = row.Split('|')[1];
            var names = OptionName().Matches(cell).Select(m => m.Groups["name"].Value).ToList();
            var option = OptionCatalog.Find(names[0].Replace("<artifact>", "x"));
            if (option is null) { problems.Add($"README documents --{names[0]}, which is no option of the build"); continue; }
            documented.Add(option.Name);
            foreach (var alias in names.Skip(1).Where(a => !option.Names(a)))
                problems.Add($"README gives {alias} as another name of --{option.Name}, but it is not one");
        }
        foreach (var option in OptionCatalog.All.Where(o => o.OnCommandLine && !documented.Contains(o.Name)))
            problems.Add($"README's options table lacks {option.Usage}");
        Assert.That(problems, Is.Empty, string.Join("\n", problems));
    }

    [Test]
    public void Help_lists_every_command_line_option_and_its_other_names()
    {
        var r = Harness.Build("--help");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
        foreach (var option in OptionCatalog.All)
        {
            if (option.OnCommandLine) Assert.That(r.Output, Does.Contain(option.Usage), option.Name);
            else Assert.That(r.Output, Does.Not.Contain($"--{option.Name}"), $"{option.Name} is a configuration key only");
            foreach (var alias in option.Aliases) Assert.That(r.Output, Does.Contain(alias.Length == 1 ? $"-{alias}" : $"--{alias}"));
        }
    }

    string Write(string name, string json)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, json);
        return path;
    }

    /// <summary>{ "a": { "b": value } } for the key path "a.b".</summary>
    static string ConfigWith(string keyPath, string value) =>
        keyPath.Split('.').Reverse().Aggregate($"\"{value}\"", (inner, key) => $"{{ \"{key}\": {inner} }}");

    /// <summary>`--name`, `--file:<artifact>` or `-y` in a table cell.</summary>
    [GeneratedRegex(@"`-{1,2}(?<name>[a-z?][a-z-]*(?::<artifact>)?)")]
    private static partial Regex OptionName();
}
