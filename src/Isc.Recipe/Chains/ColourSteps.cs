namespace Isc.Recipe.Chains;

/// <summary>
/// torchvision 0.8 ColorJitter: a random order of the enabled ops (randperm(4)), each factor drawn when its op runs.
/// A null range disables that op.
/// </summary>
public sealed record ColorJitter(double P, UniformRange? Brightness, UniformRange? Contrast, UniformRange? Saturation,
    UniformRange? Hue, string Id = "jitter") : ChainStep(Id, P)
{
    public override string Kind => "color-jitter";
    protected override IEnumerable<(string, object)> Parameters() =>
        [("brightness", Show(Brightness)), ("contrast", Show(Contrast)), ("saturation", Show(Saturation)),
         ("hue", Show(Hue)), ("order", "random")];
    static string Show(UniformRange? r) => r?.ToString() ?? "off";
}

/// <summary>
/// PIL ImageFilter.GaussianBlur(radius): three extended-box passes per axis. The radius is in pixels of a
/// <paramref name="ReferenceSize"/>-pixel image; other output sizes scale it proportionally.
/// </summary>
public sealed record GaussianBlur(double P, UniformRange Radius, int ReferenceSize, string Id = "blur") : ChainStep(Id, P)
{
    public override string Kind => "gaussian-blur";
    protected override IEnumerable<(string, object)> Parameters() =>
        [("radius", Radius), ("radius-pixels-at", ReferenceSize), ("engine", "pillow-extended-box")];
}

/// <summary>Grayscale kept 3-channel (ITU-R 601 luma, Pillow rounding).</summary>
public sealed record Grayscale(double P, string Id = "grayscale") : ChainStep(Id, P)
{
    public override string Kind => "grayscale";
    protected override IEnumerable<(string, object)> Parameters() => [("channels", 3)];
}

/// <summary>Pillow ImageOps.colorize(gray, black, white, mid) with three random colours.</summary>
public sealed record Colorize(double P, IntRange Channel, string Id = "colorize") : ChainStep(Id, P)
{
    public override string Kind => "colorize";
    protected override IEnumerable<(string, object)> Parameters() =>
        [("colour-channel", Channel), ("points", "black=0 mid=127 white=255"), ("ramp", "floor-div")];
}
