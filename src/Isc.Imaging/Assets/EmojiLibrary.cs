using System.Collections.Concurrent;
using Isc.Imaging.Pixels;

namespace Isc.Imaging.Assets;

/// <summary>One emoji: straight (not premultiplied) RGBA bytes.</summary>
public sealed record Emoji(string Name, byte[] Rgba, int Width, int Height);

/// <summary>
/// The emoji PNGs of a folder (AugLy: the 92 Twemoji smileys; demo: the Debian tanuki_emoji set), sorted by name.
/// AugLy listed them with os.listdir (unsorted, machine-dependent); random.choice over any fixed order is the same
/// distribution. Emojis are decoded on first use and kept (72×72 RGBA each).
/// </summary>
public sealed class EmojiLibrary
{
    readonly string[] _paths;
    readonly ConcurrentDictionary<int, Emoji> _cache = new();

    public string Directory { get; }
    public int Count => _paths.Length;

    EmojiLibrary(string directory, string[] paths) { Directory = directory; _paths = paths; }

    public static EmojiLibrary Open(string directory)
    {
        if (!System.IO.Directory.Exists(directory))
            throw new GenerationInputException($"emoji folder '{directory}' does not exist{Isc.Recipe.SystemRequirements.InstallHint(directory)}; or pass --emoji <folder of emoji PNGs> (AugLy's assets/twemojis/smileys)");
        var paths = System.IO.Directory.EnumerateFiles(directory, "*.png").Order(StringComparer.Ordinal).ToArray();
        if (paths.Length == 0)
            throw new GenerationInputException($"emoji folder '{directory}' holds no .png files; pass --emoji <folder of emoji PNGs>");
        return new EmojiLibrary(directory, paths);
    }

    public Emoji Get(int index) => _cache.GetOrAdd(index, i =>
    {
        var (rgba, w, h) = ImageCodec.DecodeRgba(_paths[i]);
        return new Emoji(Path.GetFileName(_paths[i]), rgba, w, h);
    });
}
