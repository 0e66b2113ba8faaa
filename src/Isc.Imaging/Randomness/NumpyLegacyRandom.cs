namespace Isc.Imaging.Randomness;

/// <summary>
/// numpy's legacy RandomState (MT19937, init_genrand seeding) — only the parts AugLy's fixed-seed quirks use:
/// <c>random_interval</c> (permutation/shuffle) and the polar Box–Muller <c>normal</c> with its cached value.
/// AugLy reseeds with constants (shuffle_pixels: 10, perspective_transform: 42), so these streams are
/// reproduced exactly: the patterns are the ones the published datasets got.
/// </summary>
public sealed class NumpyLegacyRandom
{
    const int N = 624, M = 397;
    uint[] _mt = new uint[N];
    int _mti;
    bool _hasGauss;
    double _gauss;

    public NumpyLegacyRandom(uint seed)
    {
        _mt[0] = seed;
        for (var i = 1; i < N; i++) _mt[i] = 1812433253u * (_mt[i - 1] ^ (_mt[i - 1] >> 30)) + (uint)i;
        _mti = N;
    }

    /// <summary>An independent copy of the generator in its current state.</summary>
    public NumpyLegacyRandom Clone()
    {
        var c = (NumpyLegacyRandom)MemberwiseClone();
        c._mt = (uint[])_mt.Clone();
        return c;
    }

    public uint NextUInt32()
    {
        if (_mti >= N) Twist();
        var y = _mt[_mti++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680u;
        y ^= (y << 15) & 0xefc60000u;
        y ^= y >> 18;
        return y;
    }

    void Twist()
    {
        for (var i = 0; i < N; i++)
        {
            var y = (_mt[i] & 0x80000000u) | (_mt[(i + 1) % N] & 0x7fffffffu);
            _mt[i] = _mt[(i + M) % N] ^ (y >> 1) ^ ((y & 1) != 0 ? 0x9908b0dfu : 0u);
        }
        _mti = 0;
    }

    /// <summary>genrand_res53: a double in [0, 1) from two words.</summary>
    public double NextDouble()
    {
        var a = NextUInt32() >> 5;
        var b = NextUInt32() >> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    /// <summary>rk_interval / random_interval(max): uniform in [0, max] by masked rejection (max &lt; 2^32 here).</summary>
    public uint Interval(uint max)
    {
        if (max == 0) return 0;
        var mask = max;
        mask |= mask >> 1; mask |= mask >> 2; mask |= mask >> 4; mask |= mask >> 8; mask |= mask >> 16;
        uint value;
        while ((value = NextUInt32() & mask) > max) { }
        return value;
    }

    /// <summary>Legacy standard normal (polar method, second value cached).</summary>
    public double Gauss()
    {
        if (_hasGauss) { _hasGauss = false; return _gauss; }
        double x1, x2, r2;
        do
        {
            x1 = 2.0 * NextDouble() - 1.0;
            x2 = 2.0 * NextDouble() - 1.0;
            r2 = x1 * x1 + x2 * x2;
        } while (r2 >= 1.0 || r2 == 0.0);
        var f = Math.Sqrt(-2.0 * Math.Log(r2) / r2);
        _gauss = f * x1;
        _hasGauss = true;
        return f * x2;
    }

    /// <summary>In-place legacy shuffle: for i = n−1 … 1, swap a[i] with a[Interval(i)].</summary>
    public void Shuffle(Span<int> a)
    {
        for (var i = a.Length - 1; i >= 1; i--)
        {
            var j = (int)Interval((uint)i);
            (a[i], a[j]) = (a[j], a[i]);
        }
    }
}
