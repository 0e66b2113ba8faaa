using System.Text.Json;

namespace Isc.Artifacts;

/// <summary>
/// What the build hands the worker (`isc step --spec FILE`) to make one artifact: the worker commands
/// to run in order, the outputs they must leave, and the stamp to write when they all succeeded.
/// The same file runs unchanged on this machine, another GPU, or a cluster node.
/// </summary>
public sealed record StepSpec
{
    public required string Artifact { get; init; }
    public required string Step { get; init; }
    public required int StepVersion { get; init; }
    public required string Root { get; init; }
    public required SortedDictionary<string, string> Params { get; init; }
    /// <summary>The artifacts this one is made from. Their identities are read from their stamps when the step
    /// runs (not when it is planned), so a step queued behind its inputs on a cluster records what it really used.</summary>
    public required List<string> Inputs { get; init; }
    public required List<List<string>> Commands { get; init; }
    public required List<OutputSpec> Outputs { get; init; }
    /// <summary>Where the step keeps work it resumes from (its outputs, a run folder, a download's .part): bound to the
    /// artifact's identity before the step runs, so only work made for the same inputs and settings is resumed.</summary>
    public List<string> State { get; init; } = [];
    public string? Log { get; init; }
    /// <summary>The resolved, typed settings the artifact is made with (a profile record as JSON, null for steps that read
    /// none): the worker commands read them from this file (<c>--settings FILE</c>), and <see cref="Params"/> records them.</summary>
    public JsonElement? Settings { get; init; }

    public void Save(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Stamp.Json));

    public static StepSpec Load(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<StepSpec>(File.ReadAllText(path), Stamp.Json)
                ?? throw new InvalidDataException($"step spec {path} is empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"step spec {path} is not valid: {e.Message}");
        }
    }
}
