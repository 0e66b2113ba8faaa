using Isc.Recipe;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Isc.Training.Model;

/// <summary>
/// The <c>base</c> sequence (docs/recipe.md, Network): 0 conv1, 1 bn1, 2 maxpool, 3 relu, 4 layer1, 5 layer2,
/// 6 Waveblock, 7 layer3, 8 the same Waveblock, 9 layer4 (first block stride 1), 10 GeM. Output: the pooled feature f.
/// </summary>
public sealed class ResNetBase : Module<Tensor, Tensor>
{
    readonly Module<Tensor, Tensor>[] steps;

    // Computed, not auto-properties: TorchSharp would register a module-typed backing field as an extra child.
    public Waveblock Waveblock => (Waveblock)steps[6];
    public GeM Gem => (GeM)steps[10];

    /// <summary>How many times a forward calls the Waveblock (after layer2 and after layer3).</summary>
    public int WaveblockCalls => steps.Count(s => ReferenceEquals(s, Waveblock));

    public ResNetBase(Backbone backbone, ModelSettings m) : base(nameof(ResNetBase))
    {
        var w = m.StemWidth;
        var inplanes = w;
        Module<Tensor, Tensor> Layer(int planes, int blocks, int stride, bool ibn)
        {
            var layer = Sequential();
            Module<Tensor, Tensor>? down = null;
            if (stride != 1 || inplanes != planes * Bottleneck.Expansion)
                down = Sequential(
                    ("0", new Conv(inplanes, planes * Bottleneck.Expansion, 1, stride: stride)),
                    ("1", BatchNorm.Of2d(planes * Bottleneck.Expansion)));
            layer.append("0", new Bottleneck(inplanes, planes, stride, ibn, down));
            inplanes = planes * Bottleneck.Expansion;
            for (var i = 1; i < blocks; i++) layer.append(i.ToString(), new Bottleneck(inplanes, planes, 1, ibn, null));
            return layer;
        }

        var ibnA = backbone.InstanceBatchNorm;
        var b = backbone.BlocksPerStage;
        var waveblock = new Waveblock(m.WaveblockRatio, m.WaveblockFactor);
        steps =
        [
            new Conv(3, w, 7, stride: 2, padding: 3),
            BatchNorm.Of2d(w),
            MaxPool2d(3, 2, 1),
            ReLU(inplace: true),
            Layer(w, b[0], 1, ibnA),
            Layer(w * 2, b[1], 2, ibnA),
            waveblock,
            Layer(w * 4, b[2], 2, ibnA),
            waveblock,
            Layer(w * 8, b[3], 1, false),
            new GeM(m.GemP),
        ];
        for (var i = 0; i < steps.Length; i++) register_module(i.ToString(), steps[i]);
        InitLikeTorchvision();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = x;
        foreach (var s in steps) y = s.call(y);
        return y.MoveToOuterDisposeScope();
    }

    /// <summary>torchvision's ResNet init: Kaiming normal (fan_out, relu) convs, BatchNorm weight 1 bias 0.</summary>
    void InitLikeTorchvision()
    {
        using var _ = no_grad();
        foreach (var (_, module) in named_modules())
        {
            if (module is Conv conv)
                init.kaiming_normal_(conv.Weight, mode: init.FanInOut.FanOut, nonlinearity: init.NonlinearityType.ReLU);
        }
    }
}
