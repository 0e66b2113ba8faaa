using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Isc.Imaging.Assets.Layout;
using Isc.Imaging.Pixels;
using SkiaSharp;

namespace Isc.Imaging.Assets;

/// <summary>
/// Draws one line of text into an RGB or RGBA image the way AugLy 0.1.4 overlay_text does with Pillow: em size in
/// pixels, the line's top at the font's ascender as FreeType scales it (Pillow 8's "la" anchor, see
/// <see cref="FontAscender"/>), integer start position, each pixel = BLEND(glyph coverage, original, colour). The glyphs are laid out by <see cref="Layout"/>: BASIC (left to right,
/// unshaped) or RAQM (bidi reordering and HarfBuzz shaping, <see cref="RaqmShaper"/>).
/// Glyphs are rasterised by SkiaSharp (FreeType's hinting cannot be matched bit-exactly).
/// </summary>
public sealed class TextRenderer
{
    readonly SKTypeface _typeface;
    readonly FontAscender? _ascender;

    /// <summary>
    /// Skia's process-wide glyph cache, raised from its 2 MB default: the chain draws 100 characters at em sizes
    /// 0…255 (143 MB of glyph masks in all), and with 2 MB most glyphs were rasterised again on every use (measured
    /// 0.58 → 0.34 ms per chain-like text once warm; the rest is drawing the large glyphs). A cached glyph mask is the
    /// same mask, so output does not change (tested). Fixed cap.
    /// </summary>
    public const long GlyphCacheBytes = 128L << 20;

    static TextRenderer()
    {
        if (SKGraphics.GetFontCacheLimit() < GlyphCacheBytes) SKGraphics.SetFontCacheLimit(GlyphCacheBytes);
        if (SKGraphics.GetFontCacheCountLimit() < 1 << 15) SKGraphics.SetFontCacheCountLimit(1 << 15);
    }

    public string FontFile { get; }

    public TextLayout Layout { get; }

    /// <summary>HarfBuzz fonts are not shared between threads: one shaper per thread that draws.</summary>
    readonly ThreadLocal<RaqmShaper>? _shapers;

    TextRenderer(string fontFile, SKTypeface typeface, TextLayout layout)
    {
        FontFile = fontFile;
        _typeface = typeface;
        _ascender = FontAscender.Of(typeface);
        Layout = layout;
        if (layout == TextLayout.Raqm) _shapers = new(() => new RaqmShaper(fontFile));
    }

    public static TextRenderer Open(string fontFile, TextLayout layout = TextLayout.Basic)
    {
        if (!File.Exists(fontFile))
            throw new GenerationInputException($"font file '{fontFile}' does not exist{Isc.Recipe.SystemRequirements.InstallHint(fontFile)}; or pass --font <ttf> (AugLy's NotoNaskhArabic-Regular.ttf)");
        var tf = SKTypeface.FromFile(fontFile)
            ?? throw new GenerationInputException($"font file '{fontFile}' is not a readable TrueType/OpenType font");
        return new TextRenderer(fontFile, tf, layout);
    }

    /// <summary>The glyph coverage mask (one byte per image pixel) of <paramref name="text"/> at (x, y) = line top-left.</summary>
    public byte[] Coverage(string text, int emPixels, int x, int y, int width, int height)
    {
        var mask = new byte[width * height];
        if (text.Length == 0 || emPixels < 1) return mask;
        using var canvas = MaskCanvas.Over(mask, width, height);
        Render(canvas.Surface.Canvas, text, emPixels, x, y);
        return mask;
    }

    void Render(SKCanvas canvas, string text, int emPixels, int x, int y)
    {
        using var font = new SKFont(_typeface, emPixels) { Edging = SKFontEdging.Antialias, Subpixel = false, Hinting = SKFontHinting.Normal };
        using var paint = new SKPaint { Color = SKColors.White, IsAntialias = true };
        var ascent = _ascender?.Pixels(emPixels) ?? (int)MathF.Ceiling(-font.Metrics.Ascent);
        if (_shapers is null) canvas.DrawText(text, x, y + ascent, SKTextAlign.Left, font, paint);
        else DrawShaped(canvas, _shapers.Value!.Shape(text, emPixels), x, y + ascent, font, paint);
        canvas.Flush();
    }

    /// <summary>
    /// Each glyph at Pillow's pixel position: the pen (26.6) plus the glyph's offset, rounded to a whole pixel, so
    /// every glyph is rasterised at an integer origin as FreeType's bitmaps are placed.
    /// </summary>
    static void DrawShaped(SKCanvas canvas, IReadOnlyList<ShapedGlyph> glyphs, int x, int baseline, SKFont font, SKPaint paint)
    {
        if (glyphs.Count == 0) return;
        var ids = new ushort[glyphs.Count];
        var points = new SKPoint[glyphs.Count];
        var pen = 0;
        for (var i = 0; i < glyphs.Count; i++)
        {
            var g = glyphs[i];
            ids[i] = g.Glyph;
            points[i] = new SKPoint(x + Pixel(pen + g.XOffset), baseline - Pixel(g.YOffset));
            pen += g.XAdvance;
        }
        using var blob = SKTextBlob.CreatePositioned(MemoryMarshal.AsBytes(ids.AsSpan()), SKTextEncoding.GlyphId, font, points);
        if (blob is not null) canvas.DrawText(blob, 0, 0, paint);
    }

    /// <summary>Pillow's PIXEL(): a 26.6 coordinate rounded to the nearest pixel (halves up).</summary>
    static int Pixel(int v) => (v + 32) >> 6;

    /// <summary>An Alpha8 surface over a byte array, pinned for the surface's lifetime.</summary>
    sealed class MaskCanvas : IDisposable
    {
        GCHandle _handle;
        public SKSurface Surface { get; }

        MaskCanvas(byte[] mask, int width, int height, bool alreadyPinned)
        {
            // An array on the pinned object heap never moves: no handle, and nothing to free when a thread ends.
            if (!alreadyPinned) _handle = GCHandle.Alloc(mask, GCHandleType.Pinned);
            var info = new SKImageInfo(width, height, SKColorType.Alpha8, SKAlphaType.Premul);
            Surface = SKSurface.Create(info, Marshal.UnsafeAddrOfPinnedArrayElement(mask, 0), info.RowBytes);
        }

        public static MaskCanvas Over(byte[] mask, int width, int height) => new(mask, width, height, alreadyPinned: false);

        public static MaskCanvas OverPinned(byte[] mask, int width, int height) => new(mask, width, height, alreadyPinned: true);

        public void Dispose()
        {
            Surface.Dispose();
            if (_handle.IsAllocated) _handle.Free();
        }
    }

    /// <summary>Each thread's reused mask and surface for <see cref="Draw"/> (an image-sized buffer, not one per call).</summary>
    [ThreadStatic] static (byte[] Mask, MaskCanvas Canvas, int Width, int Height)? _scratch;

    /// <summary>
    /// Blends the ink (r, g, b) into the image through the glyph coverage; returns the number of touched pixels. On an
    /// RGBA image the ink is (r, g, b, <paramref name="inkAlpha"/>) and the alpha is blended too, as Pillow fills
    /// through a mask: a pixel whose alpha is 0 takes the full ink colour wherever the glyph touches it.
    /// </summary>
    public int Draw(RgbImage image, string text, int emPixels, int x, int y, byte r, byte g, byte b, byte inkAlpha = 255)
    {
        if (text.Length == 0 || emPixels < 1) return 0;
        int w = image.Width, h = image.Height;
        if (_scratch is not { } sc || sc.Width != w || sc.Height != h)
        {
            _scratch?.Canvas.Dispose();
            var buffer = GC.AllocateArray<byte>(w * h, pinned: true);
            sc = (buffer, MaskCanvas.OverPinned(buffer, w, h), w, h);
            _scratch = sc;
        }
        var mask = sc.Mask;
        Array.Clear(mask);
        Render(sc.Canvas.Surface.Canvas, text, emPixels, x, y);
        var p = image.Pixels;
        var alpha = image.HasAlpha ? image.Alpha : default;
        var touched = 0;
        var i = 0;
        while (i < mask.Length)
        {
            // Most of the mask is empty: skip it 32 bytes at a time.
            if (i + 32 <= mask.Length && Vector256.EqualsAll(Vector256.Create(mask, i), Vector256<byte>.Zero)) { i += 32; continue; }
            var end = Math.Min(mask.Length, i + 32);
            for (; i < end; i++)
            {
                int m = mask[i];
                if (m == 0) continue;
                touched++;
                var o = i * 3;
                var colourMask = m;
                if (!alpha.IsEmpty)
                {
                    if (alpha[i] == 0) colourMask = 255;
                    alpha[i] = PillowColor.PasteBlend(alpha[i], inkAlpha, m);
                }
                p[o] = PillowColor.PasteBlend(p[o], r, colourMask);
                p[o + 1] = PillowColor.PasteBlend(p[o + 1], g, colourMask);
                p[o + 2] = PillowColor.PasteBlend(p[o + 2], b, colourMask);
            }
        }
        return touched;
    }
}
