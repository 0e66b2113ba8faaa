using Isc.Imaging.Assets;
using Isc.Imaging.Pixels;
using Isc.Imaging.Randomness;
using Isc.Recipe.Chains;

namespace Isc.Imaging.Augmentations;

/// <summary>
/// The ISC image underlay: overlay image #U{0…n−1} resized (bicubic) to (int(w·s), int(h·s)) of its own stored size,
/// pasted without mask at (int(W·x), int(H·y)) of the current image. Sides are kept ≥ 1 (Pillow would raise on 0).
/// The overlay is decoded at a reduced JPEG scale no smaller than the target, which changes nothing visible.
/// A CMYK overlay JPEG is resized in CMYK (at full decode size) and converted to RGB by the paste, as Pillow does.
/// </summary>
public sealed class UnderlayStep(Underlay spec, OverlayLibrary overlays) : IAugmentation
{
    public bool MutatesInput => true;

    public RgbImage Apply(RgbImage image, ImageRandom random)
    {
        var index = random.IntInclusive(0, overlays.Count - 1);
        var s = random.Uniform(spec.Scale.Lo, spec.Scale.Hi);
        var x = random.Uniform(spec.X.Lo, spec.X.Hi);
        var y = random.Uniform(spec.Y.Lo, spec.Y.Hi);
        using var decoded = overlays.Load(index, (fw, fh) => (Target(fw, s), Target(fh, s)), out var fw, out var fh);
        int tw = Target(fw, s), th = Target(fh, s);
        using var patch = PillowResize.Resize(decoded, tw, th, ResizeFilter.Bicubic);
        if (patch.IsCmyk) PillowCmyk.ToRgbInPlace(patch);
        Paste.Copy(patch, image, (int)(image.Width * x), (int)(image.Height * y));
        return image;
    }

    static int Target(int side, double scale) => Math.Max(1, (int)(side * scale));
}

/// <summary>
/// The ISC image overlay: the current image resized (bicubic) by s ∈ U(2.5, 3.5) and pasted at (int(Wb·x), int(Hb·y))
/// onto overlay image #U{0…n−1}, which becomes the image. Because the next step resizes the result to the output size,
/// the background is decoded at a reduced JPEG scale (still ≥ output in both sides) and the pasted image and offsets are
/// scaled by the same factor: the same picture at a lower intermediate resolution (only resampling rounding differs).
/// The background keeps the mode Pillow opens it in: pasting into an L (grayscale) JPEG converts the pasted image to L,
/// so the whole result is gray (held here as R = G = B, which the following resize and RGB conversion keep).
/// An RGBA current image is resized premultiplied by its alpha, then pasted without mask: the background is RGB, L or
/// CMYK, so the colours are copied as they are (or converted to L or CMYK) and the alpha is dropped; no alpha results.
/// A CMYK background (decoded at full size: no reduced scale) takes the pasted image as Pillow's rgb2cmyk (inverted
/// colours, K = 0) and the result stays CMYK for the chain's resize and RGB conversion.
/// </summary>
public sealed class ImageOverlayStep(ImageOverlay spec, OverlayLibrary overlays, int outputSize) : IAugmentation
{
    public bool MutatesInput => false;
    public bool AcceptsAlpha => true;

    public RgbImage Apply(RgbImage image, ImageRandom random)
    {
        var index = random.IntInclusive(0, overlays.Count - 1);
        var s = random.Uniform(spec.Scale.Lo, spec.Scale.Hi);
        var x = random.Uniform(spec.X.Lo, spec.X.Hi);
        var y = random.Uniform(spec.Y.Lo, spec.Y.Hi);
        var background = overlays.Load(index, outputSize, outputSize, out var fw, out var fh, out var mode);
        double fx = (double)background.Width / fw, fy = (double)background.Height / fh;
        int pw = (int)(image.Width * s), ph = (int)(image.Height * s);
        int rw = Math.Max(1, (int)Math.Round(pw * fx)), rh = Math.Max(1, (int)Math.Round(ph * fy));
        using var pasted = PillowResize.Resize(image, rw, rh, ResizeFilter.Bicubic);
        if (mode == PillowMode.L) PillowColor.GrayscaleInPlace(pasted);
        else if (background.IsCmyk) PillowCmyk.FromRgbInPlace(pasted);
        Paste.Copy(pasted, background, (int)Math.Round((int)(fw * x) * fx), (int)Math.Round((int)(fh * y) * fy));
        return background;
    }
}

/// <summary>
/// The ISC image opacity step: current image and overlay image #U{0…n−1} both resized to output×output (bicubic, the
/// current image premultiplied if RGBA), then AugLy overlay_image(background, current, opacity): the background
/// becomes RGBA and the current image is pasted through the mask trunc(alpha·opacity) (int(opacity·255) for an RGB
/// image) into all four channels. The result is RGBA; its alpha is below 255 only where the current image's was.
/// A CMYK background is resized in CMYK, then converted to RGBA through cmyk2rgb.
/// </summary>
public sealed class OpacityBlendStep(OpacityBlend spec, OverlayLibrary overlays, int outputSize) : IAugmentation
{
    public bool MutatesInput => false;
    public bool AcceptsAlpha => true;

    public RgbImage Apply(RgbImage image, ImageRandom random)
    {
        var opacity = random.Uniform(spec.Opacity.Lo, spec.Opacity.Hi);
        var index = random.IntInclusive(0, overlays.Count - 1);
        using var decoded = overlays.Load(index, outputSize, outputSize, out _, out _);
        var background = PillowResize.Resize(decoded, outputSize, outputSize, ResizeFilter.Bicubic);
        if (background.IsCmyk) PillowCmyk.ToRgbInPlace(background);
        using var current = image.Width == outputSize && image.Height == outputSize
            ? image.Clone() : PillowResize.Resize(image, outputSize, outputSize, ResizeFilter.Bicubic);
        background.AddAlpha(); // with an RGB current image it stays 255: BLEND(m, 255, 255) = 255
        if (current.HasAlpha) Paste.BlendThroughAlpha(current, background, opacity);
        else Paste.Blend(current, background, 0, 0, (int)(opacity * 255));
        return background;
    }
}
