using static TorchSharp.torch;

namespace Isc.Training.Model;

/// <summary>
/// Channels-last (NHWC strides under the usual NCHW shape), PyTorch's <c>memory_format=torch.channels_last</c>.
/// TorchSharp has no memory_format argument, so the layout is made by permuting a contiguous NHWC copy back to
/// NCHW order; cuDNN and PyTorch's CPU kernels recognise those strides and keep them through the network.
/// </summary>
public static class MemoryLayout
{
    /// <summary>A channels-last copy of a 4-d tensor (the tensor itself when it already is).</summary>
    public static Tensor ChannelsLast(Tensor t)
    {
        if (t.dim() != 4) throw new ArgumentException($"channels-last needs a 4-d tensor, got {t.dim()}-d");
        if (IsChannelsLast(t)) return t.alias();
        using var nhwc = t.permute(0, 2, 3, 1).contiguous();
        return nhwc.permute(0, 3, 1, 2);
    }

    /// <summary>True when the strides are NHWC-dense (channel fastest).</summary>
    public static bool IsChannelsLast(Tensor t)
    {
        if (t.dim() != 4) return false;
        var (n, c, h, w) = (t.shape[0], t.shape[1], t.shape[2], t.shape[3]);
        var s = t.stride();
        return (c == 1 || s[1] == 1) && (w == 1 || s[3] == c) && (h == 1 || s[2] == c * w) && (n == 1 || s[0] == c * h * w);
    }

    /// <summary>Re-stores every 4-d parameter of <paramref name="module"/> channels-last in place (values unchanged).</summary>
    public static int ParametersToChannelsLast(nn.Module module)
    {
        using var _ = no_grad();
        var n = 0;
        foreach (var p in module.parameters().Where(p => p.dim() == 4 && !IsChannelsLast(p)))
        {
            using var cl = ChannelsLast(p);
            p.set_(cl);
            n++;
        }
        return n;
    }
}
