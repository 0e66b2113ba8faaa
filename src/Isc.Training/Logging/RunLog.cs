using System.Globalization;
using Isc.Recipe.Layouts;

namespace Isc.Training.Logging;

/// <summary>One training step's numbers.</summary>
public sealed record StepMetrics(int Epoch, int Iteration, long Step, double Loss, double CrossEntropy, double Triplet, double Precision, double Lr);

/// <summary>
/// The run's logs in --out: <c>log.txt</c> (every console line), <c>metrics.csv</c> (one row per iteration) and
/// TensorBoard events. On resume, metric rows of epochs that will be redone are dropped first.
/// </summary>
public sealed class RunLog : IDisposable
{
    const string Header = "epoch,iter,step,loss,ce,triplet,precision,lr";
    readonly StreamWriter log, metrics;
    readonly TensorBoardWriter tb;
    readonly TextWriter console;

    public RunLog(string dir, int resumeEpoch, TextWriter console)
    {
        Directory.CreateDirectory(dir);
        this.console = console;
        var csv = Path.Combine(dir, RunFolder.MetricsFileName);
        if (File.Exists(csv))
        {
            // A killed run may have left a row cut short (its epoch, too: "1" of "12,…"); only whole rows are kept.
            var fields = Header.Split(',').Length;
            var keep = File.ReadLines(csv).Skip(1)
                .Where(l => l.Split(',') is var f && f.Length == fields && f.All(v => v.Length > 0)
                            && int.TryParse(f[0], CultureInfo.InvariantCulture, out var e) && e < resumeEpoch).ToList();
            Isc.Artifacts.AtomicFile.WriteAllText(csv, string.Join("\n", keep.Prepend(Header)) + "\n");
        }
        else Isc.Artifacts.AtomicFile.WriteAllText(csv, Header + "\n");
        metrics = new StreamWriter(new FileStream(csv, FileMode.Append, FileAccess.Write, FileShare.Read));
        log = new StreamWriter(new FileStream(Path.Combine(dir, RunFolder.LogFileName), FileMode.Append, FileAccess.Write, FileShare.Read));
        tb = new TensorBoardWriter(dir);
    }

    public void Line(string text)
    {
        var line = $"{DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} {text}";
        console.WriteLine(text);
        log.WriteLine(line);
        log.Flush();
    }

    public void Step(StepMetrics m)
    {
        metrics.WriteLine(string.Join(",", m.Epoch, m.Iteration, m.Step,
            F(m.Loss), F(m.CrossEntropy), F(m.Triplet), F(m.Precision), F(m.Lr)));
        tb.Scalar("train/loss", (float)m.Loss, m.Step);
        tb.Scalar("train/ce", (float)m.CrossEntropy, m.Step);
        tb.Scalar("train/triplet", (float)m.Triplet, m.Step);
        tb.Scalar("train/precision", (float)m.Precision, m.Step);
        tb.Scalar("train/lr", (float)m.Lr, m.Step);
    }

    public void Flush() { metrics.Flush(); tb.Flush(); }

    static string F(double v) => v.ToString("G6", CultureInfo.InvariantCulture);

    public void Dispose() { metrics.Dispose(); log.Dispose(); tb.Dispose(); }
}
