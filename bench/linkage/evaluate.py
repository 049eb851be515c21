"""Pairwise precision, recall and F1 of predicted pairs (and of the pairs implied by a
clustering) against a truth file or a truth column.

    evaluate.py --pairs pairs.csv --truth truth.csv [--clusters clusters.csv]
    evaluate.py --pairs pairs.csv --truth-column data.csv id cluster_id [--clusters ...]

Pairs files have id_l,id_r as their first two columns (a match_probability column, if
present, is thresholded at --threshold). Prints one JSON object.
"""

import argparse
import csv
import itertools
import json
from collections import defaultdict


def key(a, b):
    return (a, b) if a <= b else (b, a)


def read_pairs(path, threshold):
    out = set()
    with open(path, newline="") as f:
        r = csv.DictReader(f)
        cols = r.fieldnames
        for row in r:
            p = row.get("match_probability")
            if p not in (None, "") and float(p) < threshold:
                continue
            out.add(key(row[cols[0]], row[cols[1]]))
    return out


def truth_from_file(path):
    with open(path, newline="") as f:
        r = csv.reader(f)
        next(r)
        return {key(a, b) for a, b in r}


def pairs_of_groups(groups):
    out = set()
    for members in groups.values():
        for a, b in itertools.combinations(sorted(members), 2):
            out.add((a, b))
    return out


def truth_from_column(path, id_col, cluster_col):
    groups = defaultdict(list)
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            groups[row[cluster_col]].append(row[id_col])
    return pairs_of_groups(groups)


def cluster_pairs(path):
    groups = defaultdict(list)
    with open(path, newline="") as f:
        r = csv.DictReader(f)
        id_col, cl_col = r.fieldnames[0], r.fieldnames[1]
        for row in r:
            groups[row[cl_col]].append(row[id_col])
    return pairs_of_groups(groups)


def scores(predicted, truth):
    tp = len(predicted & truth)
    p = tp / len(predicted) if predicted else 0.0
    r = tp / len(truth) if truth else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 5), "recall": round(r, 5), "f1": round(f1, 5),
            "predicted": len(predicted), "true": len(truth), "true_positive": tp}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", required=True)
    ap.add_argument("--truth")
    ap.add_argument("--truth-column", nargs=3, metavar=("FILE", "ID", "CLUSTER"))
    ap.add_argument("--clusters")
    ap.add_argument("--threshold", type=float, default=0.5)
    a = ap.parse_args()
    truth = truth_from_file(a.truth) if a.truth else truth_from_column(*a.truth_column)
    result = {"pairs": scores(read_pairs(a.pairs, a.threshold), truth)}
    if a.clusters:
        result["clusters"] = scores(cluster_pairs(a.clusters), truth)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
