namespace Isc.Recipe;

/// <summary>Where the training images and overlay images come from.</summary>
/// <param name="Synthetic">demo: the harness draws the training and overlay images itself.</param>
/// <param name="TrainingImages">Number of training images (DISC21: T000000.jpg ... T999999.jpg).</param>
/// <param name="IdStride">Every training image whose sorted index is a multiple of this becomes an identity.</param>
/// <param name="OverlayImages">Overlay images the chains index uniformly (0 ... OverlayImages-1).</param>
public sealed record SourceSettings(
    bool Synthetic,
    int TrainingImages,
    int IdStride,
    int OverlayImages,
    int SyntheticWidth,
    int SyntheticHeight,
    int Seed)
{
    public int Identities => (TrainingImages + IdStride - 1) / IdStride;
}

/// <summary>Dataset generation (RECIPE section 2).</summary>
/// <param name="MaxFaceIdentities">ff/ff_bw: at most this many face images become extra identities (0 = all found).</param>
public sealed record GenerationSettings(
    int ImagesPerId,
    int OutputSize,
    int JpegQuality,
    int IdentitiesDivisibleBy,
    int MaxIdsDropped,
    int MaxFaceIdentities,
    int Seed);

/// <summary>The D2LV network (RECIPE section 3); widths shrink in the demo profile.</summary>
public sealed record ModelSettings(
    int StemWidth,
    int ProjectorHidden,
    int ProjectorOut,
    double GemP,
    double WaveblockRatio,
    double WaveblockFactor,
    double LeakyReluSlope,
    double ClassifierInitStd,
    int ClassifierPieces)
{
    /// <summary>Width of the pooled feature f: layer4's output channels (2048 for ResNet-50).</summary>
    public int FeatureDim => StemWidth * 32;
}

/// <summary>The trainer (RECIPE section 4).</summary>
public sealed record TrainingSettings(
    int IdsPerBatch,
    int ImagesPerIdInBatch,
    int IterationsPerEpoch,
    int Epochs,
    double LearningRate,
    double Beta1,
    double Beta2,
    double AdamEps,
    double WeightDecay,
    int WarmupEpochs,
    double WarmupStartFactor,
    int ConstantUntilEpoch,
    int InputSize,
    int Pad,
    double FlipProbability,
    double LabelSmoothing,
    double CrossEntropyWeight,
    double TripletWeight,
    double TripletMargin,
    int BatchNormShards,
    int KeepCheckpoints,
    int Seed,
    string Precision = "fp32",
    bool ChannelsLast = false)
{
    public int BatchSize => IdsPerBatch * ImagesPerIdInBatch;

    /// <summary>The values <see cref="Precision"/> takes: fp32 (the paper's) or bf16/fp16 mixed precision.</summary>
    public static readonly IReadOnlyList<string> Precisions = ["fp32", "bf16", "fp16"];

    /// <summary>Refuses settings no training could run with, naming the setting and the accepted values.</summary>
    public TrainingSettings Validated(string where)
    {
        if (!Precisions.Contains(Precision))
            throw new RecipeException($"{where}: precision must be one of {string.Join(", ", Precisions)}, got '{Precision}' (e.g. --set=Trainings.precision=bf16)");
        if (IdsPerBatch < 1 || ImagesPerIdInBatch < 2)
            throw new RecipeException($"{where}: a batch needs at least 1 id and 2 images per id (got {IdsPerBatch} x {ImagesPerIdInBatch}); the triplet loss needs positives");
        if (Epochs < 1 || IterationsPerEpoch < 1)
            throw new RecipeException($"{where}: epochs and iterations per epoch must be at least 1 (got {Epochs} x {IterationsPerEpoch})");
        return this;
    }
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

/// <summary>Where the text and emoji overlays get their glyphs.</summary>
/// <param name="FontFile">A TTF path, or null for the recipe's NotoNaskhArabic-Regular.ttf fetched from AugLy.</param>
/// <param name="EmojiDirectory">A folder of emoji PNGs, or null for AugLy's 92 Twemoji smileys.</param>
/// <param name="SyntheticPhotoFont">demo: the font of the words drawn into the synthetic stand-in photos.</param>
public sealed record AssetSettings(string? FontFile, string? EmojiDirectory, string? SyntheticPhotoFont = null);
