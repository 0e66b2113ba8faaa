using Isc.Imaging.Pixels;
using Isc.Imaging.Randomness;

namespace Isc.Imaging.Augmentations;

/// <summary>convert("RGB"): nothing on an RGB image; an RGBA image loses its alpha (no compositing); CMYK goes through cmyk2rgb.</summary>
public sealed class Identity : IAugmentation
{
    public bool MutatesInput => false;
    public bool AcceptsAlpha => true;
    public bool AcceptsCmyk => true;
    public RgbImage Apply(RgbImage image, ImageRandom random)
    {
        if (image.HasAlpha) return image.CloneRgb();
        if (!image.IsCmyk) return image;
        var rgb = image.Clone();
        PillowCmyk.ToRgbInPlace(rgb);
        return rgb;
    }
}

/// <summary>
/// Grayscale kept 3-channel: convert('L') (alpha ignored) replicated to R = G = B; an RGBA image comes out RGB. Pillow
/// has no direct CMYK → L conversion and goes through RGB (cmyk2rgb), so a CMYK image is converted to RGB first.
/// </summary>
public sealed class GrayscaleStep : IAugmentation
{
    public bool MutatesInput => true;
    public bool AcceptsAlpha => true;
    public bool AcceptsCmyk => true;
    public RgbImage Apply(RgbImage image, ImageRandom random)
    {
        if (image.IsCmyk) PillowCmyk.ToRgbInPlace(image);
        PillowColor.GrayscaleInPlace(image);
        image.DropAlpha();
        return image;
    }
}

/// <summary>Exact left-right mirror.</summary>
public sealed class HorizontalFlipStep : IAugmentation
{
    public bool MutatesInput => true;
    public RgbImage Apply(RgbImage image, ImageRandom random)
    {
        for (var y = 0; y < image.Height; y++)
        {
            var row = image.Row(y);
            for (int l = 0, r = (image.Width - 1) * 3; l < r; l += 3, r -= 3)
            {
                (row[l], row[r]) = (row[r], row[l]);
                (row[l + 1], row[r + 1]) = (row[r + 1], row[l + 1]);
                (row[l + 2], row[r + 2]) = (row[r + 2], row[l + 2]);
            }
        }
        return image;
    }
}

/// <summary>torchvision Resize((n, n)): Pillow bilinear (premultiplied by alpha for RGBA, in CMYK for CMYK); same size is a copy.</summary>
public sealed class ResizeStep(int size) : IAugmentation
{
    public bool MutatesInput => false;
    public bool AcceptsAlpha => true;
    public bool AcceptsCmyk => true;
    public RgbImage Apply(RgbImage image, ImageRandom random) =>
        image.Width == size && image.Height == size ? image : PillowResize.Resize(image, size, size, ResizeFilter.Bilinear);
}
