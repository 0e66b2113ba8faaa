using TorchSharp;
using static TorchSharp.torch;

namespace Isc.Training.Data;

/// <summary>
/// Puts prepared batches on the training device: the pixels as uint8, normalised there (<see cref="ImagePipeline.Normalize(Tensor)"/>'s
/// arithmetic, so the same bits), and the labels.
/// On the CPU a batch's arrays are used directly, as before. On CUDA a batch goes through a small ring of page-locked
/// (pinned) host slots, each copied to the device with a non-blocking copy: copying from pageable memory makes libtorch
/// wait for the device (a synchronisation per copy), from pinned memory the copy is queued on the stream and the host
/// goes on preparing the next step.
/// </summary>
/// <remarks>
/// When a slot may be overwritten: its copy was queued, not done, so the host must know it finished before writing the
/// slot again. TorchSharp 0.107 has no CUDA events or streams, so each slot has a one-byte pinned flag: the host sets it
/// to 0, then, after the slot's copies, queues a non-blocking device→host copy of a device byte 1 into it. Copies on
/// one stream run in order, so a flag that reads 1 means the slot's copies are done. A slot is reused only when its flag
/// reads 1, or after a synchronisation of the device (which finishes everything queued); the flag is only a way to skip
/// that synchronisation, and nothing depends on when the host sees the byte change. With a few slots the flag is
/// normally set long before reuse: the host can queue only so many kernels ahead of the device, less than a step.
/// Not run on a GPU yet; the CPU tests run the same ring with unpinned slots.
/// </remarks>
public sealed class DeviceBatches : IDisposable
{
    sealed class Slot(Tensor pixels, Tensor labels, Tensor copied) : IDisposable
    {
        public Tensor Pixels { get; } = pixels;
        public Tensor Labels { get; } = labels;
        /// <summary>1 once the slot's last copies are done (0 while they may still read it).</summary>
        public Tensor Copied { get; } = copied;
        public bool Queued { get; set; }

        public void Dispose() { Pixels.Dispose(); Labels.Dispose(); Copied.Dispose(); }
    }

    readonly Device device;
    readonly int size;
    readonly Slot[] slots;
    readonly Tensor? one, scale, bias;
    readonly Action synchronize;
    long next;

    public Device Device => device;

    /// <summary>Whether batches go through the slot ring (true on CUDA).</summary>
    public bool Staged => slots.Length > 0;

    public int SlotCount => slots.Length;

    /// <summary>
    /// Whether a slot whose flag reads 1 is reused without a synchronisation (default). False: every reuse of a slot
    /// queued since the last synchronisation synchronises first (the plain pool-with-a-sync-on-reuse, for comparison).
    /// </summary>
    public bool UseCopyFlags { get; init; } = true;

    /// <summary>Times a slot was reused before its flag said its copy was done, so the device was synchronised first.</summary>
    public long Synchronisations { get; private set; }

    /// <param name="device">The training device.</param>
    /// <param name="batchSize">Images per batch (the slots' size).</param>
    /// <param name="size">Image side S.</param>
    /// <param name="slotCount">Slots in the ring (CUDA).</param>
    /// <param name="staged">Use the ring: default on CUDA only. Tests use it on the CPU, where the slots are not pinned (pinning needs CUDA).</param>
    /// <param name="synchronize">Waits for everything queued on the device (default: torch.cuda.synchronize; tests count calls).</param>
    public DeviceBatches(Device device, int batchSize, int size, int slotCount = 3, bool? staged = null, Action? synchronize = null)
    {
        this.device = device;
        this.size = size;
        this.synchronize = synchronize ?? (() => cuda.synchronize(device));
        if (!(staged ?? device.type == DeviceType.CUDA))
        {
            slots = [];
            return;
        }
        if (slotCount < 1) throw new ArgumentOutOfRangeException(nameof(slotCount), slotCount, "at least one slot");
        var pin = device.type == DeviceType.CUDA;
        Tensor Host(long[] shape, ScalarType type)
        {
            using var t = zeros(shape, type);
            return (pin ? t.pin_memory() : t.clone()).DetachFromDisposeScope();
        }
        slots = [.. Enumerable.Range(0, slotCount).Select(_ => new Slot(Host([batchSize, 3, size, size], ScalarType.Byte), Host([batchSize], ScalarType.Int64), Host([1], ScalarType.Byte)))];
        one = ones(1, ScalarType.Byte, device).DetachFromDisposeScope();
        // Made once: a tensor from a managed array is copied from pageable memory, which would synchronise every step.
        (scale, bias) = ImagePipeline.NormalizationOn(device);
        scale.DetachFromDisposeScope();
        bias.DetachFromDisposeScope();
    }

    /// <summary>The batch on the device: normalised float32 [N, 3, S, S] pixels and int64 [N] labels (on the current dispose scope).</summary>
    public (Tensor Pixels, Tensor Labels) Put(Batch b)
    {
        var shape = new long[] { b.Count, 3, size, size };
        if (!Staged)
        {
            using var scope = NewDisposeScope();
            var x = ImagePipeline.Normalize(tensor(b.Pixels, shape).to(device));
            var y = tensor(b.Labels).to(device);
            return (x.MoveToOuterDisposeScope(), y.MoveToOuterDisposeScope());
        }
        var slot = slots[next++ % slots.Length];
        if (b.Count != slot.Labels.shape[0]) throw new ArgumentException($"a batch of {b.Count} images in slots of {slot.Labels.shape[0]}");
        if (slot.Queued && !(UseCopyFlags && slot.Copied.item<byte>() == 1))
        {
            synchronize();
            Synchronisations++;
            foreach (var s in slots) s.Queued = false;
        }
        using (var pixels = tensor(b.Pixels, shape)) slot.Pixels.copy_(pixels);
        using (var labels = tensor(b.Labels)) slot.Labels.copy_(labels);
        using (var inner = NewDisposeScope())
        {
            var xb = slot.Pixels.to(device, copy: true, non_blocking: true);
            var y = slot.Labels.to(device, copy: true, non_blocking: true);
            // Set to 0 only now: the flag's previous copy is done (it read 1, or the device was synchronised).
            slot.Copied.zero_();
            slot.Copied.copy_(one!, nonBlocking: true);
            slot.Queued = true;
            var x = ImagePipeline.Normalize(xb, scale!, bias!);
            return (x.MoveToOuterDisposeScope(), y.MoveToOuterDisposeScope());
        }
    }

    public void Dispose()
    {
        foreach (var s in slots) s.Dispose();
        one?.Dispose();
        scale?.Dispose();
        bias?.Dispose();
    }
}
