"""BENCHMARKS.md W1 in PyTorch: explicit matrix factorization, the reference Warmstart is compared with.

dim 64, user and item biases and the training mean; loss = batch-mean squared error
+ 1e-4 x the sum over the batch's examples of (user vector^2 + item vector^2 + both
biases^2); embeddings N(0, 0.01^2), biases 0; Adam lr 0.01, batch 1024, 20 epochs.
Reads the split written by `warmstart datasets split ml-100k --kind ratings --out DIR`.
With --sparse, the tables are `nn.Embedding(sparse=True)` trained by `SparseAdam` (what a
speed-minded PyTorch user picks: only the rows a batch touches are updated, as in
Warmstart); without it, dense tables and Adam. Prints one JSON line: training examples
per second over the whole training time (every epoch) and test RMSE. --count-only prints
the training examples per epoch without importing torch.

usage: python3 torch_mf_w1.py SPLIT_DIR [--threads 2] [--seed 0] [--sparse] [--count-only]
"""
import argparse, json, time

p = argparse.ArgumentParser()
p.add_argument("split")
p.add_argument("--threads", type=int, default=2)
p.add_argument("--seed", type=int, default=0)
p.add_argument("--epochs", type=int, default=20)
p.add_argument("--sparse", action="store_true")
p.add_argument("--count-only", action="store_true")
a = p.parse_args()

def load(path):
    rows = [l.rstrip("\n").split("\t") for l in open(path)][1:]
    return [r[0] for r in rows], [r[1] for r in rows], [float(r[2]) for r in rows]

tu, ti, tr = load(f"{a.split}/train.tsv")
if a.count_only:
    print(json.dumps({"workload": "W1", "units_per_epoch": len(tr)})); raise SystemExit
import torch
torch.set_num_threads(a.threads)
torch.manual_seed(a.seed)
su, si, sr = load(f"{a.split}/test.tsv")
users = {k: n for n, k in enumerate(sorted(set(tu + su)))}
items = {k: n for n, k in enumerate(sorted(set(ti + si)))}
U = torch.tensor([users[k] for k in tu]); I = torch.tensor([items[k] for k in ti]); R = torch.tensor(tr)
mean = R.mean()

class MF(torch.nn.Module):
    def __init__(self):
        super().__init__()
        table = lambda n, d: torch.nn.Embedding(n, d, sparse=a.sparse)
        self.p = table(len(users), 64); self.q = table(len(items), 64)
        self.bu = table(len(users), 1); self.bi = table(len(items), 1)
        for e in (self.p, self.q): torch.nn.init.normal_(e.weight, 0, 0.01)
        for e in (self.bu, self.bi): torch.nn.init.zeros_(e.weight)
    def forward(self, u, i):
        p, q, bu, bi = self.p(u), self.q(i), self.bu(u).squeeze(1), self.bi(i).squeeze(1)
        return mean + bu + bi + (p * q).sum(1), (p.pow(2).sum() + q.pow(2).sum() + bu.pow(2).sum() + bi.pow(2).sum())

model = MF()
opt = (torch.optim.SparseAdam if a.sparse else torch.optim.Adam)(model.parameters(), lr=0.01)
start = time.time()
for epoch in range(a.epochs):
    order = torch.randperm(len(R))
    for s in range(0, len(R), 1024):
        b = order[s:s + 1024]
        pred, reg = model(U[b], I[b])
        loss = ((pred - R[b]) ** 2).mean() + 1e-4 * reg
        opt.zero_grad(); loss.backward(); opt.step()
seconds = time.time() - start
with torch.no_grad():
    pred, _ = model(torch.tensor([users[k] for k in su]), torch.tensor([items[k] for k in si]))
    rmse = float(((pred - torch.tensor(sr)) ** 2).mean().sqrt())
print(json.dumps({"workload": "W1", "tool": "pytorch " + torch.__version__ + (" sparse" if a.sparse else ""), "threads": a.threads,
                  "seed": a.seed, "units_per_epoch": len(R), "throughput": len(R) * a.epochs / seconds, "unit": "examples/s",
                  "seconds": seconds, "quality": {"test_rmse": rmse}}))
