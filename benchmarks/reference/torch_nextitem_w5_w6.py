"""BENCHMARKS.md W5 (GRU) and W6 (SASRec) in PyTorch on ml-100k, leave-last-out.

Item embedding dim 64 (padding row 0, tied output table), the last 51 training items of each
user as one sequence (inputs = first 50, next item predicted at every position), full softmax
cross-entropy over the catalogue, Adam lr 0.001, batch 128 users. W5: one GRU layer, hidden 64.
W6: 2 pre-norm transformer blocks, 1 head, hidden 64, dropout 0.2, learned positions, causal and
padding masks. Evaluation: test target, history = training + validation item (last 50), full
ranking, training items excluded. Reads `warmstart datasets split ml-100k --kind leave-last-out --out DIR`.
Written as a speed-minded PyTorch user writes it, as Warmstart does the same work: the windows
are built once before training, and logits are computed only at positions with a target
(`h[mask] @ E.T`), not at padding. (The output table is the input table, so its gradient is
dense: `sparse=True` with SparseAdam does not apply.) Prints one JSON line: positions per
second over the whole training time (every epoch), and test quality. --count-only prints the
positions per epoch without importing torch.

--loss popular --negatives K: Warmstart's `--loss popular` (W7): per batch, K negatives shared by
its positions, drawn with replacement in proportion to training popularity (count + 1), every
logit less log(K q(item)) (log-Q), a drawn item that is a position's own target masked out.
Scores come from embedding lookups of the targets and the drawn items, so with --sparse (the
item table as a sparse embedding under SparseAdam, the rest under Adam, as a speed-minded user
with a big catalogue writes it) only the touched rows are updated. Evaluation ranks the full
catalogue either way.

usage: python3 torch_nextitem_w5_w6.py SPLIT_DIR --model gru|sasrec [--epochs N] [--threads 2]
       [--loss full|popular] [--negatives 200] [--sparse] [--count-only]
"""
import argparse, json, math, time
from collections import defaultdict

p = argparse.ArgumentParser()
p.add_argument("split")
p.add_argument("--model", default="gru")
p.add_argument("--epochs", type=int, default=None)
p.add_argument("--threads", type=int, default=2)
p.add_argument("--seed", type=int, default=0)
p.add_argument("--loss", choices=["full", "popular"], default="full")
p.add_argument("--negatives", type=int, default=200)
p.add_argument("--sparse", action="store_true", help="sparse item table under SparseAdam (--loss popular only)")
p.add_argument("--count-only", action="store_true")
a = p.parse_args()
if a.sparse and a.loss != "popular":
    p.error("--sparse needs --loss popular (the full softmax's output gradient is dense)")
T, D = 50, 64

def rows(path):
    return [l.rstrip("\n").split("\t") for l in open(path)][1:]
train, validation, test = defaultdict(list), {}, {}
items = {}
for u, i, *_ in rows(f"{a.split}/train.tsv"):
    train[u].append(items.setdefault(i, len(items) + 1))
for u, i, *_ in rows(f"{a.split}/validation.tsv"): validation[u] = items.setdefault(i, len(items) + 1)
for u, i, *_ in rows(f"{a.split}/test.tsv"): test[u] = items.setdefault(i, len(items) + 1)
N = len(items) + 1
users = [u for u in train if len(train[u]) >= 2]
if a.count_only:
    print(json.dumps({"workload": "W5" if a.model == "gru" else "W6", "units_per_epoch": sum(min(len(train[u]), T + 1) - 1 for u in users)}))
    raise SystemExit
import torch
torch.set_num_threads(a.threads)
torch.manual_seed(a.seed)

def window(seq):
    seq = seq[-(T + 1):]
    x, y = seq[:-1], seq[1:]
    pad = T - len(x)
    return [0] * pad + x, [-100] * pad + y

class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.items = torch.nn.Embedding(N, D, padding_idx=0, sparse=a.sparse)
        torch.nn.init.normal_(self.items.weight, 0, 0.1)
        with torch.no_grad(): self.items.weight[0].zero_()
        if a.model == "gru":
            self.gru = torch.nn.GRU(D, D, batch_first=True)
        else:
            self.positions = torch.nn.Embedding(T, D)
            layer = torch.nn.TransformerEncoderLayer(D, 1, dim_feedforward=D, dropout=0.2, batch_first=True, norm_first=True)
            self.blocks = torch.nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
            self.norm = torch.nn.LayerNorm(D)
            self.dropout = torch.nn.Dropout(0.2)
    def forward(self, x):
        e = self.items(x)
        if a.model == "gru":
            h, _ = self.gru(e)
        else:
            h = self.dropout(e * math.sqrt(D) + self.positions.weight[None, T - x.shape[1]:])
            h = h * (x != 0).unsqueeze(-1)
            causal = torch.triu(torch.ones(x.shape[1], x.shape[1], dtype=torch.bool), 1)
            h = self.norm(self.blocks(h, mask=causal, src_key_padding_mask=(x == 0)))
        return h

model = Model()
if a.sparse:
    dense = [q for n, q in model.named_parameters() if n != "items.weight"]
    optimizers = [torch.optim.SparseAdam([model.items.weight], lr=0.001), torch.optim.Adam(dense, lr=0.001)]
else:
    optimizers = [torch.optim.Adam(model.parameters(), lr=0.001)]
epochs = a.epochs or (100 if a.model == "gru" else 200)
if a.loss == "popular":
    counts = torch.ones(N, dtype=torch.float64); counts[0] = 0
    for u in users: counts += torch.bincount(torch.tensor(train[u]), minlength=N).double()
    q = (counts / counts.sum()).float()
    logq = torch.log(a.negatives * q.double()).float()

def loss_of(h, y):
    if a.loss == "full":
        return torch.nn.functional.cross_entropy(h @ model.items.weight.T, y)
    drawn = torch.multinomial(q, a.negatives, replacement=True)
    positive = (h * model.items(y)).sum(-1) - logq[y]
    negative = (h @ model.items(drawn).T - logq[drawn]).masked_fill(drawn[None, :] == y[:, None], -1e9)
    logits = torch.cat([positive[:, None], negative], 1)
    return torch.nn.functional.cross_entropy(logits, torch.zeros(len(y), dtype=torch.long))

windows = [window(train[u]) for u in users]
X = torch.tensor([w[0] for w in windows]); Y = torch.tensor([w[1] for w in windows])
positions = 0
start = time.time()
for epoch in range(epochs):
    model.train()
    order = torch.randperm(len(users))
    for s in range(0, len(order), 128):
        b = order[s:s + 128]
        y = Y[b]; mask = y >= 0
        loss = loss_of(model(X[b])[mask], y[mask])
        for o in optimizers: o.zero_grad()
        loss.backward()
        for o in optimizers: o.step()
        positions += int(mask.sum())
seconds = time.time() - start
model.eval()
hits = ndcg = 0.0
with torch.no_grad():
    evaluated = [u for u in train if u in test]
    for s in range(0, len(evaluated), 256):
        chunk = evaluated[s:s + 256]
        hist = [(train[u] + [validation[u]])[-T:] for u in chunk]
        x = torch.tensor([[0] * (T - len(h)) + h for h in hist])
        scores = model(x)[:, -1, :] @ model.items.weight.T
        scores[:, 0] = -float("inf")
        for r, u in enumerate(chunk):
            sc = scores[r].clone(); t = test[u]; target = sc[t].item()
            sc[list(set(train[u]))] = -float("inf"); sc[t] = -float("inf")
            rank = int((sc >= target).sum()) + 1
            if rank <= 10: hits += 1; ndcg += 1 / math.log2(rank + 1)
print(json.dumps({"workload": "W5" if a.model == "gru" else "W6", "tool": "pytorch " + torch.__version__ + (" sparse" if a.sparse else ""),
                  "loss": "full" if a.loss == "full" else f"sampled-popular-{a.negatives}", "threads": a.threads,
                  "epochs": epochs, "units_per_epoch": positions // epochs, "seconds": seconds, "throughput": positions / seconds,
                  "unit": "positions/s", "quality": {"test_hr@10": hits / len(evaluated), "test_ndcg@10": ndcg / len(evaluated)}}))
