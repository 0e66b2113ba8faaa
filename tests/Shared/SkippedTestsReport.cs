using NUnit.Framework;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;

/// <summary>
/// At the end of each test assembly (no namespace: it wraps the whole assembly) prints how many tests were skipped
/// and why, so a plain `dotnet test` never passes by skipping without saying so.
/// </summary>
[SetUpFixture]
public sealed class SkippedTestsReport
{
    [OneTimeTearDown]
    public void Report()
    {
        var skipped = new List<ITestResult>();
        Collect(TestExecutionContext.CurrentContext.CurrentResult, skipped);
        if (skipped.Count == 0) return;
        var assembly = typeof(SkippedTestsReport).Assembly.GetName().Name;
        var lines = new List<string> { $"{assembly}: {skipped.Count} test(s) skipped:" };
        foreach (var group in skipped.GroupBy(r => FirstLine(r.Message)).OrderByDescending(g => g.Count()))
            lines.Add($"  {group.Count()} x {group.Key} (e.g. {group.First().Test.Name})");
        lines.Add($"  ./build.sh --target=Test installs what they need and runs them all; with {Isc.Tests.Prerequisites.RequireAllVariable}=1 or CI=true a missing prerequisite fails its test.");
        // dotnet test shows a setup fixture's error output at its default verbosity (progress output only at normal).
        foreach (var line in lines) TestContext.Error.WriteLine(line);
    }

    static void Collect(ITestResult result, List<ITestResult> skipped)
    {
        if (!result.HasChildren)
        {
            if (result.Test.IsSuite) return;
            if (result.ResultState.Status is TestStatus.Skipped or TestStatus.Inconclusive) skipped.Add(result);
            return;
        }
        foreach (var child in result.Children) Collect(child, skipped);
    }

    static string FirstLine(string? message) =>
        string.IsNullOrWhiteSpace(message) ? "(no reason given)" : message.Trim().Split('\n')[0].Trim();
}
