using Isc.Artifacts;
using Isc.Recipe.Layouts;

namespace Isc.Reporting;

/// <summary>Which Verify results the report shows: verify.json, when it was written, and whether an artifact was stamped after it.</summary>
public sealed record VerifySource(string Path, DateTime WrittenUtc, string? StampedAfter);

/// <summary>What a report shows, gathered from an artifacts root: stamps, run metrics, contact sheets, the Verify table, the evaluation.</summary>
public sealed class ReportData
{
    public required string Profile { get; init; }
    public required string Root { get; init; }
    public required IReadOnlyList<Stamp> Stamps { get; init; }
    public required IReadOnlyList<(string Run, string MetricsCsv)> Runs { get; init; }
    public required IReadOnlyList<(string Dataset, string ContactSheet)> ContactSheets { get; init; }
    public IReadOnlyList<VerifyRow>? Verify { get; init; }
    public VerifySource? VerifyFrom { get; init; }
    /// <summary>By artifact: what its folder outputs hold as their manifests record it (a dataset: its images), or why that is unknown.</summary>
    public required IReadOnlyDictionary<string, ContentSize> Contents { get; init; }
    public required IReadOnlyList<(string Name, string Value)> Environment { get; init; }
    /// <summary>The evaluation set of the profile (Evaluation.Set): metrics, verdicts and precision-recall curves.</summary>
    public required EvaluationResults Evaluation { get; init; }

    public static ReportData Gather(string root, string profileName, string? repoRoot) =>
        Gather(root, Isc.Recipe.Profiles.Get(profileName), repoRoot);

    /// <param name="profile">The profile with the overrides the report should honour (the evaluation set and tolerance).</param>
    public static ReportData Gather(string root, Isc.Recipe.Profile profile, string? repoRoot)
    {
        var store = new StampStore(root);
        var stamps = Directory.Exists(store.Directory)
            ? Directory.EnumerateFiles(store.Directory, "*.json")
                .Where(f => !f.EndsWith(".spec.json", StringComparison.Ordinal))
                .Select(f => store.Read(Path.GetFileNameWithoutExtension(f).Replace('@', ':')))
                .OfType<Stamp>().Where(s => s.Step != "external")
                .OrderBy(s => s.FinishedUtc).ToList()
            : [];
        var runs = Isc.Recipe.Runs.All
            .Select(r => (r.Name, Path.Combine(root, r.LogDirectory, RunFolder.MetricsFileName)))
            .Where(x => File.Exists(x.Item2)).ToList();
        var sheets = Isc.Recipe.Datasets.All
            .Select(d => (d.Name, DatasetFolder.ContactSheet(DatasetFolder.Directory(root, d))))
            .Where(x => File.Exists(x.Item2)).ToList();
        var verifyPath = Path.Combine(root, VerifyRow.FileName);
        var verify = File.Exists(verifyPath) ? VerifyRow.Load(verifyPath) : null;
        VerifySource? verifyFrom = null;
        if (verify is not null)
        {
            var written = File.GetLastWriteTimeUtc(verifyPath);
            var later = stamps.Where(s => File.GetLastWriteTimeUtc(store.PathOf(s.Artifact)) >= written).Select(s => s.Artifact).FirstOrDefault();
            verifyFrom = new VerifySource(verifyPath, written, later);
        }
        return new ReportData
        {
            Profile = profile.Name,
            Root = root,
            Stamps = stamps,
            Runs = runs,
            ContactSheets = sheets,
            Verify = verify,
            VerifyFrom = verifyFrom,
            Contents = stamps.Select(s => (s.Artifact, Size: ContentSize.Of(s, store))).Where(x => x.Size is not null)
                .ToDictionary(x => x.Artifact, x => x.Size!),
            Environment = EnvironmentFacts(repoRoot),
            Evaluation = EvaluationResults.Gather(root, profile.Evaluation),
        };
    }

    static List<(string, string)> EnvironmentFacts(string? repoRoot)
    {
        var facts = new List<(string, string)>
        {
            ("machine", System.Environment.MachineName),
            ("operating system", System.Runtime.InteropServices.RuntimeInformation.OSDescription),
            ("processor", $"{System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture}, {System.Environment.ProcessorCount} cores"),
            (".NET", System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription),
            ("report written", DateTime.UtcNow.ToString("u")),
        };
        if (repoRoot is null) return facts;
        var head = Path.Combine(repoRoot, ".git", "HEAD");
        if (File.Exists(head))
        {
            var text = File.ReadAllText(head).Trim();
            var commit = text.StartsWith("ref: ") && File.Exists(Path.Combine(repoRoot, ".git", text[5..]))
                ? File.ReadAllText(Path.Combine(repoRoot, ".git", text[5..])).Trim() : text;
            facts.Add(("harness commit", commit));
        }
        var packages = Path.Combine(repoRoot, "Directory.Packages.props");
        if (File.Exists(packages))
        {
            var xml = System.Xml.Linq.XDocument.Load(packages);
            foreach (var p in xml.Descendants("PackageVersion"))
            {
                var name = (string?)p.Attribute("Include") ?? "";
                if (name is "TorchSharp" or "libtorch-cpu-linux-x64" or "SixLabors.ImageSharp" or "SkiaSharp")
                    facts.Add((name, (string?)p.Attribute("Version") ?? ""));
            }
        }
        return facts;
    }
}
