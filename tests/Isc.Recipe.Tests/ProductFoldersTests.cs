using System.Text.RegularExpressions;
using NUnit.Framework;

namespace Isc.Recipe.Tests;

/// <summary>
/// What the product runs lives in the product's folders (src/, build/, tools/, the build scripts): nothing there names a
/// file under tests/, so a checkout without its tests (or a test change) cannot change what a build does.
/// </summary>
[TestFixture]
public class ProductFoldersTests
{
    // "tests/...", "tests\...", or the folder as a path segment: Path.Combine(root, "tests", ...).
    static readonly Regex TestsFolder = new(@"(?<![\w.-])tests[/\\]|""tests""");
    static readonly HashSet<string> Skipped = new(StringComparer.Ordinal) { "bin", "obj", "__pycache__" };

    static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "D2lv.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("D2lv.sln not found above the test folder");
    }

    static IEnumerable<string> Files(string dir) =>
        Directory.EnumerateFiles(dir).Concat(Directory.EnumerateDirectories(dir)
            .Where(d => !Skipped.Contains(Path.GetFileName(d))).SelectMany(Files));

    [Test]
    public void No_product_file_refers_to_the_tests_folder()
    {
        var root = Root();
        var files = new[] { "src", "build", "tools" }.SelectMany(d => Files(Path.Combine(root, d)))
            .Concat(new[] { "build.sh", "build.ps1" }.Select(f => Path.Combine(root, f))).ToList();
        Assert.That(files, Has.Some.EndsWith(Path.Combine("Tasks", "VerifyTask.cs")), "the scan should reach the build's tasks");
        var found = files
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (f, Line: i + 1, Text: line)))
            .Where(l => TestsFolder.IsMatch(l.Text))
            .Select(l => $"{Path.GetRelativePath(root, l.f)}:{l.Line}: {l.Text.Trim()}").ToList();
        Assert.That(found, Is.Empty, "product code must not use files from tests/; move what it needs to a product folder (e.g. tools/python/)");
    }
}
