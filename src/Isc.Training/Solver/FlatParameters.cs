using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Isc.Training.Solver;

/// <summary>
/// The trainable tensors of one dtype and device laid end to end in four flat buffers (parameters, gradients,
/// exp_avg, exp_avg_sq), each tensor at the same offset in all four, so that Adam updates a run of tensors with one
/// kernel per operation. The parameters are re-stored as views into the parameter buffer (same values, same strides)
/// and their gradients, once autograd has made them, as views into the gradient buffer, where backward then
/// accumulates in place.
/// </summary>
sealed class FlatParameters : IDisposable
{
    public sealed class Slot(Adam.Group group, long offset, Tensor gradView)
    {
        public Adam.Group Group { get; } = group;
        public Parameter Param => Group.Param;
        public long Offset { get; } = offset;
        public long Numel { get; } = group.Param.numel();
        public Tensor GradView { get; } = gradView;
        public IntPtr ParamAddress { get; } = Address(group.Param);
        public IntPtr GradAddress { get; } = Address(gradView);
        /// <summary>Whether the tensor had a gradient at the last <see cref="AdoptGradients"/>.</summary>
        public bool HasGrad { get; set; }
    }

    // Each tensor starts on a 512-byte boundary (fp32), as the CUDA caching allocator places separate tensors, so
    // cuDNN/cuBLAS and vectorised kernels see the same alignment as before. The padding stays zero through Adam.
    const long Alignment = 128;

    public Tensor Params { get; }
    public Tensor Grads { get; }
    public Tensor ExpAvg { get; }
    public Tensor ExpAvgSq { get; }
    public IReadOnlyList<Slot> Slots { get; }

    public FlatParameters(IReadOnlyList<Adam.Group> groups)
    {
        var first = groups[0].Param;
        var offsets = new long[groups.Count];
        long total = 0;
        for (var i = 0; i < groups.Count; i++)
        {
            offsets[i] = total;
            total += (groups[i].Param.numel() + Alignment - 1) / Alignment * Alignment;
        }
        Params = zeros(total, first.dtype, first.device);
        Grads = zeros(total, first.dtype, first.device);
        ExpAvg = zeros(total, first.dtype, first.device);
        ExpAvgSq = zeros(total, first.dtype, first.device);
        using var _ = no_grad();
        var slots = new List<Slot>();
        for (var i = 0; i < groups.Count; i++)
        {
            var g = groups[i];
            var p = g.Param;
            var strides = Strides(p);
            using (var view = Params.as_strided(p.shape, strides, offsets[i]))
            {
                view.copy_(p);
                p.set_(view);
            }
            g.ExpAvg = ExpAvg.as_strided(p.shape, strides, offsets[i]);
            g.ExpAvgSq = ExpAvgSq.as_strided(p.shape, strides, offsets[i]);
            slots.Add(new Slot(g, offsets[i], Grads.as_strided(p.shape, strides, offsets[i])));
        }
        Slots = slots;
    }

    /// <summary>
    /// Moves every gradient autograd made outside the gradient buffer into its view there (the first backward, or one
    /// after somebody set a gradient to null); notes which tensors have a gradient at all. Throws when a parameter
    /// no longer lives in the parameter buffer.
    /// </summary>
    public void AdoptGradients()
    {
        using var _ = no_grad();
        foreach (var s in Slots)
        {
            if (Address(s.Param) != s.ParamAddress)
                throw new InvalidOperationException($"a parameter of shape [{string.Join(",", s.Param.shape)}] was re-stored after the optimizer was made " +
                                                    "(moved to another device or layout?); make the optimizer after .to(device) and the layout change");
            using var g = s.Param.grad;
            s.HasGrad = g is not null;
            if (g is null || Address(g) == s.GradAddress) continue;
            s.GradView.copy_(g);
            s.Param.grad = s.GradView;
        }
    }

    /// <summary>Where a tensor's first element lives (its storage's data plus its offset): TorchSharp 0.107 exposes no data_ptr.</summary>
    static IntPtr Address(Tensor t) => StorageData(t.Handle) + (nint)(t.storage_offset() * t.ElementSize);

    [System.Runtime.InteropServices.DllImport("LibTorchSharp", EntryPoint = "THSStorage_data_ptr")]
    static extern IntPtr StorageData(IntPtr tensor);

    /// <summary>The parameter's strides when it is dense (contiguous or a permutation such as channels-last), else contiguous ones.</summary>
    static long[] Strides(Tensor p)
    {
        var shape = p.shape;
        var strides = p.stride();
        var dims = Enumerable.Range(0, shape.Length).Where(d => shape[d] != 1).OrderBy(d => strides[d]).ToList();
        long expected = 1;
        var dense = true;
        foreach (var d in dims)
        {
            dense &= strides[d] == expected;
            expected *= shape[d];
        }
        if (dense) return strides;
        var contiguous = new long[shape.Length];
        long acc = 1;
        for (var d = shape.Length - 1; d >= 0; d--) { contiguous[d] = acc; acc *= shape[d]; }
        return contiguous;
    }

    public void Dispose()
    {
        foreach (var s in Slots) s.GradView.Dispose();
        Params.Dispose();
        Grads.Dispose();
        ExpAvg.Dispose();
        ExpAvgSq.Dispose();
    }
}
