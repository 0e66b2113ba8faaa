using System.Buffers;
using Isc.Imaging.Pixels;
using Isc.Recipe;
using Isc.Training.Util;

namespace Isc.Training.Data;

/// <summary>
/// The training transform (docs/recipe.md, Trainer), fused into one pass over the pixels: decode → RGB → resize to
/// S×S (bilinear) → horizontal flip (p) → pad P black pixels → random S×S crop → [0,1] → normalise, written
/// straight into a CHW float batch buffer. The eval transform is the same without flip, pad and crop.
/// Decoding is <see cref="ImageCodec"/>'s (libjpeg-turbo, the decoder Pillow uses) and the resize of an image of
/// another size is <see cref="PillowResize"/>'s (Pillow's bilinear with antialiasing, what torchvision's Resize does on
/// a PIL image), so the pixels are the ones the original PyTorch loader saw (both tested against Pillow).
/// </summary>
public sealed class ImagePipeline(int size, int pad, double flipProbability)
{
    static readonly float[] Mean = [.. TrainingSettings.NormalizeMean.Select(x => (float)x)];
    static readonly float[] Std = [.. TrainingSettings.NormalizeStd.Select(x => (float)x)];

    public int Size { get; } = size;
    public int FloatsPerImage => 3 * Size * Size;

    public static ImagePipeline ForTraining(TrainingSettings t) => new(t.InputSize, t.Pad, t.FlipProbability);
    public static ImagePipeline ForEval(int size) => new(size, 0, 0);

    public int BytesPerImage => 3 * Size * Size;

    /// <summary>Transforms one image into <paramref name="dst"/> (3·S·S normalised floats); the random draws come from <paramref name="rng"/> (null = eval).</summary>
    public void Load(string path, DetRandom? rng, Span<float> dst)
    {
        var chw = ArrayPool<byte>.Shared.Rent(BytesPerImage);
        try
        {
            LoadBytes(path, rng, chw.AsSpan(0, BytesPerImage));
            Normalize(chw.AsSpan(0, BytesPerImage), dst);
        }
        finally { ArrayPool<byte>.Shared.Return(chw); }
    }

    /// <summary>
    /// The same transform up to the crop, as CHW bytes (padding is black, 0): a quarter of the floats' size to move to
    /// the device, which then normalises with <see cref="Normalize(TorchSharp.torch.Tensor)"/> — the same two float
    /// roundings (×scale, +bias) as <see cref="Normalize(ReadOnlySpan{byte}, Span{float})"/>, so the same bits.
    /// </summary>
    public void LoadBytes(string path, DetRandom? rng, Span<byte> dst)
    {
        var image = Decode(path);
        try
        {
            if (image.Width != Size || image.Height != Size)
            {
                var resized = PillowResize.Resize(image, Size, Size, ResizeFilter.Bilinear);
                image.Dispose();
                image = resized;
            }
            var flip = rng is not null && rng.NextDouble() < flipProbability;
            int cx = 0, cy = 0;
            if (rng is not null && pad > 0) { cy = rng.NextInt(2 * pad + 1); cx = rng.NextInt(2 * pad + 1); }
            Write(image.Pixels, flip, cx - pad, cy - pad, dst);
        }
        finally { image.Dispose(); }
    }

    static readonly float[] Scale = [.. Enumerable.Range(0, 3).Select(c => 1f / (255f * Std[c]))];
    static readonly float[] Bias = [.. Enumerable.Range(0, 3).Select(c => -Mean[c] / Std[c])];

    /// <summary>ToTensor + Normalize on CHW bytes: v·(1/(255·std)) − mean/std per channel.</summary>
    public static void Normalize(ReadOnlySpan<byte> chw, Span<float> dst)
    {
        var plane = chw.Length / 3;
        for (var c = 0; c < 3; c++)
        {
            float scale = Scale[c], bias = Bias[c];
            var src = chw.Slice(c * plane, plane);
            var o = dst.Slice(c * plane, plane);
            for (var i = 0; i < plane; i++) o[i] = src[i] * scale + bias;
        }
    }

    /// <summary>The same normalisation on a uint8 [N, 3, S, S] tensor, on its device.</summary>
    public static TorchSharp.torch.Tensor Normalize(TorchSharp.torch.Tensor bytes)
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        var (scale, bias) = NormalizationOn(bytes.device);
        return Normalize(bytes, scale, bias).MoveToOuterDisposeScope();
    }

    /// <summary>The same with the per-channel scale and bias already on the device (<see cref="NormalizationOn"/>).</summary>
    public static TorchSharp.torch.Tensor Normalize(TorchSharp.torch.Tensor bytes, TorchSharp.torch.Tensor scale, TorchSharp.torch.Tensor bias) =>
        bytes.to(TorchSharp.torch.ScalarType.Float32).mul_(scale).add_(bias);

    /// <summary>The per-channel scale and bias as float32 [1, 3, 1, 1] tensors on <paramref name="device"/>.</summary>
    public static (TorchSharp.torch.Tensor Scale, TorchSharp.torch.Tensor Bias) NormalizationOn(TorchSharp.torch.Device device)
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        var scale = TorchSharp.torch.tensor(Scale, device: device).view(1, 3, 1, 1);
        var bias = TorchSharp.torch.tensor(Bias, device: device).view(1, 3, 1, 1);
        return (scale.MoveToOuterDisposeScope(), bias.MoveToOuterDisposeScope());
    }

    /// <summary>RGB pixels (alpha dropped, like convert("RGB")); every unreadable or missing file is an <see cref="InvalidDataException"/> naming it.</summary>
    static RgbImage Decode(string path)
    {
        try { return ImageCodec.Decode(path); }
        catch (FileNotFoundException) { throw new InvalidDataException($"{path}: image file not found"); }
    }

    /// <summary>Output pixel (x, y) reads padded-image pixel (x+dx, y+dy) of the (flipped) image; outside it is black (0).</summary>
    void Write(ReadOnlySpan<byte> rgb, bool flip, int dx, int dy, Span<byte> dst)
    {
        var s = Size;
        var plane = s * s;
        var r = dst[..plane];
        var g = dst.Slice(plane, plane);
        var b = dst.Slice(2 * plane, plane);
        // Columns of the source row that land inside the output: x in [x0, x1).
        var x0 = Math.Max(0, -dx);
        var x1 = Math.Min(s, s - dx);
        for (var y = 0; y < s; y++)
        {
            var sy = y + dy;
            var row = y * s;
            if (sy < 0 || sy >= s || x0 >= x1)
            {
                r.Slice(row, s).Clear(); g.Slice(row, s).Clear(); b.Slice(row, s).Clear();
                continue;
            }
            r.Slice(row, x0).Clear(); g.Slice(row, x0).Clear(); b.Slice(row, x0).Clear();
            r.Slice(row + x1, s - x1).Clear(); g.Slice(row + x1, s - x1).Clear(); b.Slice(row + x1, s - x1).Clear();
            var src = sy * s * 3;
            for (var x = x0; x < x1; x++)
            {
                var sx = x + dx;
                var i = src + 3 * (flip ? s - 1 - sx : sx);
                r[row + x] = rgb[i];
                g[row + x] = rgb[i + 1];
                b[row + x] = rgb[i + 2];
            }
        }
    }
}
