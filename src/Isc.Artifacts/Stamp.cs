using System.Text.Json;
using System.Text.Json.Serialization;

namespace Isc.Artifacts;

/// <summary>
/// The record an artifact leaves when, and only when, its step completed: what it was built from
/// (parameters, step version, the identities of its inputs) and what it wrote. Its <see cref="Hash"/>
/// is the artifact's identity for its dependents: it changes only when the inputs, parameters,
/// step version or output content change.
/// </summary>
public sealed record Stamp
{
    public required string Artifact { get; init; }
    public required string Step { get; init; }
    public required int StepVersion { get; init; }
    public required SortedDictionary<string, string> Params { get; init; }
    public required SortedDictionary<string, string> Inputs { get; init; }
    public required List<OutputRecord> Outputs { get; init; }
    public string Hash { get; init; } = "";
    public DateTime StartedUtc { get; init; }
    public DateTime FinishedUtc { get; init; }
    public double Seconds { get; init; }
    public string Host { get; init; } = "";
    public string? Log { get; init; }

    /// <summary>The identity hash over everything that defines the artifact's content (not timings, not mtimes).</summary>
    public string ComputeHash()
    {
        var identity = new
        {
            Artifact,
            Step,
            StepVersion,
            Params,
            Inputs,
            Outputs = Outputs.Select(o => new { o.Path, Kind = o.Kind.ToString(), o.Sha256 }),
        };
        return Fingerprint.OfText(JsonSerializer.Serialize(identity, Json));
    }

    public Stamp WithHash() => this with { Hash = ComputeHash() };

    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };
}
