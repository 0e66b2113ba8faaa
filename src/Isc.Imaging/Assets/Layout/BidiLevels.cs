namespace Isc.Imaging.Assets.Layout;

/// <summary>
/// The embedding levels of one line with no explicit embeddings, as FriBiDi resolves them for raqm's default direction
/// (UAX #9: P2–P3 with left to right when no strong character, W1–W7, N1–N2, I1–I2, L1 for trailing white space;
/// boundary-neutral characters take the level of the character before them). Bracket pairs (N0) are not resolved: the
/// recipe's character list has no paired brackets.
/// </summary>
public static class BidiLevels
{
    public static byte[] Resolve(ReadOnlySpan<int> codePoints, out byte baseLevel)
    {
        var n = codePoints.Length;
        var types = new BidiType[n];
        for (var i = 0; i < n; i++) types[i] = BidiClass.Of(codePoints[i]);
        baseLevel = 0;
        foreach (var t in types)
        {
            if (t == BidiType.L) break;
            if (t is BidiType.R or BidiType.AL) { baseLevel = 1; break; }
        }
        var sos = baseLevel == 0 ? BidiType.L : BidiType.R;
        // X9: boundary neutrals drop out of the resolution; they get a level at the end.
        var idx = Enumerable.Range(0, n).Where(i => types[i] != BidiType.BN).ToArray();
        var t2 = idx.Select(i => types[i]).ToArray();
        ResolveWeak(t2, sos);
        ResolveNeutral(t2, sos, baseLevel);
        var levels = new byte[n];
        for (var k = 0; k < idx.Length; k++) levels[idx[k]] = Implicit(t2[k], baseLevel);
        for (var i = 0; i < n; i++)
            if (types[i] == BidiType.BN) levels[i] = i == 0 ? baseLevel : levels[i - 1];
        // L1: separators and the white space (and boundary neutrals) before them or at the line end go to the base level.
        var trailing = true;
        for (var i = n - 1; i >= 0; i--)
        {
            var t = types[i];
            if (t is BidiType.S or BidiType.B) { levels[i] = baseLevel; trailing = true; }
            else if (trailing && t is BidiType.WS or BidiType.BN) levels[i] = baseLevel;
            else trailing = false;
        }
        return levels;
    }

    static void ResolveWeak(BidiType[] t, BidiType sos)
    {
        var n = t.Length;
        // W1: a mark takes the type of what it follows.
        for (var i = 0; i < n; i++)
            if (t[i] == BidiType.NSM) t[i] = i == 0 ? sos : t[i - 1];
        // W2: European numbers after Arabic letters are Arabic numbers. W3: AL is R.
        var strong = sos;
        for (var i = 0; i < n; i++)
        {
            if (t[i] is BidiType.L or BidiType.R or BidiType.AL) strong = t[i];
            else if (t[i] == BidiType.EN && strong == BidiType.AL) t[i] = BidiType.AN;
        }
        for (var i = 0; i < n; i++) if (t[i] == BidiType.AL) t[i] = BidiType.R;
        // W4: one separator between two numbers of the same kind joins them.
        for (var i = 1; i + 1 < n; i++)
        {
            if (t[i] == BidiType.ES && t[i - 1] == BidiType.EN && t[i + 1] == BidiType.EN) t[i] = BidiType.EN;
            else if (t[i] == BidiType.CS && t[i - 1] == t[i + 1] && t[i - 1] is BidiType.EN or BidiType.AN) t[i] = t[i - 1];
        }
        // W5: terminators next to European numbers become European numbers.
        for (var i = 0; i < n; i++)
        {
            if (t[i] != BidiType.ET) continue;
            var end = i;
            while (end < n && t[end] == BidiType.ET) end++;
            if ((i > 0 && t[i - 1] == BidiType.EN) || (end < n && t[end] == BidiType.EN))
                for (var k = i; k < end; k++) t[k] = BidiType.EN;
            i = end - 1;
        }
        // W6: the remaining separators and terminators are neutral.
        for (var i = 0; i < n; i++) if (t[i] is BidiType.ES or BidiType.ET or BidiType.CS) t[i] = BidiType.ON;
        // W7: European numbers after L (or an L start) are L.
        strong = sos;
        for (var i = 0; i < n; i++)
        {
            if (t[i] is BidiType.L or BidiType.R) strong = t[i];
            else if (t[i] == BidiType.EN && strong == BidiType.L) t[i] = BidiType.L;
        }
    }

    static void ResolveNeutral(BidiType[] t, BidiType sos, byte baseLevel)
    {
        var n = t.Length;
        var eos = sos; // one line, one paragraph: eos is the paragraph direction too
        for (var i = 0; i < n; i++)
        {
            if (!IsNeutral(t[i])) continue;
            var end = i;
            while (end < n && IsNeutral(t[end])) end++;
            var before = i == 0 ? sos : Strong(t[i - 1]);
            var after = end == n ? eos : Strong(t[end]);
            // N1: between two of the same direction, that direction; N2: otherwise the embedding direction.
            var dir = before == after ? before : baseLevel == 0 ? BidiType.L : BidiType.R;
            for (var k = i; k < end; k++) t[k] = dir;
            i = end - 1;
        }
    }

    static bool IsNeutral(BidiType t) => t is BidiType.ON or BidiType.WS or BidiType.S or BidiType.B;

    /// <summary>For N1, numbers count as R.</summary>
    static BidiType Strong(BidiType t) => t == BidiType.L ? BidiType.L : BidiType.R;

    static byte Implicit(BidiType t, byte level) => (level & 1) == 0
        ? t switch { BidiType.R => (byte)(level + 1), BidiType.AN or BidiType.EN => (byte)(level + 2), _ => level }
        : t is BidiType.L or BidiType.EN or BidiType.AN ? (byte)(level + 1) : level;

    /// <summary>L2: the visual order of items with these levels (reverse every run at or above each level down to the lowest odd one).</summary>
    public static int[] VisualOrder(IReadOnlyList<byte> levels)
    {
        var order = Enumerable.Range(0, levels.Count).ToArray();
        if (levels.Count == 0) return order;
        int max = levels.Max(), minOdd = levels.Where(l => (l & 1) == 1).DefaultIfEmpty((byte)255).Min();
        for (var level = max; level >= minOdd && level > 0; level--)
        {
            for (var i = 0; i < order.Length; i++)
            {
                if (levels[order[i]] < level) continue;
                var end = i;
                while (end < order.Length && levels[order[end]] >= level) end++;
                Array.Reverse(order, i, end - i);
                i = end;
            }
        }
        return order;
    }
}
