using Isc.Imaging.Pixels;

namespace Isc.Imaging.Assets;

/// <summary>
/// The overlay images (backgrounds/patches of the underlay, overlay and opacity steps): the folder's image files,
/// sorted by name (ordinal), of which the first <see cref="Count"/> (the profile's OverlayImages) are used and
/// indexed uniformly. The originals used the unsorted os.listdir order; any fixed order gives the same distribution.
/// </summary>
public sealed class OverlayLibrary
{
    static readonly string[] Extensions = [".jpg", ".jpeg", ".png", ".webp", ".bmp"];
    readonly string[] _paths;
    readonly OverlayDecodeCache _cache;

    public string Directory { get; }
    public int Count => _paths.Length;

    /// <summary>Pixel bytes and entries held by the 1/8-scale decode cache (capped at <see cref="OverlayDecodeCache.CapBytes"/>).</summary>
    public (long Bytes, int Entries) CacheUse => (_cache.Bytes, _cache.Count);

    /// <summary>The decode cache's default cap (<see cref="OverlayDecodeCache.CapBytes"/>).</summary>
    public const long DefaultCacheBytes = OverlayDecodeCache.CapBytes;

    OverlayLibrary(string directory, string[] paths, long cacheBytes)
    {
        Directory = directory;
        _paths = paths;
        _cache = new OverlayDecodeCache(paths.Length, cacheBytes);
    }

    /// <summary>Lists and checks the folder: it must exist and hold at least <paramref name="required"/> images.</summary>
    public static OverlayLibrary Open(string directory, int required, long cacheBytes = DefaultCacheBytes)
    {
        if (!System.IO.Directory.Exists(directory))
            throw new GenerationInputException($"overlay folder '{directory}' does not exist; pass --overlays <folder of at least {required} images>");
        var paths = System.IO.Directory.EnumerateFiles(directory)
            .Where(p => Extensions.Contains(Path.GetExtension(p).ToLowerInvariant()))
            .Order(StringComparer.Ordinal).ToArray();
        if (paths.Length < required)
            throw new GenerationInputException(
                $"overlay folder '{directory}' holds {paths.Length} images (.jpg/.jpeg/.png/.webp/.bmp); the profile needs at least {required} " +
                "(the paper recipe: 10,001 OpenImages photos; any natural photos work)");
        return new OverlayLibrary(directory, paths[..required], cacheBytes);
    }

    public string PathOf(int index) => _paths[index];

    /// <summary>Header check of every used overlay image (readable, within the pixel limit); returns the bad ones with the reason.</summary>
    public IReadOnlyList<string> FindUnreadable()
    {
        var bad = new List<string>();
        for (var i = 0; i < _paths.Length; i++)
        {
            var p = _paths[i];
            try
            {
                var (w, h) = ImageCodec.ReadSize(p);
                Isc.Artifacts.ImagePixelLimit.Check(p, w, h);
                _cache.NoteSize(i, w, h);
            }
            catch (Exception e) when (e is InvalidDataException or IOException) { bad.Add(e.Message); }
        }
        return bad;
    }

    /// <summary>Decodes overlay <paramref name="index"/> at a reduced JPEG scale that is still at least min×min; reports the stored size.</summary>
    public RgbImage Load(int index, int minWidth, int minHeight, out int fullWidth, out int fullHeight) =>
        Load(index, minWidth, minHeight, out fullWidth, out fullHeight, out _);

    /// <summary>
    /// As above, in the mode Pillow opens the file in (<see cref="ImageCodec.DecodeAsOpened"/>): a CMYK JPEG comes back
    /// CMYK and at full size, an L one as R = G = B.
    /// </summary>
    public RgbImage Load(int index, int minWidth, int minHeight, out int fullWidth, out int fullHeight, out PillowMode mode) =>
        ImageCodec.DecodeAsOpened(_paths[index], (_, _) => (minWidth, minHeight), out fullWidth, out fullHeight, out mode);

    /// <summary>
    /// Decodes overlay <paramref name="index"/> in the mode Pillow opens it in (a CMYK JPEG comes back CMYK, at full
    /// size), no smaller than the minimum computed from its stored size; 1/8-scale decodes (the underlay's) are served
    /// from and kept in a capped cache (see <see cref="OverlayDecodeCache"/>).
    /// </summary>
    public RgbImage Load(int index, Func<int, int, (int, int)> minimum, out int fullWidth, out int fullHeight)
    {
        var cached = _cache.TryGet(index, minimum, out fullWidth, out fullHeight);
        if (cached is not null) return cached;
        var decoded = ImageCodec.DecodeAsOpened(_paths[index], minimum, out fullWidth, out fullHeight, out _);
        _cache.Offer(index, decoded, fullWidth, fullHeight);
        return decoded;
    }

    public (int Width, int Height) SizeOf(int index) => ImageCodec.ReadSize(_paths[index]);
}
