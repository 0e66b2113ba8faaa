using System.Collections.Concurrent;
using Isc.Imaging.Pixels;

namespace Isc.Imaging.Assets;

/// <summary>
/// Overlay images decoded at the 1/8 DCT scale (what the underlay step needs: its patch is at most 0.1 of the
/// overlay's size), kept so that the next draw of the same overlay skips the JPEG decode. An entry is exactly what a
/// fresh decode returns (the decoder is deterministic), so output does not change. Filled first come, first kept, up
/// to a fixed total (<see cref="CapBytes"/> unless the caller sets another): with uniformly drawn overlays, any fixed set of N cached ones hits as
/// often as LRU would (N / count), without the bookkeeping. Thread-safe.
/// </summary>
sealed class OverlayDecodeCache(int count, long capBytes)
{
    /// <summary>The default cap on cached pixel bytes (1,024×683 overlays: 33 KB each, so about 7,900 of them).</summary>
    public const long CapBytes = 256L << 20;

    /// <summary>Entries above this are not kept (huge originals, or formats decoded at full size).</summary>
    const int MaxEntryBytes = 1 << 20;

    readonly (int Width, int Height)[] _sizes = new (int, int)[count];
    readonly ConcurrentDictionary<int, byte[]> _eighths = new();
    long _bytes;

    public long Bytes => Interlocked.Read(ref _bytes);
    public int Count => _eighths.Count;

    public void NoteSize(int index, int width, int height) => _sizes[index] = (width, height);

    /// <summary>
    /// The cached decode when the decoder would pick the 1/8 scale for this minimum (the rule of
    /// <see cref="ImageCodec.Decode(string, Func{int, int, ValueTuple{int, int}}, out int, out int)"/>), else null.
    /// </summary>
    public RgbImage? TryGet(int index, Func<int, int, (int, int)> minimum, out int fullWidth, out int fullHeight)
    {
        (fullWidth, fullHeight) = _sizes[index];
        if (fullWidth == 0 || !_eighths.TryGetValue(index, out var pixels)) return null;
        var (w, h) = Eighth(fullWidth, fullHeight);
        var (minWidth, minHeight) = minimum(fullWidth, fullHeight);
        if (!(w >= minWidth && h >= minHeight && w < fullWidth)) return null;
        var img = new RgbImage(w, h, clear: false);
        pixels.CopyTo(img.Pixels);
        return img;
    }

    /// <summary>Keeps a fresh decode if it is the 1/8-scale one and fits under the cap.</summary>
    public void Offer(int index, RgbImage decoded, int fullWidth, int fullHeight)
    {
        _sizes[index] = (fullWidth, fullHeight);
        var (w, h) = Eighth(fullWidth, fullHeight);
        if (decoded.Width != w || decoded.Height != h || w >= fullWidth || decoded.Length > MaxEntryBytes) return;
        if (_eighths.ContainsKey(index)) return;
        if (Interlocked.Add(ref _bytes, decoded.Length) > capBytes)
        {
            Interlocked.Add(ref _bytes, -decoded.Length);
            return;
        }
        if (!_eighths.TryAdd(index, decoded.Pixels.ToArray())) Interlocked.Add(ref _bytes, -decoded.Length);
    }

    static (int, int) Eighth(int width, int height) => ((width + 7) / 8, (height + 7) / 8);
}
