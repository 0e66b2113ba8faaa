using Isc.Recipe;
using static TorchSharp.torch;

namespace Isc.Training.Model;

/// <summary>Recovers the architecture (backbone, widths, classes) of a D2LV state_dict from its keys and shapes.</summary>
public sealed record ModelShape(Backbone Backbone, ModelSettings Settings, int Classes)
{
    public static ModelShape Infer(IReadOnlyDictionary<string, Tensor> sd, ModelSettings template)
    {
        Tensor Get(string key) => sd.TryGetValue(key, out var t) ? t
            : throw new InvalidDataException($"not a D2LV state_dict: '{key}' missing");
        var width = (int)Get("base.0.weight").shape[0];
        var layer3Blocks = sd.Keys.Where(k => k.StartsWith("base.7.", StringComparison.Ordinal))
            .Select(k => int.Parse(k.Split('.')[2])).DefaultIfEmpty(-1).Max() + 1;
        var ibn = sd.ContainsKey("base.4.0.bn1.IN.weight");
        var backbone = ibn ? Backbones.Ibn
            : Backbones.All.FirstOrDefault(b => !b.InstanceBatchNorm && b.BlocksPerStage[2] == layer3Blocks)
              ?? throw new InvalidDataException($"no backbone has {layer3Blocks} blocks in layer3");
        var hidden = (int)Get("projector_feat_bn.0.0.weight").shape[0];
        var outDim = (int)Get("projector_feat_bn.0.3.weight").shape[0];
        var pieces = sd.Keys.Count(k => k.StartsWith("classifier_", StringComparison.Ordinal));
        var classes = pieces == 0 ? 0 : (int)Get("classifier_0.weight").shape[0] * pieces;
        var settings = template with { StemWidth = width, ProjectorHidden = hidden, ProjectorOut = outDim };
        return new ModelShape(backbone, settings, classes);
    }
}
