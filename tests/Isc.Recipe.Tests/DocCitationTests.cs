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
    static readonly HashSet<string> SkippedFolders = new(StringComparer.Ordinal) { ".git", "bin", "obj", "artifacts", "TestResults", "__pycache__" };

    // A mention of a Markdown file ("notes.md", "../x/notes.md"): it must name a file of the repository.
    static readonly Regex MarkdownMention = new(@"(?<![\w/.:-])((?:\.{1,2}/|[\w-]+/)*[\w-]+\.md)\b");
    // Markdown files the project writes itself (not citations): the GPU check's report, the comparison's table.
    static readonly string[] WrittenByTheProject = ["gpu-check.md", Isc.Recipe.Layouts.EvaluationFolder.ComparisonTableFileName];
    // A numbered-section citation ("section 4", "§3"): the project's docs are cited by heading, never by number.
    static readonly Regex NumberedSection = new(@"§\s*\d|\bsection \d");

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
                foreach (var problem in OutsideCitations(root, file, lines[i]))
                    found.Add($"{Path.GetRelativePath(root, file)}:{i + 1}: {problem}: {lines[i].Trim()}");
        }
        Assert.That(found, Is.Empty,
            "cite the project's own docs instead (\"docs/recipe.md, <section>\"; write the fact there if it is missing):\n" + string.Join("\n", found));
    }

    /// <summary>What in <paramref name="line"/> of <paramref name="file"/> points outside the repository.</summary>
    static IEnumerable<string> OutsideCitations(string root, string file, string line)
    {
        if (NumberedSection.IsMatch(line)) yield return "cites a numbered section";
        foreach (Match m in MarkdownMention.Matches(line))
        {
            var name = m.Groups[1].Value;
            if (WrittenByTheProject.Contains(Path.GetFileName(name))) continue;
            if (!InRepository(root, file, name)) yield return $"names {name}, which is not a file of the repository";
        }
    }

    /// <summary>A Markdown file named relative to the citing file, the repository root or docs/, that exists inside the repository.</summary>
    static bool InRepository(string root, string file, string name) =>
        new[] { Path.GetDirectoryName(file)!, root, Path.Combine(root, "docs") }
            .Select(dir => Path.GetFullPath(Path.Combine(dir, name)))
            .Any(full => full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) && File.Exists(full));

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
        Assert.That(scanned, Is.SupersetOf(new[] { "tools/isc", "README.md", "docs/recipe.md", "src/Isc.Recipe/Settings.cs", "tools/python/d2lv_reference.py", "build.sh" }));
        Assert.That(scanned.Where(f => f.Contains("/bin/") || f.Contains("/obj/")), Is.Empty);
    }

    [TestCase("Trainer", "Trainer", true)]
    [TestCase("Trainer: batch", "Trainer", true)]
    [TestCase("Trainers", "Trainer", false)]
    [TestCase("Network", "Trainer", false)]
    public void A_citation_matches_a_heading_only_at_a_word_boundary(string cited, string heading, bool expected) =>
        Assert.That(CitesHeading(cited, heading), Is.EqualTo(expected));

    [TestCase("the facts are in docs/recipe.md, Trainer", false)]
    [TestCase("see README.md", false)]
    [TestCase("see the notes in ../notes/facts.md", true)]
    [TestCase("as facts.md says", true)]
    [TestCase("as its section 4 says", true)]
    [TestCase("--artifacts=/data/path", false)]
    public void A_citation_outside_the_repository_is_told_from_one_inside(string line, bool outside)
    {
        var root = Root();
        Assert.That(OutsideCitations(root, Path.Combine(root, "README.md"), line).Any(), Is.EqualTo(outside));
    }
}
