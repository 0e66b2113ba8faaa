using Isc.Cli.Commands;
using Isc.Evaluation;
using NUnit.Framework;

namespace Isc.Cli.Tests;

/// <summary>`isc report` reads the evaluation set and the verdict's tolerance from the profile, overridable with --set.</summary>
[TestFixture]
public class ReportCommandTests
{
    string _root = "";

    [SetUp] public void CreateRoot() => _root = Directory.CreateTempSubdirectory("isc-report-cmd-").FullName;
    [TearDown] public void DeleteRoot() => Directory.Delete(_root, recursive: true);

    void Metrics(string set, string model, double averagePrecision)
    {
        var dir = Path.Combine(_root, "eval", set, model);
        Directory.CreateDirectory(dir);
        new MatchingMetrics(averagePrecision, 0.25, null, 0.5, 0.75, 40, 40, 20, 200, 0).Save(Path.Combine(dir, "metrics.json"));
    }

    async Task<string> Report(params string[] extra)
    {
        var output = Path.Combine(_root, "report.html");
        var code = await new ReportCommand().RunAsync(new CommandArgs(["--root", _root, "--profile", "demo", "--out", output, .. extra]), CancellationToken.None);
        Assert.That(code, Is.Zero);
        var html = File.ReadAllText(output);
        return html[html.IndexOf("<section id=\"evaluation\">", StringComparison.Ordinal)..];
    }

    static string VerdictOf(string section, string run)
    {
        var row = section[section.IndexOf($"<tr><td><code>{run}</code>", StringComparison.Ordinal)..];
        return row[..row.IndexOf("</tr>", StringComparison.Ordinal)];
    }

    [Test]
    public async Task The_tolerance_and_the_set_follow_the_profile_and_its_set_overrides()
    {
        Metrics("demo", "blur_CC_50", 0.4);
        Metrics("demo", "Published_blur_CC_50", 0.5);
        Metrics("subset1", "blur_CC_50", 0.45);
        Metrics("subset1", "Published_blur_CC_50", 0.5);

        Assert.That(VerdictOf(await Report(), "blur_CC_50"), Does.Contain(">fail<"), "the demo profile's tolerance is 0.02");
        Assert.That(VerdictOf(await Report("--set", "CompareTolerance=0.1"), "blur_CC_50"), Does.Contain(">pass<"));
        var subset = await Report("--set", "Set=subset1");
        Assert.That(subset, Does.Contain("Set <code>subset1</code>"));
        Assert.That(VerdictOf(subset, "blur_CC_50"), Does.Contain("0.4500").And.Contain(">fail<"));
        Assert.That(async () => await Report("--set", "CompareTolerance=2"), Throws.Exception.With.Message.Contains("CompareTolerance"));
    }
}
