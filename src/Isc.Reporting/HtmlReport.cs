using System.Net;
using System.Text;

namespace Isc.Reporting;

/// <summary>One self-contained HTML page (pictures embedded) for a profile's artifacts.</summary>
public static class HtmlReport
{
    public static string Render(ReportData data)
    {
        var h = new StringBuilder();
        h.Append($"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>D2LV reproduction report: {E(data.Profile)}</title>
            <style>
              body {'{'} font-family: system-ui, sans-serif; margin: 2em; color: #222; {'}'}
              table {'{'} border-collapse: collapse; margin-bottom: 1.5em; font-size: 0.9em; {'}'}
              th, td {'{'} border: 1px solid #ccc; padding: 3px 8px; text-align: left; {'}'}
              th {'{'} background: #f0f0f0; {'}'}
              .bad {'{'} color: #b00; font-weight: bold; {'}'} .ok {'{'} color: #070; {'}'}
              img {'{'} max-width: 100%; border: 1px solid #ddd; margin: 4px 0 16px; {'}'}
              code {'{'} font-size: 0.9em; {'}'}
            </style></head><body>
            <h1>D2LV reproduction report: profile <code>{E(data.Profile)}</code></h1>
            <p>Artifacts in <code>{E(data.Root)}</code>: {data.Stamps.Count} built artifacts, {data.Runs.Count} training runs with metrics,
            {data.ContactSheets.Count} datasets with contact sheets.</p>
            """);
        Artifacts(h, data);
        VerifyTable(h, data);
        Curves(h, data);
        Sheets(h, data);
        h.Append("<h2>Environment</h2><table>");
        foreach (var (k, v) in data.Environment) h.Append($"<tr><th>{E(k)}</th><td>{E(v)}</td></tr>");
        h.Append("</table></body></html>\n");
        return h.ToString();
    }

    static void Artifacts(StringBuilder h, ReportData data)
    {
        h.Append("<h2>Artifacts</h2><table><tr><th>artifact</th><th>step</th><th>state</th><th>finished (UTC)</th><th>duration</th><th>size</th><th>stamp</th></tr>");
        var verdicts = data.Verify?.ToDictionary(v => v.Artifact, StringComparer.OrdinalIgnoreCase);
        foreach (var s in data.Stamps)
        {
            var v = verdicts?.GetValueOrDefault(s.Artifact);
            var state = v is null ? "<td>built</td>" : $"<td class=\"{(v.Ok ? "ok" : "bad")}\">{E(v.Verdict)}</td>";
            var bytes = s.Outputs.Sum(o => o.Size);
            h.Append($"<tr><td><code>{E(s.Artifact)}</code></td><td>{E(s.Step)} v{s.StepVersion}</td>{state}<td>{s.FinishedUtc:yyyy-MM-dd HH:mm:ss}</td>" +
                     $"<td>{TimeSpan.FromSeconds(s.Seconds):hh\\:mm\\:ss}</td><td>{Size(bytes)}</td><td><code>{s.Hash[..12]}</code></td></tr>");
        }
        h.Append("</table>");
    }

    static void VerifyTable(StringBuilder h, ReportData data)
    {
        h.Append("<h2>Verify</h2>");
        if (data.Verify is null) { h.Append("<p>No verify.json: run <code>./build.sh --target=Verify</code> (Report runs it first).</p>"); return; }
        var bad = data.Verify.Count(v => !v.Ok);
        var notBuilt = data.Verify.Count(v => v.Verdict == "not built");
        h.Append($"<p class=\"{(bad == 0 ? "ok" : "bad")}\">{data.Verify.Count - bad - notBuilt} ok, {bad} mismatched, {notBuilt} not built.</p><table><tr><th>artifact</th><th>verdict</th></tr>");
        foreach (var v in data.Verify) h.Append($"<tr><td><code>{E(v.Artifact)}</code></td><td class=\"{(v.Ok ? "ok" : "bad")}\">{E(v.Verdict)}</td></tr>");
        h.Append("</table>");
    }

    static void Curves(StringBuilder h, ReportData data)
    {
        h.Append("<h2>Training curves</h2>");
        if (data.Runs.Count == 0) h.Append("<p>No training has written metrics yet.</p>");
        foreach (var (run, csv) in data.Runs)
        {
            h.Append($"<h3><code>{E(run)}</code></h3>");
            try
            {
                var series = TrainingCurves.Read(csv);
                h.Append($"<img alt=\"training curves of {E(run)}\" src=\"data:image/png;base64,{Convert.ToBase64String(TrainingCurves.Png(series, run))}\">");
            }
            catch (Exception e) when (e is InvalidDataException or FormatException or IndexOutOfRangeException)
            {
                h.Append($"<p class=\"bad\">metrics unreadable: {E(e.Message)}</p>");
            }
        }
    }

    static void Sheets(StringBuilder h, ReportData data)
    {
        h.Append("<h2>Datasets: contact sheets</h2>");
        foreach (var (dataset, png) in data.ContactSheets)
            h.Append($"<h3><code>{E(dataset)}</code></h3><img alt=\"contact sheet of {E(dataset)}\" src=\"data:image/png;base64,{Convert.ToBase64String(File.ReadAllBytes(png))}\">");
    }

    static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):F1} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):F1} MiB",
        >= 1L << 10 => $"{bytes / 1024.0:F1} KiB",
        _ => $"{bytes} B",
    };

    static string E(string s) => WebUtility.HtmlEncode(s);
}
