"""Runs Warmstart and the PyTorch / gensim reference on the same workloads, back to back,
several times, with the same thread count, and prints the throughput ratios (median and range).

Needs the references installed (never needed by `make test`):
    python3 -m venv .venv-bench && .venv-bench/bin/pip install torch gensim==4.4.0
    .venv-bench/bin/python benchmarks/compare.py --runs 3

usage: python3 benchmarks/compare.py [--runs 3] [--workloads W1,W2,W3,W4,W5,W6] [--epochs-nextitem 5] [--threads 2]
"""
import argparse, json, os, statistics, subprocess, sys, tempfile

p = argparse.ArgumentParser()
p.add_argument("--runs", type=int, default=3)
p.add_argument("--workloads", default="W1,W2,W3,W4,W5,W6")
p.add_argument("--threads", type=int, default=2)
p.add_argument("--epochs-nextitem", type=int, default=5, help="epochs for W5/W6 on both sides (throughput is per epoch)")
p.add_argument("--warmstart", default=".build/release/warmstart")
a = p.parse_args()
here = os.path.dirname(os.path.abspath(__file__))
cache = os.environ.get("WARMSTART_DATA") or os.path.join(os.path.expanduser("~"), ".cache", "warmstart")
tmp = tempfile.mkdtemp(prefix="warmstart-compare-")

def run(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return out

ratings, loo, sms = f"{tmp}/ratings", f"{tmp}/loo", f"{tmp}/sms"
run([a.warmstart, "datasets", "split", "ml-100k", "--kind", "ratings", "--out", ratings])
run([a.warmstart, "datasets", "split", "ml-100k", "--kind", "leave-last-out", "--out", loo])
run([a.warmstart, "datasets", "split", "sms-spam", "--out", sms])
ref = lambda s: [sys.executable, os.path.join(here, "reference", s)]
references = {
    "W1": ref("torch_mf_w1.py") + [ratings, "--threads", str(a.threads)],
    "W2": ref("gensim_item2vec_w2.py") + [f"{cache}/ml-100k/ml-100k.inter", "--workers", str(a.threads)],
    "W3": ref("gensim_word2vec_w3.py") + [f"{cache}/kjv/kjv.txt", "--workers", str(a.threads)],
    "W4": ref("torch_spam_w4.py") + [sms, "--threads", str(a.threads)],
    "W5": ref("torch_nextitem_w5_w6.py") + [loo, "--model", "gru", "--epochs", str(a.epochs_nextitem), "--threads", str(a.threads)],
    "W6": ref("torch_nextitem_w5_w6.py") + [loo, "--model", "sasrec", "--epochs", str(a.epochs_nextitem), "--threads", str(a.threads)],
}
print(f"{'workload':9} {'warmstart':>14} {'reference':>14} {'ratio median (min-max)':>26}")
for w in a.workloads.split(","):
    ours, theirs = [], []
    for _ in range(a.runs):
        cmd = [a.warmstart, "bench", w, "--json", "--threads", str(a.threads)]
        if w in ("W5", "W6"): cmd += ["--epochs", str(a.epochs_nextitem)]
        ours.append(json.loads(run(cmd))[0]["throughput"])
        r = json.loads(run(references[w]).strip().splitlines()[-1])
        theirs.append(r.get("throughput") or r.get("examples_per_second") or r.get("tokens_per_second"))
    ratios = [o / t for o, t in zip(ours, theirs)]
    print(f"{w:9} {statistics.median(ours):14.0f} {statistics.median(theirs):14.0f} "
          f"{statistics.median(ratios):10.2f}x ({min(ratios):.2f}-{max(ratios):.2f})")
