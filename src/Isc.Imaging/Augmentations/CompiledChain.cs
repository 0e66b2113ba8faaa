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
    /// The un-augmented k = 0 image: the source resized to output×output (Pillow's default bicubic). BW sets grayscale
    /// the full-size source first, then resize, as the original scripts did (RandomGrayscale(p=1), then resize).
    /// </summary>
    /// <summary>
    /// The mode k = 0 is saved in: the source's own (image.resize(...).save(...) keeps it) for an L source; BW sets
    /// convert to RGB before grayscaling. A CMYK source is saved as RGB (Pillow would write a CMYK JPEG).
    /// </summary>
    public PillowMode OriginalMode(PillowMode source) =>
        !Chain.GrayscaleK0 && source == PillowMode.L ? PillowMode.L : PillowMode.Rgb;

    public RgbImage Original(RgbImage source)
    {
        if (!Chain.GrayscaleK0) return PillowResize.Resize(source, OutputSize, OutputSize, ResizeFilter.Bicubic);
        using var gray = source.Clone();
        PillowColor.GrayscaleInPlace(gray);
        return PillowResize.Resize(gray, OutputSize, OutputSize, ResizeFilter.Bicubic);
    }
}
