#!/usr/bin/python3
"""An independent reference of the ISC 2021 matching-track metrics, for the C# implementation's tests.

usage: isc_metrics_reference.py PREDICTIONS_CSV GROUND_TRUTH_CSV
prints one JSON line: the metrics and the precision-recall curve.

Definitions (the challenge's): every prediction in one list ranked by descending score, a false match before a true
one at equal scores; a prediction is true when its (query, reference) pair is in the ground truth (also when its query
is not in the ground truth at all: then it is false); precision and recall at every cut of the list, recall over the
number of ground-truth pairs; average precision = sum of precision x recall step; recall at P90 = best recall with
precision >= 0.9 (0 if none); recall at rank k = share of ground-truth pairs whose score is beaten-or-tied by fewer
than k other predictions of its query.
"""
import csv
import json
import sys

import numpy as np


def read_rows(path, header):
    with open(path, newline="") as f:
        rows = [[cell.strip() for cell in row] for row in csv.reader(f) if any(cell.strip() for cell in row)]
    if not rows or rows[0] != header:
        raise SystemExit(f"{path}: header {header} expected")
    return rows[1:]


def main(pred_path, gt_path):
    gt_rows = read_rows(gt_path, ["query_id", "reference_id"])
    queries = {q for q, _ in gt_rows}
    positives = {(q, r) for q, r in gt_rows if r != ""}
    references = {r for _, r in positives}
    preds = read_rows(pred_path, ["query_id", "reference_id", "score"])
    qs = [q for q, _, _ in preds]
    rs = [r for _, r, _ in preds]
    scores = np.array([float(s) for _, _, s in preds], dtype=np.float64)
    labels = np.array([(q, r) in positives for q, r in zip(qs, rs)], dtype=bool)

    # lexsort sorts by the last key first: descending score, then false (0) before true (1).
    order = np.lexsort((labels.astype(np.int8), -scores))
    hits = labels[order].astype(np.int64)
    tp = np.cumsum(hits)
    precision = tp / np.arange(1, len(hits) + 1)
    recall = tp / len(positives)
    # AP as the mean over ground-truth pairs of the precision where each is found (0 for those never found).
    ap = float(precision[hits == 1].sum() / len(positives))

    reach = precision >= 0.9
    r90 = float(recall[reach].max()) if reach.any() else 0.0
    t90 = float(scores[order][reach][np.argmax(recall[reach])]) if reach.any() else None

    per_query = {}
    for q, r, s in zip(qs, rs, scores):
        per_query.setdefault(q, {})[r] = s
    rank1 = rank10 = 0
    for q, r in positives:
        mine = per_query.get(q, {})
        if r not in mine:
            continue
        others_at_least = sum(1 for other, s in mine.items() if other != r and s >= mine[r])
        rank1 += others_at_least < 1
        rank10 += others_at_least < 10

    print(json.dumps({
        "average_precision": ap,
        "recall_at_p90": r90,
        "threshold_at_p90": t90,
        "recall_at_rank1": rank1 / len(positives),
        "recall_at_rank10": rank10 / len(positives),
        "queries": len(queries),
        "references": len(references),
        "ground_truth_pairs": len(positives),
        "predictions": len(preds),
        "predictions_of_unknown_queries": sum(q not in queries for q in qs),
        "precisions": precision.tolist(),
        "recalls": recall.tolist(),
        "thresholds": scores[order].tolist(),
    }))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    main(sys.argv[1], sys.argv[2])
