using System.ComponentModel.DataAnnotations;

namespace Isc.Recipe;

// Every numeric setting declares the values it accepts next to it ([property: Range] / [property: AllowedValues],
// the BCL's DataAnnotations attributes). SettingsValidation checks them when the graph is built and again in the
// workers, and refuses NaN and infinities for every double whatever its range says.

/// <summary>Where the training images and overlay images come from.</summary>
/// <param name="Synthetic">demo: the harness draws the training and overlay images itself.</param>
/// <param name="TrainingImages">Number of training images (DISC21: T000000.jpg ... T999999.jpg).</param>
/// <param name="IdStride">Every training image whose sorted index is a multiple of this becomes an identity.</param>
/// <param name="OverlayImages">Overlay images the chains index uniformly (0 ... OverlayImages-1).</param>
public sealed record SourceSettings(
    bool Synthetic,
    [property: Range(1, 100_000_000)] int TrainingImages,
    [property: Range(1, 1_000_000)] int IdStride,
    [property: Range(1, 10_000_000)] int OverlayImages,
    [property: Range(0, 8192)] int SyntheticWidth,
    [property: Range(0, 8192)] int SyntheticHeight,
    // The overlays are drawn with Seed + 1: the largest int is left out so that cannot overflow.
    [property: Range(0, int.MaxValue - 1)] int Seed) : IValidatableObject
{
    public int Identities => (TrainingImages + IdStride - 1) / IdStride;

    public IEnumerable<ValidationResult> Validate(ValidationContext context)
    {
        if (Synthetic && (SyntheticWidth < 16 || SyntheticHeight < 16))
            yield return new ValidationResult(
                $"synthetic images need SyntheticWidth and SyntheticHeight of at least 16 px (got {SyntheticWidth} x {SyntheticHeight})",
                [nameof(SyntheticWidth), nameof(SyntheticHeight)]);
    }
}

/// <summary>Dataset generation (docs/recipe.md, Datasets).</summary>
/// <param name="MaxFaceIdentities">ff/ff_bw: at most this many face images become extra identities (0 = all found).</param>
/// <param name="TextLayout">Pillow's text layout engine for the text overlays: <c>basic</c> (unshaped, left to right, what
/// Pillow does without FriBiDi) or <c>raqm</c> (bidi and HarfBuzz shaping); docs/imaging.md, Faithfulness: semantics and quirks, each tested).</param>
public sealed record GenerationSettings(
    [property: Range(1, 1000)] int ImagesPerId,
    [property: Range(16, 8192)] int OutputSize,
    [property: Range(1, 100)] int JpegQuality,
    [property: Range(1, 1000)] int IdentitiesDivisibleBy,
    [property: Range(0, int.MaxValue)] int MaxIdsDropped,
    [property: Range(0, int.MaxValue)] int MaxFaceIdentities,
    [property: Range(0, int.MaxValue)] int Seed,
    [property: AllowedValues("basic", "raqm")] string TextLayout = "basic")
{
    /// <summary>The values <see cref="TextLayout"/> takes (as its AllowedValues declares).</summary>
    public static readonly IReadOnlyList<string> TextLayouts = ["basic", "raqm"];
}

/// <summary>The D2LV network (docs/recipe.md, Network); widths shrink in the demo profile.</summary>
public sealed record ModelSettings(
    [property: Range(1, 1024)] int StemWidth,
    [property: Range(1, 1_000_000)] int ProjectorHidden,
    [property: Range(1, 1_000_000)] int ProjectorOut,
    [property: Range(0d, double.MaxValue, MinimumIsExclusive = true)] double GemP,
    [property: Range(0d, 1d)] double WaveblockRatio,
    [property: Range(0d, double.MaxValue)] double WaveblockFactor,
    [property: Range(0d, 1d)] double LeakyReluSlope,
    [property: Range(0d, double.MaxValue, MinimumIsExclusive = true)] double ClassifierInitStd,
    [property: Range(1, 1024)] int ClassifierPieces)
{
    /// <summary>Width of the pooled feature f: layer4's output channels (2048 for ResNet-50).</summary>
    public int FeatureDim => StemWidth * 32;
}

/// <summary>The trainer (docs/recipe.md, Trainer).</summary>
/// <param name="MicroBatch">Run each BatchNorm shard as a micro-batch, twice (docs/training.md, Micro-batch mode): the same
/// step within float rounding with about a shard's activation memory instead of the batch's, for one more forward pass.</param>
public sealed record TrainingSettings(
    [property: Range(1, 1_000_000)] int IdsPerBatch,
    [property: Range(2, 1000)] int ImagesPerIdInBatch,
    [property: Range(1, int.MaxValue)] int IterationsPerEpoch,
    [property: Range(1, 100_000)] int Epochs,
    [property: Range(0d, double.MaxValue, MinimumIsExclusive = true)] double LearningRate,
    [property: Range(0d, 1d, MaximumIsExclusive = true)] double Beta1,
    [property: Range(0d, 1d, MaximumIsExclusive = true)] double Beta2,
    [property: Range(0d, double.MaxValue, MinimumIsExclusive = true)] double AdamEps,
    [property: Range(0d, double.MaxValue)] double WeightDecay,
    [property: Range(0, 100_000)] int WarmupEpochs,
    [property: Range(0d, 1d)] double WarmupStartFactor,
    [property: Range(0, 100_000)] int ConstantUntilEpoch,
    [property: Range(16, 8192)] int InputSize,
    [property: Range(0, 8192)] int Pad,
    [property: Range(0d, 1d)] double FlipProbability,
    [property: Range(0d, 1d, MaximumIsExclusive = true)] double LabelSmoothing,
    [property: Range(0d, double.MaxValue)] double CrossEntropyWeight,
    [property: Range(0d, double.MaxValue)] double TripletWeight,
    [property: Range(0d, double.MaxValue)] double TripletMargin,
    [property: Range(1, 1024)] int BatchNormShards,
    [property: Range(1, 100_000)] int KeepCheckpoints,
    [property: Range(0, int.MaxValue)] int Seed,
    [property: AllowedValues("fp32", "bf16", "fp16")] string Precision = "fp32",
    bool ChannelsLast = false,
    [property: RecordedWhenChanged] bool MicroBatch = false) : IValidatableObject
{
    public int BatchSize => IdsPerBatch * ImagesPerIdInBatch;

    public IEnumerable<ValidationResult> Validate(ValidationContext context)
    {
        if (!MicroBatch) yield break;
        if (BatchNormShards < 2)
            yield return new ValidationResult(
                $"MicroBatch runs the BatchNorm shards one at a time, so it needs BatchNormShards of at least 2 (got {BatchNormShards}; with one shard there is nothing to split: set MicroBatch=false)",
                [nameof(MicroBatch), nameof(BatchNormShards)]);
        else if (BatchSize % BatchNormShards != 0 || BatchSize / BatchNormShards < 2)
            yield return new ValidationResult(
                $"MicroBatch needs the batch (IdsPerBatch x ImagesPerIdInBatch = {BatchSize}) to split into BatchNormShards ({BatchNormShards}) equal micro-batches of at least 2 images each",
                [nameof(MicroBatch), nameof(BatchNormShards), nameof(IdsPerBatch)]);
    }

    /// <summary>The values <see cref="Precision"/> takes (as its AllowedValues declares): fp32 (the paper's) or bf16/fp16 mixed precision.</summary>
    public static readonly IReadOnlyList<string> Precisions = ["fp32", "bf16", "fp16"];

    /// <summary>Refuses settings no training could run with (the declared ranges above), naming the setting and what is accepted.</summary>
    public TrainingSettings Validated(string where) => SettingsValidation.Validated(this, where);

    public static readonly double[] NormalizeMean = [0.485, 0.456, 0.406];
    public static readonly double[] NormalizeStd = [0.229, 0.224, 0.225];

    /// <summary>Per-epoch learning-rate multiplier f(e): linear warm-up, constant, then half-cosine to the last epoch.</summary>
    public double LrFactor(int epoch)
    {
        if (epoch < WarmupEpochs) return WarmupStartFactor + (1 - WarmupStartFactor) * epoch / WarmupEpochs;
        if (epoch < ConstantUntilEpoch) return 1.0;
        return 0.5 * (1 + Math.Cos(Math.PI * (epoch - ConstantUntilEpoch) / (Epochs - ConstantUntilEpoch)));
    }
}

/// <summary>
/// demo: the copy-detection evaluation set the harness draws itself (docs/imaging.md, Evaluation set). References and
/// distractors are new synthetic photos, drawn with seeds no demo training image or overlay uses; copy queries are draws
/// of the query chain (EvalChains.Query) from references, distractor queries draws of it from images that match none.
/// </summary>
/// <param name="References">Reference images, R000000.jpg ...</param>
/// <param name="CopyQueries">Queries that are transformed copies of a reference, each of a different one.</param>
/// <param name="DistractorQueries">Queries made from images that are no reference (an empty reference_id in the ground truth).</param>
/// <param name="Backgrounds">Images the query chain's overlay step pastes copies onto (drawn, or the first ones of --overlays).</param>
/// <param name="ImageWidth">Width of the synthetic references, distractor sources and backgrounds.</param>
/// <param name="QuerySize">Queries are QuerySize x QuerySize (the query chain ends with a resize).</param>
/// <param name="Seed">References are drawn with Seed, distractor sources with Seed + 1, backgrounds with Seed + 2; the chain's draws and which references are copied follow from Seed too.</param>
public sealed record EvalSetSettings(
    [property: Range(1, 1_000_000)] int References,
    [property: Range(0, 1_000_000)] int CopyQueries,
    [property: Range(0, 1_000_000)] int DistractorQueries,
    [property: Range(1, 100_000)] int Backgrounds,
    [property: Range(16, 8192)] int ImageWidth,
    [property: Range(16, 8192)] int ImageHeight,
    [property: Range(16, 8192)] int QuerySize,
    [property: Range(1, 100)] int JpegQuality,
    // Backgrounds are drawn with Seed + 2: the two largest ints are left out so that cannot overflow.
    [property: Range(0, int.MaxValue - 2)] int Seed) : IValidatableObject
{
    public int Queries => CopyQueries + DistractorQueries;

    public IEnumerable<ValidationResult> Validate(ValidationContext context)
    {
        if (CopyQueries > References)
            yield return new ValidationResult(
                $"each copy query copies a different reference: CopyQueries ({CopyQueries}) cannot exceed References ({References})",
                [nameof(CopyQueries), nameof(References)]);
        if (CopyQueries + (long)DistractorQueries is 0 or > 1_000_000)
            yield return new ValidationResult(
                $"CopyQueries + DistractorQueries must be between 1 and 1,000,000 (got {CopyQueries + (long)DistractorQueries})",
                [nameof(CopyQueries), nameof(DistractorQueries)]);
    }
}

/// <summary>
/// The evaluation protocol (the ISC 2021 matching track): L2-normalised descriptors, optionally PCA-whitened and
/// L2-normalised again, exact inner-product search keeping the best <see cref="TopK"/> references of each query.
/// </summary>
/// <param name="TopK">Results kept per query by the search (the challenge's k).</param>
/// <param name="PcaDimensions">Dimensions the PCA whitening keeps (learned on training images that are neither queries nor references).</param>
/// <param name="PcaEpsilon">Added to each kept eigenvalue before the whitening divides by its square root: small against the
/// eigenvalues of L2-normalised descriptors (their mean is 1/D, 4.9e-4 at D = 2048), so it keeps a near-zero component
/// from being blown up and changes the others little.</param>
/// <param name="PcaTrainingImages">How many training images (the first of the source folder, by name) the whitening is learned
/// on; 0 searches the L2-normalised descriptors without whitening. It must exceed <see cref="PcaDimensions"/>.</param>
/// <param name="Set">The evaluation set: <c>subset1</c> (the challenge's 4,991 × 4,991 quick subset) or <c>dev25k</c> (25,000
/// queries with public ground truth against 1,000,000 references) in the paper profile; <c>demo</c>, the set the harness draws.</param>
/// <param name="CompareTolerance">A rebuilt model passes when its µAP is at least the published model's minus this (absolute µAP).</param>
/// <param name="BatchSize">Images per forward pass when descriptors are extracted.</param>
public sealed record EvaluationSettings(
    [property: Range(1, 1_000_000)] int TopK,
    [property: Range(1, 1_000_000)] int PcaDimensions,
    [property: Range(0d, double.MaxValue)] double PcaEpsilon,
    [property: Range(0, 1_000_000)] int PcaTrainingImages,
    [property: AllowedValues("subset1", "dev25k", "demo")] string Set,
    [property: Range(0d, 1d)] double CompareTolerance,
    [property: Range(1, 4096)] int BatchSize) : IValidatableObject
{
    /// <summary>The values <see cref="Set"/> takes: the paper's two DISC21 sets and the demo's drawn set.</summary>
    public static readonly IReadOnlyList<string> Sets = ["subset1", "dev25k", "demo"];

    /// <summary>True when the descriptors are PCA-whitened before the search.</summary>
    public bool Whitens => PcaTrainingImages > 0;

    public IEnumerable<ValidationResult> Validate(ValidationContext context)
    {
        if (Whitens && PcaTrainingImages <= PcaDimensions)
            yield return new ValidationResult(
                $"the whitening keeps PcaDimensions ({PcaDimensions}) components, so it needs more training images than that: PcaTrainingImages is {PcaTrainingImages} (0 turns the whitening off)",
                [nameof(PcaTrainingImages), nameof(PcaDimensions)]);
    }
}

/// <summary>Where the text and emoji overlays get their glyphs.</summary>
/// <param name="FontFile">A TTF path, or null for the recipe's NotoNaskhArabic-Regular.ttf fetched from AugLy.</param>
/// <param name="EmojiDirectory">A folder of emoji PNGs, or null for AugLy's 92 Twemoji smileys.</param>
/// <param name="SyntheticPhotoFont">demo: the font of the words drawn into the synthetic stand-in photos.</param>
public sealed record AssetSettings(string? FontFile, string? EmojiDirectory, string? SyntheticPhotoFont = null);
