using TorchSharp;
using static TorchSharp.torch;

namespace Isc.Training.Model;

/// <summary>PyTorch's state_dict order: per module its own parameters, then its own persistent buffers, then its children in registration order.</summary>
public static class StateDicts
{
    public static List<KeyValuePair<string, Tensor>> Ordered(nn.Module module)
    {
        var result = new List<KeyValuePair<string, Tensor>>();
        var seen = new HashSet<string>();
        Walk(module, "", result, seen);
        return result;
    }

    static void Walk(nn.Module module, string prefix, List<KeyValuePair<string, Tensor>> result, HashSet<string> seen)
    {
        foreach (var (name, p) in module.named_parameters(recurse: false))
            if (seen.Add(prefix + name)) result.Add(new(prefix + name, p));
        foreach (var (name, b) in module.named_buffers(recurse: false))
            if (seen.Add(prefix + name)) result.Add(new(prefix + name, b));
        foreach (var (name, child) in module.named_children())
            Walk(child, prefix + name + ".", result, seen);
    }

    /// <summary>Copies tensors into the module by key; returns (matched, missing, unexpected, shape-mismatched) keys.</summary>
    public static LoadReport Load(nn.Module module, IReadOnlyDictionary<string, Tensor> source, bool strict)
    {
        var own = Ordered(module);
        var matched = new List<string>();
        var missing = new List<string>();
        var mismatched = new List<string>();
        using (no_grad())
        {
            foreach (var (key, dst) in own)
            {
                if (!source.TryGetValue(key, out var src)) { missing.Add(key); continue; }
                if (!src.shape.SequenceEqual(dst.shape)) { mismatched.Add($"{key} {Shape(src)} vs {Shape(dst)}"); continue; }
                dst.copy_(src.to(dst.dtype));
                matched.Add(key);
            }
        }
        var ownKeys = own.Select(o => o.Key).ToHashSet();
        var unexpected = source.Keys.Where(k => !ownKeys.Contains(k)).ToList();
        var report = new LoadReport(matched, missing, unexpected, mismatched);
        if (strict && (missing.Count > 0 || unexpected.Count > 0 || mismatched.Count > 0))
            throw new InvalidDataException($"state_dict does not match the model: {report.Summary()}");
        return report;
    }

    public static string Shape(Tensor t) => "[" + string.Join(", ", t.shape) + "]";
}

public sealed record LoadReport(IReadOnlyList<string> Matched, IReadOnlyList<string> Missing, IReadOnlyList<string> Unexpected, IReadOnlyList<string> ShapeMismatched)
{
    public string Summary(int show = 5)
    {
        static string Few(IReadOnlyList<string> l, int n) => l.Count == 0 ? "" : " (" + string.Join(", ", l.Take(n)) + (l.Count > n ? ", …" : "") + ")";
        return $"{Matched.Count} matched, {Missing.Count} missing{Few(Missing, show)}, {Unexpected.Count} unexpected{Few(Unexpected, show)}, {ShapeMismatched.Count} shape mismatches{Few(ShapeMismatched, show)}";
    }
}
