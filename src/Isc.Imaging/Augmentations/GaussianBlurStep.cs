using Isc.Imaging.Pixels;
using Isc.Imaging.Randomness;
using Isc.Recipe.Chains;

namespace Isc.Imaging.Augmentations;

/// <summary>
/// PIL ImageFilter.GaussianBlur(radius), quirk included: not a true Gaussian but Pillow's extended box blur —
/// radius (float32) → fractional box radius by Gwosdek's formula, then 3 horizontal and 3 vertical passes, each
/// with 24-bit integer weights and rounded to 8 bits, edges extended.
/// </summary>
public sealed class GaussianBlurStep(GaussianBlur spec) : IAugmentation
{
    const int Passes = 3;
    public bool MutatesInput => true;

    public RgbImage Apply(RgbImage image, ImageRandom random)
    {
        Blur(image, (float)random.Uniform(spec.Radius.Lo, spec.Radius.Hi));
        return image;
    }

    /// <summary>Pillow's _gaussian_blur_radius in float32: the extended box radius of one pass.</summary>
    public static float BoxRadius(float radius, int passes = Passes)
    {
        var sigma2 = radius * radius / passes;
        var L = MathF.Sqrt(12.0f * sigma2 + 1.0f);
        var l = MathF.Floor((L - 1.0f) / 2.0f);
        var a = (2 * l + 1) * (l * (l + 1) - 3 * sigma2);
        a /= 6 * (sigma2 - (l + 1) * (l + 1));
        return l + a;
    }

    /// <summary>(inner weight ww on the 2·int(r)+1 centre taps, edge weight fw on the two next taps), out of 2^24.</summary>
    public static (uint Inner, uint Edge, int Radius) Weights(float boxRadius)
    {
        var r = (int)boxRadius;
        var ww = (uint)((1 << 24) / (boxRadius * 2 + 1));
        var fw = ((1u << 24) - (uint)(r * 2 + 1) * ww) / 2;
        return (ww, fw, r);
    }

    public static void Blur(RgbImage img, float radius)
    {
        if (radius <= 0) return;
        var (ww, fw, r) = Weights(BoxRadius(radius));
        int w = img.Width, h = img.Height;
        var line = new byte[Math.Max(w, h) * 3];
        var outLine = new byte[line.Length];
        var p = img.Pixels;
        for (var y = 0; y < h; y++)
        {
            var row = p.Slice(y * w * 3, w * 3);
            row.CopyTo(line);
            for (var pass = 0; pass < Passes; pass++)
            {
                BoxLine(line, outLine, w, 3, ww, fw, r);
                (line, outLine) = (outLine, line);
            }
            line.AsSpan(0, w * 3).CopyTo(row);
        }
        for (var x = 0; x < w; x++)
        {
            for (var y = 0; y < h; y++)
            {
                var s = (y * w + x) * 3;
                line[3 * y] = p[s]; line[3 * y + 1] = p[s + 1]; line[3 * y + 2] = p[s + 2];
            }
            for (var pass = 0; pass < Passes; pass++)
            {
                BoxLine(line, outLine, h, 3, ww, fw, r);
                (line, outLine) = (outLine, line);
            }
            for (var y = 0; y < h; y++)
            {
                var d = (y * w + x) * 3;
                p[d] = line[3 * y]; p[d + 1] = line[3 * y + 1]; p[d + 2] = line[3 * y + 2];
            }
        }
    }

    /// <summary>One pass over n pixels: out[x] = (ww·Σ_{|i|≤r} in[x+i] + fw·(in[x−r−1] + in[x+r+1]) + 2^23) >> 24, edges clamped.</summary>
    static void BoxLine(byte[] input, byte[] output, int n, int channels, uint ww, uint fw, int r)
    {
        var last = n - 1;
        for (var c = 0; c < channels; c++)
        {
            uint acc = 0;
            for (var i = -r; i <= r; i++) acc += input[Math.Clamp(i, 0, last) * channels + c];
            for (var x = 0; x < n; x++)
            {
                var far = (uint)input[Math.Clamp(x - r - 1, 0, last) * channels + c] + input[Math.Clamp(x + r + 1, 0, last) * channels + c];
                var bulk = (ulong)acc * ww + (ulong)far * fw;
                output[x * channels + c] = (byte)((bulk + (1UL << 23)) >> 24);
                acc += (uint)input[Math.Clamp(x + r + 1, 0, last) * channels + c];
                acc -= input[Math.Clamp(x - r, 0, last) * channels + c];
            }
        }
    }
}
