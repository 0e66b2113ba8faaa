namespace Isc.Recipe.Chains;

/// <summary>The base ("big") chain (docs/recipe.md, Base augmentation chain) and the 11 datasets' chains as edits of it.</summary>
public static class DatasetChains
{
    static readonly UniformRange Position = new(0, 0.5);
    static readonly IntRange Channel = new(0, 255);

    public static readonly Chain Base = new(
    [
        new ToRgb(),
        new RandomResizedCrop(Scale: new(0.2, 1), Ratio: new(3.0 / 4, 4.0 / 3), Attempts: 10),
        new Rotation(0.3, new(-50, 50)),
        new Pixelization(0.3, new(0.1, 1)),
        new ShufflePixels(0.3, new(0, 0.4), Seed: 10),
        new Perspective(0.3, new(0, 50), Seed: 42, ReferenceSize: 256),
        new Pad(0.3, new(0, 0.1), new(0, 0.1), Channel),
        new Underlay(0.3, Scale: new(0.04, 0.1), Position, Position),
        new ColorJitter(0.8, Brightness: new(0.5, 1.5), Contrast: new(0.5, 1.5), Saturation: new(0.7, 1.3), Hue: new(-0.2, 0.2)),
        new GaussianBlur(1.0, new(0.1, 2.0), ReferenceSize: 256),
        new Grayscale(0.3),
        new HorizontalFlip(0.5),
        new EmojiOverlay(0.3, Opacity: new(0, 1), Size: new(0, 1), Position, Position),
        Text("text-1"),
        Text("text-2"),
        new ImageOverlay(0.2, Scale: new(2.5, 3.5), Position, Position),
        new Resize(),
        new ToRgb("to-rgb-end"),
    ]);

    static TextOverlay Text(string id) =>
        new(0.3, Count: new(0, 20), CharIndex: new(0, 99), Channel, FontSize: new(0, 1), Opacity: new(0, 1), Position, Position, id);

    static readonly GaussianBlur StrongBlur = new(0.3, new(5, 20), ReferenceSize: 256);
    static readonly Grayscale GrayAll = new(1, "grayscale-all");

    static readonly Chain Bw = Base.Remove("grayscale").InsertAfter("resize", GrayAll).WithGrayscaleK0();

    static readonly Dictionary<string, Chain> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["isc_100k_256_big"] = Base,
        ["isc_100k_256_big_bw"] = Bw,
        ["isc_100k_256_big_blur"] = Base.Replace("blur", StrongBlur),
        ["isc_100k_256_big_blur_bw"] = Base.Replace("blur", StrongBlur).Remove("grayscale")
            .InsertBefore("resize", GrayAll).WithGrayscaleK0(),
        ["isc_100k_256_big_color_p4"] = Base.InsertAfter("to-rgb", new Colorize(0.4, Channel)),
        ["isc_100k_256_big_color_p4_bw"] = Base.InsertAfter("to-rgb", new Colorize(0.4, Channel))
            .Replace("grayscale", new Grayscale(1)).WithGrayscaleK0(),
        ["isc_100k_256_big_dark"] = Base.InsertAfter("jitter",
            new ColorJitter(0.5, Brightness: new(0.1, 0.5), null, null, null, Id: "dark")),
        ["isc_100k_256_big_opa"] = Base.InsertBefore("overlay", new OpacityBlend(0.4, new(0.2, 1.0))),
        ["isc_100k_256_big_u"] = Base.Replace("underlay", new Underlay(0.4, Scale: new(0.2, 0.3), Position, Position)),
        ["isc_100k_256_big_ff"] = Base,
        ["isc_100k_256_big_ff_bw"] = Bw,
    };

    public static Chain For(Dataset d) => For(d.Name);

    public static Chain For(string datasetName) =>
        ByName.TryGetValue(datasetName, out var c) ? c
        : throw new RecipeException($"no augmentation chain for dataset '{datasetName}'");
}
