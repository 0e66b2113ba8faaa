using ScottPlot;

namespace Isc.Reporting;

/// <summary>
/// The precision-recall plot of one dataset family: recall across, precision up, one solid curve per run of the family,
/// the backbone baselines dashed, the legend beside the plot (not over the curves).
/// </summary>
public static class PrecisionRecallPlot
{
    public static Plot Figure(FamilyCurves family, string set)
    {
        var p = new Plot();
        p.Title($"{family.Family} runs on {set}: precision-recall", size: 13);
        p.Axes.Bottom.Label.Text = "recall";
        p.Axes.Left.Label.Text = "precision";
        var palette = new ScottPlot.Palettes.Category10();
        int runs = 0, baselines = 0;
        foreach (var line in family.Lines)
        {
            var curve = p.Add.Scatter(line.Curve.Recalls, line.Curve.Precisions);
            curve.LegendText = line.Label;
            // A family has at most 6 runs (colours 0-5); the baselines keep the palette's last colours in every plot.
            curve.Color = palette.GetColor(line.Baseline ? palette.Colors.Length - 3 + baselines++ : runs++);
            curve.MarkerSize = line.Curve.Count > 60 ? 0 : 3;
            curve.LineWidth = 1.5f;
            if (line.Baseline) curve.LinePattern = LinePattern.Dashed;
        }
        p.Axes.SetLimits(0, 1.02, 0, 1.05);
        p.ShowLegend(Edge.Right);
        return p;
    }

    public static byte[] Png(FamilyCurves family, string set, int width = 620, int height = 400) =>
        Figure(family, set).GetImageBytes(width, height, ImageFormat.Png);
}
