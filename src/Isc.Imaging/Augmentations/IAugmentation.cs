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

    RgbImage Apply(RgbImage image, ImageRandom random);
}
