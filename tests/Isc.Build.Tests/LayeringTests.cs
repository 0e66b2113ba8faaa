using System.Text.RegularExpressions;
using System.Xml.Linq;
using NUnit.Framework;

namespace Isc.Build.Tests;

/// <summary>
/// The layers that docs/architecture.md, Projects and The build program's folders, describe, checked on the sources: the
/// project references of src/ and build/, and the folders of the build program (which namespaces each folder's files name). A new reference or a `using` that
/// crosses a layer the wrong way fails here with the file and the line.
/// </summary>
[TestFixture]
public partial class LayeringTests
{
    /// <summary>
    /// Each project and the projects it may reference. A project not listed here is an error too: add it, with its
    /// allowed references, when you create it (and say why in docs/architecture.md).
    /// </summary>
    static readonly Dictionary<string, string[]> AllowedProjectReferences = new()
    {
        // The catalog and the stamp/step contract are the two roots: they reference no project.
        ["Isc.Recipe"] = [],
        ["Isc.Artifacts"] = [],
        // The PyTorch file formats and the libtorch runtime fix (split out of Isc.Training).
        ["Isc.Torch"] = ["Isc.Artifacts"],
        ["Isc.Downloads"] = ["Isc.Recipe"],
        ["Isc.Imaging"] = ["Isc.Recipe", "Isc.Artifacts"],
        ["Isc.Training"] = ["Isc.Recipe", "Isc.Artifacts", "Isc.Imaging", "Isc.Torch"],
        // The report reads metrics.json and recomputes precision-recall curves with the evaluation's own code.
        ["Isc.Reporting"] = ["Isc.Recipe", "Isc.Artifacts", "Isc.Evaluation"],
        // The challenge's metrics and file formats (predictions, ground truth, metrics.json).
        ["Isc.Evaluation"] = ["Isc.Recipe", "Isc.Artifacts"],
        // The worker: the one place the libraries meet.
        ["Isc.Cli"] = ["Isc.Recipe", "Isc.Artifacts", "Isc.Torch", "Isc.Downloads", "Isc.Imaging", "Isc.Training", "Isc.Reporting", "Isc.Evaluation"],
        // The build program reads the catalog and the stamps; it runs the worker as a child process (built alongside).
        ["Build"] = ["Isc.Recipe", "Isc.Artifacts", "Isc.Cli"],
    };

    /// <summary>The folders (layers) of build/ and the layers each may use. Host composes everything.</summary>
    static readonly Dictionary<string, string[]> AllowedFolderDependencies = new()
    {
        ["Core"] = [],
        ["Graph"] = ["Core"],
        ["Executors.Local"] = ["Core", "Graph"],
        ["Executors.Slurm"] = ["Core", "Graph"],
        ["Tasks"] = ["Core", "Graph"],
        ["Host"] = ["Core", "Graph", "Executors.Local", "Executors.Slurm", "Tasks"],
    };

    static string BuildDir => Path.Combine(Harness.RepoRoot, "build");

    [Test]
    public void Every_project_references_only_the_projects_its_layer_allows()
    {
        var problems = new List<string>();
        var projects = Directory.EnumerateFiles(Path.Combine(Harness.RepoRoot, "src"), "*.csproj", SearchOption.AllDirectories)
            .Append(Path.Combine(BuildDir, "Build.csproj")).ToList();
        Assert.That(projects, Has.Count.GreaterThan(5), "the projects were not found");
        foreach (var project in projects)
        {
            var name = Path.GetFileNameWithoutExtension(project);
            if (!AllowedProjectReferences.TryGetValue(name, out var allowed))
            {
                problems.Add($"{Relative(project)}: project {name} is not in the layering table of LayeringTests (and docs/architecture.md); add it with the projects it may reference");
                continue;
            }
            foreach (var reference in ProjectReferences(project))
                if (!allowed.Contains(reference))
                    problems.Add($"{Relative(project)}: {name} references {reference}; it may reference {(allowed.Length == 0 ? "no project" : "only " + string.Join(", ", allowed))}");
        }
        Assert.That(problems, Is.Empty, string.Join("\n", problems));
    }

    [Test]
    public void Every_build_folder_uses_only_the_layers_below_it()
    {
        var problems = new List<string>();
        var files = Directory.EnumerateFiles(BuildDir, "*.cs", SearchOption.AllDirectories)
            .Where(f => !Relative(f).Split('/').Any(part => part is "bin" or "obj")).ToList();
        Assert.That(files, Has.Count.GreaterThan(20), "the build program's sources were not found");
        foreach (var file in files)
        {
            var layer = LayerOfFile(file);
            if (layer is null)
            {
                problems.Add($"{Relative(file)}: not in a layer folder; build/ holds {string.Join(", ", AllowedFolderDependencies.Keys.Select(k => k.Replace('.', '/') + "/"))} and Program.cs");
                continue;
            }
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                foreach (Match m in NamespaceDeclaration().Matches(lines[i]))
                    if (LayerOfNamespace(m.Groups["ns"].Value) != layer)
                        problems.Add($"{Relative(file)}:{i + 1}: declares namespace {m.Groups["ns"].Value}, but its folder is the {layer} layer (Isc.Build.{layer})");
                foreach (Match m in LayerReference().Matches(lines[i]))
                {
                    if (NamespaceDeclaration().IsMatch(lines[i])) continue;
                    var used = LayerOfNamespace("Isc.Build." + m.Groups["layer"].Value);
                    if (used is null)
                        problems.Add($"{Relative(file)}:{i + 1}: names Isc.Build.{m.Groups["layer"].Value}, which is no layer");
                    else if (used != layer && !AllowedFolderDependencies[layer].Contains(used))
                        problems.Add($"{Relative(file)}:{i + 1}: the {layer} layer uses {used} ('{lines[i].Trim()}'); {layer} may use {(AllowedFolderDependencies[layer].Length == 0 ? "no other layer" : "only " + string.Join(", ", AllowedFolderDependencies[layer]))}");
                }
            }
        }
        Assert.That(problems, Is.Empty, string.Join("\n", problems));
    }

    /// <summary>The checker itself: it must see a forbidden `using`, a partly qualified name and a wrong namespace.</summary>
    [Test]
    public void The_folder_check_sees_usings_qualified_names_and_partial_names()
    {
        Assert.That(LayerReference().Matches("using Isc.Build.Host;").Single().Groups["layer"].Value, Is.EqualTo("Host"));
        Assert.That(LayerReference().Matches("throw new Host.BuildUsageException(\"x\");").Single().Groups["layer"].Value, Is.EqualTo("Host"));
        Assert.That(LayerReference().Matches("var q = Executors.Slurm.JobScript.Quote(root);").Single().Groups["layer"].Value, Is.EqualTo("Executors.Slurm"));
        Assert.That(LayerReference().Matches("x = Isc.Build.Tasks.PlanTask.Print;").Single().Groups["layer"].Value, Is.EqualTo("Tasks"));
        Assert.That(LayerReference().Matches("var n = context.Graph.Nodes; Graph[id]; Settings.Profile.Name"), Is.Empty, "a property named like a layer is no reference");
        Assert.That(LayerOfNamespace("Isc.Build.Executors.Slurm"), Is.EqualTo("Executors.Slurm"));
        Assert.That(LayerOfNamespace("Isc.Build.Executors"), Is.Null, "an executor lives in Local/ or Slurm/, not beside them");
    }

    static IEnumerable<string> ProjectReferences(string csproj) =>
        XDocument.Load(csproj).Descendants().Where(e => e.Name.LocalName == "ProjectReference")
            .Select(e => Path.GetFileNameWithoutExtension(e.Attribute("Include")!.Value.Replace('\\', '/')));

    static string Relative(string path) => Path.GetRelativePath(Harness.RepoRoot, path).Replace('\\', '/');

    /// <summary>build/Program.cs is the entry point: part of the host.</summary>
    static string? LayerOfFile(string file)
    {
        var parts = Path.GetRelativePath(BuildDir, file).Replace('\\', '/').Split('/');
        if (parts.Length == 1) return parts[0] == "Program.cs" ? "Host" : null;
        var folder = parts[0] == "Executors" && parts.Length > 2 ? $"Executors.{parts[1]}" : parts[0];
        return AllowedFolderDependencies.ContainsKey(folder) ? folder : null;
    }

    static string? LayerOfNamespace(string ns)
    {
        if (!ns.StartsWith("Isc.Build.", StringComparison.Ordinal)) return null;
        var rest = ns["Isc.Build.".Length..].Split('.');
        var layer = rest[0] == "Executors" && rest.Length > 1 ? $"Executors.{rest[1]}" : rest[0];
        return AllowedFolderDependencies.ContainsKey(layer) ? layer : null;
    }

    [GeneratedRegex(@"^\s*namespace\s+(?<ns>[\w.]+)")]
    private static partial Regex NamespaceDeclaration();

    /// <summary>
    /// `Isc.Build.X` anywhere, or a name partly qualified by a layer (`Host.Foo`, `Executors.Slurm.Foo`), which C# resolves
    /// through the enclosing Isc.Build namespace. A member access (`context.Graph.Nodes`) is preceded by a dot, so it is not one.
    /// </summary>
    [GeneratedRegex(@"(?<![\w.])(?:Isc\.Build\.)?(?<layer>Core|Graph|Tasks|Host|Executors(?:\.(?:Local|Slurm))?)(?=\s*;|\.[A-Z])")]
    private static partial Regex LayerReference();
}
