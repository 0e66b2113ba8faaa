using Isc.Recipe;
using Isc.Torch.Pickle;
using Isc.Torch.Serialization;
using static TorchSharp.torch;

namespace Isc.Training.Model;

/// <summary>docs/recipe.md, Trimmed models: a final checkpoint's state_dict minus classifier_0..3, saved alone; and loading it back for features.</summary>
public static class TrimmedModel
{
    public static int Trim(string checkpoint, string output)
    {
        var root = TorchFile.Load(checkpoint) as Dictionary<object, object?>
            ?? throw new InvalidDataException($"{checkpoint}: not a dict");
        if (!root.TryGetValue("state_dict", out var sdObj) || sdObj is not Dictionary<object, object?> sd)
            throw new InvalidDataException($"{checkpoint}: no 'state_dict' entry; is this a training checkpoint?");
        var kept = new PyOrderedDict();
        foreach (var (k, v) in sd)
            if (k is string key && v is Tensor t && !key.StartsWith("classifier_", StringComparison.Ordinal)) kept.Add(key, t);
        if (kept.Count == sd.Count) throw new InvalidDataException($"{checkpoint}: has no classifier_* weights to remove");
        TorchZip.Save(output, kept);
        return sd.Count - kept.Count;
    }

    /// <summary>A model built from a trimmed (or full) state_dict, weights loaded strictly except the classifier.</summary>
    public static D2lvNet Load(string path, ModelSettings template)
    {
        var root = TorchFile.Load(path) as Dictionary<object, object?> ?? throw new InvalidDataException($"{path}: not a dict");
        if (root.TryGetValue("state_dict", out var inner) && inner is Dictionary<object, object?> d) root = d;
        var sd = root.Where(kv => kv.Key is string && kv.Value is Tensor).ToDictionary(kv => (string)kv.Key, kv => (Tensor)kv.Value!);
        ModelShape shape;
        try { shape = ModelShape.Infer(sd, template); }
        catch (InvalidDataException e) { throw new InvalidDataException($"{path}: {e.Message}; a trimmed model (isc trim's output) or a training checkpoint is expected", e); }
        var model = new D2lvNet(shape.Backbone, shape.Settings, shape.Classes == 0 ? shape.Settings.ClassifierPieces : shape.Classes);
        var report = StateDicts.Load(model, sd, strict: false);
        var missing = report.Missing.Where(k => shape.Classes > 0 || !k.StartsWith("classifier_", StringComparison.Ordinal)).ToList();
        if (missing.Count > 0 || report.Unexpected.Count > 0 || report.ShapeMismatched.Count > 0)
            throw new InvalidDataException($"{path}: does not match the inferred {shape.Backbone.Name} model: {report.Summary()}");
        foreach (var t in sd.Values) t.Dispose();
        return model;
    }
}
