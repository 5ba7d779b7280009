"""BENCHMARKS.md W4 in PyTorch: mean of token embeddings (dim 64) -> Linear 64x64 -> ReLU ->
Linear 64x1, binary cross-entropy on logits, Adam lr 0.001, batch 64, 10 epochs. Reads the
split written by `warmstart datasets split sms-spam --out DIR`: trains on fit.tsv, the same
messages Warmstart fits (its validation.tsv only picks Warmstart's threshold; here the
threshold is 0.5); vocabulary from fit + validation (the training part); unknown tokens
share one row. Texts are tokenised once, before training, as a speed-minded user does.
With --sparse, the bag is `nn.EmbeddingBag(sparse=True)` trained by `SparseAdam` and the
MLP by Adam. Prints one JSON line: training examples per second over the whole training
time (every epoch), and test quality. --count-only prints the examples per epoch
without importing torch.

usage: python3 torch_spam_w4.py SPLIT_DIR [--threads 2] [--epochs 10] [--sparse] [--count-only]
"""
import argparse, json, re, time

p = argparse.ArgumentParser()
p.add_argument("split")
p.add_argument("--threads", type=int, default=2)
p.add_argument("--epochs", type=int, default=10)
p.add_argument("--seed", type=int, default=0)
p.add_argument("--sparse", action="store_true")
p.add_argument("--count-only", action="store_true")
a = p.parse_args()

def load(path):
    rows = [l.rstrip("\n").split("\t", 1) for l in open(path, encoding="utf-8")]
    return [r[1] for r in rows], [1.0 if r[0] == "spam" else 0.0 for r in rows]

fit_texts, fit_y = load(f"{a.split}/fit.tsv")
if a.count_only:
    print(json.dumps({"workload": "W4", "units_per_epoch": len(fit_texts)})); raise SystemExit
import torch
torch.set_num_threads(a.threads)
torch.manual_seed(a.seed)
validation_texts, _ = load(f"{a.split}/validation.tsv")
test_texts, test_y = load(f"{a.split}/test.tsv")
tokens = lambda t: [w for w in re.split(r"[^0-9a-z]+", t.lower()) if w]
vocab = {"<unk>": 0}
for t in fit_texts + validation_texts:
    for w in tokens(t): vocab.setdefault(w, len(vocab))
encode = lambda texts: [torch.tensor([vocab.get(w, 0) for w in tokens(t)], dtype=torch.long) for t in texts]
fit_bags, test_bags = encode(fit_texts), encode(test_texts)
def batch(bags):
    lengths = torch.tensor([len(b) for b in bags])
    return torch.cat(bags), torch.cumsum(lengths, 0) - lengths

class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.bag = torch.nn.EmbeddingBag(len(vocab), 64, mode="mean", sparse=a.sparse)
        self.mlp = torch.nn.Sequential(torch.nn.Linear(64, 64), torch.nn.ReLU(), torch.nn.Linear(64, 1))
    def forward(self, ids, offsets): return self.mlp(self.bag(ids, offsets)).squeeze(1)

model = Model()
if a.sparse:
    optimizers = [torch.optim.SparseAdam(model.bag.parameters(), lr=0.001), torch.optim.Adam(model.mlp.parameters(), lr=0.001)]
else:
    optimizers = [torch.optim.Adam(model.parameters(), lr=0.001)]
y = torch.tensor(fit_y)
start = time.time()
for epoch in range(a.epochs):
    order = torch.randperm(len(fit_bags)).tolist()
    for s in range(0, len(order), 64):
        b = order[s:s + 64]
        loss = torch.nn.functional.binary_cross_entropy_with_logits(model(*batch([fit_bags[i] for i in b])), y[b])
        for o in optimizers: o.zero_grad()
        loss.backward()
        for o in optimizers: o.step()
seconds = time.time() - start
with torch.no_grad():
    predicted = torch.sigmoid(model(*batch(test_bags))) >= 0.5
truth = torch.tensor(test_y) == 1
tp = int((predicted & truth).sum()); fp = int((predicted & ~truth).sum()); fn = int((~predicted & truth).sum())
f1 = 2 * tp / max(2 * tp + fp + fn, 1)
print(json.dumps({"workload": "W4", "tool": "pytorch " + torch.__version__ + (" sparse" if a.sparse else ""), "threads": a.threads,
                  "units_per_epoch": len(fit_bags), "seconds": seconds, "throughput": len(fit_bags) * a.epochs / seconds,
                  "unit": "examples/s", "quality": {"accuracy": float((predicted == truth).float().mean()), "spam_f1": f1}}))
