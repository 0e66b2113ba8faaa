namespace Isc.Recipe.Chains;

/// <summary>
/// The ISC "image underlay": a random overlay image, resized to <paramref name="Scale"/> of its own size (bicubic),
/// pasted without mask onto the current image at (x·W, y·H).
/// </summary>
public sealed record Underlay(double P, UniformRange Scale, UniformRange X, UniformRange Y, string Id = "underlay") : ChainStep(Id, P)
{
    public override string Kind => "image-underlay";
    protected override IEnumerable<(string, object)> Parameters() =>
        [("overlay-index", "uniform over the profile's overlay images"), ("own-size-scale", Scale), ("x", X), ("y", Y)];
}

/// <summary>
/// The ISC "image overlay": the current image is resized by <paramref name="Scale"/> of its size (bicubic) and pasted
/// onto a random overlay image at (x·Wb, y·Hb); that background is the result.
/// </summary>
public sealed record ImageOverlay(double P, UniformRange Scale, UniformRange X, UniformRange Y, string Id = "overlay") : ChainStep(Id, P)
{
    public override string Kind => "image-overlay";
    protected override IEnumerable<(string, object)> Parameters() =>
        [("overlay-index", "uniform over the profile's overlay images"), ("scale", Scale), ("x", X), ("y", Y)];
}

/// <summary>The ISC "image opaque": current and a random overlay image resized to output×output (bicubic), current blended over it.</summary>
public sealed record OpacityBlend(double P, UniformRange Opacity, string Id = "opacity") : ChainStep(Id, P)
{
    public override string Kind => "opacity-blend";
    protected override IEnumerable<(string, object)> Parameters() =>
        [("overlay-index", "uniform over the profile's overlay images"), ("opacity", Opacity), ("size", "output")];
}

/// <summary>AugLy RandomEmojiOverlay with drawn parameters: a random emoji, nearest-scaled to size·H, alpha·opacity blend.</summary>
public sealed record EmojiOverlay(double P, UniformRange Opacity, UniformRange Size, UniformRange X, UniformRange Y, string Id = "emoji") : ChainStep(Id, P)
{
    public override string Kind => "emoji-overlay";
    protected override IEnumerable<(string, object)> Parameters() =>
        [("opacity", Opacity), ("emoji-size", Size), ("x", X), ("y", Y), ("resample", "nearest")];
}

/// <summary>
/// AugLy OverlayText with drawn parameters: <paramref name="Count"/> character indices from <paramref name="CharIndex"/>
/// (each maps through the font's code-point list), one line, em size font_size·min(W,H).
/// The opacity is the alpha of the ink (AugLy 0.1.4 returns RGBA): it changes only the alpha channel, which the later
/// resizes and the opacity step see.
/// </summary>
public sealed record TextOverlay(double P, IntRange Count, IntRange CharIndex, IntRange Channel, UniformRange FontSize,
    UniformRange Opacity, UniformRange X, UniformRange Y, string Id = "text") : ChainStep(Id, P)
{
    public override string Kind => "text-overlay";
    protected override IEnumerable<(string, object)> Parameters() =>
        [("count", Count), ("char-index", CharIndex), ("colour-channel", Channel), ("font-size", FontSize),
         ("opacity", Opacity + " (ink alpha)"), ("x", X), ("y", Y), ("layout", "GenerationSettings.TextLayout")];
}
