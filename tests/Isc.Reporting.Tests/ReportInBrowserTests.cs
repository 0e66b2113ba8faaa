using System.Diagnostics;
using System.Text;
using System.Text.Json;
using NUnit.Framework;

namespace Isc.Reporting.Tests;

/// <summary>
/// The report of a real demo build (one dataset, one training, one model: about a minute), written by
/// ./build.sh --target=Report and opened in headless Chromium.
/// </summary>
[TestFixture, NonParallelizable]
public class ReportInBrowserTests
{
    const int Width = 1400, FirstScreen = 1000;
    string _artifacts = "", _demo = "", _firstReport = "";

    static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "D2lv.sln"))) return dir.FullName;
        throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
    }

    static string Build(params string[] args)
    {
        var info = new ProcessStartInfo(Path.Combine(RepoRoot(), "build.sh")) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["NO_COLOR"] = "1";
        using var p = new Process { StartInfo = info };
        var output = new StringBuilder();
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        if (!p.WaitForExit(TimeSpan.FromMinutes(10))) { p.Kill(entireProcessTree: true); Assert.Fail($"./build.sh {string.Join(' ', args)} ran over 10 minutes:\n{output}"); }
        p.WaitForExit();
        Assert.That(p.ExitCode, Is.EqualTo(0), $"./build.sh {string.Join(' ', args)}:\n{output}");
        return output.ToString();
    }

    string Report() => Build("--profile=demo", $"--artifacts={_artifacts}", "--target=Report");

    [OneTimeSetUp]
    public void BuildADemoModelAndItsReport()
    {
        Chromium.RequireInstalled();
        _artifacts = Directory.CreateTempSubdirectory("isc-report-browser-").FullName;
        _demo = Path.Combine(_artifacts, "demo");
        Build("--profile=demo", $"--artifacts={_artifacts}", "--target=Model:baseline_CC_50");
        _firstReport = Report();
    }

    [OneTimeTearDown]
    public void RemoveTheBuild() { if (Directory.Exists(_artifacts)) Directory.Delete(_artifacts, recursive: true); }

    [Test, Order(1)]
    public void The_report_reads_on_a_1400_px_screen_without_console_messages()
    {
        var html = Path.Combine(_demo, "report.html");
        var png = Path.Combine(_artifacts, "report-1400.png");
        var shot = Chromium.Screenshot(html, png, Width, FirstScreen);
        Assert.That(shot.ConsoleMessages, Is.Empty, "the report has no scripts: anything on the console is a fault");
        using (var bitmap = SkiaSharp.SKBitmap.Decode(png))
            Assert.That((bitmap.Width, bitmap.Height), Is.EqualTo((Width, FirstScreen)));
        var kept = Path.Combine(TestContext.CurrentContext.WorkDirectory, "report-1400.png");
        File.Copy(png, kept, overwrite: true);
        TestContext.AddTestAttachment(kept, "the report's first screen at 1400 px");

        // The same page with a probe that measures it once loaded (the report itself stays script-free).
        var probe = Path.Combine(_demo, "report-probe.html");
        File.WriteAllText(probe, File.ReadAllText(html).Replace("</body>", """
            <script>
            window.addEventListener('load', () => {
              const r = {
                scrollWidth: document.documentElement.scrollWidth,
                summaryBottom: document.getElementById('summary').getBoundingClientRect().bottom,
                contentsLinks: document.querySelectorAll('nav a').length,
                images: document.images.length,
                brokenImages: [...document.images].filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.alt),
                deadLinks: [...document.querySelectorAll('a[href^="#"]')].map(a => a.getAttribute('href')).filter(h => !document.getElementById(h.slice(1))),
              };
              const pre = document.createElement('pre'); pre.id = 'probe'; pre.textContent = JSON.stringify(r); document.body.appendChild(pre);
            });
            </script></body>
            """));
        var dom = Chromium.DumpDom(probe, Width, FirstScreen);
        Assert.That(dom.ConsoleMessages, Is.Empty);
        var json = System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(dom.Stdout, "<pre id=\"probe\">(.*?)</pre>").Groups[1].Value);
        Assert.That(json, Is.Not.Empty, "the probe did not run:\n" + dom.Stdout[..Math.Min(2000, dom.Stdout.Length)]);
        using var r = JsonDocument.Parse(json);
        var m = r.RootElement;
        Assert.That(m.GetProperty("scrollWidth").GetInt32(), Is.LessThanOrEqualTo(Width), "nothing scrolls sideways at 1400 px");
        Assert.That(m.GetProperty("summaryBottom").GetDouble(), Is.LessThanOrEqualTo(FirstScreen), "the whole summary is on the first screen");
        Assert.That(m.GetProperty("images").GetInt32(), Is.EqualTo(2), "one contact sheet, one run's curves");
        Assert.That(m.GetProperty("brokenImages").GetArrayLength(), Is.Zero, m.GetProperty("brokenImages").ToString());
        Assert.That(m.GetProperty("deadLinks").GetArrayLength(), Is.Zero, m.GetProperty("deadLinks").ToString());
        Assert.That(m.GetProperty("contentsLinks").GetInt32(), Is.EqualTo(HtmlReport.Sections.Count + 2), "each section, the dataset and the run");
    }

    [Test]
    public void The_console_scan_sees_what_a_faulty_page_writes()
    {
        var page = Path.Combine(_artifacts, "faulty.html");
        File.WriteAllText(page, "<!DOCTYPE html><html><body><img src=\"missing.png\"><script>console.error('broken on purpose'); noSuchFunction();</script></body></html>");
        var shot = Chromium.Screenshot(page, Path.Combine(_artifacts, "faulty.png"), Width, 300);
        Assert.That(shot.ConsoleMessages, Has.Some.Contains("broken on purpose"));
        Assert.That(shot.ConsoleMessages, Has.Some.Contains("Uncaught ReferenceError"));
    }

    [Test, Order(2)]
    public void Report_reuses_Verify_results_newer_than_every_stamp_and_verifies_again_after_a_new_stamp()
    {
        Assert.That(_firstReport, Does.Contain("Report: running Verify (there are no Verify results yet)"));
        var verify = Path.Combine(_demo, "verify.json");
        var written = File.GetLastWriteTimeUtc(verify);

        var second = Report();
        Assert.That(second, Does.Contain($"Report: using Verify's results of {written:yyyy-MM-dd HH:mm:ss} UTC"));
        Assert.That(second, Does.Not.Contain("Verify: "), "Verify's table is printed only when it runs");
        Assert.That(File.GetLastWriteTimeUtc(verify), Is.EqualTo(written));
        Assert.That(File.ReadAllText(Path.Combine(_demo, "report.html")), Does.Contain($"Results of Verify written {written:yyyy-MM-dd HH:mm:ss} UTC"));

        // An artifact stamped after the results (as a rebuild would): Report verifies again.
        File.SetLastWriteTimeUtc(Path.Combine(_demo, ".stamps", "Model@baseline_CC_50.json"), DateTime.UtcNow);
        var third = Report();
        Assert.That(third, Does.Contain("Report: running Verify (Model:baseline_CC_50 was stamped after them)"));
        Assert.That(third, Does.Contain("Verify: "));
        Assert.That(File.GetLastWriteTimeUtc(verify), Is.GreaterThan(written));

        // A changed setting moves no stamp, yet makes the training stale: Report verifies again and shows the mismatch.
        written = File.GetLastWriteTimeUtc(verify);
        var fourth = Build("--profile=demo", $"--artifacts={_artifacts}", "--target=Report", "--set=Train:baseline_CC_50.epochs=2");
        Assert.That(fourth, Does.Contain("Report: running Verify (Train:baseline_CC_50: MISMATCH: "));
        Assert.That(File.GetLastWriteTimeUtc(verify), Is.GreaterThan(written));
        Assert.That(File.ReadAllText(Path.Combine(_demo, "report.html")), Does.Contain("mismatched</td>"));
    }
}
