using System.Globalization;
using ScottPlot;

namespace Isc.Reporting;

/// <summary>A run's metrics.csv (epoch,iter,step,loss,ce,triplet,precision,lr) as curves: losses, precision and learning rate over steps.</summary>
public static class TrainingCurves
{
    public sealed record Series(double[] Step, double[] Loss, double[] CrossEntropy, double[] Triplet, double[] Precision, double[] Lr, int[] Epoch);

    public static Series Read(string metricsCsv)
    {
        var lines = File.ReadAllLines(metricsCsv);
        if (lines.Length == 0) throw new InvalidDataException($"{metricsCsv} is empty");
        var header = lines[0].Split(',');
        int Col(string name) => Array.IndexOf(header, name) is var i and >= 0 ? i
            : throw new InvalidDataException($"{metricsCsv} has no '{name}' column (columns: {lines[0]})");
        int step = Col("step"), loss = Col("loss"), ce = Col("ce"), tri = Col("triplet"), prec = Col("precision"), lr = Col("lr"), epoch = Col("epoch");
        var rows = lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')).ToList();
        double[] D(int c) => [.. rows.Select(r => double.Parse(r[c], CultureInfo.InvariantCulture))];
        return new Series(D(step), D(loss), D(ce), D(tri), D(prec), D(lr), [.. rows.Select(r => int.Parse(r[epoch], CultureInfo.InvariantCulture))]);
    }

    /// <summary>Three panels side by side, as one PNG: loss (total, 10×CE part and triplet), precision, learning rate.</summary>
    public static byte[] Png(Series s, string title, int panelWidth = 380, int height = 290) => Compose(Panels(s, title), panelWidth, height);

    public static IReadOnlyList<Plot> Panels(Series s, string title)
    {
        var panels = new[]
        {
            Panel($"{title}: loss", "loss", p =>
            {
                Line(p, s.Step, s.Loss, "total");
                Line(p, s.Step, s.CrossEntropy, "cross-entropy");
                Line(p, s.Step, s.Triplet, "triplet");
                // Below the plot, not over the curves (a legend inside the data area hid the demo's short runs).
                p.ShowLegend(Edge.Bottom);
            }),
            Panel("top-1 precision", "precision", p => { Line(p, s.Step, s.Precision, "precision"); p.Axes.SetLimitsY(0, 1.05); }),
            Panel("learning rate", "lr", p => Line(p, s.Step, s.Lr, "lr")),
        };
        foreach (var p in panels) EpochLines(p, s);
        return panels;
    }

    static Plot Panel(string title, string yLabel, Action<Plot> fill)
    {
        var p = new Plot();
        p.Title(title, size: 13);
        p.Axes.Bottom.Label.Text = "step";
        p.Axes.Left.Label.Text = yLabel;
        p.HideLegend(); // one curve: the title names it
        fill(p);
        return p;
    }

    static void Line(Plot p, double[] x, double[] y, string label)
    {
        if (x.Length == 0) return;
        var sc = p.Add.Scatter(x, y);
        sc.LegendText = label;
        sc.MarkerSize = x.Length > 60 ? 0 : 4;
    }

    static void EpochLines(Plot p, Series s)
    {
        for (var i = 1; i < s.Epoch.Length; i++)
            if (s.Epoch[i] != s.Epoch[i - 1])
            {
                var line = p.Add.VerticalLine(s.Step[i]);
                line.LineColor = Colors.Gray.WithAlpha(0.5);
                line.LinePattern = LinePattern.Dotted;
            }
    }

    static byte[] Compose(IReadOnlyList<Plot> panels, int width, int height)
    {
        using var surface = SkiaSharp.SKSurface.Create(new SkiaSharp.SKImageInfo(width * panels.Count, height));
        surface.Canvas.Clear(SkiaSharp.SKColors.White);
        for (var i = 0; i < panels.Count; i++)
        {
            using var bitmap = SkiaSharp.SKBitmap.Decode(panels[i].GetImageBytes(width, height, ImageFormat.Png));
            surface.Canvas.DrawBitmap(bitmap, i * width, 0);
        }
        using var image = surface.Snapshot();
        using var data = image.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
