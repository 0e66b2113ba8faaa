using Cake.Core;
using Cake.Core.Diagnostics;
using Isc.Artifacts;
using Isc.Build.Graph;
using Isc.Build.Host;
using Isc.Recipe;

namespace Isc.Build.Tasks;

/// <summary>
/// The rule for one artifact: needs its inputs, makes its outputs with one worker step, and does
/// nothing when its stamp says it is up to date. The step runs on the scheduler, so independent
/// artifacts build concurrently within --jobs and --gpus.
/// </summary>
public sealed class ArtifactTask(ArtifactNode node) : BuildTask
{
    public ArtifactNode Node => node;
    public override string Name => node.Id;
    public override string Description => node.Description;
    public override IEnumerable<string> Dependencies => node.Inputs;
    public override bool ListedInHelp => false;

    public override async Task RunAsync(BuildContext context)
    {
        context.Scheduler.Start(new StepJob
        {
            Node = node,
            Decide = () => Decide(context),
            WriteSpec = device => WriteSpec(context, device),
            RunLocal = device => Step(context, device),
            Confirm = () => Confirm(context),
        });
        // The requested target waits for its whole closure; every other task lets Cake move on.
        if (string.Equals(context.Target, node.Id, StringComparison.OrdinalIgnoreCase))
            await TargetWait.ForAll(context, [node.Id]);
    }

    /// <summary>True when a step must run; false when the artifact is up to date.</summary>
    bool Decide(BuildContext context)
    {
        var state = context.Planner.Evaluate(node, context.StateOf);
        if (node.IsExternal && !state.UpToDate) throw new CakeException($"{node.Id}: {state.Reason}");
        if (state.UpToDate)
        {
            context.SetState(node.Id, state);
            context.Scheduler.Records[node.Id] = new StepRecord(node.Id, "up to date", TimeSpan.Zero, "");
            context.Log.Verbose("{0}: up to date", node.Id);
            return false;
        }
        context.Log.Information("{0}: building ({1})", node.Id, state.Reason);
        return true;
    }

    (string SpecPath, string LogPath) WriteSpec(BuildContext context, string? device)
    {
        var safe = StampStore.SafeName(node.Id);
        var logPath = Path.Combine(context.LogsDirectory, safe + ".log");
        var specPath = context.Store.SpecPathOf(node.Id);
        AtomicFile.SweepTemps(context.Store.Directory, Path.GetFileName(specPath));
        new StepSpec
        {
            Artifact = node.Id,
            Step = node.Step!,
            StepVersion = node.StepVersion,
            Root = context.Settings.ArtifactsRoot,
            Params = node.Params,
            Inputs = [.. node.Inputs],
            Commands = device is null ? node.Commands : [.. node.Commands.Select(c => WithDevice(c, context))],
            Outputs = node.Outputs,
            State = node.State,
            Log = logPath,
            Settings = node.Settings is { } settings ? ProfileJson.ToElement(settings) : null,
        }.Save(specPath);
        return (specPath, logPath);
    }

    bool Confirm(BuildContext context)
    {
        var after = context.Planner.Evaluate(node, context.StateOf);
        if (!after.UpToDate)
        {
            context.Log.Error("{0}: the step succeeded but the artifact is not up to date afterwards ({1})", node.Id, after.Reason);
            return false;
        }
        context.SetState(node.Id, after);
        return true;
    }

    async Task<bool> Step(BuildContext context, string? device)
    {
        var (specPath, logPath) = WriteSpec(context, device);
        var environment = device is null ? null : new Dictionary<string, string> { ["CUDA_VISIBLE_DEVICES"] = device };
        var worker = WorkerRunner.WorkerExecutable(context.Settings.RepoRoot);
        var exit = await WorkerRunner.RunAsync(worker, ["step", "--spec", specPath], logPath, context.Log, node.Id, environment);
        if (exit != 0)
        {
            var tail = WorkerRunner.Tail(logPath, 20);
            lock (context.Log)
            {
                context.Log.Error("{0}: step '{1}' failed (exit code {2}). Last lines of its log:", node.Id, node.Step!, exit);
                foreach (var line in tail) context.Log.Error("    {0}", line);
                context.Log.Error("Full log: {0}", logPath);
            }
            return false;
        }

        return Confirm(context);
    }

    /// <summary>On a GPU of the pool the step sees one device (CUDA_VISIBLE_DEVICES) and addresses it as cuda, unless --device says otherwise.</summary>
    static List<string> WithDevice(List<string> command, BuildContext context) =>
        command.Contains("--device") || context.Settings.Device is not null ? command : [.. command, "--device", "cuda"];
}

/// <summary>How a target waits for the work Cake's walk started, and turns failures into a Cake task failure.</summary>
public static class TargetWait
{
    public static async Task ForAll(BuildContext context, IEnumerable<string> ids)
    {
        var closure = context.Graph.Closure(ids).Select(n => n.Id).ToList();
        var results = await context.Scheduler.WhenAll(closure);
        var failed = closure.Where((id, i) => !results[i]).ToList();
        if (failed.Count > 0)
            throw new CakeException($"{failed.Count} artifact(s) did not build: {string.Join(", ", failed.Take(6))}{(failed.Count > 6 ? ", ..." : "")}");
    }
}
