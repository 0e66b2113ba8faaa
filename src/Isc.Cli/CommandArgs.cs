namespace Isc.Cli;

/// <summary>`--key value`, `--key=value`, repeated keys and positionals, in the order given.</summary>
public sealed class CommandArgs
{
    readonly List<KeyValuePair<string, string?>> _options = [];
    readonly HashSet<string> _used = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<string> Positionals { get; }

    public CommandArgs(IEnumerable<string> argv)
    {
        var positionals = new List<string>();
        var list = argv.ToList();
        for (var i = 0; i < list.Count; i++)
        {
            var a = list[i];
            if (a.StartsWith("--", StringComparison.Ordinal) && a.Length > 2)
            {
                var eq = a.IndexOf('=');
                if (eq > 0) _options.Add(new(a[2..eq], a[(eq + 1)..]));
                else if (i + 1 < list.Count && !list[i + 1].StartsWith("--", StringComparison.Ordinal)) _options.Add(new(a[2..], list[++i]));
                else _options.Add(new(a[2..], null));
            }
            else positionals.Add(a);
        }
        Positionals = positionals;
    }

    public bool Flag(string name) =>
        Last(name) is { } v && (v.Value is null || v.Value.Equals("true", StringComparison.OrdinalIgnoreCase));

    public string? Optional(string name) => Last(name) is { } v ? v.Value ?? "true" : null;

    public string Required(string name) =>
        Optional(name) ?? throw new UsageException($"missing --{name}");

    public int Int(string name, int fallback)
    {
        var s = Optional(name);
        if (s is null) return fallback;
        return int.TryParse(s, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var v)
            ? v : throw new UsageException($"--{name} must be an integer, got '{s}'");
    }

    public double Double(string name, double fallback)
    {
        var s = Optional(name);
        if (s is null) return fallback;
        return double.TryParse(s, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v)
            ? v : throw new UsageException($"--{name} must be a number, got '{s}'");
    }

    public IReadOnlyList<string> All(string name)
    {
        _used.Add(name);
        return [.. _options.Where(o => string.Equals(o.Key, name, StringComparison.OrdinalIgnoreCase)).Select(o => o.Value ?? "true")];
    }

    /// <summary>`--set key=value` pairs (settings overrides).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Sets(string name = "set") =>
        [.. All(name).Select(s =>
        {
            var eq = s.IndexOf('=');
            if (eq <= 0) throw new UsageException($"--{name} needs key=value, got '{s}'");
            return new KeyValuePair<string, string>(s[..eq], s[(eq + 1)..]);
        })];

    /// <summary>Options given but never read: almost always a typo, so commands call this after parsing.</summary>
    public void RejectUnknown()
    {
        var unknown = _options.Select(o => o.Key).Where(k => !_used.Contains(k)).Distinct().ToList();
        if (unknown.Count > 0) throw new UsageException($"unknown option(s): {string.Join(", ", unknown.Select(k => "--" + k))}");
    }

    KeyValuePair<string, string?>? Last(string name)
    {
        _used.Add(name);
        for (var i = _options.Count - 1; i >= 0; i--)
            if (string.Equals(_options[i].Key, name, StringComparison.OrdinalIgnoreCase)) return _options[i];
        return null;
    }
}
