#!/usr/bin/python3
"""The original training code's view of a dataset folder and of a checkpoint, for the label-order tests (not used by
the product).

The original's dataset classes (Training/dg/datasets/isc_100k_256_big*.py) list the images with glob(folder/'*g'),
sort the full paths, take the identity from the name's text before the first '_' and label identities 0, 1, ... in
the order they first appear. Its training script saves after every epoch torch.save of {'state_dict':
model.state_dict(), 'epoch': e+1, 'optimizer': Adam's state_dict, 'lr_scheduler': LambdaLR's state_dict}, Adam
with one group per trainable tensor in named_parameters() order. Logits are classifier_0..3 concatenated, so label L
is row L of the four weights stacked.

Commands (print one JSON line on success):
  original-labels --folder DIR
         {"ids": the ids in the original's label order, "images": how many files it took}.
  original-checkpoint --folder DIR --out F --backbone B --width W --hidden H --proj-out O
         F = a checkpoint as the original saves one after its first epoch, for the identities of DIR; classifier row
         of identity X holds X/100 everywhere. Prints {"ids": [...]}.
  original-rows --folder DIR --file F
         reads checkpoint F; {"rows": {X: mean of the classifier row the original's order gives identity X}}.
"""
import argparse, json, os, sys
from glob import glob

here = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [here, os.path.join(here, "..", "..", "tools", "python")]
import torch  # noqa: E402
from d2lv_reference import D2LV, load_weights  # noqa: E402


def original_labels(folder):
    ids, labels = [], {}
    paths = sorted(glob(os.path.join(folder, "*g")))
    for path in paths:
        pid = int(os.path.basename(path).split("_")[0])
        if pid not in labels:
            labels[pid] = len(labels)
            ids.append(pid)
    return ids, len(paths)


def stacked_classifier(sd):
    return torch.cat([sd[f"classifier_{i}.weight"] for i in range(4)], 0)


def cmd_labels(a):
    ids, images = original_labels(a.folder)
    print(json.dumps({"ids": ids, "images": images}))


def cmd_write(a):
    ids, _ = original_labels(a.folder)
    torch.manual_seed(11)
    model = D2LV(a.backbone, a.width, len(ids), a.hidden, a.proj_out)
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.Adam([{"params": [p]} for p in params], lr=3.5e-4)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda=lambda e: 0.01 + 0.99 * e / 5)
    for p in params:
        p.grad = torch.zeros_like(p)
    optimizer.step()  # Adam's state exists for every tensor, as after a real epoch (here all zero)
    scheduler.step()
    tags = torch.tensor(ids, dtype=torch.float32) / 100
    per_piece = len(ids) // 4
    with torch.no_grad():
        for i in range(4):
            weight = getattr(model, f"classifier_{i}").weight
            rows = tags[i * per_piece:(i + 1) * per_piece, None].expand_as(weight)
            weight.copy_(rows)
    torch.save({"state_dict": model.state_dict(), "epoch": 1, "optimizer": optimizer.state_dict(),
                "lr_scheduler": scheduler.state_dict()}, a.out)
    print(json.dumps({"ids": ids}))


def cmd_rows(a):
    ids, _ = original_labels(a.folder)
    weights = stacked_classifier(load_weights(a.file)["state_dict"])
    if weights.shape[0] != len(ids):
        raise ValueError(f"{a.file}: {weights.shape[0]} classifier rows, {len(ids)} identities in {a.folder}")
    print(json.dumps({"rows": {str(x): float(weights[label].double().mean()) for label, x in enumerate(ids)}}))


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    sub.add_parser("original-labels").add_argument("--folder", required=True)
    w = sub.add_parser("original-checkpoint")
    w.add_argument("--folder", required=True)
    w.add_argument("--out", required=True)
    w.add_argument("--backbone", default="resnet50")
    w.add_argument("--width", type=int, required=True)
    w.add_argument("--hidden", type=int, required=True)
    w.add_argument("--proj-out", type=int, required=True)
    r = sub.add_parser("original-rows")
    r.add_argument("--folder", required=True)
    r.add_argument("--file", required=True)
    a = p.parse_args()
    {"original-labels": cmd_labels, "original-checkpoint": cmd_write, "original-rows": cmd_rows}[a.cmd](a)


if __name__ == "__main__":
    main()
