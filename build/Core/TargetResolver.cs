namespace Isc.Build.Core;

/// <summary>Case-insensitive target names; for a name that matches nothing, the closest ones.</summary>
public static class TargetResolver
{
    public static string Resolve(string requested, IReadOnlyCollection<string> names)
    {
        var exact = names.FirstOrDefault(n => string.Equals(n, requested, StringComparison.OrdinalIgnoreCase));
        if (exact is not null) return exact;
        throw new BuildUsageException($"unknown target '{requested}'. {Suggest(requested, names)} ./build.sh --help lists every target.");
    }

    public static string Suggest(string requested, IEnumerable<string> names)
    {
        var close = Closest(requested, names);
        return close.Count > 0 ? $"Did you mean: {string.Join(", ", close)}?" : "No similar target.";
    }

    /// <summary>Up to five names close to <paramref name="requested"/> (targets, options), closest first.</summary>
    public static List<string> Closest(string requested, IEnumerable<string> names)
    {
        var r = requested.ToLowerInvariant();
        return names
            .Select(n => (Name: n, Score: Score(r, n.ToLowerInvariant())))
            .Where(x => x.Score <= Math.Max(3, r.Length / 3))
            .OrderBy(x => x.Score).ThenBy(x => x.Name, StringComparer.Ordinal)
            .Take(5).Select(x => x.Name).ToList();
    }

    /// <summary>Edit distance, with a bonus for a name that contains the request (e.g. "blur" → the blur datasets).</summary>
    static int Score(string a, string b)
    {
        if (b.Contains(a)) return 1;
        // Also match the tail of a name ("blurr" ~ "..._big_blur"): the best distance to any '_'/':' suffix.
        var best = Distance(a, b);
        for (var i = 0; i < b.Length; i++)
            if (b[i] is '_' or ':' or '-') best = Math.Min(best, Distance(a, b[(i + 1)..]) + 1);
        return best;
    }

    static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
            for (var j = 1; j <= b.Length; j++)
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
        return d[a.Length, b.Length];
    }
}
