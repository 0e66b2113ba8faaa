using System.Globalization;
using Isc.Evaluation;
using Isc.Recipe;
using Isc.Recipe.Layouts;

namespace Isc.Cli.Commands;

/// <summary>`isc compare`: the reproduction verdict, rebuilt against published µAP for every run, from the set's metrics.json files.</summary>
public sealed class CompareCommand : IWorkerCommand
{
    public string Name => "compare";
    public string Summary => "compare the µAP of rebuilt and published models on an evaluation set: a table and a pass/fail verdict per run";
    public string Usage => $"""
        isc compare --set-dir <eval/<set> folder> --out <{EvaluationFolder.ComparisonJsonFileName}> [--tolerance T]
                    [--profile paper|demo | --settings <step spec>] [--runs a,b,...] [--exit-zero]
          For every run (default: all {Runs.All.Count} runs of the catalog), reads <run>/{EvaluationFolder.MetricsFileName}, {EvaluationFolder.PublishedPrefix}<run>/{EvaluationFolder.MetricsFileName} and
          {EvaluationFolder.PretrainedPrefix}<backbone>/{EvaluationFolder.MetricsFileName} from the set's folder (as isc metrics writes them) and gives the rebuilt,
          published and backbone-alone µAP, the difference rebuilt - published and a verdict: pass when rebuilt >=
          published - T, fail otherwise, incomplete when a file is missing (the row names it). T is
          {nameof(EvaluationSettings)}.{nameof(EvaluationSettings.CompareTolerance)} unless --tolerance is given (paper: {Profiles.Paper.Evaluation.CompareTolerance.ToString(CultureInfo.InvariantCulture)}).
          Writes --out (JSON) and, beside it, {EvaluationFolder.ComparisonTableFileName} (a Markdown table and the line "N of M runs pass (tolerance T)"),
          each atomically, and prints the table. Exit 0 when no run fails (incomplete runs do not fail), 1 when one does;
          with --exit-zero, 0 once the files are written (the build's Compare step: the build reads the verdict itself).
        """;

    public Task<int> RunAsync(CommandArgs args, CancellationToken cancel)
    {
        var setDirectory = args.Required("set-dir");
        var output = args.Required("out");
        var protocol = WorkerSettings.Read(args, [], defaultProfile: Profiles.Paper.Name).Evaluation;
        var tolerance = args.Double("tolerance", protocol.CompareTolerance);
        var runs = SelectRuns(args.Optional("runs"));
        var exitZero = args.Flag("exit-zero");
        args.RejectUnknown();
        if (!(tolerance >= 0) || !double.IsFinite(tolerance))
            throw new UsageException($"--tolerance must be a finite number >= 0, got {tolerance.ToString(CultureInfo.InvariantCulture)}");
        if (!Directory.Exists(setDirectory))
            throw new UsageException($"--set-dir {setDirectory}: no such folder (the evaluation set's folder, eval/<set> under the artifacts root)");

        var comparison = ModelComparison.Compare(setDirectory, runs, tolerance);
        comparison.Save(output);
        Console.Write(comparison.ToMarkdown());
        Console.WriteLine($"wrote {output} and {ModelComparison.TablePath(output)}");
        var failed = comparison.FailedRuns;
        if (failed.Count == 0) return Task.FromResult(0);
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"isc compare: {failed.Count} of {comparison.RunsCompared} runs fail (rebuilt µAP more than {tolerance} below the published model's): {string.Join(", ", failed)}"));
        return Task.FromResult(exitZero ? 0 : 1);
    }

    static IReadOnlyList<Run> SelectRuns(string? list)
    {
        if (list is null) return Runs.All;
        var names = list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0) throw new UsageException("--runs needs at least one run name, e.g. --runs baseline_CC_50,baseline_CC_152");
        var runs = new List<Run>();
        foreach (var name in names)
        {
            try { runs.Add(Runs.Get(name)); }
            catch (RecipeException e) { throw new UsageException($"--runs: {e.Message} (run names are like baseline_CC_50; isc catalog lists all {Runs.All.Count})"); }
        }
        var duplicate = runs.GroupBy(r => r.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new UsageException($"--runs names {duplicate.Key} twice");
        return runs;
    }
}
