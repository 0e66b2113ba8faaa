using Isc.Recipe;
using Isc.Torch.Pickle;
using Isc.Torch.Serialization;

namespace Isc.Training.Model;

/// <summary>
/// Writes a backbone in the published format of its kind (so the demo exercises the real readers):
/// resnet50 → torch.save zip of a torchvision-named state_dict without fc; resnet152/ibn → a plain pickle of
/// {"model": {name: tensor}, "__author__": ..., "matching_heuristics": True}, tensors as pickle.dump writes them
/// (what the original training's pickle.load(f)['model'] and load_state_dict accept; numpy arrays they refuse).
/// </summary>
public static class PretrainedWriter
{
    public static void Write(D2lvNet model, string path, string author)
    {
        var tensors = PretrainedLoader.TorchvisionStateDict(model);
        if (model.Backbone.PretrainedFormat == PretrainedFormat.TorchZip)
        {
            var od = new PyOrderedDict();
            foreach (var (k, t) in tensors) od.Add(k, t);
            TorchZip.Save(path, od);
            return;
        }
        var weights = new Dictionary<object, object?>();
        foreach (var (k, t) in tensors) weights[k] = PlainPickleTensor.Encode(t);
        var root = new Dictionary<object, object?> { ["model"] = weights, ["__author__"] = author, ["matching_heuristics"] = true };
        Isc.Artifacts.AtomicFile.Write(path, s => PickleWriter.Write(s, root));
    }
}
