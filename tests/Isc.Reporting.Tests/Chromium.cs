using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using NUnit.Framework;

namespace Isc.Reporting.Tests;

/// <summary>
/// Debian's headless Chromium (/usr/bin/chromium), run offline in a fresh profile: it opens a local page and either
/// saves a screenshot or prints the DOM after the page's scripts ran, and reports what the page wrote to its console.
/// </summary>
public static class Chromium
{
    public const string Path = "/usr/bin/chromium";

    public sealed record Result(string Stdout, IReadOnlyList<string> ConsoleMessages);

    public static void RequireInstalled()
    {
        if (!File.Exists(Path))
            Assert.Fail($"{Path} not found: the report's browser test needs Debian's chromium; install it with " +
                        "`apt-get install -y --no-install-recommends chromium`");
    }

    public static Result Screenshot(string page, string png, int width, int height) =>
        Run(page, [$"--window-size={width},{height}", "--hide-scrollbars", $"--screenshot={png}"]);

    /// <summary>The DOM once the page has loaded and its scripts have run (up to 10 s of page time).</summary>
    public static Result DumpDom(string page, int width, int height) =>
        Run(page, [$"--window-size={width},{height}", "--virtual-time-budget=10000", "--dump-dom"]);

    static Result Run(string page, IEnumerable<string> mode)
    {
        RequireInstalled();
        var profile = Directory.CreateTempSubdirectory("isc-chromium-");
        try
        {
            var info = new ProcessStartInfo(Path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            // Without these, Chromium as root refuses to start (sandbox) or reaches for the network (updates, sync).
            foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                                      "--disable-component-update", "--disable-sync", $"--user-data-dir={profile.FullName}",
                                      "--enable-logging=stderr", "--v=0" })
                info.ArgumentList.Add(a);
            foreach (var a in mode) info.ArgumentList.Add(a);
            info.ArgumentList.Add(new Uri(System.IO.Path.GetFullPath(page)).AbsoluteUri);
            using var p = new Process { StartInfo = info };
            var stdout = new StringBuilder();
            var stderr = new StringBuilder();
            p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.AppendLine(e.Data); };
            p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
            p.Start();
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            if (!p.WaitForExit(TimeSpan.FromSeconds(90)))
            {
                p.Kill(entireProcessTree: true);
                Assert.Fail($"chromium did not finish with {page} in 90 s:\n{stderr}");
            }
            p.WaitForExit();
            Assert.That(p.ExitCode, Is.EqualTo(0), $"chromium failed on {page}:\n{stderr}");
            // Chromium logs every console call (log, warn, error, uncaught exceptions) as INFO:CONSOLE; levels are not told apart.
            var console = Regex.Matches(stderr.ToString(), @"^\[[^\]]*:CONSOLE[^\]]*\] (.*)$", RegexOptions.Multiline).Select(m => m.Groups[1].Value.TrimEnd()).ToList();
            return new Result(stdout.ToString(), console);
        }
        finally { profile.Delete(recursive: true); }
    }
}
