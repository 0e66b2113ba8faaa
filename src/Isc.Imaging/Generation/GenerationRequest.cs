using Isc.Recipe;

namespace Isc.Imaging.Generation;

/// <summary>Everything one dataset generation needs. <see cref="Profile"/> already carries any --set overrides.</summary>
public sealed record GenerationRequest(
    Profile Profile,
    Dataset Dataset,
    string SourceDirectory,
    string OverlayDirectory,
    string OutputDirectory,
    string? FacesFile,
    string FontFile,
    string EmojiDirectory,
    int Jobs)
{
    /// <summary>Cap of the underlay's overlay decode cache (the default; the benchmark scales it to its smaller overlay set).</summary>
    public long OverlayCacheBytes { get; init; } = Assets.OverlayLibrary.DefaultCacheBytes;

    public string ImagesDirectory => Path.Combine(OutputDirectory, Dataset.Name);
    public string ManifestPath => Path.Combine(OutputDirectory, "manifest.json");
    public string ContactSheetPath => Path.Combine(OutputDirectory, "contact_sheet.png");
    public string StatePath => Path.Combine(OutputDirectory, ".generate-settings.json");

    public static string ImageName(int id, int k) => $"{id}_{k}.jpg";
}
