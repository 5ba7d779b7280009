"""BENCHMARKS.md W4 in PyTorch: mean of token embeddings (dim 64) -> Linear 64x64 -> ReLU ->
Linear 64x1, binary cross-entropy on logits, Adam lr 0.001, batch 64, 10 epochs. Reads the
split written by `warmstart datasets split sms-spam --out DIR` (stratified 80/20, seed 0);
vocabulary from the training part; unknown tokens share one row. (Warmstart holds a tenth of the
training part out for its threshold; here all of it trains, with threshold 0.5.)

usage: python3 torch_spam_w4.py SPLIT_DIR [--threads 2] [--epochs 10]
"""
import argparse, json, re, time

import torch

p = argparse.ArgumentParser()
p.add_argument("split")
p.add_argument("--threads", type=int, default=2)
p.add_argument("--epochs", type=int, default=10)
p.add_argument("--seed", type=int, default=0)
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(a.seed)

def load(path):
    rows = [l.rstrip("\n").split("\t", 1) for l in open(path, encoding="utf-8")]
    return [r[1] for r in rows], [1.0 if r[0] == "spam" else 0.0 for r in rows]

tokens = lambda t: [w for w in re.split(r"[^0-9a-z]+", t.lower()) if w]
train_texts, train_y = load(f"{a.split}/train.tsv")
test_texts, test_y = load(f"{a.split}/test.tsv")
vocab = {"<unk>": 0}
for t in train_texts:
    for w in tokens(t): vocab.setdefault(w, len(vocab))
def bags(texts):
    ids, offsets = [], []
    for t in texts:
        offsets.append(len(ids)); ids += [vocab.get(w, 0) for w in tokens(t)]
    return torch.tensor(ids, dtype=torch.long), torch.tensor(offsets, dtype=torch.long)

class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.bag = torch.nn.EmbeddingBag(len(vocab), 64, mode="mean")
        self.mlp = torch.nn.Sequential(torch.nn.Linear(64, 64), torch.nn.ReLU(), torch.nn.Linear(64, 1))
    def forward(self, ids, offsets): return self.mlp(self.bag(ids, offsets)).squeeze(1)

model = Model()
opt = torch.optim.Adam(model.parameters(), lr=0.001)
y = torch.tensor(train_y)
start = time.time()
for epoch in range(a.epochs):
    order = torch.randperm(len(train_texts)).tolist()
    for s in range(0, len(order), 64):
        b = order[s:s + 64]
        ids, offsets = bags([train_texts[i] for i in b])
        loss = torch.nn.functional.binary_cross_entropy_with_logits(model(ids, offsets), y[b])
        opt.zero_grad(); loss.backward(); opt.step()
seconds = time.time() - start
with torch.no_grad():
    p_test = torch.sigmoid(model(*bags(test_texts)))
accuracy = float(((p_test >= 0.5).float() == torch.tensor(test_y)).float().mean())
print(json.dumps({"workload": "W4", "tool": "pytorch " + torch.__version__, "threads": a.threads, "seconds": seconds,
                  "throughput": len(train_texts) * a.epochs / seconds, "unit": "examples/s", "test_accuracy": accuracy}))
