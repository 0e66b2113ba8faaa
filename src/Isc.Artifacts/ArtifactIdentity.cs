using System.Text.Json;
using System.Text.Json.Serialization;

namespace Isc.Artifacts;

/// <summary>
/// What an artifact is made from: its step and step version, its parameters, and the identity (stamp hash) of each input.
/// Two runs of a step with the same identity make the same artifact, so one may resume the other's work;
/// with different identities, nothing one left behind may be reused by the other.
/// </summary>
public sealed record ArtifactIdentity(
    string Artifact,
    string Step,
    int StepVersion,
    SortedDictionary<string, string> Params,
    SortedDictionary<string, string> Inputs)
{
    [JsonIgnore]
    public string Hash => Fingerprint.OfText(JsonSerializer.Serialize(this, Stamp.Json));

    /// <summary>Readable differences from <paramref name="other"/> (what changed since that state was made).</summary>
    public IReadOnlyList<string> DifferencesFrom(ArtifactIdentity other)
    {
        var changes = new List<string>();
        if (other.Step != Step || other.StepVersion != StepVersion)
            changes.Add($"step {other.Step} v{other.StepVersion} → {Step} v{StepVersion}");
        foreach (var key in Params.Keys.Union(other.Params.Keys).Order(StringComparer.Ordinal))
            if (Params.GetValueOrDefault(key) != other.Params.GetValueOrDefault(key))
                changes.Add($"parameter {key} {other.Params.GetValueOrDefault(key) ?? "(none)"} → {Params.GetValueOrDefault(key) ?? "(none)"}");
        foreach (var key in Inputs.Keys.Union(other.Inputs.Keys).Order(StringComparer.Ordinal))
            if (Inputs.GetValueOrDefault(key) != other.Inputs.GetValueOrDefault(key))
                changes.Add($"input {key} changed");
        return changes;
    }
}
