using Isc.Recipe;
using Isc.Training.Util;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Isc.Training.Training;

/// <summary>
/// The training transform of RECIPE section 4, fused into one pass over the pixels: decode → RGB → resize to
/// S×S (bilinear) → horizontal flip (p) → pad P black pixels → random S×S crop → [0,1] → normalise, written
/// straight into a CHW float batch buffer. The eval transform is the same without flip, pad and crop.
/// </summary>
public sealed class ImagePipeline(int size, int pad, double flipProbability)
{
    static readonly float[] Mean = [.. TrainingSettings.NormalizeMean.Select(x => (float)x)];
    static readonly float[] Std = [.. TrainingSettings.NormalizeStd.Select(x => (float)x)];

    public int Size { get; } = size;
    public int FloatsPerImage => 3 * Size * Size;

    public static ImagePipeline ForTraining(TrainingSettings t) => new(t.InputSize, t.Pad, t.FlipProbability);
    public static ImagePipeline ForEval(int size) => new(size, 0, 0);

    /// <summary>Transforms one image into <paramref name="dst"/> (3·S·S floats); the random draws come from <paramref name="rng"/> (null = eval).</summary>
    public void Load(string path, DetRandom? rng, Span<float> dst)
    {
        Image<Rgb24> image;
        try { image = Image.Load<Rgb24>(path); }
        catch (Exception e) when (e is UnknownImageFormatException or InvalidImageContentException or NotSupportedException)
        {
            throw new InvalidDataException($"{path}: not a readable image ({e.Message})", e);
        }
        using (image)
        {
            if (image.Width != Size || image.Height != Size)
                image.Mutate(x => x.Resize(new ResizeOptions { Size = new Size(Size, Size), Mode = ResizeMode.Stretch, Sampler = KnownResamplers.Triangle }));
            var pixels = System.Buffers.ArrayPool<Rgb24>.Shared.Rent(Size * Size);
            try
            {
                image.CopyPixelDataTo(pixels.AsSpan(0, Size * Size));
                var flip = rng is not null && rng.NextDouble() < flipProbability;
                int cx = 0, cy = 0;
                if (rng is not null && pad > 0) { cy = rng.NextInt(2 * pad + 1); cx = rng.NextInt(2 * pad + 1); }
                Write(pixels, flip, cx - pad, cy - pad, dst);
            }
            finally { System.Buffers.ArrayPool<Rgb24>.Shared.Return(pixels); }
        }
    }

    /// <summary>Output pixel (x, y) reads padded-image pixel (x+dx, y+dy) of the (flipped) image; outside it is black.</summary>
    void Write(Rgb24[] px, bool flip, int dx, int dy, Span<float> dst)
    {
        var s = Size;
        var plane = s * s;
        float s0 = 1f / (255f * Std[0]), s1 = 1f / (255f * Std[1]), s2 = 1f / (255f * Std[2]);
        float b0 = -Mean[0] / Std[0], b1 = -Mean[1] / Std[1], b2 = -Mean[2] / Std[2];
        for (var y = 0; y < s; y++)
        {
            var sy = y + dy;
            var row = y * s;
            if (sy < 0 || sy >= s)
            {
                dst.Slice(row, s).Fill(b0);
                dst.Slice(plane + row, s).Fill(b1);
                dst.Slice(2 * plane + row, s).Fill(b2);
                continue;
            }
            var src = sy * s;
            for (var x = 0; x < s; x++)
            {
                var sx = x + dx;
                if (sx < 0 || sx >= s)
                {
                    dst[row + x] = b0; dst[plane + row + x] = b1; dst[2 * plane + row + x] = b2;
                    continue;
                }
                var p = px[src + (flip ? s - 1 - sx : sx)];
                dst[row + x] = p.R * s0 + b0;
                dst[plane + row + x] = p.G * s1 + b1;
                dst[2 * plane + row + x] = p.B * s2 + b2;
            }
        }
    }
}
