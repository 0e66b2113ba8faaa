using Cake.Core;
using Cake.Core.Diagnostics;
using Isc.Artifacts;
using Isc.Build.Core;
using Isc.Build.Graph;
using Isc.Recipe;

namespace Isc.Build.Tasks;

/// <summary>
/// The rule for one artifact: needs its inputs, makes its outputs with one worker step, and does
/// nothing when its stamp says it is up to date. The task decides (<see cref="ShouldRun"/>, from the
/// planner's verdict); the scheduler runs the step it is handed, so independent artifacts build
/// concurrently within --jobs and --gpus, or as cluster jobs.
/// </summary>
public sealed class ArtifactTask(ArtifactNode node) : BuildTask<BuildContext>
{
    public ArtifactNode Node => node;
    public override string Name => node.Id;
    public override string Description => node.Description;
    public override IEnumerable<string> Dependencies => node.Inputs;
    public override bool ListedInHelp => false;

    public override async Task RunAsync(BuildContext context)
    {
        var work = BuildAsync(context);
        context.Steps.Track(node.Id, work);
        // A failure while the walk hands the step over (a cluster submission refused) stops the walk.
        if (work.IsFaulted) await work;
        // The requested target waits for its whole closure; every other task lets Cake move on.
        if (string.Equals(context.Target, node.Id, StringComparison.OrdinalIgnoreCase))
            await TargetWait.ForAll(context, [node.Id]);
    }

    /// <summary>The artifact's work in this build: true when it ends up to date (or handed to a detached cluster job).</summary>
    async Task<bool> BuildAsync(BuildContext context)
    {
        var order = Order(context);
        var admission = await context.Scheduler.AdmitAsync(order);
        if (admission.SkipReason is { } why)
        {
            context.Steps.Record(new StepRecord(node.Id, "skipped", TimeSpan.Zero, why));
            return false;
        }
        var ticket = admission.Adopted;
        if (ticket is null)
        {
            if (!ShouldRun(context)) return true;
            ticket = context.Scheduler.Execute(order);
        }
        if (ticket.Queued is { } queued)
        {
            context.SetState(node.Id, NodeState.Stale(queued.Reason));
            context.Steps.Record(new StepRecord(node.Id, "submitted", TimeSpan.Zero, queued.Where));
        }
        var run = await ticket.Finished;
        switch (run.Result)
        {
            case StepResult.Detached:
                return true;
            case StepResult.Skipped or StepResult.Failed:
                context.Steps.Record(new StepRecord(node.Id, run.Result == StepResult.Skipped ? "skipped" : "failed", run.Duration, run.Where));
                return false;
            default:
                var ok = Confirm(context, run.Unconfirmed);
                context.Steps.Record(new StepRecord(node.Id, ok ? "built" : "failed", run.Duration, run.Where));
                return ok;
        }
    }

    /// <summary>Frosting's ShouldRun: true when the step must run; false when the planner finds the artifact up to date.</summary>
    bool ShouldRun(BuildContext context)
    {
        var state = context.Planner.Evaluate(node, context.StateOf);
        if (node.IsExternal && !state.UpToDate) throw new CakeException($"{node.Id}: {state.Reason}");
        if (state.UpToDate)
        {
            context.SetState(node.Id, state);
            context.Steps.Record(new StepRecord(node.Id, "up to date", TimeSpan.Zero, ""));
            context.Log.Verbose("{0}: up to date", node.Id);
            return false;
        }
        context.Log.Information("{0}: building ({1})", node.Id, state.Reason);
        return true;
    }

    /// <summary>What the scheduler gets: the step spec the worker reads (written by the scheduler), its paths, and what it needs.</summary>
    StepOrder Order(BuildContext context)
    {
        var safe = StampStore.SafeName(node.Id);
        var logPath = Path.Combine(context.LogsDirectory, safe + ".log");
        var spec = new StepSpec
        {
            Artifact = node.Id,
            Step = node.Step ?? "external",
            StepVersion = node.StepVersion,
            Root = context.Settings.ArtifactsRoot,
            Params = node.Params,
            Inputs = [.. node.Inputs],
            Commands = node.Commands,
            Outputs = node.Outputs,
            State = node.State,
            Log = logPath,
            Settings = node.Settings is { } settings ? ProfileJson.ToElement(settings) : null,
        };
        return new StepOrder
        {
            Artifact = node.Id,
            Kind = node.Kind,
            Description = node.Description,
            Inputs = node.Inputs,
            UsesGpu = node.UsesGpu,
            SpecPath = context.Store.SpecPathOf(node.Id),
            LogPath = logPath,
            Spec = spec,
        };
    }

    /// <summary>After the step: the artifact must be up to date by its stamp, or the step did not do its job.</summary>
    bool Confirm(BuildContext context, string? unconfirmed)
    {
        var after = context.Planner.Evaluate(node, context.StateOf);
        if (!after.UpToDate)
        {
            context.Log.Error("{0}", unconfirmed ?? $"{node.Id}: the step succeeded but the artifact is not up to date afterwards ({after.Reason})");
            return false;
        }
        context.SetState(node.Id, after);
        return true;
    }
}

/// <summary>How a target waits for the work Cake's walk started, and turns failures into a Cake task failure.</summary>
public static class TargetWait
{
    public static async Task ForAll(BuildContext context, IEnumerable<string> ids)
    {
        var closure = context.Graph.Closure(ids).Select(n => n.Id).ToList();
        var results = await context.Steps.WhenAll(closure);
        var failed = closure.Where((id, i) => !results[i]).ToList();
        if (failed.Count > 0)
            throw new CakeException($"{failed.Count} artifact(s) did not build: {string.Join(", ", failed.Take(6))}{(failed.Count > 6 ? ", ..." : "")}");
    }
}
