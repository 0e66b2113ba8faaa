using Isc.Imaging.Pixels;
using Isc.Imaging.Randomness;
using Isc.Recipe.Chains;

namespace Isc.Imaging.Augmentations;

/// <summary>
/// torchvision 0.8 RandomResizedCrop: up to N tries of (area·U(scale), exp U(log ratio)), sides rounded half-even,
/// accepted when they fit; otherwise a centre crop clamped to the ratio range. The box is resized bilinearly.
/// </summary>
public sealed class RandomResizedCropStep(RandomResizedCrop spec, int size) : IAugmentation
{
    public bool MutatesInput => false;

    public RgbImage Apply(RgbImage image, ImageRandom random)
    {
        var (left, top, w, h) = Box(image.Width, image.Height, random);
        return PillowResize.Resize(image, left, top, left + w, top + h, size, size, ResizeFilter.Bilinear);
    }

    public (int Left, int Top, int Width, int Height) Box(int width, int height, ImageRandom random)
    {
        double area = (double)width * height;
        double logLo = Math.Log(spec.Ratio.Lo), logHi = Math.Log(spec.Ratio.Hi);
        for (var attempt = 0; attempt < spec.Attempts; attempt++)
        {
            var target = area * random.Uniform(spec.Scale.Lo, spec.Scale.Hi);
            var aspect = Math.Exp(random.Uniform(logLo, logHi));
            var w = (int)Math.Round(Math.Sqrt(target * aspect), MidpointRounding.ToEven);
            var h = (int)Math.Round(Math.Sqrt(target / aspect), MidpointRounding.ToEven);
            if (w > 0 && w <= width && h > 0 && h <= height)
            {
                var top = random.IntInclusive(0, height - h);
                var left = random.IntInclusive(0, width - w);
                return (left, top, w, h);
            }
        }
        var inRatio = (double)width / height;
        int cw = width, ch = height;
        if (inRatio < spec.Ratio.Lo) { cw = width; ch = (int)Math.Round(cw / spec.Ratio.Lo, MidpointRounding.ToEven); }
        else if (inRatio > spec.Ratio.Hi) { ch = height; cw = (int)Math.Round(ch * spec.Ratio.Hi, MidpointRounding.ToEven); }
        cw = Math.Clamp(cw, 1, width);
        ch = Math.Clamp(ch, 1, height);
        return ((width - cw) / 2, (height - ch) / 2, cw, ch);
    }
}

/// <summary>
/// torchvision RandomRotation via Pillow rotate: canvas kept, centre (W/2, H/2), counter-clockwise, NEAREST with
/// Pillow's 16.16 fixed-point stepping (matrix rounded to 15 decimals), misses stay black.
/// </summary>
public sealed class RotationStep(Rotation spec) : IAugmentation
{
    public bool MutatesInput => false;

    public RgbImage Apply(RgbImage image, ImageRandom random) =>
        Rotate(image, random.Uniform(spec.Degrees.Lo, spec.Degrees.Hi));

    public static RgbImage Rotate(RgbImage src, double degrees)
    {
        int w = src.Width, h = src.Height;
        var a = -(degrees % 360.0) * Math.PI / 180.0;
        double m0 = Math.Round(Math.Cos(a), 15), m1 = Math.Round(Math.Sin(a), 15);
        double m3 = Math.Round(-Math.Sin(a), 15), m4 = Math.Round(Math.Cos(a), 15);
        double cx = w / 2.0, cy = h / 2.0;
        var m2 = m0 * -cx + m1 * -cy + cx;
        var m5 = m3 * -cx + m4 * -cy + cy;

        static long Fix(double v) => (long)Math.Floor(v * 65536.0 + 0.5);
        long a0 = Fix(m0), a1 = Fix(m1), a3 = Fix(m3), a4 = Fix(m4);
        long a2 = Fix(m2 + m0 * 0.5 + m1 * 0.5), a5 = Fix(m5 + m3 * 0.5 + m4 * 0.5);

        var dst = new RgbImage(w, h);
        var s = src.Pixels;
        var d = dst.Pixels;
        for (var y = 0; y < h; y++)
        {
            long xx = a2, yy = a5;
            var o = y * dst.Stride;
            for (var x = 0; x < w; x++, o += 3, xx += a0, yy += a3)
            {
                var xin = (int)(xx >> 16);
                var yin = (int)(yy >> 16);
                if ((uint)xin < (uint)w && (uint)yin < (uint)h)
                {
                    var i = (yin * w + xin) * 3;
                    d[o] = s[i]; d[o + 1] = s[i + 1]; d[o + 2] = s[i + 2];
                }
            }
            a2 += a1;
            a5 += a4;
        }
        return dst;
    }
}

/// <summary>AugLy pixelization: bicubic to (int(W·r), int(H·r)) and bicubic back. Sides are kept ≥ 1 (AugLy would raise on 0).</summary>
public sealed class PixelizationStep(Pixelization spec) : IAugmentation
{
    public bool MutatesInput => false;

    public RgbImage Apply(RgbImage image, ImageRandom random)
    {
        var ratio = random.Uniform(spec.Ratio.Lo, spec.Ratio.Hi);
        var w = Math.Max(1, (int)(image.Width * ratio));
        var h = Math.Max(1, (int)(image.Height * ratio));
        if (w == image.Width && h == image.Height) return image;
        using var small = PillowResize.Resize(image, w, h, ResizeFilter.Bicubic);
        return PillowResize.Resize(small, image.Width, image.Height, ResizeFilter.Bicubic);
    }
}

/// <summary>AugLy pad: a new canvas of one random colour, int(wf·W) added left and right, int(hf·H) top and bottom.</summary>
public sealed class PadStep(Pad spec) : IAugmentation
{
    public bool MutatesInput => false;

    public RgbImage Apply(RgbImage image, ImageRandom random)
    {
        var wf = random.Uniform(spec.WidthFactor.Lo, spec.WidthFactor.Hi);
        var hf = random.Uniform(spec.HeightFactor.Lo, spec.HeightFactor.Hi);
        var r = (byte)random.IntInclusive(spec.Channel.Lo, spec.Channel.Hi);
        var g = (byte)random.IntInclusive(spec.Channel.Lo, spec.Channel.Hi);
        var b = (byte)random.IntInclusive(spec.Channel.Lo, spec.Channel.Hi);
        int left = (int)(wf * image.Width), top = (int)(hf * image.Height);
        var dst = RgbImage.Filled(image.Width + 2 * left, image.Height + 2 * top, r, g, b);
        Paste.Copy(image, dst, left, top);
        return dst;
    }
}
