using Isc.Recipe;
using Isc.Recipe.Layouts;

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
    public long OverlayCacheBytes { get; init; } = Isc.Imaging.Assets.OverlayLibrary.DefaultCacheBytes;

    /// <summary>
    /// Asset libraries opened earlier by the caller (their decode and glyph caches already warm), for a process that
    /// generates more than once — the benchmark's runs continue where its warm-up left off, as one long generation
    /// would. They must be the request's own folders, font, overlay count and output size; null: opened here.
    /// </summary>
    public Augmentations.AugmentationContext? OpenedAssets { get; init; }

    public string ImagesDirectory => DatasetFolder.Images(OutputDirectory, Dataset.Name);
    public string ManifestPath => DatasetFolder.Manifest(OutputDirectory);
    public string ContactSheetPath => DatasetFolder.ContactSheet(OutputDirectory);
    public string StatePath => Path.Combine(OutputDirectory, ".generate-settings.json");

    public static string ImageName(int id, int k) => DatasetImageName.Format(id, k);
}
