namespace Isc.Recipe;

/// <summary>
/// Published files that are neither datasets nor backbones: the text/emoji overlay assets of AugLy
/// (fetched from the AugLy repository at a pinned tag) and the overlay-images archive (Google Drive).
/// </summary>
public static class Assets
{
    /// <summary>The AugLy tag the assets are read from; 0.1.4 (pinned by the ISC code) has no tag, and its assets are those of 0.1.5.</summary>
    public const string AugLyTag = "v0.1.5";

    public const string AugLyRawBase = "https://raw.githubusercontent.com/facebookresearch/AugLy/" + AugLyTag + "/augly/assets/";

    /// <summary>Sub-folders of the assets folder that fetch-assets writes (and that mirrors must reproduce).</summary>
    public const string FontsFolder = "fonts";
    public const string SmileysFolder = "smileys";

    /// <summary>AugLy's default text-overlay font (149,192 bytes).</summary>
    public static readonly AssetFile Font = new(FontsFolder, "fonts/NotoNaskhArabic-Regular.ttf",
        new PublishedFile("NotoNaskhArabic-Regular.ttf", Url: AugLyRawBase + "fonts/NotoNaskhArabic-Regular.ttf", Size: 149_192));

    /// <summary>AugLy's twemojis/smileys folder: the 92 PNGs RandomEmojiOverlay draws from.</summary>
    public static readonly IReadOnlyList<AssetFile> Smileys = [.. SmileyNames().Select(name =>
        new AssetFile(SmileysFolder, "twemojis/smileys/" + name,
            new PublishedFile(name, Url: AugLyRawBase + "twemojis/smileys/" + name)))];

    /// <summary>The font first, then the smileys.</summary>
    public static IReadOnlyList<AssetFile> All => [Font, .. Smileys];

    /// <summary>The published overlay images (an OpenImages subset) as one zip on Google Drive.</summary>
    public static readonly PublishedFile OverlayImages =
        new("overlay_images.zip", DriveId: "102JynPEzqiZ83zAdquFbrQah2JbXFOuu");

    /// <summary>The authors' 33 trained models: a Google Drive folder with one sub-folder per V5_* folder, files named as the trimmed models.</summary>
    public const string PublishedModelsFolder = "https://drive.google.com/drive/folders/1xVIJdwCDbxVTjmlzo7YXUmlc8JwTUUgA";

    static IEnumerable<string> SmileyNames()
    {
        using var stream = typeof(Assets).Assembly.GetManifestResourceStream("Isc.Recipe.smiley_emojis.txt")
            ?? throw new RecipeException("the embedded smiley list (Isc.Recipe.smiley_emojis.txt) is missing from the Isc.Recipe assembly");
        using var reader = new StreamReader(stream);
        var names = new List<string>();
        while (reader.ReadLine() is { } line)
            if (line.Trim() is { Length: > 0 } name) names.Add(name);
        return names;
    }
}

/// <summary>One AugLy asset: the local sub-folder it goes to, its path under AugLy's assets folder, and the published file.</summary>
/// <param name="LocalFolder">fonts or smileys (under the assets output folder).</param>
/// <param name="RemotePath">Path relative to AugLy's augly/assets/ folder, e.g. twemojis/smileys/alien.png.</param>
public sealed record AssetFile(string LocalFolder, string RemotePath, PublishedFile Published)
{
    public string LocalPath => $"{LocalFolder}/{Published.FileName}";
    /// <summary>The key the downloads lock file records this file's hash under.</summary>
    public string LockKey => $"Asset:{LocalPath}";
}
