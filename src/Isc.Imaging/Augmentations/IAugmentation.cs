using Isc.Imaging.Pixels;
using Isc.Imaging.Randomness;

namespace Isc.Imaging.Augmentations;

/// <summary>
/// The implementation of one chain step (the spec, with its probability, lives in Isc.Recipe.Chains).
/// <see cref="Apply"/> either changes the image in place and returns it, or returns a new image (the caller
/// disposes the old one when it owns it).
/// </summary>
public interface IAugmentation
{
    /// <summary>True when <see cref="Apply"/> may write into its input (the runner then hands it a private copy).</summary>
    bool MutatesInput { get; }

    /// <summary>
    /// True when the step implements Pillow's RGBA semantics for an image with an alpha plane. Only the steps that follow
    /// an AugLy overlay in some chain need to; the chain refuses to hand an RGBA image to any other.
    /// </summary>
    bool AcceptsAlpha => false;

    /// <summary>
    /// True when the step implements Pillow's CMYK semantics (an image overlay onto a CMYK JPEG is CMYK until the chain's
    /// resize and RGB conversion); the chain refuses to hand a CMYK image to any other.
    /// </summary>
    bool AcceptsCmyk => false;

    RgbImage Apply(RgbImage image, ImageRandom random);
}
