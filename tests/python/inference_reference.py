"""Independent numpy references for the descriptor side of evaluation (tests only).

  pca TRAIN.npy X.npy DIMS EPS OUT.npy   whitening learned on TRAIN applied to X, in float64, written as float32
  search Q.npy R.npy K                   brute-force top-k inner-product search; prints JSON {"query", "reference", "score"}
"""
import json
import sys

import numpy as np


def l2(rows):
    return rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)


def pca(train_path, x_path, dims, eps, out_path):
    train = np.load(train_path).astype(np.float64)
    x = np.load(x_path).astype(np.float64)
    mean = train.mean(axis=0)
    centred = train - mean
    cov = centred.T @ centred / (train.shape[0] - 1)
    values, vectors = np.linalg.eigh(cov)
    order = np.argsort(values)[::-1][:dims]
    values, vectors = values[order], vectors[:, order]
    for j in range(dims):  # the sign that makes the largest-magnitude component positive
        if vectors[np.argmax(np.abs(vectors[:, j])), j] < 0:
            vectors[:, j] = -vectors[:, j]
    projection = vectors / np.sqrt(values + eps)
    np.save(out_path, l2((x - mean) @ projection).astype(np.float32))
    print(json.dumps({"ok": True}))


def search(q_path, r_path, k):
    q = np.load(q_path).astype(np.float64)
    r = np.load(r_path).astype(np.float64)
    scores = q @ r.T
    out = {"query": [], "reference": [], "score": []}
    for i in range(q.shape[0]):
        # lexsort: the last key is the primary one: score descending, then reference index ascending
        order = np.lexsort((np.arange(r.shape[0]), -scores[i]))[:k]
        out["query"] += [i] * len(order)
        out["reference"] += [int(j) for j in order]
        out["score"] += [float(scores[i, j]) for j in order]
    print(json.dumps(out))


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "pca":
        pca(sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5]), sys.argv[6])
    elif mode == "search":
        search(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        sys.exit(f"unknown mode {mode}")
