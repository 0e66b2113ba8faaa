using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Isc.Imaging.Pixels;

/// <summary>
/// Eight interleaved RGB pixels as three AVX2 vectors of eight ints (R, G, B) and back. A load reads 28 bytes and a
/// store writes exactly 24, so callers take groups while 28 bytes remain and finish the tail per pixel.
/// </summary>
static class RgbLanes
{
    public const int Pixels = 8;
    public const int ReadBytes = 28;

    // Per 128-bit lane (pixels 0–3 and 4–7): byte 3k + c of the lane to int k.
    static readonly Vector256<byte> R = Lanes(0);
    static readonly Vector256<byte> G = Lanes(1);
    static readonly Vector256<byte> B = Lanes(2);
    static readonly Vector256<byte> Pack = Vector256.Create(
        (byte)0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 0x80, 0x80, 0x80, 0x80,
        0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 0x80, 0x80, 0x80, 0x80);

    static Vector256<byte> Lanes(int c)
    {
        var m = new byte[32];
        Array.Fill(m, (byte)0x80);
        for (var lane = 0; lane < 2; lane++)
            for (var k = 0; k < 4; k++) m[lane * 16 + 4 * k] = (byte)(3 * k + c);
        return Vector256.Create(m);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Load(byte* p, out Vector256<int> r, out Vector256<int> g, out Vector256<int> b)
    {
        var v = Vector256.Create(Vector128.Load(p), Vector128.Load(p + 12));
        r = Avx2.Shuffle(v, R).AsInt32();
        g = Avx2.Shuffle(v, G).AsInt32();
        b = Avx2.Shuffle(v, B).AsInt32();
    }

    /// <summary>Stores eight pixels; each value must already be in 0…255.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Store(byte* p, Vector256<int> r, Vector256<int> g, Vector256<int> b)
    {
        var packed = Avx2.Shuffle((r | (g << 8) | (b << 16)).AsByte(), Pack);
        packed.GetLower().Store(p); // its last 4 bytes are overwritten just below
        var upper = packed.GetUpper();
        *(ulong*)(p + 12) = upper.AsUInt64().ToScalar();
        *(uint*)(p + 20) = upper.AsUInt32().GetElement(2);
    }

    /// <summary>Pillow's RGB→L: (19595R + 38470G + 7471B + 32768) >> 16.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Luma(Vector256<int> r, Vector256<int> g, Vector256<int> b) =>
        Avx2.ShiftRightLogical(r * 19595 + g * 38470 + b * 7471 + Vector256.Create(32768), 16);
}
