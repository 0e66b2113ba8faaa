namespace Isc.Recipe;

/// <summary>Colour (CC) or black-and-white (BW) member of a dataset family (docs/recipe.md, Runs).</summary>
public enum Tone { CC, BW }

/// <summary>One of the 11 generated training sets (docs/recipe.md, Datasets).</summary>
/// <param name="Variant">How the chain differs from the base ("big") chain, in words; the chain itself is <see cref="Chains.DatasetChains"/>.</param>
/// <param name="AddsFaceIdentities">ff/ff_bw: training images with faces are added as extra identities.</param>
public sealed record Dataset(
    string Name,
    string Family,
    Tone Tone,
    string Variant,
    bool AddsFaceIdentities,
    PublishedFile Published)
{
    public string Target => ArtifactKinds.DatasetPrefix + Name;
    public string FamilyTone => $"{Family}_{Tone}";
}

public static class Datasets
{
    static Dataset D(string name, string family, Tone tone, string variant, string driveId, bool faces = false) =>
        new(name, family, tone, variant, faces, new PublishedFile($"{name}.zip", DriveId: driveId));

    public static readonly IReadOnlyList<Dataset> All =
    [
        D("isc_100k_256_big", "baseline", Tone.CC, "the base chain", "1-5vhQBvemdHQ3VGJCqG8oWKo2D02xBCU"),
        D("isc_100k_256_big_bw", "baseline", Tone.BW, "no random grayscale; grayscale everything at the end, k = 0 included", "1-0bgvXogN133OJWb-V4PB9OJbk2Xrl_f"),
        D("isc_100k_256_big_blur", "blur", Tone.CC, "blur p 0.3, radius U(5, 20)", "1TIdM19vtRguN00bWN8mYN79xHqphxay4"),
        D("isc_100k_256_big_blur_bw", "blur", Tone.BW, "the blur change; grayscale everything before the final resize, k = 0 included", "1-62EKA4W7rVzNsp8dwnQn6KyFMKJ3Too"),
        D("isc_100k_256_big_color_p4", "color", Tone.CC, "colorize p 0.4 after to-RGB", "1-LS9fh1bD7072a2sgs9Q7bH-Tmq0ftbo"),
        D("isc_100k_256_big_color_p4_bw", "color", Tone.BW, "colorize p 0.4; grayscale p 1 in place of the random grayscale, k = 0 included", "1-EFpe76hFA59oXzoAgy_T-uJHdw6mDRT"),
        D("isc_100k_256_big_ff", "face", Tone.CC, "the base chain plus face identities", "1uK7zD-laaNbF4U-qaHyJ92WN1Q3Wq2_Y", faces: true),
        D("isc_100k_256_big_ff_bw", "face", Tone.BW, "the bw chain plus face identities", "1-cPN8KjwYTjZnuSrRfrLrsJw8Yf9UBVh", faces: true),
        D("isc_100k_256_big_dark", "dark", Tone.CC, "brightness U(0.1, 0.5) p 0.5 after colour jitter", "1-WUeF1mrEdCzqu8uIlZdYFLqSSZLr4q3"),
        D("isc_100k_256_big_opa", "opa", Tone.CC, "opacity blend over an overlay image p 0.4 before the image overlay", "1vQuneoJvcQJ9kckpJDmPFhgbWK010YBa"),
        D("isc_100k_256_big_u", "u", Tone.CC, "underlay p 0.4, own-size scale U(0.2, 0.3)", "10q7MdgRq806HdOn9V1KHRXuFBi1AOj-m"),
    ];

    public static Dataset Get(string name) =>
        All.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new RecipeException($"unknown dataset '{name}'; known: {string.Join(", ", All.Select(d => d.Name))}");
}
