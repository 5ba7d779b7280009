#!/usr/bin/env python3
"""Checkpoint selection judged on validation users it did not see. Each `nextitem train --json`
run (evaluated every epoch, no patience) records its validation curve with NDCG@10 on the users
at even and at odd places ("validation_curve": [epoch, all, even, odd]). A policy picks an epoch
from one half's curve; the other half's NDCG@10 at that epoch is what the pick is worth; both
ways, averaged. Evaluations are thinned to every STRIDE epochs (the last always kept), as
`--evaluate-every STRIDE` would see them. Test figures are not read.
Usage: scripts/selection_study.py [--stride 5] RUN.json..."""
import json, sys, statistics as st

def smoothed(values, window=3):
    return [st.mean(values[max(0, i - window + 1):i + 1]) for i in range(len(values))]

def first_best(values, patience=None):
    best, at, since = -1.0, 0, 0
    for i, v in enumerate(values):
        if v > best: best, at, since = v, i, 0
        else:
            since += 1
            if patience is not None and since >= patience: break
    return at

POLICIES = {
    "best": lambda v: first_best(v),
    "best, patience 3": lambda v: first_best(v, 3),
    "smoothed": lambda v: first_best(smoothed(v)),
    "smoothed, patience 3": lambda v: first_best(smoothed(v), 3),
    "last": lambda v: len(v) - 1,
}

def held_out(curve, policy):
    """Mean over the two halves of the other half's NDCG@10 at the epoch picked on one."""
    even, odd = [c[2] for c in curve], [c[3] for c in curve]
    return (odd[policy(even)] + even[policy(odd)]) / 2, curve[policy([c[1] for c in curve])][0]

args = sys.argv[1:]
stride = 1
if args[:1] == ["--stride"]: stride, args = int(args[1]), args[2:]
scores = {p: [] for p in POLICIES}
print("run".ljust(34) + "".join(p.rjust(22) for p in POLICIES))
for path in args:
    curve = json.load(open(path))["validation_curve"]
    curve = [c for c in curve if c[0] % stride == 0 or c is curve[-1]]
    cells = []
    for name, policy in POLICIES.items():
        value, epoch = held_out(curve, policy)
        scores[name].append(value)
        cells.append(f"{value:.4f} (ep {int(epoch):3d})")
    print(path.rsplit("/", 1)[-1].removesuffix(".json").ljust(34) + "".join(c.rjust(22) for c in cells))
print("mean".ljust(34) + "".join(f"{st.mean(v):.4f}".rjust(22) for v in scores.values()))
base = scores["best"]
print("ahead / behind best".ljust(34) + "".join(
    f"{sum(a > b for a, b in zip(v, base))} / {sum(a < b for a, b in zip(v, base))} of {len(v)}".rjust(22) for v in scores.values()))
