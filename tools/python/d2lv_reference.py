#!/usr/bin/python3
"""PyTorch reference for the C# D2LV model (docs/recipe.md, Network), built from torchvision's ResNet parts.

Commands (all write files, print one JSON line on success):
  check    --file F --backbone B --width W --classes C [--trimmed] [--input X.npy --out F.npy]
           load F data-only (load_weights: no pickled code runs); refuse NaN/Inf weights; load its state_dict with strict=True (a checkpoint's optimizer and lr_scheduler
           into torch.optim.Adam / LambdaLR too); optionally write eval-mode features of X.
Used by Verify (check_many.py) and by the test suite, whose own fixture writers import it.
"""
import argparse, io, json, math, os, pickle, sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torchvision.models.resnet import ResNet, Bottleneck

BLOCKS = {"resnet50": [3, 4, 6, 3], "resnet152": [3, 8, 36, 3], "ibn": [3, 4, 6, 3]}


class IBN(nn.Module):
    def __init__(self, planes):
        super().__init__()
        self.half = planes // 2
        self.IN = nn.InstanceNorm2d(self.half, affine=True)
        self.BN = nn.BatchNorm2d(planes - self.half)

    def forward(self, x):
        a, b = torch.split(x, [self.half, x.shape[1] - self.half], 1)
        return torch.cat([self.IN(a.contiguous()), self.BN(b.contiguous())], 1)


class GeM(nn.Module):
    def __init__(self, p=3.0, eps=1e-6):
        super().__init__()
        self.p = nn.Parameter(torch.ones(1) * p)
        self.eps = eps

    def forward(self, x):
        return F.avg_pool2d(x.clamp(min=self.eps).pow(self.p), (x.size(-2), x.size(-1))).pow(1.0 / self.p).flatten(1)


class Waveblock(nn.Module):
    def forward(self, x):  # eval-mode reference only
        return x


def torchvision_resnet(backbone, width):
    """torchvision's ResNet/Bottleneck at stem width `width`, layer4 with stride 1 (docs/recipe.md, Network)."""
    layers = BLOCKS[backbone]
    net = ResNet(Bottleneck, layers)
    net.inplanes = width
    net.conv1 = nn.Conv2d(3, width, 7, 2, 3, bias=False)
    net.bn1 = nn.BatchNorm2d(width)
    net.layer1 = net._make_layer(Bottleneck, width, layers[0])
    net.layer2 = net._make_layer(Bottleneck, width * 2, layers[1], stride=2)
    net.layer3 = net._make_layer(Bottleneck, width * 4, layers[2], stride=2)
    net.layer4 = net._make_layer(Bottleneck, width * 8, layers[3], stride=1)
    if backbone == "ibn":
        for layer in (net.layer1, net.layer2, net.layer3):
            for block in layer:
                block.bn1 = IBN(block.bn1.num_features)
    del net.fc
    return net


class D2LV(nn.Module):
    def __init__(self, backbone, width, classes, hidden, out):
        super().__init__()
        r = torchvision_resnet(backbone, width)
        wave = Waveblock()
        self.base = nn.Sequential(r.conv1, r.bn1, r.maxpool, r.relu, r.layer1, r.layer2, wave, r.layer3, wave, r.layer4, GeM())
        feat = width * 32
        self.pieces = 0 if classes == 0 else 4
        for i in range(self.pieces):
            setattr(self, f"classifier_{i}", nn.Linear(out, classes // 4, bias=False))
        bn = nn.BatchNorm1d(out)
        bn.bias.requires_grad_(False)
        self.projector_feat_bn = nn.Sequential(
            nn.Sequential(nn.Linear(feat, hidden), nn.BatchNorm1d(hidden), nn.LeakyReLU(0.2), nn.Linear(hidden, out)), bn)

    def forward(self, x):
        return self.base(x)


class _AllowListUnpickler(pickle.Unpickler):
    """pickle's own Unpickler, but find_class hands out only what a weights file needs: pickle calls nothing
    that find_class did not return, so a __reduce__ payload (os.system, eval, ...) is refused, never run.
    (torch's UnpicklerWrapper resolves the storage classes before asking this one.)"""
    ALLOWED = {("collections", "OrderedDict"), ("torch._utils", "_rebuild_tensor"), ("torch._utils", "_rebuild_tensor_v2"),
               ("torch._utils", "_rebuild_parameter"), ("_codecs", "encode")}

    def find_class(self, module, name):
        if (module, name) not in self.ALLOWED:
            raise pickle.UnpicklingError(f"refused pickle global {module}.{name}: not a weights file (it would run code)")
        return super().find_class(module, name)


class _AllowListPickle:
    """A pickle_module for torch.load: the allow-list Unpickler above."""
    Unpickler = _AllowListUnpickler
    __name__ = "allow_list_pickle"

    @staticmethod
    def load(f, **kw):
        return _AllowListUnpickler(f, **kw).load()


def load_weights(path):
    """torch.load that never executes what is in the file: weights_only=True, and where this torch's weights-only
    unpickler lacks an opcode the file uses (torch 1.13 has no BINFLOAT, which every optimizer state holds),
    the same idea through pickle's Unpickler with an allow-list of globals."""
    try:
        return torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as e:
        if "Unsupported operand" not in str(e):
            raise
    return torch.load(path, map_location="cpu", pickle_module=_AllowListPickle)


def cmd_check(a):
    obj = load_weights(a.file)
    sd = obj["state_dict"] if "state_dict" in obj else obj
    bad = [k for k, v in sd.items() if torch.is_tensor(v) and v.is_floating_point() and not bool(torch.isfinite(v).all())]
    if bad:
        raise ValueError(f"{len(bad)} tensor(s) hold NaN or infinite values, e.g. {', '.join(bad[:5])}")
    model = D2LV(a.backbone, a.width, 0 if a.trimmed else a.classes, a.hidden, a.proj_out)
    model.load_state_dict(sd, strict=True)
    result = {"keys": len(sd)}
    if "optimizer" in obj:
        params = [p for p in model.parameters() if p.requires_grad]
        opt = torch.optim.Adam([{"params": [p]} for p in params], lr=3.5e-4)
        opt.load_state_dict(obj["optimizer"])
        loaded_lr = opt.param_groups[0]["lr"]
        sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda e: 1.0)
        sched.load_state_dict(obj["lr_scheduler"])
        # One real step proves the state is usable, not just parseable.
        model.train()
        loss = model(torch.randn(4, 3, 32, 32)).pow(2).mean()
        loss.backward()
        opt.step()
        result.update(epoch=obj["epoch"], groups=len(opt.param_groups), lr=loaded_lr,
                      last_epoch=sched.last_epoch, steps=int(opt.state[params[0]]["step"]))
    if "scaler" in obj:  # fp16 runs: torch.cuda.amp.GradScaler.state_dict()'s entries
        result["scaler"] = {k: obj["scaler"][k] for k in ("scale", "growth_factor", "backoff_factor", "growth_interval", "_growth_tracker")}
    if a.input:
        model.load_state_dict(sd, strict=True)
        model.eval()
        with torch.no_grad():
            f = model(torch.from_numpy(np.load(a.input)))
        np.save(a.out, f.numpy().astype(np.float32))
        result["features"] = list(f.shape)
    print(json.dumps(result))


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("check")
    c.add_argument("--file", required=True)
    c.add_argument("--backbone", required=True, choices=sorted(BLOCKS))
    c.add_argument("--width", type=int, default=64)
    c.add_argument("--classes", type=int, default=0)
    c.add_argument("--hidden", type=int, default=4096)
    c.add_argument("--proj-out", type=int, default=8192)
    c.add_argument("--trimmed", action="store_true")
    c.add_argument("--input")
    c.add_argument("--out")
    a = p.parse_args()
    {"check": cmd_check}[a.cmd](a)


if __name__ == "__main__":
    main()
