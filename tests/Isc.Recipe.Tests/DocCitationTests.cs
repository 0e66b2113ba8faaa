using System.Text.RegularExpressions;
using NUnit.Framework;

namespace Isc.Recipe.Tests;

/// <summary>
/// The project stands alone: comments and docs cite only the project's own docs, as "docs/&lt;file&gt;.md, &lt;section&gt;",
/// and every such citation names a doc and a heading that exist.
/// </summary>
[TestFixture]
public class DocCitationTests
{
    static readonly string[] Extensions = [".cs", ".md", ".py", ".sh", ".ps1", ".json", ".csproj", ".props", ".txt", ".yml", ".yaml"];
    static readonly HashSet<string> SkippedFolders = new(StringComparer.Ordinal) { ".git", "bin", "obj", "artifacts", "TestResults", "__pycache__", "shared" };

    // Files that are not part of the repository: notes outside it that users never see.
    static readonly (string What, Regex Pattern)[] OutsideCitations =
    [
        ("the recipe notes outside the repository", new Regex(@"\bRECIPE\b")),
        ("the augmentation notes outside the repository", new Regex(@"augment_facts", RegexOptions.IgnoreCase)),
        ("the PyTorch-format notes outside the repository", new Regex(@"torch_formats", RegexOptions.IgnoreCase)),
        // "shared/..." as a path of its own; a user's example such as "/shared/path" is not a citation.
        ("a shared/ folder outside the repository", new Regex(@"(?<![\w/.-])shared/|\.\./shared/")),
    ];

    static readonly Regex DocCitation = new(@"docs/([\w-]+\.md)`?, ([A-Za-z][^\n]*)");
    static readonly Regex Heading = new(@"^#{1,6}\s+(.+?)\s*#*\s*$", RegexOptions.Multiline);

    static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "D2lv.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("D2lv.sln not found above the test folder");
    }

    static IEnumerable<string> SourceAndDocFiles(string root)
    {
        var self = Path.Combine(root, "tests", "Isc.Recipe.Tests", nameof(DocCitationTests) + ".cs");
        var pending = new Stack<string>([root]);
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            foreach (var sub in Directory.EnumerateDirectories(dir))
                if (!SkippedFolders.Contains(Path.GetFileName(sub))) pending.Push(sub);
            foreach (var file in Directory.EnumerateFiles(dir))
            {
                if (file == self) continue;
                if (Extensions.Contains(Path.GetExtension(file)) || IsScriptWithoutExtension(file)) yield return file;
            }
        }
    }

    /// <summary>tools/isc, .ci/run and the like: text files without an extension (a NUL byte marks a binary).</summary>
    static bool IsScriptWithoutExtension(string file)
    {
        if (Path.GetExtension(file).Length > 0 || new FileInfo(file).Length > 1 << 20) return false;
        return !File.ReadAllBytes(file).Contains((byte)0);
    }

    [Test]
    public void No_file_cites_notes_outside_the_repository()
    {
        var root = Root();
        var found = new List<string>();
        foreach (var file in SourceAndDocFiles(root))
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
                foreach (var (what, pattern) in OutsideCitations)
                    if (pattern.IsMatch(lines[i]))
                        found.Add($"{Path.GetRelativePath(root, file)}:{i + 1}: cites {what}: {lines[i].Trim()}");
        }
        Assert.That(found, Is.Empty,
            "cite the project's own docs instead (\"docs/recipe.md, <section>\"; write the fact there if it is missing):\n" + string.Join("\n", found));
    }

    [Test]
    public void Every_doc_citation_names_a_doc_and_a_heading_that_exist()
    {
        var root = Root();
        var headings = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var bad = new List<string>();
        var count = 0;
        foreach (var file in SourceAndDocFiles(root))
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
                foreach (Match m in DocCitation.Matches(lines[i]))
                {
                    count++;
                    var doc = m.Groups[1].Value;
                    if (!headings.TryGetValue(doc, out var known))
                    {
                        var path = Path.Combine(root, "docs", doc);
                        known = headings[doc] = File.Exists(path)
                            ? [.. Heading.Matches(File.ReadAllText(path)).Select(h => h.Groups[1].Value)]
                            : [];
                    }
                    var where = $"{Path.GetRelativePath(root, file)}:{i + 1}";
                    if (known.Length == 0) { bad.Add($"{where}: docs/{doc} does not exist (or has no headings)"); continue; }
                    if (!known.Any(h => CitesHeading(m.Groups[2].Value, h)))
                        bad.Add($"{where}: docs/{doc} has no heading that \"{m.Groups[2].Value.Trim()}\" starts with; its headings: {string.Join(" | ", known)}");
                }
        }
        Assert.That(count, Is.GreaterThan(0), "no \"docs/<file>.md, <section>\" citation found: is the scan looking at the repository?");
        Assert.That(bad, Is.Empty, "fix the citation or the heading:\n" + string.Join("\n", bad));
    }

    /// <summary>The cited text starts with the heading, and the heading ends at a word boundary.</summary>
    static bool CitesHeading(string cited, string heading) =>
        cited.StartsWith(heading, StringComparison.OrdinalIgnoreCase)
        && (cited.Length == heading.Length || !char.IsLetterOrDigit(cited[heading.Length]));

    [Test]
    public void The_scan_covers_sources_docs_and_scripts_without_an_extension()
    {
        var root = Root();
        var scanned = SourceAndDocFiles(root).Select(f => Path.GetRelativePath(root, f).Replace('\\', '/')).ToHashSet();
        Assert.That(scanned, Is.SupersetOf(new[] { "tools/isc", "README.md", "docs/recipe.md", "src/Isc.Recipe/Settings.cs", "tests/python/d2lv_reference.py", "build.sh" }));
        Assert.That(scanned.Where(f => f.Contains("/bin/") || f.Contains("/obj/")), Is.Empty);
    }

    [TestCase("Trainer", "Trainer", true)]
    [TestCase("Trainer: batch", "Trainer", true)]
    [TestCase("Trainers", "Trainer", false)]
    [TestCase("Network", "Trainer", false)]
    public void A_citation_matches_a_heading_only_at_a_word_boundary(string cited, string heading, bool expected) =>
        Assert.That(CitesHeading(cited, heading), Is.EqualTo(expected));

    [TestCase("see shared/RECIPE notes", true)]
    [TestCase("as ../shared/x says", true)]
    [TestCase("--artifacts=/shared/path", false)]
    [TestCase("put it on shared storage", false)]
    public void The_shared_folder_pattern_tells_a_citation_from_a_user_path(string line, bool cites) =>
        Assert.That(OutsideCitations[3].Pattern.IsMatch(line), Is.EqualTo(cites));
}
