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

    /// <summary>The target-name prefixes of the catalog's per-item artifacts: <c>Dataset:&lt;name&gt;</c>, <c>Pretrained:&lt;backbone&gt;</c>, <c>Train:&lt;run&gt;</c>, <c>Model:&lt;run&gt;</c>.</summary>
    public const string DatasetPrefix = "Dataset:", PretrainedPrefix = "Pretrained:", TrainingPrefix = "Train:", ModelPrefix = "Model:";

    /// <summary>The kind of a per-item target from its name (<c>Train:baseline_CC_50</c> is a training), or null for the others.</summary>
    public static ArtifactKind? OfTarget(string target) =>
        target.StartsWith(DatasetPrefix, StringComparison.Ordinal) ? ArtifactKind.Dataset
        : target.StartsWith(PretrainedPrefix, StringComparison.Ordinal) ? ArtifactKind.Pretrained
        : target.StartsWith(TrainingPrefix, StringComparison.Ordinal) ? ArtifactKind.Training
        : target.StartsWith(ModelPrefix, StringComparison.Ordinal) ? ArtifactKind.Model
        : null;
}

/// <summary>Reads and writes <see cref="ArtifactKind"/> as its lower-case name; numbers are refused.</summary>
public sealed class ArtifactKindJsonConverter() : JsonStringEnumConverter<ArtifactKind>(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false);
