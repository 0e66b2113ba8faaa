#!/usr/bin/python3
"""The PyTorch side of bench/side-by-side.sh: the D2LV train step of tests/python/training_reference.py (4-shard
BatchNorm shard after shard, Waveblock, 10·smoothed CE + soft triplet, Adam with a group per tensor), timed.

Prints one JSON line: {"side", "ms": [per measured step], "peak_mb" (VmHWM), "cuda_allocated_mb" (on CUDA), ...}.
bf16 follows the harness's mixed precision: autocast over the backbone only, GeM in fp32 (autocast's rule for pow), the
projector, classifier and losses in fp32 (docs/training.md, Speed options (opt-in; off in the paper profile)).
"""
import argparse, json, os, random, sys, time

here = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(here, "..", "..", "tests", "python")]
import torch  # noqa: E402
from training_reference import Net, adam, train_step  # noqa: E402


class MixedNet(Net):
    """Net whose backbone runs under autocast when `compute` is a reduced type; f is handed on in fp32."""
    compute = None

    def forward(self, x):
        if self.compute is None:
            return super().forward(x)
        with torch.autocast(x.device.type, dtype=self.compute):
            f = self.base(x)
        f = f.float()
        return f, self.projector_feat_bn(f)


def stride2(h):  # conv1 (7, pad 3), the max-pool and the first 3x3 of layer2/layer3 (pad 1), all stride 2
    return (h - 1) // 2 + 1


def bands(rng, shards, size, ratio):
    """A Waveblock band start per shard for each call: after layer2 (size/8) and after layer3 (size/16)."""
    h2 = stride2(stride2(stride2(size)))
    heights = (h2, stride2(h2))
    return [[rng.randint(0, h - round(ratio * h)) for h in heights] for _ in range(shards)]


def peak_resident_mb():
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmHWM:")) / 1024


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    p.add_argument("--width", type=int, default=8)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--classes", type=int, default=1000)
    p.add_argument("--size", type=int, default=64)
    p.add_argument("--steps", type=int, default=5)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--precision", default="fp32", choices=["fp32", "bf16"])
    p.add_argument("--channels-last", action="store_true")
    p.add_argument("--threads", type=int, required=True)
    p.add_argument("--onednn", choices=["on", "off"], required=True)
    a = p.parse_args()
    if a.device == "cuda" and not torch.cuda.is_available():
        sys.exit("side_by_side.py: --device cuda, but this PyTorch sees no CUDA device")
    torch.set_num_threads(a.threads)
    torch.backends.mkldnn.enabled = a.onednn == "on"
    torch.manual_seed(0)
    dev = torch.device(a.device)
    # The paper profile's settings (src/Isc.Recipe/Profiles.cs): projector width·64 → width·128, 4 images per id.
    shards, per_id, ratio = 4, 4, 0.3
    net = MixedNet.with_waveblock("resnet50", a.width, a.classes, a.width * 64, a.width * 128, ratio, 1.5)
    net.compute = torch.bfloat16 if a.precision == "bf16" else None
    layout = torch.channels_last if a.channels_last else torch.contiguous_format
    net = net.to(dev, memory_format=layout).train()
    opt = adam(net, 3.5e-4, (0.9, 0.999), 1e-8, 0)
    x = torch.randn(a.batch, 3, a.size, a.size, device=dev).contiguous(memory_format=layout)
    y = torch.tensor([i // per_id % a.classes for i in range(a.batch)], device=dev)
    rng = random.Random(0)
    ms = []
    for i in range(a.warmup + a.steps):
        if a.device == "cuda":
            torch.cuda.synchronize()
        t0 = time.perf_counter()
        loss, _, _ = train_step(net, opt, x, y, shards, bands(rng, shards, a.size, ratio), 10.0, 1.0, 0.1)
        float(loss)  # waits for the step, as the harness's step does when it reads its loss
        if i >= a.warmup:
            ms.append((time.perf_counter() - t0) * 1000)
    cuda = {"cuda_allocated_mb": torch.cuda.max_memory_allocated() / 2**20} if a.device == "cuda" else {}
    print(json.dumps({"side": "pytorch", "version": torch.__version__, "threads": torch.get_num_threads(),
                      "onednn": torch.backends.mkldnn.enabled, "ms": ms, "peak_mb": peak_resident_mb(),
                      "loss": float(loss), **cuda}))


if __name__ == "__main__":
    main()
