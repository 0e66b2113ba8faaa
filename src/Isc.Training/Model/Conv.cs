using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Isc.Training.Model;

/// <summary>
/// torch.nn.Conv2d without bias (the only kind a ResNet has), whose state_dict is the same single <c>weight</c>.
/// With <see cref="ComputeType"/> set it convolves in that reduced precision, as CUDA autocast does: input and
/// weight are cast for the call, the fp32 weight stays the trained (master) parameter and receives fp32 gradients.
/// </summary>
public sealed class Conv : nn.Module<Tensor, Tensor>
{
    readonly Parameter weight;
    readonly long[] stride, padding;

    public Conv(long inChannels, long outChannels, long kernel, long stride = 1, long padding = 0) : base("Conv2d")
    {
        this.stride = [stride, stride];
        this.padding = [padding, padding];
        weight = new Parameter(empty(outChannels, inChannels, kernel, kernel));
        // nn.Conv2d's own default init, kept so the random stream (and so every later init) matches torch.nn.Conv2d.
        using (no_grad()) nn.init.kaiming_uniform_(weight, Math.Sqrt(5));
        register_parameter("weight", weight);
    }

    public Parameter Weight => weight;

    /// <summary>null: compute in the weight's dtype (fp32); bfloat16/float16: mixed precision.</summary>
    public ScalarType? ComputeType { get; set; }

    public override Tensor forward(Tensor x)
    {
        if (ComputeType is not { } dt || dt == weight.dtype)
            return nn.functional.conv2d(x, weight, null, stride, padding);
        using var scope = NewDisposeScope();
        return nn.functional.conv2d(x.to(dt), weight.to(dt), null, stride, padding).MoveToOuterDisposeScope();
    }
}
