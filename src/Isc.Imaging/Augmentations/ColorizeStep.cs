using Isc.Imaging.Pixels;
using Isc.Imaging.Randomness;
using Isc.Recipe.Chains;

namespace Isc.Imaging.Augmentations;

/// <summary>
/// Pillow ImageOps.colorize(gray, black, white, mid) with three random colours, quirk included: the ramps use
/// Python floor division (toward −∞ on descending channels), so with the default points only 255 maps exactly to white.
/// </summary>
public sealed class ColorizeStep(Colorize spec) : IAugmentation
{
    const int BlackPoint = 0, MidPoint = 127, WhitePoint = 255;
    public bool MutatesInput => false;

    public RgbImage Apply(RgbImage image, ImageRandom random)
    {
        byte[] black = Color(random), white = Color(random), mid = Color(random);
        var lut = Lut(black, white, mid);
        var dst = new RgbImage(image.Width, image.Height, clear: false);
        var s = image.Pixels;
        var d = dst.Pixels;
        for (var i = 0; i < s.Length; i += 3)
        {
            var l = PillowColor.Luma(s[i], s[i + 1], s[i + 2]);
            d[i] = lut[0][l]; d[i + 1] = lut[1][l]; d[i + 2] = lut[2][l];
        }
        return dst;
    }

    byte[] Color(ImageRandom random) =>
        [(byte)random.IntInclusive(spec.Channel.Lo, spec.Channel.Hi),
         (byte)random.IntInclusive(spec.Channel.Lo, spec.Channel.Hi),
         (byte)random.IntInclusive(spec.Channel.Lo, spec.Channel.Hi)];

    /// <summary>One 256-entry table per channel, as ImageOps.colorize builds it with a mid colour.</summary>
    public static byte[][] Lut(byte[] black, byte[] white, byte[] mid)
    {
        var lut = new byte[3][];
        for (var c = 0; c < 3; c++)
        {
            var t = new byte[256];
            for (var i = 0; i < BlackPoint; i++) t[i] = black[c];
            for (var j = 0; j < MidPoint - BlackPoint; j++)
                t[BlackPoint + j] = (byte)(black[c] + FloorDiv(j * (mid[c] - black[c]), MidPoint - BlackPoint));
            for (var j = 0; j < WhitePoint - MidPoint; j++)
                t[MidPoint + j] = (byte)(mid[c] + FloorDiv(j * (white[c] - mid[c]), WhitePoint - MidPoint));
            for (var i = WhitePoint; i < 256; i++) t[i] = white[c];
            lut[c] = t;
        }
        return lut;
    }

    /// <summary>Python's // on ints: rounds toward −∞.</summary>
    public static int FloorDiv(int a, int b) => (int)Math.Floor((double)a / b);
}
