using Cake.Core;
using Cake.Core.Diagnostics;
using Isc.Artifacts;
using Isc.Build.Graph;
using Isc.Build.Host;

namespace Isc.Build.Tasks;

/// <summary>
/// The rule for one artifact: needs its inputs, makes its outputs with one worker step, and does
/// nothing when its stamp says it is up to date.
/// </summary>
public sealed class ArtifactTask(ArtifactNode node) : BuildTask
{
    public ArtifactNode Node => node;
    public override string Name => node.Id;
    public override string Description => node.Description;
    public override IEnumerable<string> Dependencies => node.Inputs;
    public override bool ListedInHelp => false;
    public override bool MayContinueOnError => true;

    public override async Task RunAsync(BuildContext context)
    {
        var failedInput = node.Inputs.FirstOrDefault(i => context.Outcomes.GetValueOrDefault(i) is "failed" or "skipped");
        if (failedInput is not null)
        {
            context.Outcomes[node.Id] = "skipped";
            context.Log.Warning("{0}: skipped, input {1} did not build", node.Id, failedInput);
            return;
        }

        var state = context.Planner.Evaluate(node, context.StateOf);
        if (state.UpToDate || node.IsExternal)
        {
            if (!state.UpToDate) throw new CakeException($"{node.Id}: {state.Reason}");
            context.States[node.Id] = state;
            context.Outcomes[node.Id] = "up to date";
            context.Log.Verbose("{0}: up to date", node.Id);
            return;
        }

        context.Log.Information("{0}: building ({1})", node.Id, state.Reason);
        var safe = StampStore.SafeName(node.Id);
        var logPath = Path.Combine(context.LogsDirectory, safe + ".log");
        var specPath = Path.Combine(context.Store.Directory, safe + ".spec.json");
        new StepSpec
        {
            Artifact = node.Id,
            Step = node.Step!,
            StepVersion = node.StepVersion,
            Root = context.Settings.ArtifactsRoot,
            Params = node.Params,
            Inputs = new(node.Inputs.ToDictionary(i => i, i => context.StateOf(i).Hash!), StringComparer.Ordinal),
            Commands = node.Commands,
            Outputs = node.Outputs,
            Log = logPath,
        }.Save(specPath);

        var worker = WorkerRunner.WorkerExecutable(context.Settings.RepoRoot);
        var exit = await WorkerRunner.RunAsync(worker, ["step", "--spec", specPath], logPath, context.Log, node.Id);
        if (exit != 0)
        {
            context.Outcomes[node.Id] = "failed";
            var tail = WorkerRunner.Tail(logPath, 20);
            context.Log.Error("{0}: step '{1}' failed (exit code {2}). Last lines of its log:", node.Id, node.Step!, exit);
            foreach (var line in tail) context.Log.Error("    {0}", line);
            context.Log.Error("Full log: {0}", logPath);
            throw new CakeException($"{node.Id} failed; see {logPath}");
        }

        var after = context.Planner.Evaluate(node, context.StateOf);
        if (!after.UpToDate) throw new CakeException($"{node.Id}: the step succeeded but the artifact is not up to date afterwards ({after.Reason})");
        context.States[node.Id] = after;
        context.Outcomes[node.Id] = "built";
    }
}
