using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Isc.Imaging.Pixels;
using Isc.Imaging.Randomness;
using Isc.Recipe.Chains;

namespace Isc.Imaging.Augmentations;

/// <summary>
/// AugLy perspective_transform, quirk included: the corner offsets come from numpy RandomState(42) (the default
/// seed), so every call warps the same shape, only scaled by sigma. Coefficients map output→source; sampling is
/// Pillow's transform bicubic (a = −1), outside → black.
/// </summary>
public sealed class PerspectiveStep(Perspective spec, int outputSize) : IAugmentation
{
    public bool MutatesInput => false;

    public RgbImage Apply(RgbImage image, ImageRandom random) =>
        Warp(image, random.Uniform(spec.Sigma.Lo, spec.Sigma.Hi) * outputSize / spec.ReferenceSize, spec.Seed);

    /// <summary>The 8 standard normals RandomState(seed).normal draws for TL.x, TL.y, TR.x, TR.y, BR.x, BR.y, BL.x, BL.y.</summary>
    public static double[] CornerNormals(int seed)
    {
        var rng = new NumpyLegacyRandom((uint)seed);
        var z = new double[8];
        for (var i = 0; i < 8; i++) z[i] = rng.Gauss();
        return z;
    }

    public static RgbImage Warp(RgbImage src, double sigma, int seed, bool allowSimd = true)
    {
        int w = src.Width, h = src.Height;
        var z = CornerNormals(seed);
        double[] srcX = [0, w, w, 0], srcY = [0, 0, h, h];
        var dstX = new double[4];
        var dstY = new double[4];
        for (var i = 0; i < 4; i++)
        {
            dstX[i] = srcX[i] + sigma * z[2 * i];
            dstY[i] = srcY[i] + sigma * z[2 * i + 1];
        }
        var c = Coefficients(dstX, dstY, srcX, srcY);
        return Sample(src, c, allowSimd);
    }

    /// <summary>Solves the 8 projective coefficients mapping (fromX, fromY) to (toX, toY).</summary>
    public static double[] Coefficients(double[] fromX, double[] fromY, double[] toX, double[] toY)
    {
        var a = new double[8, 9];
        for (var i = 0; i < 4; i++)
        {
            double x = fromX[i], y = fromY[i], u = toX[i], v = toY[i];
            double[] r1 = [x, y, 1, 0, 0, 0, -u * x, -u * y, u];
            double[] r2 = [0, 0, 0, x, y, 1, -v * x, -v * y, v];
            for (var j = 0; j < 9; j++) { a[2 * i, j] = r1[j]; a[2 * i + 1, j] = r2[j]; }
        }
        for (var col = 0; col < 8; col++)
        {
            var piv = col;
            for (var r = col + 1; r < 8; r++) if (Math.Abs(a[r, col]) > Math.Abs(a[piv, col])) piv = r;
            if (Math.Abs(a[piv, col]) < 1e-12) throw new InvalidOperationException("degenerate perspective quad");
            for (var j = 0; j < 9; j++) (a[col, j], a[piv, j]) = (a[piv, j], a[col, j]);
            for (var r = 0; r < 8; r++)
            {
                if (r == col) continue;
                var f = a[r, col] / a[col, col];
                if (f == 0) continue;
                for (var j = col; j < 9; j++) a[r, j] -= f * a[col, j];
            }
        }
        var c = new double[8];
        for (var i = 0; i < 8; i++) c[i] = a[i, 8] / a[i, i];
        return c;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static unsafe RgbImage Sample(RgbImage src, double[] c, bool allowSimd)
    {
        int w = src.Width, h = src.Height, stride = w * 3;
        var dst = new RgbImage(w, h);
        double c0 = c[0], c1 = c[1], c2 = c[2], c3 = c[3], c4 = c[4], c5 = c[5], c6 = c[6], c7 = c[7];
        var simd = allowSimd && Avx.IsSupported && Sse41.IsSupported;
        fixed (byte* s = src.Pixels, d = dst.Pixels)
        {
            var lastPixel = s + src.Length - 3; // a 4-byte load must start before the image's last pixel
            var rows = stackalloc byte*[4];
            // A row's source coordinates, four at a time: the same double operations, in the same order, per lane.
            var coords = new double[2 * (w + 3)];
            for (var y = 0; y < h; y++)
            {
                var Y = y + 0.5;
                // The y products hoisted out of the row: the same operations in the same order per pixel.
                double c1Y = c1 * Y, c4Y = c4 * Y, c7Y = c7 * Y;
                if (simd)
                    fixed (double* cs = coords)
                    {
                        var step = Vector256.Create(0.5, 1.5, 2.5, 3.5);
                        for (var x = 0; x < w; x += 4)
                        {
                            var X = Vector256.Create((double)x) + step;
                            var den = Vector256.Create(c6) * X + Vector256.Create(c7Y) + Vector256.Create(1.0);
                            ((Vector256.Create(c0) * X + Vector256.Create(c1Y) + Vector256.Create(c2)) / den).Store(cs + x);
                            ((Vector256.Create(c3) * X + Vector256.Create(c4Y) + Vector256.Create(c5)) / den).Store(cs + w + 3 + x);
                        }
                    }
                for (var x = 0; x < w; x++)
                {
                    double sx, sy;
                    if (simd)
                    {
                        sx = coords[x];
                        sy = coords[w + 3 + x];
                    }
                    else
                    {
                        var X = x + 0.5;
                        var den = c6 * X + c7Y + 1;
                        sx = (c0 * X + c1Y + c2) / den;
                        sy = (c3 * X + c4Y + c5) / den;
                    }
                    if (!(sx >= 0 && sx < w && sy >= 0 && sy < h)) continue;
                    sx -= 0.5; sy -= 0.5;
                    var xi = (int)Math.Floor(sx);
                    var yi = (int)Math.Floor(sy);
                    double dx = sx - xi, dy = sy - yi;
                    if (simd && xi >= 1 && xi <= w - 3 && yi >= 1 && yi <= h - 4)
                    {
                        // Inside: all 16 taps unclamped, and every 4-byte load ends before the image's last pixel.
                        InteriorPixel(s + (yi - 1) * stride + (xi - 1) * 3, stride, dx, dy, d + (y * w + x) * 3);
                        continue;
                    }
                    int x0 = Math.Clamp(xi - 1, 0, w - 1) * 3, x1 = Math.Clamp(xi, 0, w - 1) * 3,
                        x2 = Math.Clamp(xi + 1, 0, w - 1) * 3, x3 = Math.Clamp(xi + 2, 0, w - 1) * 3;
                    // Pillow: the first row is clamped; a later row outside the image repeats the previous row's value,
                    // which is the same as reading the previous row again.
                    rows[0] = s + Math.Clamp(yi - 1, 0, h - 1) * stride;
                    for (var j = 1; j < 4; j++)
                    {
                        var ry = yi - 1 + j;
                        rows[j] = ry >= 0 && ry < h ? s + ry * stride : rows[j - 1];
                    }
                    var o = d + (y * w + x) * 3;
                    if (simd && rows[3] + x3 < lastPixel && rows[2] + x3 < lastPixel && rows[1] + x3 < lastPixel && rows[0] + x3 < lastPixel)
                    {
                        // All three channels at once: each tap's (r, g, b, next byte) as doubles, the same
                        // operations in the same order as the scalar path, so identical results per lane.
                        var dxv = Vector256.Create(dx);
                        var v = CubicV(
                            CubicV(Load(rows[0] + x0), Load(rows[0] + x1), Load(rows[0] + x2), Load(rows[0] + x3), dxv),
                            CubicV(Load(rows[1] + x0), Load(rows[1] + x1), Load(rows[1] + x2), Load(rows[1] + x3), dxv),
                            CubicV(Load(rows[2] + x0), Load(rows[2] + x1), Load(rows[2] + x2), Load(rows[2] + x3), dxv),
                            CubicV(Load(rows[3] + x0), Load(rows[3] + x1), Load(rows[3] + x2), Load(rows[3] + x3), dxv),
                            Vector256.Create(dy));
                        for (var ch = 0; ch < 3; ch++)
                        {
                            var val = v.GetElement(ch);
                            o[ch] = val <= 0 ? (byte)0 : val >= 255 ? (byte)255 : (byte)val;
                        }
                        continue;
                    }
                    for (var ch = 0; ch < 3; ch++)
                    {
                        byte* b0 = rows[0] + ch, b1 = rows[1] + ch, b2 = rows[2] + ch, b3 = rows[3] + ch;
                        var val = Cubic(
                            Cubic(b0[x0], b0[x1], b0[x2], b0[x3], dx),
                            Cubic(b1[x0], b1[x1], b1[x2], b1[x3], dx),
                            Cubic(b2[x0], b2[x1], b2[x2], b2[x3], dx),
                            Cubic(b3[x0], b3[x1], b3[x2], b3[x3], dx), dy);
                        o[ch] = val <= 0 ? (byte)0 : val >= 255 ? (byte)255 : (byte)val;
                    }
                }
            }
        }
        return dst;
    }

    /// <summary>One pixel from its 4×4 neighbourhood at <paramref name="p"/> (top-left tap), all three channels at once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static unsafe void InteriorPixel(byte* p, int stride, double dx, double dy, byte* o)
    {
        var dxv = Vector256.Create(dx);
        byte* r1 = p + stride, r2 = r1 + stride, r3 = r2 + stride;
        var v = CubicV(
            CubicV(Load(p), Load(p + 3), Load(p + 6), Load(p + 9), dxv),
            CubicV(Load(r1), Load(r1 + 3), Load(r1 + 6), Load(r1 + 9), dxv),
            CubicV(Load(r2), Load(r2 + 3), Load(r2 + 6), Load(r2 + 9), dxv),
            CubicV(Load(r3), Load(r3 + 3), Load(r3 + 6), Load(r3 + 9), dxv),
            Vector256.Create(dy));
        // ≤ 0 → 0, ≥ 255 → 255, else truncation: clamping first, then truncating, gives the same bytes.
        var i = Avx.ConvertToVector128Int32WithTruncation(Vector256.Min(Vector256.Max(v, Vector256<double>.Zero), Vector256.Create(255.0)));
        var bytes = Sse2.PackUnsignedSaturate(Sse2.PackSignedSaturate(i, i), default).AsUInt32().ToScalar();
        *(ushort*)o = (ushort)bytes;
        o[2] = (byte)(bytes >> 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static unsafe Vector256<double> Load(byte* p) => Avx.ConvertToVector256Double(Sse41.ConvertToVector128Int32(p));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<double> CubicV(Vector256<double> v1, Vector256<double> v2, Vector256<double> v3, Vector256<double> v4, Vector256<double> d)
    {
        var p2 = -v1 + v3;
        var p3 = Vector256.Create(2.0) * (v1 - v2) + v3 - v4;
        var p4 = -v1 + v2 - v3 + v4;
        return v2 + d * (p2 + d * (p3 + d * p4));
    }

    /// <summary>Pillow's transform cubic (a = −1): v2 + d(p2 + d(p3 + d·p4)).</summary>
    static double Cubic(double v1, double v2, double v3, double v4, double d)
    {
        var p2 = -v1 + v3;
        var p3 = 2 * (v1 - v2) + v3 - v4;
        var p4 = -v1 + v2 - v3 + v4;
        return v2 + d * (p2 + d * (p3 + d * p4));
    }
}
