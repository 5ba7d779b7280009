"""BENCHMARKS.md W2 in gensim: item2vec on ml-100k, the reference Warmstart is compared with.

Same split (each user's interactions sorted by (timestamp, item id); last = test,
one before = validation, rest = training), same settings (dim 64, window 5, 5
negatives, unigram^0.75 noise, no subsampling, lr 0.025 -> 0.0001, 20 epochs),
same metric (the last training item's 10 nearest neighbours by cosine over the
full catalogue, the user's training items excluded; HR@10 and NDCG@10 on the test
target). Prints one JSON line: training tokens per second over the whole training time (every
epoch), and test quality. --count-only prints the tokens per epoch without importing gensim.

Any RecBole `.inter` file with user, item, rating and timestamp columns works (a W7 log from
`warmstart datasets synth`): ties in time are broken as Warmstart breaks them, numeric item keys
by value before other keys by their text, then file order.

usage: python3 gensim_item2vec_w2.py ML100K_INTER_FILE [--workers 2] [--seed 1] [--count-only]
"""
import argparse, json, math, time
from collections import defaultdict

p = argparse.ArgumentParser()
p.add_argument("inter")
p.add_argument("--workers", type=int, default=2)
p.add_argument("--seed", type=int, default=1)
p.add_argument("--epochs", type=int, default=20)
p.add_argument("--count-only", action="store_true")
a = p.parse_args()

events = defaultdict(list)
with open(a.inter) as f:
    next(f)
    for line in f:
        u, i, r, t = line.rstrip("\n").split("\t")
        events[u].append((float(t), (0, int(i), "") if i.lstrip("-").isdigit() else (1, 0, i), i))
train, test = {}, {}
for u, ev in events.items():
    ev.sort(key=lambda e: (e[0], e[1]))
    items = [e[2] for e in ev]
    if len(items) >= 3:  # as Warmstart's split: users with fewer than 3 events keep them all in training, no target
        train[u], test[u] = items[:-2], items[-1]
    else:
        train[u] = items
sentences = list(train.values())
tokens = sum(len(s) for s in sentences)
if a.count_only:
    print(json.dumps({"workload": "W2", "units_per_epoch": tokens})); raise SystemExit
import numpy as np
from gensim.models import Word2Vec

model = Word2Vec(vector_size=64, window=5, negative=5, ns_exponent=0.75, sample=0, min_count=1, sg=1,
                 alpha=0.025, min_alpha=0.0001, workers=a.workers, seed=a.seed)
model.build_vocab(sentences)
start = time.time()
model.train(sentences, total_examples=len(sentences), epochs=a.epochs)
seconds = time.time() - start

kv = model.wv
unit = kv.vectors / np.maximum(np.linalg.norm(kv.vectors, axis=1, keepdims=True), 1e-12)
hits = ndcg = 0.0
for u, target in test.items():
    history = train[u]
    if target not in kv.key_to_index or not history:
        continue
    scores = unit @ unit[kv.key_to_index[history[-1]]]
    seen = [kv.key_to_index[i] for i in set(history) if i in kv.key_to_index]
    t = kv.key_to_index[target]
    target_score = scores[t]
    scores[seen] = -np.inf
    scores[t] = -np.inf
    rank = int((scores >= target_score).sum()) + 1
    if rank <= 10:
        hits += 1
        ndcg += 1 / math.log2(rank + 1)
users = len(test)
import gensim
print(json.dumps({"workload": "W2", "tool": "gensim " + gensim.__version__, "threads": a.workers, "seed": a.seed, "units_per_epoch": tokens,
                  "seconds": seconds, "throughput": tokens * a.epochs / seconds, "unit": "tokens/s",
                  "quality": {"test_hr@10": hits / users, "test_ndcg@10": ndcg / users}}))
