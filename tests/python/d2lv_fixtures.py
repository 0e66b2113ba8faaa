#!/usr/bin/python3
"""Test fixtures written by real PyTorch, for the C# readers' tests (not used by the product).

Commands (all write files, print one JSON line on success):
  fixtures --out DIR --width W [--seed S]
           writes pretrained-format files with torch.save and pickle.dump, plus expected.json.
  resnet18 --out F --width W
           a torchvision ResNet-18 state dict: a real checkpoint of the wrong architecture.
  original-load --file F --backbone B --width W
           loads F as the original training code does (torch.load for resnet50, pickle.load(f)['model'] for
           resnet152/ibn, then load_state_dict(strict=False) into torchvision's network) and prints what it got:
           {"error": message} or {"missing", "unexpected", "sums": {name: float64 sum of the loaded value}}.

The model parts come from the product's PyTorch reference, tools/python/d2lv_reference.py (found next to this
file when both are copied to a test's output folder, else in the repository's tools/python/).
"""
import argparse, json, os, pickle, sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [here, os.path.join(here, "..", "..", "tools", "python")]
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
from torchvision.models.resnet import ResNet  # noqa: E402
from d2lv_reference import torchvision_resnet  # noqa: E402


def cmd_fixtures(a):
    torch.manual_seed(a.seed)
    os.makedirs(a.out, exist_ok=True)
    expected = {}

    def backbone_sd(name):
        sd = torchvision_resnet(name, a.width).state_dict()
        for k, v in sd.items():
            if v.dtype == torch.float32:
                v.copy_(torch.randn_like(v))
        return sd

    def note(file, sd):
        expected[file] = {k: float(v.double().sum()) for k, v in sd.items()}

    sd50 = backbone_sd("resnet50")
    torch.save(sd50, os.path.join(a.out, "resnet50_zip.pth"))
    note("resnet50_zip.pth", sd50)
    torch.save(sd50, os.path.join(a.out, "resnet50_legacy.pth"), _use_new_zipfile_serialization=False)
    note("resnet50_legacy.pth", sd50)
    for name in ("resnet152", "ibn"):
        sd = backbone_sd(name)
        for proto in (3, 4):
            for kind in ("tensor", "numpy"):
                model = {k: (v if kind == "tensor" else v.detach().numpy()) for k, v in sd.items()}
                file = f"{name}_p{proto}_{kind}.pkl"
                with open(os.path.join(a.out, file), "wb") as f:
                    pickle.dump({"model": model, "__author__": "fixture", "matching_heuristics": True}, f, protocol=proto)
                note(file, sd)
    # Cases the original loads differently from a plain file (docs/training.md, Pretrained backbones).
    torch.save({"module." + k: v for k, v in sd50.items()}, os.path.join(a.out, "resnet50_module.pth"))
    torch.save({k: v for k, v in sd50.items() if not k.startswith("layer4.2.")}, os.path.join(a.out, "resnet50_partial.pth"))
    torch.save(sd, os.path.join(a.out, "ibn_zip.pth"))  # a torch.save file where the original pickle.loads
    no_counter = {k: v for k, v in sd50.items() if not k.endswith("num_batches_tracked")}
    torch.save(no_counter, os.path.join(a.out, "resnet50_no_counter.pth"))
    note("resnet50_no_counter.pth", no_counter)
    # Views: a storage offset and a non-contiguous stride must be gathered, not read flat.
    base = torch.arange(24, dtype=torch.float32).reshape(4, 6)
    views = {"offset": base.view(-1)[2:5], "transposed": base.t(), "scalar": torch.tensor(7, dtype=torch.int64)}
    torch.save(views, os.path.join(a.out, "views_zip.pth"))
    with open(os.path.join(a.out, "views_p4.pkl"), "wb") as f:
        pickle.dump(views, f, protocol=4)
    expected["views"] = {k: v.flatten().tolist() for k, v in views.items()}
    with open(os.path.join(a.out, "expected.json"), "w") as f:
        json.dump(expected, f)
    print(json.dumps({"files": sorted(os.listdir(a.out))}))


def cmd_resnet18(a):
    """A torchvision ResNet-18 state dict (BasicBlock, no conv3) at stem width `width`: a real checkpoint of the wrong architecture."""
    from torchvision.models.resnet import BasicBlock
    torch.manual_seed(0)
    net = ResNet(BasicBlock, [2, 2, 2, 2])
    net.inplanes = a.width
    net.conv1 = nn.Conv2d(3, a.width, 7, 2, 3, bias=False)
    net.bn1 = nn.BatchNorm2d(a.width)
    net.layer1 = net._make_layer(BasicBlock, a.width, 2)
    net.layer2 = net._make_layer(BasicBlock, a.width * 2, 2, stride=2)
    net.layer3 = net._make_layer(BasicBlock, a.width * 4, 2, stride=2)
    net.layer4 = net._make_layer(BasicBlock, a.width * 8, 2, stride=2)
    sd = {k: v for k, v in net.state_dict().items() if not k.startswith("fc.")}
    torch.save(sd, a.out)
    print(json.dumps({"file": a.out, "keys": len(sd)}))


def cmd_original_load(a):
    """What the original's ResNet.__init__ does with the file (Training/dg/models_gem_waveblock_high_balance)."""
    net = torchvision_resnet(a.backbone, a.width)
    before = {k: v.clone() for k, v in net.state_dict().items()}
    try:
        if a.backbone == "resnet50":
            para = torch.load(a.file, map_location="cpu")
        else:
            with open(a.file, "rb") as f:
                para = pickle.load(f, encoding="utf-8")["model"]
        r = net.load_state_dict(para, strict=False)
    except Exception as e:  # what the original would die of
        print(json.dumps({"error": f"{type(e).__name__}: {e}"}))
        return
    after = net.state_dict()
    print(json.dumps({"missing": r.missing_keys, "unexpected": r.unexpected_keys,
                      "unchanged": [k for k in after if torch.equal(after[k], before[k]) and k in r.missing_keys],
                      "sums": {k: float(v.double().sum()) for k, v in after.items()}}))


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    f = sub.add_parser("fixtures")
    f.add_argument("--out", required=True)
    f.add_argument("--width", type=int, default=8)
    f.add_argument("--seed", type=int, default=0)
    r = sub.add_parser("resnet18")
    r.add_argument("--out", required=True)
    r.add_argument("--width", type=int, default=64)
    o = sub.add_parser("original-load")
    o.add_argument("--file", required=True)
    o.add_argument("--backbone", required=True, choices=["resnet50", "resnet152", "ibn"])
    o.add_argument("--width", type=int, default=8)
    a = p.parse_args()
    {"fixtures": cmd_fixtures, "resnet18": cmd_resnet18, "original-load": cmd_original_load}[a.cmd](a)


if __name__ == "__main__":
    main()
