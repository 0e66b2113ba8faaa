namespace Isc.Recipe.Chains;

/// <summary>Image.convert("RGB").</summary>
public sealed record ToRgb(string Id = "to-rgb") : ChainStep(Id, 1)
{
    public override string Kind => "to-rgb";
    protected override IEnumerable<(string, object)> Parameters() => [];
}

/// <summary>torchvision RandomResizedCrop to the output size: area scale, log-uniform aspect ratio, bounded tries, centre fallback, bilinear.</summary>
public sealed record RandomResizedCrop(UniformRange Scale, UniformRange Ratio, int Attempts, string Id = "crop") : ChainStep(Id, 1)
{
    public override string Kind => "random-resized-crop";
    protected override IEnumerable<(string, object)> Parameters() =>
        [("size", "output"), ("scale", Scale), ("ratio", "log" + Ratio), ("attempts", Attempts), ("fallback", "centre"), ("resample", "bilinear")];
}

/// <summary>torchvision RandomRotation: canvas kept, nearest, black fill, counter-clockwise.</summary>
public sealed record Rotation(double P, UniformRange Degrees, string Id = "rotation") : ChainStep(Id, P)
{
    public override string Kind => "rotation";
    protected override IEnumerable<(string, object)> Parameters() =>
        [("degrees", Degrees), ("expand", false), ("resample", "nearest"), ("fill", "black")];
}

/// <summary>AugLy pixelization: bicubic down by ratio, bicubic back up.</summary>
public sealed record Pixelization(double P, UniformRange Ratio, string Id = "pixelization") : ChainStep(Id, P)
{
    public override string Kind => "pixelization";
    protected override IEnumerable<(string, object)> Parameters() => [("ratio", Ratio), ("resample", "bicubic")];
}

/// <summary>AugLy shuffle_pixels: the global numpy RNG is reseeded with <paramref name="Seed"/> on every call (a fixed pattern per size).</summary>
public sealed record ShufflePixels(double P, UniformRange Factor, int Seed, string Id = "shuffle") : ChainStep(Id, P)
{
    public override string Kind => "shuffle-pixels";
    protected override IEnumerable<(string, object)> Parameters() => [("factor", Factor), ("numpy-seed", Seed)];
}

/// <summary>
/// AugLy perspective_transform: corner offsets are numpy RandomState(<paramref name="Seed"/>) normals, so one fixed
/// shape scaled by sigma. Sigma is in pixels of a <paramref name="ReferenceSize"/>-pixel image (the paper's crop size);
/// other output sizes scale it proportionally so the demo's small images get the same relative warp.
/// </summary>
public sealed record Perspective(double P, UniformRange Sigma, int Seed, int ReferenceSize, string Id = "perspective") : ChainStep(Id, P)
{
    public override string Kind => "perspective";
    protected override IEnumerable<(string, object)> Parameters() =>
        [("sigma", Sigma), ("sigma-pixels-at", ReferenceSize), ("numpy-seed", Seed), ("crop-black-border", false), ("resample", "bicubic"), ("fill", "black")];
}

/// <summary>AugLy pad: int(w_factor·W) left and right, int(h_factor·H) top and bottom, one random colour.</summary>
public sealed record Pad(double P, UniformRange WidthFactor, UniformRange HeightFactor, IntRange Channel, string Id = "pad") : ChainStep(Id, P)
{
    public override string Kind => "pad";
    protected override IEnumerable<(string, object)> Parameters() =>
        [("w-factor", WidthFactor), ("h-factor", HeightFactor), ("colour-channel", Channel)];
}

/// <summary>Horizontal flip.</summary>
public sealed record HorizontalFlip(double P, string Id = "flip") : ChainStep(Id, P)
{
    public override string Kind => "horizontal-flip";
    protected override IEnumerable<(string, object)> Parameters() => [];
}

/// <summary>torchvision Resize to output×output, bilinear.</summary>
public sealed record Resize(string Id = "resize") : ChainStep(Id, 1)
{
    public override string Kind => "resize";
    protected override IEnumerable<(string, object)> Parameters() => [("size", "output"), ("resample", "bilinear")];
}
