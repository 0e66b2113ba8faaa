using System.Net;
using System.Text;
using Isc.Artifacts;
using Isc.Recipe;

namespace Isc.Reporting;

/// <summary>
/// One self-contained HTML page (pictures embedded) for a profile's artifacts: a summary and a table of contents
/// first, then the artifact table, Verify, datasets, training curves, the evaluation and the environment.
/// </summary>
public static partial class HtmlReport
{
    /// <summary>The page's sections, in order: (anchor, heading). The table of contents links to each.</summary>
    public static readonly IReadOnlyList<(string Id, string Title)> Sections =
    [
        ("summary", "Summary"), ("artifacts", "Artifacts"), ("verify", "Verify"), ("datasets", "Datasets"),
        ("curves", "Training curves"), ("evaluation", "Evaluation"), ("environment", "Environment"),
    ];

    public static string Render(ReportData data)
    {
        var h = new StringBuilder();
        h.Append($"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>D2LV reproduction report: {E(data.Profile)}</title>
            <style>
              body {'{'} font-family: system-ui, sans-serif; margin: 2em; color: #222; max-width: 1300px; {'}'}
              table {'{'} border-collapse: collapse; margin-bottom: 1.5em; font-size: 0.9em; {'}'}
              th, td {'{'} border: 1px solid #ccc; padding: 3px 8px; text-align: left; vertical-align: top; {'}'}
              th {'{'} background: #f0f0f0; {'}'}
              td.num {'{'} text-align: right; white-space: nowrap; {'}'} td.when {'{'} white-space: nowrap; {'}'}
              .bad {'{'} color: #b00; font-weight: bold; {'}'} .ok {'{'} color: #070; {'}'}
              .note {'{'} background: #fff8dc; border-left: 4px solid #e0b000; padding: 6px 10px; {'}'}
              img {'{'} max-width: 100%; border: 1px solid #ddd; margin: 4px 0; {'}'}
              figure {'{'} margin: 0 0 1.2em; {'}'} figcaption {'{'} font-size: 0.85em; color: #555; {'}'}
              code {'{'} font-size: 0.9em; {'}'}
              nav ol {'{'} margin: 0; {'}'} nav li {'{'} margin: 2px 0; {'}'}
              nav .runs {'{'} font-size: 0.85em; {'}'}
              .cards {'{'} display: flex; flex-wrap: wrap; gap: 1.5em; align-items: flex-start; {'}'}
              details summary {'{'} cursor: pointer; margin-bottom: 0.5em; {'}'}
            </style></head><body>
            <h1>D2LV reproduction report: profile <code>{E(data.Profile)}</code></h1>
            <p>Artifacts in <code>{E(data.Root)}</code>.</p>
            """);
        Contents(h, data);
        Summary(h, data);
        Artifacts(h, data);
        VerifyTable(h, data);
        Datasets(h, data);
        Curves(h, data);
        Evaluation(h, data.Evaluation);
        Section(h, "environment");
        h.Append("<table>");
        foreach (var (k, v) in data.Environment) h.Append($"<tr><th>{E(k)}</th><td>{E(v)}</td></tr>");
        h.Append("</table></section></body></html>\n");
        return h.ToString();
    }

    static void Contents(StringBuilder h, ReportData data)
    {
        h.Append("<nav id=\"contents\"><h2>Contents</h2><ol>");
        foreach (var (id, title) in Sections)
        {
            h.Append($"<li><a href=\"#{id}\">{E(title)}</a>");
            var subs = id switch
            {
                "datasets" => data.ContactSheets.Select(d => (DatasetAnchor(d.Dataset), d.Dataset)).ToList(),
                "curves" => data.Runs.Select(r => (RunAnchor(r.Run), r.Run)).ToList(),
                "evaluation" => data.Evaluation.Curves.Select(f => (FamilyAnchor(f.Family), $"{f.Family} precision-recall")).ToList(),
                _ => [],
            };
            if (subs.Count > 0)
                h.Append("<div class=\"runs\">").AppendJoin(", ", subs.Select(s => $"<a href=\"#{s.Item1}\">{E(s.Item2)}</a>")).Append("</div>");
            h.Append("</li>");
        }
        h.Append("</ol></nav>");
    }

    static void Summary(StringBuilder h, ReportData data)
    {
        Section(h, "summary");
        h.Append("<div class=\"cards\">");
        // Each block is one small table.
        CountsBlock(h, data);
        TimeBlock(h, data);
        EvaluationBlock(h, data.Evaluation);
        h.Append("</div></section>");
    }

    static void CountsBlock(StringBuilder h, ReportData data)
    {
        var verdicts = data.Verify?.ToDictionary(v => v.Artifact, StringComparer.OrdinalIgnoreCase);
        h.Append("<table class=\"summary\"><tr><th colspan=\"2\">counts</th></tr>");
        h.Append($"<tr><th>artifacts built</th><td class=\"num\">{data.Stamps.Count}</td></tr>");
        if (data.Verify is null)
            h.Append("<tr><th>up to date</th><td>not checked: no Verify results</td></tr>");
        else
        {
            h.Append($"<tr><th>up to date</th><td class=\"num\">{data.Stamps.Count(s => verdicts!.GetValueOrDefault(s.Artifact)?.Ok == true)}</td></tr>");
            h.Append($"<tr><th>not built</th><td class=\"num\">{data.Verify.Count(v => v.Verdict == "not built")}</td></tr>");
        }
        var contents = data.Stamps.Where(s => ArtifactKinds.OfTarget(s.Artifact) == ArtifactKind.Dataset)
            .Select(s => data.Contents.GetValueOrDefault(s.Artifact)).OfType<ContentSize>().ToList();
        var datasetSize = contents.Count > 0 ? $" ({contents.Sum(c => c.Files):N0} images, {Size(contents.Sum(c => c.Bytes))})" : "";
        h.Append($"<tr><th>datasets</th><td class=\"num\">{Built(data, ArtifactKind.Dataset)} of {Isc.Recipe.Datasets.All.Count}{datasetSize}</td></tr>");
        h.Append($"<tr><th>trainings</th><td class=\"num\">{Built(data, ArtifactKind.Training)} of {Runs.All.Count}</td></tr>");
        h.Append($"<tr><th>models</th><td class=\"num\">{Built(data, ArtifactKind.Model)} of {Runs.All.Count}</td></tr>");
        h.Append("<tr><th>Verify</th>");
        if (data.Verify is null) h.Append("<td>not run</td>");
        else
        {
            var bad = data.Verify.Count(v => !v.Ok);
            h.Append(bad == 0 ? "<td class=\"ok\">ok</td>" : $"<td class=\"bad\">{bad} mismatched</td>");
        }
        h.Append("</tr></table>");
    }

    static int Built(ReportData data, ArtifactKind kind) => data.Stamps.Count(s => ArtifactKinds.OfTarget(s.Artifact) == kind);

    static void TimeBlock(StringBuilder h, ReportData data)
    {
        h.Append("<table class=\"summary\"><tr><th colspan=\"2\">build time (from the stamps)</th></tr>");
        h.Append($"<tr><th>steps, summed</th><td class=\"num\">{Duration(data.Stamps.Sum(s => s.Seconds))}</td></tr>");
        var started = data.Stamps.Where(s => s.StartedUtc != default).Select(s => s.StartedUtc).ToList();
        if (started.Count > 0 && data.Stamps.Count > 0)
        {
            var first = started.Min();
            var last = data.Stamps.Max(s => s.FinishedUtc);
            h.Append($"<tr><th>first step started</th><td>{first:yyyy-MM-dd HH:mm:ss} UTC</td></tr>");
            h.Append($"<tr><th>last step finished</th><td>{last:yyyy-MM-dd HH:mm:ss} UTC</td></tr>");
            h.Append($"<tr><th>elapsed between</th><td class=\"num\">{Duration((last - first).TotalSeconds)}</td></tr>");
        }
        if (data.VerifyFrom is { } v) h.Append($"<tr><th>Verify results of</th><td>{v.WrittenUtc:yyyy-MM-dd HH:mm:ss} UTC</td></tr>");
        h.Append("</table>");
    }

    static void Artifacts(StringBuilder h, ReportData data)
    {
        Section(h, "artifacts");
        h.Append("<p>Size: the files an artifact wrote; for a folder with a manifest (a dataset), the total of the files the manifest records.</p>");
        h.Append("<table><tr><th>artifact</th><th>step</th><th>state</th><th>finished (UTC)</th><th>duration</th><th>size</th><th>stamp</th></tr>");
        var verdicts = data.Verify?.ToDictionary(v => v.Artifact, StringComparer.OrdinalIgnoreCase);
        foreach (var s in data.Stamps)
        {
            var v = verdicts?.GetValueOrDefault(s.Artifact);
            var state = v is null ? "<td>built</td>" : $"<td class=\"{(v.Ok ? "ok" : "bad")}\">{E(v.Verdict)}</td>";
            h.Append($"<tr><td><code>{E(s.Artifact)}</code></td><td>{E(s.Step)} v{s.StepVersion}</td>{state}<td class=\"when\">{s.FinishedUtc:yyyy-MM-dd HH:mm:ss}</td>" +
                     $"<td class=\"num\">{Duration(s.Seconds)}</td>{SizeCell(s, data)}<td><code>{s.Hash[..12]}</code></td></tr>");
        }
        h.Append("</table></section>");
    }

    static string SizeCell(Isc.Artifacts.Stamp s, ReportData data)
    {
        if (data.Contents.GetValueOrDefault(s.Artifact) is not { } c) return $"<td class=\"num\">{Size(s.Outputs.Sum(o => o.Size))}</td>";
        if (c.Problem is not null) return $"<td class=\"bad\">manifest unreadable: {E(c.Problem)}</td>";
        var what = ArtifactKinds.OfTarget(s.Artifact) == ArtifactKind.Dataset ? "images" : "files";
        return $"<td class=\"num\">{Size(c.Bytes)} in {c.Files:N0} {what}</td>";
    }

    static void VerifyTable(StringBuilder h, ReportData data)
    {
        Section(h, "verify");
        if (data.Verify is null) { h.Append("<p>No verify.json: run <code>./build.sh --target=Verify</code> (Report runs it first).</p></section>"); return; }
        var from = data.VerifyFrom!;
        h.Append($"<p>Results of Verify written {from.WrittenUtc:yyyy-MM-dd HH:mm:ss} UTC (<code>{E(from.Path)}</code>).</p>");
        if (from.StampedAfter is not null)
            h.Append($"<p class=\"bad\"><code>{E(from.StampedAfter)}</code> was built after these results; run <code>./build.sh --target=Verify</code> for current ones.</p>");
        var bad = data.Verify.Count(v => !v.Ok);
        var notBuilt = data.Verify.Count(v => v.Verdict == "not built");
        h.Append($"<p class=\"{(bad == 0 ? "ok" : "bad")}\">{data.Verify.Count - bad - notBuilt} ok, {bad} mismatched, {notBuilt} not built.</p>");
        if (bad > 0) Rows(h, data.Verify.Where(v => !v.Ok));
        h.Append($"<details><summary>All {data.Verify.Count} rows</summary>");
        Rows(h, data.Verify);
        h.Append("</details></section>");
    }

    static void Rows(StringBuilder h, IEnumerable<VerifyRow> rows)
    {
        h.Append("<table><tr><th>artifact</th><th>verdict</th></tr>");
        foreach (var v in rows) h.Append($"<tr><td><code>{E(v.Artifact)}</code></td><td class=\"{(v.Ok ? "ok" : "bad")}\">{E(v.Verdict)}</td></tr>");
        h.Append("</table>");
    }

    static void Datasets(StringBuilder h, ReportData data)
    {
        Section(h, "datasets");
        var built = data.Stamps.Where(s => ArtifactKinds.OfTarget(s.Artifact) == ArtifactKind.Dataset).ToList();
        if (built.Count == 0) h.Append("<p>No dataset built yet.</p>");
        else
        {
            h.Append("<table><tr><th>dataset</th><th>images</th><th>size of the images</th></tr>");
            foreach (var s in built)
            {
                var c = data.Contents.GetValueOrDefault(s.Artifact);
                var cells = c is null || c.Problem is not null
                    ? $"<td colspan=\"2\" class=\"bad\">no readable manifest{(c?.Problem is { } p ? ": " + E(p) : "")}</td>"
                    : $"<td class=\"num\">{c.Files:N0}</td><td class=\"num\">{Size(c.Bytes)}</td>";
                h.Append($"<tr><td><code>{E(s.Artifact[ArtifactKinds.DatasetPrefix.Length..])}</code></td>{cells}</tr>");
            }
            h.Append("</table>");
        }
        foreach (var (dataset, png) in data.ContactSheets)
            h.Append($"<h3 id=\"{DatasetAnchor(dataset)}\"><code>{E(dataset)}</code>: contact sheet</h3>" +
                     $"<img alt=\"contact sheet of {E(dataset)}\" src=\"data:image/png;base64,{Convert.ToBase64String(File.ReadAllBytes(png))}\">");
        h.Append("</section>");
    }

    static void Curves(StringBuilder h, ReportData data)
    {
        Section(h, "curves");
        var profile = Profiles.Get(data.Profile);
        var note = FlatLossNote(profile);
        if (note is not null) h.Append($"<p class=\"note\">{E(note)}</p>");
        if (data.Runs.Count == 0) h.Append("<p>No training has written metrics yet.</p>");
        foreach (var (run, csv) in data.Runs)
        {
            h.Append($"<h3 id=\"{RunAnchor(run)}\"><code>{E(run)}</code></h3>");
            try
            {
                var series = TrainingCurves.Read(csv);
                h.Append($"<figure><img alt=\"training curves of {E(run)}\" src=\"data:image/png;base64,{Convert.ToBase64String(TrainingCurves.Png(series, run))}\">");
                if (note is not null) h.Append($"<figcaption>Demo profile: a short, noisy curve is expected at width {profile.Model.StemWidth} (see the note above).</figcaption>");
                h.Append("</figure>");
            }
            catch (Exception e) when (e is InvalidDataException or FormatException or IndexOutOfRangeException)
            {
                h.Append($"<p class=\"bad\">metrics unreadable: {E(e.Message)}</p>");
            }
        }
        h.Append("</section>");
    }

    /// <summary>The demo's tiny trainings give short, noisy curves; said so that nobody takes them for a fault.</summary>
    public static string? FlatLossNote(Profile profile)
    {
        if (!profile.Source.Synthetic) return null;
        var t = profile.Training;
        var schedule = t.WarmupEpochs == 0
            ? $"at a learning rate of {t.LearningRate:G3}, without warm-up"
            : $"{(t.WarmupEpochs == 1 ? "the first epoch" : $"the first {t.WarmupEpochs} epochs")} at warm-up learning rates (from {t.WarmupStartFactor:0.##} × {t.LearningRate:G3})";
        return $"Demo profile: width-{profile.Model.StemWidth} networks trained for {t.Epochs} epochs × {t.IterationsPerEpoch} iterations, {schedule}: " +
               "a short, noisy loss curve (a cross-entropy that barely moves, a triplet loss that falls) is expected, not a fault.";
    }

    static void Section(StringBuilder h, string id) =>
        h.Append($"<section id=\"{id}\"><h2>{E(Sections.First(s => s.Id == id).Title)}</h2>");

    static string RunAnchor(string run) => "run-" + run;
    static string DatasetAnchor(string dataset) => "dataset-" + dataset;

    static string Duration(double seconds)
    {
        var t = TimeSpan.FromSeconds(seconds);
        return $"{(int)t.TotalHours}:{t:mm\\:ss}";
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
