"""BENCHMARKS.md W8 in `implicit` 0.7.3: implicit-feedback ALS with its conjugate-gradient solver
on ml-100k, the reference Warmstart's `pretrain als` is compared with.

Reads the leave-last-out split `warmstart datasets split ml-100k --kind leave-last-out` writes
(train.tsv, validation.tsv, test.tsv: user, item, rating, timestamp). Every distinct training
(user, item) pair is a positive. Warmstart's confidence of a positive is 1 + alpha (Hu et al.);
`implicit`'s is its alpha times the value, so it runs with alpha + 1 on a binary matrix: the
same model. 64 factors, 15 iterations, 3 CG steps, the same threads. Quality: user · item over
the full catalogue, the user's training items excluded, HR@10 / NDCG@10 on the test targets.
Prints one JSON line: training pairs per second over every sweep (the units both sides count),
iterations per second, and test quality. --count-only prints the pairs per sweep only.

usage: python3 implicit_als_w8.py SPLIT_FOLDER [--threads 2] [--alpha 4] [--regularization 0.01] [--seed 0] [--count-only]
"""
import argparse, json, math, time

p = argparse.ArgumentParser()
p.add_argument("split")
p.add_argument("--threads", type=int, default=2)
p.add_argument("--alpha", type=float, default=4.0, help="Warmstart's alpha: confidence 1 + alpha")
p.add_argument("--regularization", type=float, default=0.01)
p.add_argument("--factors", type=int, default=64)
p.add_argument("--iterations", type=int, default=15)
p.add_argument("--seed", type=int, default=0)
p.add_argument("--count-only", action="store_true")
a = p.parse_args()

def read(name):
    with open(f"{a.split}/{name}") as f:
        next(f)
        return [line.rstrip("\n").split("\t")[:2] for line in f]

train, test = read("train.tsv"), read("test.tsv")
users = {u: k for k, u in enumerate(sorted({u for u, _ in train + test}))}
items = {i: k for k, i in enumerate(sorted({i for _, i in train + test}))}
pairs = sorted({(users[u], items[i]) for u, i in train})
if a.count_only:
    print(json.dumps({"units_per_epoch": len(pairs)}))
    raise SystemExit

import numpy as np, scipy.sparse as sp
from threadpoolctl import threadpool_limits
import implicit
from implicit.als import AlternatingLeastSquares

rows, cols = zip(*pairs)
user_items = sp.csr_matrix((np.ones(len(pairs), dtype=np.float32), (rows, cols)), shape=(len(users), len(items)))
with threadpool_limits(1, "blas"):  # implicit's own threads do the work; BLAS threads would oversubscribe
    model = AlternatingLeastSquares(factors=a.factors, regularization=a.regularization, alpha=a.alpha + 1, iterations=a.iterations,
                                    num_threads=a.threads, random_state=a.seed, use_gpu=False)
    start = time.perf_counter()
    model.fit(user_items, show_progress=False)
    seconds = time.perf_counter() - start
scores = np.asarray(model.user_factors) @ np.asarray(model.item_factors).T
seen = user_items.tolil().rows
hits = ndcg = 0.0
for u, i in test:
    u, i = users[u], items[i]
    row = scores[u].copy()
    target = row[i]
    row[seen[u]] = -np.inf
    rank = 1 + int(np.sum(row > target))
    if rank <= 10:
        hits += 1
        ndcg += 1 / math.log2(rank + 1)
print(json.dumps({"tool": f"implicit {implicit.__version__}", "throughput": len(pairs) * a.iterations / seconds, "unit": "pairs/s",
                  "units_per_epoch": len(pairs), "quality": {"test_hr@10": hits / len(test), "test_ndcg@10": ndcg / len(test),
                                                             "iterations_per_second": a.iterations / seconds}}))
