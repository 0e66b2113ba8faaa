using Cake.Core;
using Cake.Core.Diagnostics;
using Isc.Build.Graph;
using Isc.Build.Tasks;

namespace Isc.Build.Host;

/// <summary>
/// --dryrun: Cake walks the target's tasks in its own order, and instead of running each artifact's
/// step this says whether it would run and why, assuming every step before it ran.
/// </summary>
public sealed class DryRunStrategy(BuildContext context) : IExecutionStrategy
{
    readonly Dictionary<string, NodeState> _predicted = new(StringComparer.OrdinalIgnoreCase);
    int _wouldRun;

    public int WouldRun => _wouldRun;

    public Task ExecuteAsync(CakeTask task, ICakeContext _)
    {
        var node = context.Graph.Find(task.Name);
        if (node is null) return Task.CompletedTask;
        var state = context.Planner.Evaluate(node, id => _predicted[id]);
        _predicted[node.Id] = state;
        if (state.UpToDate) context.Log.Information("  up to date   {0}", node.Id);
        else if (node.IsExternal) context.Log.Warning("  MISSING      {0}: {1}", node.Id, state.Reason);
        else
        {
            _wouldRun++;
            context.Log.Information("  would build  {0}: {1}", node.Id, state.Reason);
            context.Log.Verbose("               isc {0}", string.Join(" | isc ", node.Commands.Select(c => string.Join(' ', c))));
        }
        return Task.CompletedTask;
    }

    public void PerformSetup(Action<ISetupContext> action, ISetupContext setupContext) { }
    public void PerformTeardown(Action<ITeardownContext> action, ITeardownContext teardownContext) { }
    public void Skip(CakeTask task, CakeTaskCriteria criteria) { }
    public Task ReportErrorsAsync(Func<Exception, Task> action, Exception exception) => Task.CompletedTask;
    public Task HandleErrorsAsync(Func<Exception, ICakeContext, Task> action, Exception exception, ICakeContext ctx) => Task.CompletedTask;
    public Task InvokeFinallyAsync(Func<ICakeContext, Task> action, ICakeContext ctx) => Task.CompletedTask;
    public void PerformTaskSetup(Action<ITaskSetupContext> action, ITaskSetupContext taskSetupContext) { }
    public void PerformTaskTeardown(Action<ITaskTeardownContext> action, ITaskTeardownContext taskTeardownContext) { }
}
