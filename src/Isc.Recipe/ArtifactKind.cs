using System.Text.Json;
using System.Text.Json.Serialization;

namespace Isc.Recipe;

/// <summary>
/// What a build target is. Written (JSON, isc.json's <c>slurm.resources</c>, messages) by its lower snake-case
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
    /// <summary>An evaluation set: queries, references and their ground truth.</summary>
    EvalSet,
    /// <summary>The authors' trained model of a run (downloaded; a stand-in in the demo).</summary>
    Published,
    /// <summary>A model's descriptors of an evaluation set's queries and references.</summary>
    Features,
    /// <summary>A model's PCA whitening, learned on training images.</summary>
    Pca,
    /// <summary>A model's predictions on an evaluation set and their metrics.</summary>
    Evaluation,
    /// <summary>Rebuilt against published µAP, run by run, with a verdict.</summary>
    Comparison,
}

public static class ArtifactKinds
{
    /// <summary>The kind's name on disk and in configuration: its enum name in lower snake case ("training", "eval_set").</summary>
    public static string Name(this ArtifactKind kind) => JsonNamingPolicy.SnakeCaseLower.ConvertName(kind.ToString());

    /// <summary>The target-name prefixes of the catalog's per-item artifacts: <c>Dataset:&lt;name&gt;</c>, <c>Pretrained:&lt;backbone&gt;</c>, <c>Train:&lt;run&gt;</c>, <c>Model:&lt;run&gt;</c>.</summary>
    public const string DatasetPrefix = "Dataset:", PretrainedPrefix = "Pretrained:", TrainingPrefix = "Train:", ModelPrefix = "Model:";

    /// <summary>The evaluation's per-item targets: <c>EvalSet:&lt;set&gt;</c>, <c>Published:&lt;run&gt;</c>, <c>Features:&lt;model&gt;:&lt;set&gt;</c>,
    /// <c>Pca:&lt;model&gt;</c>, <c>Eval:&lt;model&gt;</c>, where a model is a run, <c>Published:&lt;run&gt;</c> or <c>Pretrained:&lt;backbone&gt;</c>.</summary>
    public const string EvalSetPrefix = "EvalSet:", PublishedPrefix = "Published:", FeaturesPrefix = "Features:", PcaPrefix = "Pca:", EvalPrefix = "Eval:";

    /// <summary>The kind of a per-item target from its name (<c>Train:baseline_CC_50</c> is a training), or null for the others.</summary>
    public static ArtifactKind? OfTarget(string target) =>
        target.StartsWith(DatasetPrefix, StringComparison.Ordinal) ? ArtifactKind.Dataset
        : target.StartsWith(PretrainedPrefix, StringComparison.Ordinal) ? ArtifactKind.Pretrained
        : target.StartsWith(TrainingPrefix, StringComparison.Ordinal) ? ArtifactKind.Training
        : target.StartsWith(ModelPrefix, StringComparison.Ordinal) ? ArtifactKind.Model
        : target.StartsWith(EvalSetPrefix, StringComparison.Ordinal) ? ArtifactKind.EvalSet
        : target.StartsWith(PublishedPrefix, StringComparison.Ordinal) ? ArtifactKind.Published
        : target.StartsWith(FeaturesPrefix, StringComparison.Ordinal) ? ArtifactKind.Features
        : target.StartsWith(PcaPrefix, StringComparison.Ordinal) ? ArtifactKind.Pca
        : target.StartsWith(EvalPrefix, StringComparison.Ordinal) ? ArtifactKind.Evaluation
        : null;
}

/// <summary>Reads and writes <see cref="ArtifactKind"/> as its lower snake-case name ("eval_set"); numbers are refused.</summary>
public sealed class ArtifactKindJsonConverter() : JsonStringEnumConverter<ArtifactKind>(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false);
