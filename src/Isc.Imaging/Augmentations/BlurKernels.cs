using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Isc.Imaging.Augmentations;

/// <summary>
/// The AVX2 form of <see cref="GaussianBlurStep"/>'s vertical box pass, 16 bytes at a time. The running box sums are
/// 16-bit (≤ 255·(2r + 1), the caller ensures r ≤ 63), and out = (sum·ww + (up + down)·fw + 2^23) >> 24 is formed by
/// vpmaddwd on (sum, up + down) pairs with the 24-bit weights split as hi·2^12 + lo: the same value mod 2^32 as the
/// scalar uint arithmetic, which never wraps (255·2^24 + 2^23 &lt; 2^32), so identical bytes (tested).
/// </summary>
static class BlurKernels
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void VerticalPass(byte[] src, byte[] dst, int w, int h, uint ww, uint fw, int r, uint[] accBuffer)
    {
        var stride = w * 3;
        var last = h - 1;
        var wLo = Vector256.Create((int)((ww & 0xFFF) | ((fw & 0xFFF) << 16))).AsInt16();
        var wHi = Vector256.Create((int)((ww >> 12) | ((fw >> 12) << 16))).AsInt16();
        var round = Vector256.Create(1 << 23);
        fixed (byte* s0 = src, d0 = dst)
        fixed (uint* accRaw = accBuffer)
        {
            var a = (ushort*)accRaw; // accBuffer holds stride uints: room for 2·stride ushorts
            new Span<ushort>(a, stride).Clear();
            for (var i = -r; i <= r; i++)
            {
                var row = s0 + Math.Clamp(i, 0, last) * stride;
                var x = 0;
                for (; x + 16 <= stride; x += 16)
                    (Vector256.Load(a + x) + Avx2.ConvertToVector256Int16(row + x).AsUInt16()).Store(a + x);
                for (; x < stride; x++) a[x] += row[x];
            }
            for (var y = 0; y < h; y++)
            {
                var up = s0 + Math.Clamp(y - r - 1, 0, last) * stride;
                var down = s0 + Math.Clamp(y + r + 1, 0, last) * stride;
                var leave = s0 + Math.Clamp(y - r, 0, last) * stride;
                var o = d0 + y * stride;
                var x = 0;
                for (; x + 16 <= stride; x += 16)
                {
                    var sum = Vector256.Load(a + x).AsInt16();
                    var dn = Avx2.ConvertToVector256Int16(down + x);
                    var ud = Avx2.ConvertToVector256Int16(up + x) + dn;
                    // In-lane (sum, up + down) pairs: values 0–3 | 8–11, then 4–7 | 12–15.
                    var first = Avx2.UnpackLow(sum, ud);
                    var second = Avx2.UnpackHigh(sum, ud);
                    var v0 = Avx2.ShiftRightLogical((Avx2.MultiplyAddAdjacent(first, wHi) << 12) + Avx2.MultiplyAddAdjacent(first, wLo) + round, 24);
                    var v1 = Avx2.ShiftRightLogical((Avx2.MultiplyAddAdjacent(second, wHi) << 12) + Avx2.MultiplyAddAdjacent(second, wLo) + round, 24);
                    var words = Avx2.PackSignedSaturate(v0, v1); // back in order: 0–7 | 8–15
                    var bytes = Avx2.PackUnsignedSaturate(words, words);
                    Avx2.Permute4x64(bytes.AsUInt64(), 0b_00_00_10_00).GetLower().AsByte().Store(o + x);
                    (sum + dn - Avx2.ConvertToVector256Int16(leave + x)).Store((short*)(a + x));
                }
                for (; x < stride; x++)
                {
                    o[x] = (byte)((a[x] * ww + (uint)(up[x] + down[x]) * fw + (1u << 23)) >> 24);
                    a[x] = (ushort)(a[x] + down[x] - leave[x]);
                }
            }
        }
    }
}
