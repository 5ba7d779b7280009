"""BENCHMARKS.md W3 in gensim: word2vec on the KJV text (dim 100, window 5, 5 negatives,
subsampling 1e-3, min count 5, 5 epochs), tokenized as Warmstart does (lower-case, split on
anything that is not a letter or a digit). Prints one JSON line: words per second (corpus
words kept after min count, times epochs, over the whole training time). --count-only prints
the words kept per epoch without importing gensim.

usage: python3 gensim_word2vec_w3.py KJV_TXT [--workers 2] [--epochs 5] [--count-only]
"""
import argparse, json, re, time
from collections import Counter

p = argparse.ArgumentParser()
p.add_argument("kjv")
p.add_argument("--workers", type=int, default=2)
p.add_argument("--epochs", type=int, default=5)
p.add_argument("--seed", type=int, default=1)
p.add_argument("--count-only", action="store_true")
a = p.parse_args()
sentences = [[w for w in re.split(r"[^0-9a-z]+", line.lower()) if w] for line in open(a.kjv, encoding="utf-8")]
counts = Counter(w for s in sentences for w in s)
kept = sum(n for n in counts.values() if n >= 5)
if a.count_only:
    print(json.dumps({"workload": "W3", "units_per_epoch": kept})); raise SystemExit
import gensim
from gensim.models import Word2Vec
model = Word2Vec(vector_size=100, window=5, negative=5, sample=1e-3, min_count=5, sg=1, workers=a.workers, seed=a.seed)
model.build_vocab(sentences)
assert kept == sum(1 for s in sentences for w in s if w in model.wv.key_to_index)
start = time.time()
model.train(sentences, total_examples=len(sentences), epochs=a.epochs)
seconds = time.time() - start
print(json.dumps({"workload": "W3", "tool": "gensim " + gensim.__version__, "threads": a.workers, "units_per_epoch": kept,
                  "seconds": seconds, "throughput": kept * a.epochs / seconds, "unit": "words/s", "quality": {}}))
