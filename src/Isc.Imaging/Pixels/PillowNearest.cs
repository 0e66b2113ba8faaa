namespace Isc.Imaging.Pixels;

/// <summary>
/// Which source pixel each output pixel of Pillow's NEAREST resize takes, along one axis. Pillow resizes NEAREST as a
/// scale-only affine transform (libImaging's ImagingScaleAffine): the coordinate starts at start + step/2 and is
/// advanced by adding step = length/count in double once per pixel, then truncated. The running sum drifts from
/// (i + 0.5)·step by a few ulps, so where that product is a whole number the two can fall on either side of it
/// (72 → 15: output pixel 12 sums to 59.999…, source 59, where 12.5·4.8 = 60); computing the product per pixel is one
/// source pixel off there.
/// </summary>
public static class PillowNearest
{
    /// <summary>Fills <paramref name="indices"/> (one per output pixel, count = its length) for the source span [start, start + length).</summary>
    public static void SourceIndices(int start, int length, Span<int> indices)
    {
        var step = (double)length / indices.Length;
        var v = start + step * 0.5;
        for (var i = 0; i < indices.Length; i++)
        {
            indices[i] = (int)v;
            v += step;
        }
    }
}
