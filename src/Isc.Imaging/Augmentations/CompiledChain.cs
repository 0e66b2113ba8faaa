using Isc.Imaging.Pixels;
using Isc.Imaging.Randomness;
using Isc.Recipe.Chains;

namespace Isc.Imaging.Augmentations;

/// <summary>A chain with an implementation per step, ready to turn a source image into one augmented image.</summary>
public sealed class CompiledChain
{
    readonly (ChainStep Spec, IAugmentation Step)[] _steps;

    public Chain Chain { get; }
    public int OutputSize { get; }

    public CompiledChain(Chain chain, AugmentationContext context)
    {
        Chain = chain;
        OutputSize = context.OutputSize;
        _steps = [.. chain.Steps.Select(s => (s, AugmentationFactory.Create(s, context)))];
    }

    /// <summary>
    /// One draw of the chain. Each step consumes one probability draw (like AugLy/RandomApply, even at p = 1),
    /// then its own parameter draws if applied. <paramref name="source"/> is never modified.
    /// </summary>
    public RgbImage Apply(RgbImage source, ImageRandom random, Action<ChainStep, RgbImage>? trace = null)
    {
        var image = source;
        var owned = false;
        try
        {
            foreach (var (spec, step) in _steps)
            {
                if (!random.Chance(spec.P)) continue;
                if (image.HasAlpha && !step.AcceptsAlpha)
                    throw new InvalidOperationException($"step '{spec.Id}' ({spec.Kind}) has no RGBA implementation, but an earlier step made the image RGBA");
                if (image.IsCmyk && !step.AcceptsCmyk)
                    throw new InvalidOperationException($"step '{spec.Id}' ({spec.Kind}) has no CMYK implementation, but an earlier step made the image CMYK");
                if (!owned && step.MutatesInput) { image = image.Clone(); owned = true; }
                var next = step.Apply(image, random);
                if (!ReferenceEquals(next, image))
                {
                    if (owned) image.Dispose();
                    image = next;
                    owned = true;
                }
                trace?.Invoke(spec, image);
            }
            if (!owned) image = image.Clone();
            owned = false;
            return image;
        }
        finally
        {
            if (owned) image.Dispose();
        }
    }

    /// <summary>
    /// The mode k = 0 is saved in: the source's own (image.resize(...).save(...) keeps it), so an L source gives a
    /// grayscale JPEG and a CMYK source a CMYK JPEG, both with Pillow's bytes; BW sets convert to RGB before grayscaling.
    /// </summary>
    public PillowMode OriginalMode(PillowMode source) => Chain.GrayscaleK0 ? PillowMode.Rgb : source;

    /// <summary>
    /// The un-augmented k = 0 image: the source as opened (CMYK stays CMYK, resized in CMYK) resized to output×output
    /// (Pillow's default bicubic). BW sets grayscale the full-size source first (through RGB), then resize, as the
    /// original scripts did (RandomGrayscale(p=1), then resize).
    /// </summary>
    public RgbImage Original(RgbImage source)
    {
        if (!Chain.GrayscaleK0) return PillowResize.Resize(source, OutputSize, OutputSize, ResizeFilter.Bicubic);
        using var gray = source.Clone();
        if (gray.IsCmyk) PillowCmyk.ToRgbInPlace(gray);
        PillowColor.GrayscaleInPlace(gray);
        return PillowResize.Resize(gray, OutputSize, OutputSize, ResizeFilter.Bicubic);
    }
}
