using Isc.Artifacts;
using Isc.Recipe;

namespace Isc.Build.Graph;

/// <summary>
/// One build target that makes something: a rule with inputs, outputs and one action (a worker step).
/// An external node stands for an input the user provides (a folder or file outside the artifacts root):
/// it has no step, and its identity is the fingerprint of what is on disk.
/// </summary>
public sealed record ArtifactNode
{
    public required string Id { get; init; }
    public required ArtifactKind Kind { get; init; }
    public required string Description { get; init; }
    public IReadOnlyList<string> Inputs { get; init; } = [];
    public SortedDictionary<string, string> Params { get; init; } = new(StringComparer.Ordinal);

    /// <summary>The step that makes it: its name, version and the worker command lines (null for external inputs).</summary>
    public string? Step { get; init; }
    public int StepVersion { get; init; }
    public List<List<string>> Commands { get; init; } = [];
    public List<OutputSpec> Outputs { get; init; } = [];

    /// <summary>The resolved settings its worker commands run with (they read them from the step spec); null when they read none.</summary>
    public Profile? Settings { get; init; }

    /// <summary>Work the step resumes from besides its outputs (a run folder, a download's .part), relative to the artifacts root.
    /// Like the outputs, it is kept only for a step of the same identity.</summary>
    public List<string> State { get; init; } = [];

    /// <summary>For external inputs: the path the user pointed at, and how to get it when it is missing.</summary>
    public ExternalInput? External { get; init; }

    /// <summary>Runs on a GPU when one is given (trainings); used by executors that place steps on devices.</summary>
    public bool UsesGpu { get; init; }

    public bool IsExternal => External is not null;
}

/// <param name="Name">What the input is, in words ("DISC21 training images").</param>
/// <param name="Setting">Where it is configured ("inputs.trainImages in isc.json, or --train-images=DIR").</param>
/// <param name="HowToGet">What to do when it is missing.</param>
/// <param name="MinFiles">For a folder: fewer files than this is an error.</param>
public sealed record ExternalInput(string Name, string? Path, bool IsDirectory, string Setting, string HowToGet, int MinFiles = 1);
