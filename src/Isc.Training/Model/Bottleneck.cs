using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Isc.Training.Model;

/// <summary>
/// torchvision's ResNet v1.5 bottleneck (stride on the 3x3 conv); with <c>ibn</c>, bn1 is the IBN-a
/// split of <see cref="Ibn"/>. Submodules are registered in torchvision's order so state_dict keys match.
/// </summary>
public sealed class Bottleneck : Module<Tensor, Tensor>
{
    public const int Expansion = 4;
    readonly Module<Tensor, Tensor> conv1, bn1, conv2, bn2, conv3, bn3, relu;
    readonly Module<Tensor, Tensor>? downsample;

    public Bottleneck(int inplanes, int planes, int stride, bool ibn, Module<Tensor, Tensor>? downsample) : base(nameof(Bottleneck))
    {
        conv1 = new Conv(inplanes, planes, 1);
        bn1 = ibn ? new Ibn(planes) : BatchNorm.Of2d(planes);
        conv2 = new Conv(planes, planes, 3, stride: stride, padding: 1);
        bn2 = BatchNorm.Of2d(planes);
        conv3 = new Conv(planes, planes * Expansion, 1);
        bn3 = BatchNorm.Of2d(planes * Expansion);
        relu = ReLU(inplace: true);
        this.downsample = downsample;
        register_module("conv1", conv1);
        register_module("bn1", bn1);
        register_module("conv2", conv2);
        register_module("bn2", bn2);
        register_module("conv3", conv3);
        register_module("bn3", bn3);
        register_module("relu", relu);
        if (downsample is not null) register_module("downsample", downsample);
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var identity = downsample is null ? x : downsample.call(x);
        var y = relu.call(bn1.call(conv1.call(x)));
        y = relu.call(bn2.call(conv2.call(y)));
        y = bn3.call(conv3.call(y));
        return relu.call(y.add_(identity)).MoveToOuterDisposeScope();
    }
}

/// <summary>IBN-a normalisation: InstanceNorm (affine, no running stats) on the first half of the channels, BatchNorm on the rest.</summary>
public sealed class Ibn : Module<Tensor, Tensor>
{
    readonly int half;
    readonly Module<Tensor, Tensor> IN, BN;

    public Ibn(int planes) : base(nameof(Ibn))
    {
        half = planes / 2;
        IN = InstanceNorm2d(half, affine: true);
        BN = BatchNorm.Of2d(planes - half);
        register_module("IN", IN);
        register_module("BN", BN);
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var parts = x.split([half, x.shape[1] - half], dim: 1);
        return cat([IN.call(parts[0].contiguous()), BN.call(parts[1].contiguous())], 1).MoveToOuterDisposeScope();
    }
}
