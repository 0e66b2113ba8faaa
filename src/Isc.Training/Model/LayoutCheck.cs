using Isc.Recipe;
using Isc.Torch.Runtime;
using Isc.Torch.Serialization;
using static TorchSharp.torch;

namespace Isc.Training.Model;

/// <summary>
/// Checks a written checkpoint or trimmed model against the layout the recipe prescribes for its
/// backbone and widths: the same keys in the same order, with the same shapes and dtypes (a trimmed
/// model: exactly those minus classifier_*; a checkpoint: also epoch, optimizer and lr_scheduler), and every
/// weight finite (a diverged training writes NaN weights that load without complaint).
/// </summary>
public static class LayoutCheck
{
    public sealed record Entry(string Key, string Shape, ScalarType DType);

    /// <summary>The prescribed state_dict layout. The classifier is built small and its shapes scaled, so a 100,000-class layout costs nothing.</summary>
    public static List<Entry> Expected(Backbone backbone, ModelSettings m, int classes, bool trimmed)
    {
        TorchRuntime.EnsureLoadable();
        using var model = new D2lvNet(backbone, m, m.ClassifierPieces);
        var entries = new List<Entry>();
        foreach (var (key, t) in StateDicts.Ordered(model))
        {
            if (key.StartsWith("classifier_", StringComparison.Ordinal))
            {
                if (!trimmed) entries.Add(new Entry(key, $"[{classes / m.ClassifierPieces}, {m.ProjectorOut}]", t.dtype));
                continue;
            }
            entries.Add(new Entry(key, StateDicts.Shape(t), t.dtype));
        }
        return entries;
    }

    /// <summary>"key (n of m)" for each floating-point tensor holding NaN or +-Inf values.</summary>
    public static List<string> NonFinite(Dictionary<object, object?> stateDict)
    {
        var found = new List<string>();
        foreach (var (key, value) in stateDict)
        {
            if (value is not Tensor t || !t.is_floating_point()) continue;
            using var bad = t.isfinite().logical_not().sum();
            var count = bad.item<long>();
            if (count > 0) found.Add($"{key} ({count} of {t.numel()})");
        }
        return found;
    }

    /// <summary>The problems found (empty when the file matches).</summary>
    public static List<string> Check(string path, Backbone backbone, ModelSettings m, int classes, bool trimmed)
    {
        TorchRuntime.EnsureLoadable();
        var problems = new List<string>();
        object? loaded;
        try { loaded = TorchFile.Load(path); }
        catch (Exception e) when (e is InvalidDataException or IOException or EndOfStreamException)
        {
            return [$"cannot be read: {e.Message}"];
        }
        if (loaded is not Dictionary<object, object?> root) return ["is not a dict"];
        var sdRoot = root;
        if (!trimmed)
        {
            foreach (var entry in new[] { "state_dict", "epoch", "optimizer", "lr_scheduler" })
                if (!root.ContainsKey(entry)) problems.Add($"has no '{entry}' entry");
            if (root.GetValueOrDefault("state_dict") is not Dictionary<object, object?> inner)
                return root.ContainsKey("state_dict") ? [.. problems, "its 'state_dict' is not a dict"] : problems;
            sdRoot = inner;
        }
        else if (root.ContainsKey("state_dict")) return ["is a checkpoint (has 'state_dict'), not a trimmed model"];

        var actual = sdRoot.Where(kv => kv.Key is string && kv.Value is Tensor)
            .Select(kv => new Entry((string)kv.Key, StateDicts.Shape((Tensor)kv.Value!), ((Tensor)kv.Value!).dtype)).ToList();
        var expected = Expected(backbone, m, classes, trimmed);
        var expectedKeys = expected.Select(e => e.Key).ToHashSet();
        var actualKeys = actual.Select(e => e.Key).ToHashSet();
        var missing = expected.Where(e => !actualKeys.Contains(e.Key)).Select(e => e.Key).ToList();
        var extra = actual.Where(e => !expectedKeys.Contains(e.Key)).Select(e => e.Key).ToList();
        if (missing.Count > 0) problems.Add($"{missing.Count} key(s) missing, e.g. {string.Join(", ", missing.Take(3))}");
        if (extra.Count > 0) problems.Add($"{extra.Count} unexpected key(s), e.g. {string.Join(", ", extra.Take(3))}");
        if (missing.Count == 0 && extra.Count == 0)
        {
            var firstOutOfOrder = expected.Zip(actual).Select((p, i) => (p, i)).FirstOrDefault(x => x.p.First.Key != x.p.Second.Key);
            if (firstOutOfOrder.p.First is not null)
                problems.Add($"keys out of order from position {firstOutOfOrder.i} ({firstOutOfOrder.p.Second.Key} where {firstOutOfOrder.p.First.Key} belongs)");
        }
        var byKey = actual.ToDictionary(e => e.Key);
        foreach (var e in expected.Where(e => byKey.ContainsKey(e.Key)))
        {
            var a = byKey[e.Key];
            if (a.Shape != e.Shape) problems.Add($"{e.Key} has shape {a.Shape}, expected {e.Shape}");
            else if (a.DType != e.DType) problems.Add($"{e.Key} has dtype {a.DType}, expected {e.DType}");
        }
        var nonFinite = NonFinite(sdRoot);
        if (nonFinite.Count > 0)
            problems.Add($"{nonFinite.Count} tensor(s) hold NaN or infinite values (training diverged?), e.g. {string.Join(", ", nonFinite.Take(5))}");
        foreach (var t in sdRoot.Values.OfType<Tensor>()) t.Dispose();
        return problems;
    }
}
