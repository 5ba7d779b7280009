#!/usr/bin/env python3
"""A ceiling for next-item HR@10 on a W7 synthetic log (`warmstart datasets synth`).

Scores each test target the way the generator draws events, with its own
shares (a repeat of an earlier item in proportion to its count, the last
item's cluster, the user's most visited clusters standing in for its home
clusters, global popularity) and popularity counted on the training part;
item i's cluster is i // cluster_size. No learned model can know this much,
so its HR@10 is about as high as a model can hope to get; the repeat
baseline (the user's most frequent items, ties by popularity) is printed
beside it. The split is Warmstart's leave-last-out (time, then item key,
then file order); seen items stay candidates.

usage: w7_ceiling.py LOG.inter --repeat-share 0.4 [--cluster-size 100] [--window 50]
"""
import argparse
import collections


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("log")
    p.add_argument("--repeat-share", type=float, required=True)
    p.add_argument("--cluster-size", type=int, default=100)
    p.add_argument("--window", type=int, default=50, help="history items the scorer looks at (the model's --max-length)")
    a = p.parse_args()
    # The generator's shares before the repeat share rescales them (SyntheticLogConfig).
    scale = (1 - a.repeat_share) / 0.95
    same, home, popular = 0.5 * scale, 0.25 * scale, 0.2 * scale

    events = collections.defaultdict(list)
    with open(a.log) as f:
        next(f)
        for row, line in enumerate(f):
            user, item, _, time = line.rstrip("\n").split("\t")
            events[user].append((float(time), int(item[1:]), row))
    history, target, counts = {}, {}, collections.Counter()
    for user, evs in events.items():
        evs.sort(key=lambda e: (e[0], e[1], e[2]))
        items = [e[1] for e in evs]
        training = items[:-2] if len(items) >= 3 else items
        counts.update(training)
        if len(items) >= 3:
            history[user], target[user] = items[:-1], items[-1]  # training items and the validation item
    total = sum(counts.values())
    cluster_total = collections.Counter()
    for item, c in counts.items():
        cluster_total[item // a.cluster_size] += c
    by_cluster = collections.defaultdict(list)
    for item in counts:
        by_cluster[item // a.cluster_size].append(item)
    most_popular = [item for item, _ in counts.most_common(50)]

    ceiling = baseline = 0
    for user, t in target.items():
        h = history[user][-a.window:]
        seen, visits, n = collections.Counter(h), collections.Counter(i // a.cluster_size for i in h), len(h)
        last = h[-1] // a.cluster_size
        candidates = set(seen) | set(by_cluster[last]) | set(most_popular)
        for cluster, _ in visits.most_common(3):
            candidates |= set(by_cluster[cluster])

        def score(i):
            within = counts[i] / max(cluster_total[i // a.cluster_size], 1)
            s = a.repeat_share * seen[i] / n + home * within * visits[i // a.cluster_size] / n + popular * counts[i] / total
            return s + (same * within if i // a.cluster_size == last else 0)

        ceiling += t in sorted(candidates, key=score, reverse=True)[:10]
        repeat = sorted(set(history[user]), key=lambda i: (history[user].count(i), counts[i]), reverse=True)[:10]
        baseline += t in repeat
    print(f"users {len(target)}  ceiling HR@10 {ceiling / len(target):.4f}  repeat baseline HR@10 {baseline / len(target):.4f}")


if __name__ == "__main__":
    main()
