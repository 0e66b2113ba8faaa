using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Isc.Imaging.Pixels;

public enum ResizeFilter { Nearest, Bilinear, Bicubic }

/// <summary>
/// Pillow 8.3's resize engine (docs/imaging.md, Pillow's arithmetic): separable convolution with the filter support widened by the
/// scale when reducing (antialiasing), weights normalised and rounded to 22-bit fixed point, horizontal pass first
/// (rounded to 8 bits), then vertical; a pass is skipped when its size is unchanged. Bicubic is a = −0.5.
/// An optional source box is cropped, then resized (torchvision's crop-then-resize; taps never leave the box).
/// </summary>
public static partial class PillowResize
{
    const int Precision = 22;
    const int Half = 1 << (Precision - 1);

    public static RgbImage Resize(RgbImage src, int width, int height, ResizeFilter filter) =>
        Resize(src, 0, 0, src.Width, src.Height, width, height, filter);

    /// <summary>Whether the AVX2 passes run (<see cref="Resize(RgbImage, int, int, int, int, int, int, ResizeFilter, bool)"/>'s allowSimd aside).</summary>
    public static bool Vectorised => Avx2.IsSupported;

    /// <summary>Resizes the box (x0, y0, x1, y1) of <paramref name="src"/> to width×height into a new image.</summary>
    /// <remarks><paramref name="allowSimd"/> = false runs the plain scalar passes (the reference the AVX2 ones are tested against).
    /// An RGBA image (<see cref="RgbImage.HasAlpha"/>) is resized as Pillow resizes RGBA (<see cref="ResizeWithAlpha"/>), a
    /// CMYK one (<see cref="RgbImage.IsCmyk"/>) as Pillow resizes CMYK: four channels alike, nothing premultiplied.</remarks>
    public static RgbImage Resize(RgbImage src, int x0, int y0, int x1, int y1, int width, int height, ResizeFilter filter, bool allowSimd = true)
    {
        if (x0 < 0 || y0 < 0 || x1 > src.Width || y1 > src.Height || x1 <= x0 || y1 <= y0)
            throw new ArgumentException($"resize box ({x0},{y0},{x1},{y1}) is outside the {src.Width}x{src.Height} image");
        if (src.IsCmyk) return ResizeCmyk(src, x0, y0, x1, y1, width, height, filter, allowSimd);
        return src.HasAlpha
            ? ResizeWithAlpha(src, x0, y0, x1, y1, width, height, filter, allowSimd)
            : ResizeColour(src, x0, y0, x1, y1, width, height, filter, allowSimd);
    }

    /// <summary>Resizes the colour channels only (the result has no alpha plane).</summary>
    static RgbImage ResizeColour(RgbImage src, int x0, int y0, int x1, int y1, int width, int height, ResizeFilter filter, bool allowSimd)
    {
        var simd = allowSimd && Avx2.IsSupported;
        if (filter == ResizeFilter.Nearest) return Nearest(src, x0, y0, x1, y1, width, height);

        var needH = width != x1 - x0 || x0 != 0 || x1 != src.Width;
        var needV = height != y1 - y0 || y0 != 0 || y1 != src.Height;
        if (!needH && !needV)
        {
            var copy = new RgbImage(width, height, clear: false);
            src.Pixels.CopyTo(copy.Pixels);
            return copy;
        }

        var (vb, vk, vn) = needV ? Coefficients(y0, y1, height, filter) : default;
        int rowFirst = y0, rowLast = y1;
        if (needV)
        {
            rowFirst = vb[0];
            rowLast = vb[2 * (height - 1)] + vb[2 * (height - 1) + 1];
        }

        RgbImage horizontal;
        if (needH)
        {
            var (hb, hk, hn) = Coefficients(x0, x1, width, filter);
            horizontal = new RgbImage(width, rowLast - rowFirst, clear: false);
            if (simd && UseVnni) HorizontalPassVnni(src, rowFirst, horizontal, hb, hk, hn);
            else if (simd) HorizontalPassAvx2(src, rowFirst, horizontal, hb, hk, hn);
            else HorizontalPass(src, rowFirst, horizontal, hb, hk, hn);
        }
        else
        {
            horizontal = new RgbImage(src.Width, rowLast - rowFirst, clear: false);
            src.Pixels.Slice(rowFirst * src.Stride, horizontal.Length).CopyTo(horizontal.Pixels);
        }
        if (!needV) return horizontal;

        for (var i = 0; i < height; i++) vb[2 * i] -= rowFirst;
        var result = new RgbImage(width, height, clear: false);
        if (simd) VerticalPassAvx2(horizontal, result, vb, vk, vn);
        else VerticalPass(horizontal, result, vb, vk, vn);
        horizontal.Dispose();
        return result;
    }

    static RgbImage Nearest(RgbImage src, int x0, int y0, int x1, int y1, int width, int height)
    {
        var dst = new RgbImage(width, height, clear: false);
        var xs = new int[width];
        var ys = new int[height];
        PillowNearest.SourceIndices(x0, x1 - x0, xs);
        PillowNearest.SourceIndices(y0, y1 - y0, ys);
        var s = src.Pixels;
        var d = dst.Pixels;
        for (var y = 0; y < height; y++)
        {
            var srow = s.Slice(ys[y] * src.Stride, src.Stride);
            var o = y * dst.Stride;
            for (var x = 0; x < width; x++, o += 3)
            {
                var i = xs[x] * 3;
                d[o] = srow[i]; d[o + 1] = srow[i + 1]; d[o + 2] = srow[i + 2];
            }
        }
        return dst;
    }

    static double Kernel(ResizeFilter f, double x)
    {
        if (x < 0) x = -x;
        if (f == ResizeFilter.Bilinear) return x < 1 ? 1 - x : 0;
        const double a = -0.5;
        if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
        if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
        return 0;
    }

    /// <summary>
    /// Pillow precompute_coeffs + normalize_coeffs_8bpc for the crop [in0, in1) resized to outSize: per output index,
    /// (first tap, tap count) and int weights. Taps are clamped to the crop, as for crop() then resize().
    /// </summary>
    static (int[] Bounds, int[] Weights, int KSize) Coefficients(int in0, int in1, int outSize, ResizeFilter f)
    {
        var (bounds, weights, ksize) = Coefficients(in1 - in0, outSize, f);
        for (var i = 0; i < outSize; i++) bounds[2 * i] += in0;
        return (bounds, weights, ksize);
    }

    static (int[] Bounds, int[] Weights, int KSize) Coefficients(int inSize, int outSize, ResizeFilter f)
    {
        var support0 = f == ResizeFilter.Bilinear ? 1.0 : 2.0;
        var scale = (double)inSize / outSize;
        var filterScale = Math.Max(scale, 1.0);
        var support = support0 * filterScale;
        var ksize = (int)Math.Ceiling(support) * 2 + 1;
        var bounds = new int[outSize * 2];
        var weights = new int[outSize * ksize];
        var k = new double[ksize];
        var ss = 1.0 / filterScale;
        for (var xx = 0; xx < outSize; xx++)
        {
            var center = (xx + 0.5) * scale;
            var xmin = (int)(center - support + 0.5);
            if (xmin < 0) xmin = 0;
            var xmax = (int)(center + support + 0.5);
            if (xmax > inSize) xmax = inSize;
            xmax -= xmin;
            double ww = 0;
            for (var x = 0; x < xmax; x++)
            {
                var w = Kernel(f, (x + xmin - center + 0.5) * ss);
                k[x] = w;
                ww += w;
            }
            for (var x = 0; x < ksize; x++)
            {
                var w = x < xmax ? (ww != 0 ? k[x] / ww : k[x]) : 0;
                weights[xx * ksize + x] = (int)(w * (1 << Precision) + (w < 0 ? -0.5 : 0.5));
            }
            bounds[2 * xx] = xmin;
            bounds[2 * xx + 1] = xmax;
        }
        return (bounds, weights, ksize);
    }

    static byte Clip8(int acc)
    {
        var v = acc >> Precision;
        return v < 0 ? (byte)0 : v > 255 ? (byte)255 : (byte)v;
    }

    /// <summary>Pillow's ImagingResampleHorizontal_8bpc, plain: per output pixel Σ in·k + 2^21, >> 22, clipped.</summary>
    static unsafe void HorizontalPass(RgbImage src, int rowOffset, RgbImage dst, int[] bounds, int[] weights, int ksize)
    {
        int dw = dst.Width, dh = dst.Height, sstride = src.Stride, dstride = dst.Stride;
        fixed (byte* s0 = src.Pixels, d0 = dst.Pixels)
        fixed (int* b = bounds, k0 = weights)
        {
            for (var y = 0; y < dh; y++)
            {
                var srow = s0 + (long)(y + rowOffset) * sstride;
                var o = d0 + (long)y * dstride;
                for (var xx = 0; xx < dw; xx++, o += 3)
                {
                    var (r, g, bl) = Taps(srow + b[2 * xx] * 3, k0 + xx * ksize, b[2 * xx + 1]);
                    o[0] = Clip8(r); o[1] = Clip8(g); o[2] = Clip8(bl);
                }
            }
        }
    }

    /// <summary>One output pixel of the horizontal pass: the three channel sums, rounding term included.</summary>
    static unsafe (int R, int G, int B) Taps(byte* si, int* kw, int xn)
    {
        int r = Half, g = Half, bl = Half;
        for (var x = 0; x < xn; x++, si += 3)
        {
            var w = kw[x];
            r += si[0] * w; g += si[1] * w; bl += si[2] * w;
        }
        return (r, g, bl);
    }

    /// <summary>Pillow's ImagingResampleVertical_8bpc, plain.</summary>
    static unsafe void VerticalPass(RgbImage src, RgbImage dst, int[] bounds, int[] weights, int ksize)
    {
        var stride = src.Stride;
        fixed (byte* s0 = src.Pixels, d0 = dst.Pixels)
        {
            for (var yy = 0; yy < dst.Height; yy++)
            {
                int ymin = bounds[2 * yy], yn = bounds[2 * yy + 1];
                var drow = d0 + (long)yy * stride;
                for (var x = 0; x < stride; x++)
                {
                    var acc = Half;
                    for (var y = 0; y < yn; y++) acc += s0[(long)(ymin + y) * stride + x] * weights[yy * ksize + y];
                    drow[x] = Clip8(acc);
                }
            }
        }
    }
}
