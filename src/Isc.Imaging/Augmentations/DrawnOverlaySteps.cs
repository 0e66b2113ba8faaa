using Isc.Imaging.Assets;
using Isc.Imaging.Pixels;
using Isc.Imaging.Randomness;
using Isc.Recipe.Chains;

namespace Isc.Imaging.Augmentations;

/// <summary>
/// AugLy overlay_emoji with drawn parameters, quirk included: the emoji (palette PNGs in AugLy) is scaled with
/// Pillow's NEAREST (<see cref="PillowNearest"/>: source pixel ≈ (i+0.5)·72/new, stepped as Pillow steps it) to side
/// max(1, int(H·size)) keeping its aspect, and blended with the mask trunc(alpha·opacity) at (int(W·x), int(H·y)), clipped.
/// The result is RGBA (AugLy 0.1.4 converts the image to RGBA and pastes through the mask into all four channels, so
/// the alpha drops below 255 where the emoji's own alpha is partial).
/// </summary>
public sealed class EmojiOverlayStep(EmojiOverlay spec, EmojiLibrary emojis) : IAugmentation
{
    public bool MutatesInput => true;
    public bool AcceptsAlpha => true;

    public RgbImage Apply(RgbImage image, ImageRandom random)
    {
        var opacity = random.Uniform(spec.Opacity.Lo, spec.Opacity.Hi);
        var size = random.Uniform(spec.Size.Lo, spec.Size.Hi);
        var x = random.Uniform(spec.X.Lo, spec.X.Hi);
        var y = random.Uniform(spec.Y.Lo, spec.Y.Hi);
        var emoji = emojis.Get(random.IntInclusive(0, emojis.Count - 1));
        Overlay(image, emoji, opacity, size, x, y);
        return image;
    }

    public static void Overlay(RgbImage image, Emoji emoji, double opacity, double size, double xPos, double yPos)
    {
        image.AddAlpha();
        var nh = Math.Max(1, (int)(image.Height * size));
        var nw = (int)((double)emoji.Width * nh / emoji.Height);
        if (nw < 1) return;
        int left = (int)(image.Width * xPos), top = (int)(image.Height * yPos);
        var (sx, sy, dx, dy, w, h) = Paste.Clip(nw, nh, image.Width, image.Height, left, top);
        if (w <= 0 || h <= 0) return;
        var p = image.Pixels;
        var alpha = image.Alpha;
        var columns = nw <= 1024 ? stackalloc int[nw] : new int[nw];
        var rows = nh <= 1024 ? stackalloc int[nh] : new int[nh];
        PillowNearest.SourceIndices(0, emoji.Width, columns);
        PillowNearest.SourceIndices(0, emoji.Height, rows);
        for (var row = 0; row < h; row++)
        {
            var ey = rows[sy + row];
            for (var col = 0; col < w; col++)
            {
                var e = (ey * emoji.Width + columns[sx + col]) * 4;
                var m = (int)(emoji.Rgba[e + 3] * opacity);
                if (m == 0) continue;
                var pixel = (dy + row) * image.Width + dx + col;
                var o = pixel * 3;
                p[o] = PillowColor.PasteBlend(p[o], emoji.Rgba[e], m);
                p[o + 1] = PillowColor.PasteBlend(p[o + 1], emoji.Rgba[e + 1], m);
                p[o + 2] = PillowColor.PasteBlend(p[o + 2], emoji.Rgba[e + 2], m);
                alpha[pixel] = PillowColor.PasteBlend(alpha[pixel], emoji.Rgba[e + 3], m);
            }
        }
    }
}

/// <summary>
/// AugLy overlay_text with drawn parameters (the ISC random_text_overlay): n ∈ int[0, 20] indices from int[0, 99],
/// a random colour, em size int(min(W,H)·font_size), top-left (x·W, y·H). The image becomes RGBA and the ink is
/// (r, g, b, round(opacity·255)): the colours under the glyphs are blended with the full colour (not weighted by the
/// opacity), the opacity goes into the alpha channel only, which the later resizes and the opacity step see
/// (docs/imaging.md, Modes through the chain). An em size below 1 px or an empty text draws nothing, though the image still becomes
/// RGBA (Pillow would refuse a zero-size font).
/// </summary>
public sealed class TextOverlayStep(TextOverlay spec, TextRenderer renderer) : IAugmentation
{
    public bool MutatesInput => true;
    public bool AcceptsAlpha => true;

    public RgbImage Apply(RgbImage image, ImageRandom random)
    {
        var n = random.IntInclusive(spec.Count.Lo, spec.Count.Hi);
        var indices = new int[n];
        for (var i = 0; i < n; i++) indices[i] = random.IntInclusive(spec.CharIndex.Lo, spec.CharIndex.Hi);
        var r = (byte)random.IntInclusive(spec.Channel.Lo, spec.Channel.Hi);
        var g = (byte)random.IntInclusive(spec.Channel.Lo, spec.Channel.Hi);
        var b = (byte)random.IntInclusive(spec.Channel.Lo, spec.Channel.Hi);
        var opacity = random.Uniform(spec.Opacity.Lo, spec.Opacity.Hi);
        var fontSize = random.Uniform(spec.FontSize.Lo, spec.FontSize.Hi);
        var x = random.Uniform(spec.X.Lo, spec.X.Hi);
        var y = random.Uniform(spec.Y.Lo, spec.Y.Hi);
        var em = (int)(Math.Min(image.Width, image.Height) * fontSize);
        image.AddAlpha();
        renderer.Draw(image, FontCharacters.TextFor(indices), em, (int)(x * image.Width), (int)(y * image.Height), r, g, b, InkAlpha(opacity));
        return image;
    }

    /// <summary>The ink's alpha: Python's round(opacity·255), half to even.</summary>
    public static byte InkAlpha(double opacity) => (byte)Math.Round(opacity * 255, MidpointRounding.ToEven);
}
