using System.Text.Json;
using System.Text.Json.Serialization;

namespace Isc.Recipe;

/// <summary>
/// What a build target is. Written (JSON, isc.json's <c>slurm.resources</c>, messages) by its lower-case
/// <see cref="ArtifactKinds.Name"/>: "training", "dataset", ...
/// </summary>
[JsonConverter(typeof(ArtifactKindJsonConverter))]
public enum ArtifactKind
{
    /// <summary>The training images (synthesised, or the user's DISC21 folder).</summary>
    Source,
    /// <summary>The overlay images (synthesised, downloaded, or the user's folder).</summary>
    Overlays,
    /// <summary>One asset the user provides (the overlay text font, the emoji folder).</summary>
    Asset,
    /// <summary>The downloaded font and emoji set.</summary>
    Assets,
    /// <summary>The list of training images that contain faces.</summary>
    Faces,
    /// <summary>A file the user gave for an artifact (--file:ARTIFACT=PATH).</summary>
    File,
    Dataset,
    Pretrained,
    Training,
    /// <summary>A trimmed model.</summary>
    Model,
}

public static class ArtifactKinds
{
    /// <summary>The kind's name on disk and in configuration: its enum name in lower case.</summary>
    public static string Name(this ArtifactKind kind) => kind.ToString().ToLowerInvariant();
}

/// <summary>Reads and writes <see cref="ArtifactKind"/> as its lower-case name; numbers are refused.</summary>
public sealed class ArtifactKindJsonConverter() : JsonStringEnumConverter<ArtifactKind>(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false);
