#!/usr/bin/python3
"""An independent PyTorch training step for the C# trainer's tests, written from the recipe (docs/recipe.md, Trainer).

Commands (print one JSON line on success):
  step --dir D --dtype float32|float64
       reads D/weights.pth (the model's state_dict), D/x.npy (the batch), D/meta.json (labels, Waveblock band starts per
       step/shard/call, architecture and optimiser settings); runs len(bands) training steps and writes D/out_<dtype>.pth:
       {"loss", "ce", "tri": [steps] tensors, "grad.<name>": first step's gradients, "after.<name>": state_dict after}.
  schedule --epochs E --warmup W --start S --constant K --lr LR
       the learning rate LambdaLR gives in every epoch (stepped after each epoch), and its factor.
  sampler --counts JSON --per-id P --ids-per-batch B --batches-per-epoch N --epochs E --seed S
       the batches (label, image) the recipe's identity sampler gives, epoch after epoch.

The architecture (names, torchvision parts) comes from tools/python/d2lv_reference.py; the training-mode parts, what the
C# trainer does, are written here afresh: Waveblock with given bands, 4-shard BatchNorm whose running statistics only
shard 0 updates (nn.DataParallel's replicas), both losses, Adam with a group per tensor.
"""
import argparse, json, math, os, random, sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [here, os.path.join(here, "..", "..", "tools", "python")]
import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch.nn.utils.stateless import functional_call  # noqa: E402
from d2lv_reference import D2LV, load_weights  # noqa: E402


class GivenWaveblock(nn.Module):
    """Rows sx … sx+rh−1 (rh = round(ratio·h)) stay, the rest of the map is multiplied by factor; sx comes from `starts`."""

    def __init__(self, ratio, factor):
        super().__init__()
        self.ratio, self.factor, self.starts = ratio, factor, iter(())

    def forward(self, x):
        h = x.shape[2]
        rh = round(self.ratio * h)
        sx = next(self.starts)
        assert 0 <= sx <= h - rh, (sx, h, rh)
        mask = torch.full((1, 1, h, 1), self.factor, dtype=x.dtype, device=x.device)
        mask[:, :, sx:sx + rh] = 1
        return x * mask


class Net(D2LV):
    """f and the projector's output of one shard; the classifier runs on the gathered batch, as in the original."""

    def forward(self, x):
        f = self.base(x)
        return f, self.projector_feat_bn(f)

    @classmethod
    def with_waveblock(cls, backbone, width, classes, hidden, out, wave_ratio, wave_factor):
        """The network with one GivenWaveblock shared by both positions (after layer2 and layer3), as `net.wave`."""
        net = cls(backbone, width, classes, hidden, out)
        net.wave = GivenWaveblock(wave_ratio, wave_factor)
        net.base[6] = net.base[8] = net.wave
        return net


def sharded(net, x, shards, bands):
    """nn.DataParallel semantics: each shard normalises with its own batch statistics and draws its own bands; the
    module's running statistics are replica 0's, so shards 1… update throw-away copies of the buffers."""
    fs, zs = [], []
    for i, chunk in enumerate(x.chunk(shards, 0)):
        net.wave.starts = iter(bands[i])
        if i == 0:
            f, z = net(chunk)
        else:
            state = dict(net.named_parameters())
            state.update({k: v.clone() for k, v in net.named_buffers()})
            f, z = functional_call(net, state, (chunk,))
        fs.append(f)
        zs.append(z)
    f, z = torch.cat(fs), torch.cat(zs)
    logits = torch.cat([getattr(net, f"classifier_{i}")(z) for i in range(net.pieces)], 1)
    return f, logits


def soft_triplet(f, y):
    """Batch-hard soft-margin triplet on Euclidean distances: mean softplus(hardest positive − hardest negative)."""
    d = (f.unsqueeze(1) - f.unsqueeze(0)).pow(2).sum(2).clamp_min(1e-12).sqrt()
    same = y.unsqueeze(1) == y.unsqueeze(0)
    dap = d.masked_fill(~same, float("-inf")).max(1).values
    dan = d.masked_fill(same, float("inf")).min(1).values
    return F.softplus(dap - dan).mean()


def adam(net, lr, betas, eps, weight_decay):
    """torch.optim.Adam over the trainable parameters, one group per tensor (as the original builds them)."""
    return torch.optim.Adam([{"params": [p]} for p in net.parameters() if p.requires_grad], lr=lr, betas=betas, eps=eps,
                            weight_decay=weight_decay)


def train_step(net, opt, x, y, shards, bands, ce_weight, tri_weight, label_smoothing, before_update=None):
    """One step: sharded forward, ce_weight·smoothed CE + tri_weight·soft triplet, backward, Adam. Returns the losses."""
    f, logits = sharded(net, x, shards, bands)
    ce = F.cross_entropy(logits, y, label_smoothing=label_smoothing)
    tri = soft_triplet(f, y)
    loss = ce_weight * ce + tri_weight * tri
    opt.zero_grad()
    loss.backward()
    if before_update:
        before_update()
    opt.step()
    return loss, ce, tri


def cmd_step(a):
    meta = json.load(open(os.path.join(a.dir, "meta.json")))
    dtype = getattr(torch, a.dtype)
    torch.set_default_dtype(dtype)
    net = Net.with_waveblock(meta["backbone"], meta["width"], meta["classes"], meta["hidden"], meta["out"],
                             meta["wave_ratio"], meta["wave_factor"])
    net.load_state_dict(load_weights(os.path.join(a.dir, "weights.pth")), strict=True)
    net = net.to(dtype).train()
    x = torch.from_numpy(np.load(os.path.join(a.dir, "x.npy"))).to(dtype)
    y = torch.tensor(meta["labels"], dtype=torch.int64)
    trainable = [(k, p) for k, p in net.named_parameters() if p.requires_grad]
    opt = adam(net, meta["lr"], (meta["beta1"], meta["beta2"]), meta["eps"], meta["weight_decay"])
    out = {"loss": [], "ce": [], "tri": []}
    for step, bands in enumerate(meta["bands"]):
        loss, ce, tri = train_step(net, opt, x, y, meta["shards"], bands, meta["ce_weight"], meta["tri_weight"],
                                   meta["label_smoothing"], before_update=None if step else lambda: out.update(
                                       {"grad." + k: p.grad.detach().clone() for k, p in trainable}))
        for name, v in (("loss", loss), ("ce", ce), ("tri", tri)):
            out[name].append(float(v))
    result = {k: torch.tensor(v, dtype=torch.float64) for k, v in out.items() if not k.startswith("grad.")}
    result.update({k: v for k, v in out.items() if k.startswith("grad.")})
    result.update({"after." + k: v.detach().clone() for k, v in net.state_dict().items()})
    torch.save(result, os.path.join(a.dir, f"out_{a.dtype}.pth"))
    print(json.dumps({"loss": out["loss"], "tensors": len(result)}))


def cmd_schedule(a):
    def factor(e):  # the recipe's f(e): linear warm-up, flat, then half-cosine to the last epoch
        if e < a.warmup:
            return a.start + (1 - a.start) * e / a.warmup
        if e < a.constant:
            return 1.0
        return 0.5 * (1 + math.cos(math.pi * (e - a.constant) / (a.epochs - a.constant)))

    p = nn.Parameter(torch.zeros(1))
    opt = torch.optim.Adam([{"params": [p]}], lr=a.lr)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, factor)
    lrs = []
    for _ in range(a.epochs):
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    print(json.dumps({"lr": lrs, "factor": [factor(e) for e in range(a.epochs)]}))


def cmd_sampler(a):
    """Per pass: shuffle the ids; each id with 2+ images gives one random image, then per_id−1 more distinct ones (with
    replacement where it has too few); consecutive groups form batches, the incomplete last one is dropped. Each epoch
    starts a new pass (the original makes a new DataLoader iterator per epoch); a pass that runs out starts another."""
    counts = json.loads(a.counts)
    rng = random.Random(a.seed)
    batch = a.per_id * a.ids_per_batch

    def one_pass():
        ids = list(range(len(counts)))
        rng.shuffle(ids)
        flat = []
        for i in ids:
            n = counts[i]
            if n < 2:
                continue
            first = rng.randrange(n)
            others = [j for j in range(n) if j != first]
            more = rng.sample(others, a.per_id - 1) if len(others) >= a.per_id - 1 else rng.choices(others, k=a.per_id - 1)
            flat += [[i, first]] + [[i, j] for j in more]
        return [flat[b * batch:(b + 1) * batch] for b in range(len(flat) // batch)]

    epochs = []
    for _ in range(a.epochs):
        batches, current = [], []
        while len(batches) < a.batches_per_epoch:
            if not current:
                current = one_pass()
            batches.append(current.pop(0))
        epochs.append(batches)
    print(json.dumps({"epochs": epochs}))


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("step")
    s.add_argument("--dir", required=True)
    s.add_argument("--dtype", choices=["float32", "float64"], default="float32")
    c = sub.add_parser("schedule")
    c.add_argument("--epochs", type=int, required=True)
    c.add_argument("--warmup", type=int, required=True)
    c.add_argument("--start", type=float, required=True)
    c.add_argument("--constant", type=int, required=True)
    c.add_argument("--lr", type=float, required=True)
    m = sub.add_parser("sampler")
    m.add_argument("--counts", required=True)
    m.add_argument("--per-id", type=int, required=True)
    m.add_argument("--ids-per-batch", type=int, required=True)
    m.add_argument("--batches-per-epoch", type=int, required=True)
    m.add_argument("--epochs", type=int, required=True)
    m.add_argument("--seed", type=int, default=0)
    a = p.parse_args()
    {"step": cmd_step, "schedule": cmd_schedule, "sampler": cmd_sampler}[a.cmd](a)


if __name__ == "__main__":
    main()
