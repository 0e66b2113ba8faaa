using Cake.Core;
using Cake.Core.Diagnostics;
using Isc.Artifacts;
using Isc.Build.Core;
using Isc.Build.Graph;

namespace Isc.Build.Tasks;

/// <summary>What every task sees: the Cake context (log, file system, arguments) plus the harness's graph, stamps and outcomes.</summary>
public sealed class BuildContext : CakeContextAdapter
{
    public BuildContext(ICakeContext cake, TaskOptions options, BuildSettings settings, BuildGraph graph, IStepScheduler scheduler, StepBoard steps, IEarlierJobs earlierJobs)
        : base(cake)
    {
        Steps = steps;
        Options = options;
        Settings = settings;
        Graph = graph;
        Scheduler = scheduler;
        EarlierJobs = earlierJobs;
        Store = new StampStore(settings.ArtifactsRoot);
        Planner = new Planner(Store);
    }

    public TaskOptions Options { get; }
    public BuildSettings Settings { get; }
    public BuildGraph Graph { get; }
    public StampStore Store { get; }
    public Planner Planner { get; }
    public IStepScheduler Scheduler { get; }
    public IEarlierJobs EarlierJobs { get; }

    /// <summary>Each artifact's work in this build and what it did.</summary>
    public StepBoard Steps { get; }

    /// <summary>A line a task wants printed last, after Cake's summary (the Test target's "N passed, N failed, N skipped").</summary>
    public string? ClosingLine { get; set; }

    /// <summary>The requested target (Cake's name for it).</summary>
    public string Target { get; init; } = "";

    /// <summary>The state each artifact ended in during this build (inputs of later steps read it).</summary>
    readonly System.Collections.Concurrent.ConcurrentDictionary<string, NodeState> _states = new(StringComparer.OrdinalIgnoreCase);

    public string LogsDirectory => System.IO.Path.Combine(Settings.ArtifactsRoot, ".logs");

    public void SetState(string id, NodeState state) => _states[id] = state;

    public NodeState StateOf(string id) => _states.GetOrAdd(id, i => Planner.Evaluate(Graph[i], StateOf));
}

/// <summary>The command-line choices tasks act on.</summary>
/// <param name="CleanArtifact">Clean: the one artifact to delete (null: the whole profile).</param>
public sealed record TaskOptions(bool DryRun, bool Deep, bool Yes, string? CleanArtifact);
