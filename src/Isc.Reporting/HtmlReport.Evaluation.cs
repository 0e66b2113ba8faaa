using System.Globalization;
using System.Text;
using Isc.Evaluation;

namespace Isc.Reporting;

/// <summary>The evaluation section and its summary block.</summary>
public static partial class HtmlReport
{
    /// <summary>What a table shows where a value is unknown (not evaluated, or its metrics.json unreadable).</summary>
    public const string Missing = "—";

    static void EvaluationBlock(StringBuilder h, EvaluationResults ev)
    {
        h.Append($"<table class=\"summary\"><tr><th colspan=\"2\">evaluation (set {E(ev.Set)})</th></tr>");
        if (!ev.Any)
        {
            h.Append("<tr><th>models evaluated</th><td>none yet</td></tr></table>");
            return;
        }
        h.Append($"<tr><th>runs</th><td class=\"num\">{ev.Runs.Count(r => r.Rebuilt.Metrics is not null)} of {ev.Runs.Count}</td></tr>");
        h.Append($"<tr><th>published models</th><td class=\"num\">{ev.Runs.Count(r => r.Published.Metrics is not null)} of {ev.Runs.Count}</td></tr>");
        h.Append($"<tr><th>backbone baselines</th><td class=\"num\">{ev.Baselines.Count(b => b.Metrics.Metrics is not null)} of {ev.Baselines.Count}</td></tr>");
        var (pass, fail, incomplete) = (Count(ev, Verdict.Pass), Count(ev, Verdict.Fail), Count(ev, Verdict.Incomplete));
        h.Append($"<tr><th>reproductions</th><td class=\"{(fail > 0 ? "bad" : pass > 0 && incomplete == 0 ? "ok" : "")}\">{pass} pass, {fail} fail, {incomplete} incomplete</td></tr>");
        h.Append("</table>");
    }

    static int Count(EvaluationResults ev, Verdict verdict) => ev.Runs.Count(r => r.Reproduction.Verdict == verdict);

    static void Evaluation(StringBuilder h, EvaluationResults ev)
    {
        Section(h, "evaluation");
        if (!ev.Any)
        {
            h.Append($"<p>No evaluation on set <code>{E(ev.Set)}</code> yet (no metrics.json in <code>{E(ev.Directory)}</code>): " +
                     "run <code>./build.sh --target=Evaluations</code>.</p></section>");
            return;
        }
        h.Append($"<p>Set <code>{E(ev.Set)}</code> (<code>{E(ev.Directory)}</code>): {SetSize(ev)}. ");
        h.Append($"A rebuilt run <b>passes</b> when its µAP is at least its published model's µAP minus {Number(ev.Tolerance)} " +
                 "(the tolerance, Evaluation.CompareTolerance); it is <b>incomplete</b> while either µAP is missing. " +
                 "Difference: rebuilt µAP − published µAP.</p>");
        var disagreement = SizeDisagreement(ev);
        if (disagreement is not null) h.Append($"<p class=\"bad\">{disagreement}</p>");
        if (ev.Problems.Count > 0)
        {
            h.Append("<div class=\"note\"><p>Part of the evaluation could not be read; the tables and plots show the rest:</p><ul>");
            foreach (var p in ev.Problems) h.Append($"<li>{E(p)}</li>");
            h.Append("</ul></div>");
        }

        h.Append($"<h3>Runs ({ev.Runs.Count(r => r.Rebuilt.Metrics is not null)} of {ev.Runs.Count} evaluated)</h3>");
        h.Append("<table class=\"evaluation\"><tr><th>run</th><th>µAP</th><th>recall at P90</th><th>recall at rank 1</th><th>recall at rank 10</th>" +
                 "<th>published µAP</th><th>difference</th><th>verdict</th></tr>");
        foreach (var r in ev.Runs)
        {
            h.Append($"<tr><td><code>{E(r.Run.Name)}</code>{Unreadable(r.Rebuilt)}</td>{MetricCells(r.Rebuilt.Metrics)}");
            h.Append($"<td class=\"num\">{Value(r.Published.Metrics?.AveragePrecision)}{Unreadable(r.Published)}</td>");
            h.Append($"<td class=\"num\">{(r.Reproduction.Difference is { } d ? Signed(d) : Missing)}</td>");
            h.Append(r.Reproduction.Verdict switch
            {
                Verdict.Pass => "<td class=\"ok\">pass</td>",
                Verdict.Fail => "<td class=\"bad\">fail</td>",
                _ => "<td>incomplete</td>",
            });
            h.Append("</tr>");
        }
        h.Append("</table>");

        h.Append("<h3>Backbone baselines (the pretrained backbone alone, GeM-pooled)</h3>");
        h.Append("<table class=\"baselines\"><tr><th>backbone</th><th>µAP</th><th>recall at P90</th><th>recall at rank 1</th><th>recall at rank 10</th></tr>");
        foreach (var b in ev.Baselines)
            h.Append($"<tr><td><code>{E(b.Backbone.Name)}</code>{Unreadable(b.Metrics)}</td>{MetricCells(b.Metrics.Metrics)}</tr>");
        h.Append("</table>");

        if (ev.Curves.Count > 0)
        {
            h.Append("<p>Precision-recall curves, one plot per dataset family, recomputed from each model's predictions.csv and the set's " +
                     "ground truth (the global list ranked by score, ties pessimistic): solid, the family's runs; dashed, the backbones alone.</p>");
            h.Append("<div class=\"cards\">");
            foreach (var family in ev.Curves)
                h.Append($"<div><h3 id=\"{FamilyAnchor(family.Family)}\">{E(family.Family)}: precision-recall</h3>" +
                         $"<img alt=\"precision-recall curves of the {E(family.Family)} runs\" src=\"data:image/png;base64,{Convert.ToBase64String(PrecisionRecallPlot.Png(family, ev.Set))}\"></div>");
            h.Append("</div>");
        }
        h.Append("</section>");
    }

    static string MetricCells(MatchingMetrics? m) =>
        $"<td class=\"num\">{Value(m?.AveragePrecision)}</td><td class=\"num\">{Value(m?.RecallAtP90)}</td>" +
        $"<td class=\"num\">{Value(m?.RecallAtRank1)}</td><td class=\"num\">{Value(m?.RecallAtRank10)}</td>";

    static string Unreadable(ModelMetrics m) => m.Problem is null ? "" : " <span class=\"bad\" title=\"metrics.json unreadable: see the note above\">(unreadable)</span>";

    /// <summary>The set's size as the metrics.json files record it (the first readable one; a disagreement is flagged apart).</summary>
    static string SetSize(EvaluationResults ev) =>
        ev.Read.Select(m => m.Metrics!).FirstOrDefault() is { } m
            ? $"{m.Queries:N0} queries, {m.References:N0} references, {m.GroundTruthPairs:N0} ground-truth pairs (from metrics.json)"
            : "no metrics.json could be read";

    static string? SizeDisagreement(EvaluationResults ev)
    {
        var sizes = ev.Read.GroupBy(m => (m.Metrics!.Queries, m.Metrics.References, m.Metrics.GroundTruthPairs)).ToList();
        if (sizes.Count < 2) return null;
        return "The metrics.json files disagree on the set's size, so they were not all computed on the same set; evaluate the odd ones again: " +
               string.Join("; ", sizes.Select(g => $"{g.Key.Queries:N0} queries, {g.Key.References:N0} references, {g.Key.GroundTruthPairs:N0} pairs: " +
                                                   string.Join(", ", g.Select(m => E(m.Model)))));
    }

    static string Value(double? v) => v is { } x ? x.ToString("F4", CultureInfo.InvariantCulture) : Missing;
    static string Signed(double v) => v.ToString("+0.0000;-0.0000;0.0000", CultureInfo.InvariantCulture);
    static string Number(double v) => v.ToString("0.####", CultureInfo.InvariantCulture);

    static string FamilyAnchor(string family) => "pr-" + family;
}
