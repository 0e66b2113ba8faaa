using Isc.Recipe;
using Isc.Torch.Serialization;
using static TorchSharp.torch;

namespace Isc.Training.Model;

/// <summary>
/// Loads a published backbone file (Barlow Twins zip state_dict, Momentum²-Teacher plain pickles, or a legacy
/// torch.save) into <c>base</c> by name, non-strict: torchvision names map to the base sequence
/// (conv1→0, bn1→1, layer1→4, layer2→5, layer3→7, layer4→9); <c>fc.*</c> and unknown names are reported as unexpected.
/// </summary>
public static class PretrainedLoader
{
    /// <summary>
    /// A file matching fewer than this share of the backbone's weights and running statistics (num_batches_tracked
    /// not counted: older files lack it) is refused: it is another backbone, another width, or not a backbone at all.
    /// </summary>
    public const double MinMatchedShare = 0.9;

    static readonly (string From, string To)[] Prefixes =
        [("conv1.", "base.0."), ("bn1.", "base.1."), ("layer1.", "base.4."), ("layer2.", "base.5."), ("layer3.", "base.7."), ("layer4.", "base.9.")];

    public static LoadReport Load(D2lvNet model, string path)
    {
        var tensors = ReadBackboneTensors(path);
        try
        {
            var mapped = new Dictionary<string, Tensor>();
            var unexpected = new List<string>();
            foreach (var (name, t) in tensors)
            {
                var n = name.StartsWith("module.", StringComparison.Ordinal) ? name["module.".Length..] : name;
                var rule = Prefixes.FirstOrDefault(p => n.StartsWith(p.From, StringComparison.Ordinal));
                if (rule.From is null) unexpected.Add(name);
                else mapped[rule.To + n[rule.From.Length..]] = t;
            }
            // Only the ResNet part is expected from the file (not GeM's p, the projector or the classifier).
            var backboneKeys = StateDicts.Ordered(model).Select(kv => kv.Key)
                .Where(k => k.StartsWith("base.", StringComparison.Ordinal) && k != "base.10.p").ToHashSet();
            var inner = StateDicts.Load(model, mapped, strict: false);
            var report = new LoadReport(
                inner.Matched,
                [.. inner.Missing.Where(backboneKeys.Contains)],
                [.. unexpected, .. inner.Unexpected],
                inner.ShapeMismatched);
            var essential = backboneKeys.Count(k => !k.EndsWith("num_batches_tracked", StringComparison.Ordinal));
            var essentialMatched = report.Matched.Count(k => !k.EndsWith("num_batches_tracked", StringComparison.Ordinal));
            if (essentialMatched < MinMatchedShare * essential)
            {
                var example = report.Missing.Concat(inner.ShapeMismatched.Select(m => m.Split(' ')[0]))
                    .Where(k => !k.EndsWith("num_batches_tracked", StringComparison.Ordinal)).Select(TorchvisionName).FirstOrDefault();
                throw new InvalidDataException(
                    $"{path}: only {essentialMatched} of the {essential} {model.Backbone.Name} backbone weights (width {model.Settings.StemWidth}) match by name and shape " +
                    $"({essentialMatched} of {essential} expected keys matched{(example is null ? "" : $"; missing e.g. {example}")}; {report.Summary()}); " +
                    $"this is not a {model.Backbone.Name} backbone of this width — check the file (--pretrained, --file:{model.Backbone.Target}) and --profile");
            }
            return report;
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    /// <summary>The name→tensor map of a pretrained file: a flat state_dict, or the "model"/"state_dict" entry of a dict.</summary>
    public static Dictionary<string, Tensor> ReadBackboneTensors(string path)
    {
        var root = TorchFile.Load(path) as Dictionary<object, object?>
            ?? throw new InvalidDataException($"{path}: expected a dict of tensors at the top level");
        var dict = root.TryGetValue("model", out var m) && m is Dictionary<object, object?> md ? md
            : root.TryGetValue("state_dict", out var s) && s is Dictionary<object, object?> sd ? sd
            : root;
        var result = new Dictionary<string, Tensor>();
        foreach (var (k, v) in dict)
            if (k is string name && v is Tensor t) result[name] = t;
        if (result.Count == 0) throw new InvalidDataException($"{path}: holds no tensors");
        return result;
    }

    /// <summary>torchvision names of the backbone tensors of a model (the inverse mapping; fc excluded).</summary>
    public static List<KeyValuePair<string, Tensor>> TorchvisionStateDict(D2lvNet model) =>
        [.. StateDicts.Ordered(model)
            .Where(kv => kv.Key.StartsWith("base.", StringComparison.Ordinal) && kv.Key != "base.10.p")
            .Select(kv =>
            {
                var rule = Prefixes.First(p => kv.Key.StartsWith(p.To, StringComparison.Ordinal));
                return new KeyValuePair<string, Tensor>(rule.From + kv.Key[rule.To.Length..], kv.Value);
            })];

    /// <summary>base.9.2.conv3.weight → layer4.2.conv3.weight (names as they appear in the published files).</summary>
    static string TorchvisionName(string key) =>
        Prefixes.FirstOrDefault(p => key.StartsWith(p.To, StringComparison.Ordinal)) is { From: not null } rule ? rule.From + key[rule.To.Length..] : key;

    public static Backbone BackboneOf(string name) => Backbones.Get(name);
}
