using Isc.Recipe;
using Isc.Torch.Serialization;
using static TorchSharp.torch;

namespace Isc.Training.Model;

/// <summary>
/// Loads a published backbone file into <c>base</c> as the original training code does, or refuses it. The original
/// builds torchvision's network (ImageNet weights for ResNet-50/152, random for IBN-a), then
/// <c>load_state_dict(file, strict=False)</c>: ResNet-50's file is <c>torch.load</c>ed and used as the state_dict,
/// ResNet-152's and IBN-a's are <c>pickle.load</c>ed and their <c>"model"</c> entry used. torchvision names map to
/// the base sequence (conv1→0, bn1→1, layer1→4, layer2→5, layer3→7, layer4→9). Where the original's result is the
/// file's weights, they are loaded the same; where it would be something this harness cannot give, the file is
/// refused with what to do (docs/training.md, Pretrained backbones):
/// <list type="bullet">
/// <item>names not in the backbone (<c>fc.*</c>, anything else) are ignored and reported as unexpected, as non-strict loading does;</item>
/// <item>a backbone weight or running statistic absent from the file, or of another shape, is refused (the original keeps
/// torchvision's ImageNet or random value for an absent one, and raises on a shape mismatch); an absent
/// <c>num_batches_tracked</c> stays 0, as there (older files lack it);</item>
/// <item><c>module.</c>-prefixed names are refused (the original matches none of them and silently trains from torchvision's weights);</item>
/// <item>numpy arrays are refused (the original's <c>load_state_dict</c> raises on them);</item>
/// <item>a ResNet-152/IBN-a file that is a torch.save file, or lacks <c>"model"</c>, is refused (<c>pickle.load(f)['model']</c> fails).</item>
/// </list>
/// </summary>
public static class PretrainedLoader
{
    static readonly (string From, string To)[] Prefixes =
        [("conv1.", "base.0."), ("bn1.", "base.1."), ("layer1.", "base.4."), ("layer2.", "base.5."), ("layer3.", "base.7."), ("layer4.", "base.9.")];

    public static LoadReport Load(D2lvNet model, string path)
    {
        var tensors = ReadBackboneTensors(path, model.Backbone);
        try
        {
            var what = $"{model.Backbone.Name} backbone (width {model.Settings.StemWidth})";
            var prefixed = tensors.Keys.Where(k => k.StartsWith("module.", StringComparison.Ordinal)).ToList();
            if (prefixed.Count > 0)
                throw new InvalidDataException(
                    $"{path}: {prefixed.Count} of its {tensors.Count} names start with \"module.\" (e.g. {prefixed[0]}: a file saved from an nn.DataParallel wrapper); " +
                    $"the original training's load_state_dict(strict=False) matches none of them and trains from torchvision's initial weights instead, which this harness does not reproduce. " +
                    $"Use the file without the wrapper (names as in torchvision's {model.Backbone.Name}, e.g. conv1.weight) — check --pretrained / --file:{model.Backbone.Target}");
            var mapped = new Dictionary<string, Tensor>();
            var unexpected = new List<string>();
            foreach (var (name, t) in tensors)
            {
                var rule = Prefixes.FirstOrDefault(p => name.StartsWith(p.From, StringComparison.Ordinal));
                if (rule.From is null) unexpected.Add(name);
                else mapped[rule.To + name[rule.From.Length..]] = t;
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
            static bool Counter(string k) => k.EndsWith("num_batches_tracked", StringComparison.Ordinal);
            var essential = backboneKeys.Count(k => !Counter(k));
            var essentialMatched = report.Matched.Count(k => !Counter(k));
            var missing = report.Missing.Where(k => !Counter(k)).Select(TorchvisionName).ToList();
            var mismatched = inner.ShapeMismatched.Where(m => !Counter(m.Split(' ')[0])).ToList();
            if (missing.Count > 0 || mismatched.Count > 0)
            {
                var fewMatch = essentialMatched < essential / 2;
                throw new InvalidDataException(
                    $"{path}: {essentialMatched} of {essential} expected keys matched by name and shape (the weights and running statistics of a {what}; " +
                    $"{missing.Count} missing{(missing.Count > 0 ? $" e.g. {missing[0]}" : "")}; {mismatched.Count} of another shape{(mismatched.Count > 0 ? $" e.g. {TorchvisionName(mismatched[0])}" : "")}; {report.Summary()}); " +
                    (fewMatch
                        ? $"this is not a {what} — check the file (--pretrained, --file:{model.Backbone.Target}) and --profile"
                        : "the original training raises on a shape mismatch and keeps torchvision's ImageNet (or random) values for absent ones, which this harness does not reproduce; " +
                          $"use a file holding every {model.Backbone.Name} backbone tensor (--pretrained, --file:{model.Backbone.Target})"));
            }
            return report;
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    /// <summary>
    /// The name→tensor map the original training hands to <c>load_state_dict</c>: a ResNet-50 file itself (torch.load),
    /// the <c>"model"</c> entry of a ResNet-152/IBN-a plain pickle. Numpy arrays are refused, naming one.
    /// </summary>
    public static Dictionary<string, Tensor> ReadBackboneTensors(string path, Backbone backbone)
    {
        var pickled = backbone.PretrainedFormat == PretrainedFormat.Pickle;
        if (pickled && File.Exists(path) && new FileInfo(path).Length > 0 && TorchFile.IsTorchSave(path))
            throw new InvalidDataException(
                $"{path}: a torch.save file, but the original training reads the {backbone.Name} backbone with pickle.load(f)['model'], which cannot read it; " +
                $"use the published plain pickle {backbone.PretrainedFileName} (--pretrained, --file:{backbone.Target})");
        var root = TorchFile.Load(path, numpyAsTensors: false) as Dictionary<object, object?>
            ?? throw new InvalidDataException($"{path}: expected a dict of tensors at the top level");
        var dict = !pickled ? root
            : root.TryGetValue("model", out var m) && m is Dictionary<object, object?> md ? md
            : throw new InvalidDataException(
                $"{path}: no \"model\" dict at the top level (keys: {string.Join(", ", root.Keys.Take(5))}); the original training loads the {backbone.Name} backbone from " +
                $"pickle.load(f)['model'] — use the published {backbone.PretrainedFileName} (--pretrained, --file:{backbone.Target})");
        var arrays = dict.Where(kv => Numpy.IsArray(kv.Value)).Select(kv => kv.Key).ToList();
        if (arrays.Count > 0)
            throw new InvalidDataException(
                $"{path}: {arrays.Count} of its {dict.Count} entries are numpy arrays (e.g. {arrays[0]}), not tensors; the original training's load_state_dict raises on them " +
                "(\"expected torch.Tensor or Tensor-like object from checkpoint but received <class 'numpy.ndarray'>\"), so it cannot have trained from this file. " +
                "Use the file with torch tensors (e.g. re-pickle it with every array converted by torch.from_numpy)");
        var result = new Dictionary<string, Tensor>();
        foreach (var (k, v) in dict.ToList())
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
