using System.Text;
using System.Text.Json;
using Isc.Imaging.Augmentations;
using Isc.Recipe;
using Isc.Recipe.Chains;

namespace Isc.Imaging.Generation;

/// <summary>
/// What the images of an output folder depend on (settings, chain text, input counts, asset files). Stored when a
/// generation starts; a later run into the same folder with a different fingerprint is refused, so resumed files
/// can never mix two recipes.
/// </summary>
public static class GenerationFingerprint
{
    public static SortedDictionary<string, string> Of(GenerationRequest r, Chain chain, int sourceImages, AugmentationContext ctx)
    {
        var d = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["dataset"] = r.Dataset.Name,
            // The image engine's version (kernels, codec): a folder begun by another version is started over.
            ["engine"] = StepVersions.Generate.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["profile"] = r.Profile.Name,
            ["chain"] = chain.Describe(),
            ["source.images"] = sourceImages.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["overlays.count"] = ctx.Overlays.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["font"] = $"{Path.GetFileName(r.FontFile)} ({new FileInfo(r.FontFile).Length} bytes)",
            ["emoji"] = $"{ctx.Emojis.Count} PNGs in {Path.GetFileName(Path.TrimEndingDirectorySeparator(r.EmojiDirectory))}",
            ["faces"] = r.FacesFile is null || !r.Dataset.AddsFaceIdentities ? "" : HashFile(r.FacesFile),
        };
        foreach (var (k, v) in SettingsParams.ToParams(r.Profile.Source, "source.")) d[k] = v;
        foreach (var (k, v) in SettingsParams.ToParams(r.Profile.Generation, "generation.")) d[k] = v;
        return d;
    }

    public static string ToJson(SortedDictionary<string, string> fp) =>
        JsonSerializer.Serialize(fp, new JsonSerializerOptions { WriteIndented = true });

    /// <summary>The setting keys whose values differ from the fingerprint stored at <paramref name="path"/>.</summary>
    public static IReadOnlyList<string> Differences(string path, SortedDictionary<string, string> fp)
    {
        SortedDictionary<string, string> old;
        try { old = JsonSerializer.Deserialize<SortedDictionary<string, string>>(File.ReadAllText(path)) ?? []; }
        catch (JsonException) { return ["(unreadable settings file)"]; }
        return [.. fp.Keys.Union(old.Keys).Where(k => fp.GetValueOrDefault(k) != old.GetValueOrDefault(k))];
    }

    static string HashFile(string path) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)));
}
