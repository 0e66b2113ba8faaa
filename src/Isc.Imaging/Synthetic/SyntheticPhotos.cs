using Isc.Imaging.Pixels;
using SkiaSharp;

namespace Isc.Imaging.Synthetic;

/// <summary>
/// Draws deterministic, photo-like stand-ins for training and overlay images: a sky/ground gradient,
/// a sun, overlapping shaded shapes, a few words of text and sensor-like noise. Enough structure for
/// every augmentation (crops, rotation, blur, colour, overlays) to have a visible effect, and each
/// image distinct enough that identities can be told apart. Image <c>index</c> and <c>seed</c> fix every pixel.
/// </summary>
public static class SyntheticPhotos
{
    static readonly string[] Words =
    [
        "harbour", "market", "summit", "garden", "station", "river", "meadow", "canyon",
        "lantern", "orchard", "bridge", "festival", "island", "tunnel", "village", "quarry",
    ];

    public static SKBitmap Render(int index, int width, int height, int seed, SKTypeface typeface)
    {
        // HashCode.Combine is salted per process: a fixed mix keeps images identical across runs and machines.
        var rng = new Random(unchecked(seed * 1_000_003 + index * 7919 + 0x5EED));
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using var canvas = new SKCanvas(bitmap);

        var horizon = height * (0.35f + 0.35f * (float)rng.NextDouble());
        DrawBackground(canvas, rng, width, height, horizon);
        DrawSun(canvas, rng, width, horizon);
        var shapes = 3 + rng.Next(6);
        for (var i = 0; i < shapes; i++) DrawShape(canvas, rng, width, height);
        DrawText(canvas, rng, width, height, typeface);
        canvas.Flush();
        AddNoise(bitmap, rng, amplitude: 6 + rng.Next(8));
        return bitmap;
    }

    /// <summary><see cref="Render"/> as an RGB image (the form the codec and the augmentations take).</summary>
    public static RgbImage RenderRgb(int index, int width, int height, int seed, SKTypeface typeface)
    {
        using var bitmap = Render(index, width, height, seed, typeface);
        var rgb = new RgbImage(width, height, clear: false);
        var rgba = bitmap.GetPixelSpan();
        var px = rgb.Pixels;
        for (int s = 0, d = 0; d < px.Length; s += 4, d += 3) { px[d] = rgba[s]; px[d + 1] = rgba[s + 1]; px[d + 2] = rgba[s + 2]; }
        return rgb;
    }

    /// <summary>The font file's typeface, or Skia's default when no file is named (or it does not exist).</summary>
    public static SKTypeface LoadTypeface(string? fontFile)
    {
        if (fontFile is not null && File.Exists(fontFile))
            return SKTypeface.FromFile(fontFile) ?? throw new InvalidDataException($"font file {fontFile} could not be read as a font");
        return SKTypeface.Default;
    }

    static SKColor RandomColor(Random rng, byte min = 0, byte max = 255) =>
        new((byte)rng.Next(min, max + 1), (byte)rng.Next(min, max + 1), (byte)rng.Next(min, max + 1));

    static void DrawBackground(SKCanvas canvas, Random rng, int w, int h, float horizon)
    {
        using var sky = new SKPaint();
        sky.Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(0, horizon),
            [RandomColor(rng, 60, 200), RandomColor(rng, 150, 255)], SKShaderTileMode.Clamp);
        canvas.DrawRect(0, 0, w, horizon, sky);
        using var ground = new SKPaint();
        ground.Shader = SKShader.CreateLinearGradient(new SKPoint(rng.Next(w), horizon), new SKPoint(rng.Next(w), h),
            [RandomColor(rng, 40, 180), RandomColor(rng, 0, 90)], SKShaderTileMode.Clamp);
        canvas.DrawRect(0, horizon, w, h - horizon, ground);
    }

    static void DrawSun(SKCanvas canvas, Random rng, int w, float horizon)
    {
        var centre = new SKPoint((float)rng.NextDouble() * w, (float)rng.NextDouble() * horizon);
        var radius = 8 + (float)rng.NextDouble() * w / 8;
        using var paint = new SKPaint { IsAntialias = true };
        paint.Shader = SKShader.CreateRadialGradient(centre, radius,
            [new SKColor(255, 250, 220), new SKColor(255, 200, 80, 0)], SKShaderTileMode.Clamp);
        canvas.DrawCircle(centre, radius, paint);
    }

    static void DrawShape(SKCanvas canvas, Random rng, int w, int h)
    {
        using var paint = new SKPaint { IsAntialias = true };
        var a = new SKPoint((float)rng.NextDouble() * w, (float)rng.NextDouble() * h);
        var size = (0.08f + 0.3f * (float)rng.NextDouble()) * Math.Min(w, h);
        paint.Shader = SKShader.CreateLinearGradient(a, new SKPoint(a.X + size, a.Y + size),
            [RandomColor(rng), RandomColor(rng)], SKShaderTileMode.Clamp);
        switch (rng.Next(3))
        {
            case 0:
                canvas.DrawCircle(a, size / 2, paint);
                break;
            case 1:
                canvas.Save();
                canvas.RotateDegrees((float)(rng.NextDouble() * 90 - 45), a.X, a.Y);
                canvas.DrawRect(a.X - size / 2, a.Y - size / 3, size, size * 2 / 3, paint);
                canvas.Restore();
                break;
            default:
                using (var path = new SKPath())
                {
                    var corners = 3 + rng.Next(4);
                    for (var i = 0; i < corners; i++)
                    {
                        var angle = 2 * Math.PI * i / corners + rng.NextDouble() * 0.5;
                        var p = new SKPoint(a.X + size / 2 * (float)Math.Cos(angle), a.Y + size / 2 * (float)Math.Sin(angle));
                        if (i == 0) path.MoveTo(p); else path.LineTo(p);
                    }
                    path.Close();
                    canvas.DrawPath(path, paint);
                }
                break;
        }
    }

    static void DrawText(SKCanvas canvas, Random rng, int w, int h, SKTypeface typeface)
    {
        using var font = new SKFont(typeface, Math.Max(8, h / (6 + rng.Next(6))));
        using var paint = new SKPaint { IsAntialias = true, Color = RandomColor(rng) };
        var text = $"{Words[rng.Next(Words.Length)]} {rng.Next(1, 100)}";
        canvas.DrawText(text, (float)rng.NextDouble() * w * 0.5f, h * (0.2f + 0.7f * (float)rng.NextDouble()),
            SKTextAlign.Left, font, paint);
    }

    static void AddNoise(SKBitmap bitmap, Random rng, int amplitude)
    {
        var span = bitmap.GetPixelSpan();
        var pixels = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(
            System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(span), span.Length));
        for (var i = 0; i < pixels.Length; i++)
        {
            var n = rng.Next(-amplitude, amplitude + 1);
            var p = pixels[i];
            uint r = Clamp((int)(p & 0xFF) + n), g = Clamp((int)((p >> 8) & 0xFF) + n), b = Clamp((int)((p >> 16) & 0xFF) + n);
            pixels[i] = (p & 0xFF000000) | (b << 16) | (g << 8) | r;
        }
    }

    static uint Clamp(int v) => (uint)Math.Clamp(v, 0, 255);
}
