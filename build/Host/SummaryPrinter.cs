using Cake.Core;
using Cake.Core.Diagnostics;
using Isc.Build.Core;
using Isc.Build.Tasks;

namespace Isc.Build.Host;

/// <summary>
/// Cake's end-of-build task summary, in the harness's words: each task of the run with what it did
/// (built, up to date, failed, skipped) and how long it took, then the totals.
/// </summary>
public sealed class SummaryPrinter(ICakeLog log, BuildContext context) : ICakeReportPrinter
{
    public void Write(CakeReport report)
    {
        var entries = report.ToList();
        if (entries.Count == 0) return;
        var width = Math.Max(30, entries.Max(e => e.TaskName.Length) + 2);
        log.Information("");
        log.Information("{0}{1,-12}{2,12}  {3}", "Task".PadRight(width), "Result", "Duration", "Where");
        log.Information(new string('-', width + 36));
        foreach (var e in entries)
        {
            var record = context.Steps.Records.GetValueOrDefault(e.TaskName);
            var outcome = record?.Outcome ?? e.ExecutionStatus switch
            {
                CakeTaskExecutionStatus.Skipped => "skipped",
                CakeTaskExecutionStatus.Failed => "failed",
                CakeTaskExecutionStatus.Delegated => "-",
                _ => "done",
            };
            // Up-to-date artifacts are the bulk of a no-op build: list them only when asked.
            if (outcome == "up to date" && log.Verbosity < Verbosity.Verbose) continue;
            log.Information("{0}{1,-12}{2,12}  {3}", e.TaskName.PadRight(width), outcome, Format(record?.Duration ?? e.Duration), record?.Where ?? "");
        }
        log.Information(new string('-', width + 36));
    }

    /// <summary>When Cake stopped on a failure there is no report: the table comes from the steps' own records, in graph order.</summary>
    public void WriteRecords()
    {
        var records = context.Graph.Nodes.Select(n => context.Steps.Records.GetValueOrDefault(n.Id)).OfType<StepRecord>()
            .Where(r => r.Outcome != "up to date" || log.Verbosity >= Verbosity.Verbose).ToList();
        if (records.Count == 0) return;
        var width = Math.Max(30, records.Max(r => r.Artifact.Length) + 2);
        log.Information("");
        log.Information("{0}{1,-12}{2,12}  {3}", "Task".PadRight(width), "Result", "Duration", "Where");
        log.Information(new string('-', width + 36));
        foreach (var r in records) log.Information("{0}{1,-12}{2,12}  {3}", r.Artifact.PadRight(width), r.Outcome, Format(r.Duration), r.Where);
        log.Information(new string('-', width + 36));
    }

    public void Totals(TimeSpan wall)
    {
        int Count(string o) => context.Steps.Records.Values.Count(r => r.Outcome == o);
        log.Information("{0} built, {1} up to date, {2} failed, {3} skipped; {4} of steps in {5}",
            Count("built"), Count("up to date"), Count("failed"), Count("skipped"),
            Format(TimeSpan.FromTicks(context.Steps.Records.Values.Sum(r => r.Duration.Ticks))), Format(wall));
        if (Count("submitted") > 0)
            log.Information("{0} job(s) queued on the cluster and not waited for (--detach); build again with the same options to wait for them and collect their results.", Count("submitted"));
    }

    static string Format(TimeSpan t) => t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss") : t.ToString(@"mm\:ss\.fff");

    public void WriteStep(string name, Verbosity verbosity)
    {
        if (verbosity >= Verbosity.Verbose) log.Write(Verbosity.Verbose, LogLevel.Information, "==== {0}", name);
    }

    public void WriteLifeCycleStep(string name, Verbosity verbosity)
    {
        if (verbosity >= Verbosity.Diagnostic) log.Write(Verbosity.Diagnostic, LogLevel.Information, "---- {0}", name);
    }

    public void WriteSkippedStep(string name, Verbosity verbosity)
    {
        if (verbosity >= Verbosity.Verbose) log.Write(Verbosity.Verbose, LogLevel.Information, "==== {0} (skipped)", name);
    }
}
