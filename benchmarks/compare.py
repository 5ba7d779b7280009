"""Warmstart against the PyTorch / gensim references, side by side, as ../shared/BENCHMARKS.md
("How speed is compared") says: the same workloads, models and counted units, the same thread
budget on both sides, the sides interleaved (A B A B ...) for --runs rounds, every side's
throughput taken as the work of every epoch over the whole training time. Where a speed-minded
PyTorch user has a second way (sparse tables with SparseAdam, W1 and W4), both run, and the
ratio is taken against the faster of the two whose quality matches the dense one. Writes every
run to --out (JSON), then has scripts/speed_table.py rewrite the README's table from that file
(--readme '' to leave the README alone).

Needs the references (never needed by `make test`):
    python3 -m venv .venv-bench && .venv-bench/bin/pip install torch gensim==4.4.0 implicit==0.7.3
    .venv-bench/bin/python benchmarks/compare.py --runs 5

usage: compare.py [--runs 5] [--workloads W1,...,W6] [--threads 2] [--epochs-nextitem 5] [--data FILE] [--out FILE] [--readme README.md]

--data runs W2, W5 and W6 on another interactions file (a W7 log from `warmstart datasets synth`,
or any file Warmstart's `--data` reads; gensim's W2 reads RecBole `.inter` files) on both sides,
instead of ml-100k: the catalogue-size test.
--loss popular --negatives K trains W5 and W6 with the popularity-sampled softmax (log-Q) on both
sides instead of the full one (W7); PyTorch then runs dense and with a sparse item table under
SparseAdam, and the ratio is taken against the faster whose test HR@10 is within 0.02 of the dense.
"""
import argparse, datetime, json, os, platform, statistics, subprocess, sys, tempfile

p = argparse.ArgumentParser()
p.add_argument("--runs", type=int, default=5)
p.add_argument("--workloads", default="W1,W2,W3,W4,W5,W6")
p.add_argument("--threads", type=int, default=2)
p.add_argument("--epochs-nextitem", type=int, default=5, help="epochs of W5/W6 on both sides (throughput counts every epoch)")
p.add_argument("--data", default=None, help="W2/W5/W6 on this interactions file instead of ml-100k (both sides)")
p.add_argument("--loss", choices=["full", "popular"], default="full", help="W5/W6's loss on both sides")
p.add_argument("--negatives", type=int, default=200, help="negatives per batch with --loss popular")
p.add_argument("--warmstart", default=".build/release/warmstart")
p.add_argument("--out", default="benchmarks/results/compare.json")
p.add_argument("--readme", default="README.md", help="README whose speed table is rewritten from --out ('' for none)")
a = p.parse_args()
if a.data and not set(a.workloads.split(",")) <= {"W2", "W5", "W6"}:
    sys.exit("--data is for W2, W5 and W6 alone (add --workloads with those)")
if a.loss != "full" and not set(a.workloads.split(",")) <= {"W5", "W6"}:
    sys.exit("--loss is for W5 and W6 alone (add --workloads W5,W6)")
here = os.path.dirname(os.path.abspath(__file__))
cache = os.environ.get("WARMSTART_DATA") or os.path.join(os.path.expanduser("~"), ".cache", "warmstart")
tmp = tempfile.mkdtemp(prefix="warmstart-compare-")

# Quality that must match between the dense reference and its sparse variant, and how closely.
MATCH = {"W1": ("test_rmse", 0.01), "W4": ("accuracy", 0.01), "W5": ("test_hr@10", 0.02), "W6": ("test_hr@10", 0.02)}

def run(cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout

ratings, loo, sms = f"{tmp}/ratings", f"{tmp}/loo", f"{tmp}/sms"
run([a.warmstart, "datasets", "split", "ml-100k", "--kind", "ratings", "--out", ratings])
run([a.warmstart, "datasets", "split", a.data or "ml-100k", "--kind", "leave-last-out", "--out", loo])
run([a.warmstart, "datasets", "split", "sms-spam", "--out", sms])
ref = lambda s, *args: [sys.executable, os.path.join(here, "reference", s), *args]
t = str(a.threads)
n = str(a.epochs_nextitem)
loss = [] if a.loss == "full" else ["--loss", a.loss, "--negatives", str(a.negatives)]
nextitem = lambda model: {"pytorch": ref("torch_nextitem_w5_w6.py", loo, "--model", model, "--epochs", n, "--threads", t, *loss)} | (
    {"pytorch-sparse": ref("torch_nextitem_w5_w6.py", loo, "--model", model, "--epochs", n, "--threads", t, *loss, "--sparse")} if loss else {})
references = {
    "W1": {"pytorch": ref("torch_mf_w1.py", ratings, "--threads", t),
           "pytorch-sparse": ref("torch_mf_w1.py", ratings, "--threads", t, "--sparse")},
    "W2": {"gensim": ref("gensim_item2vec_w2.py", a.data or f"{cache}/ml-100k/ml-100k.inter", "--workers", t)},
    "W3": {"gensim": ref("gensim_word2vec_w3.py", f"{cache}/kjv/kjv.txt", "--workers", t)},
    "W4": {"pytorch": ref("torch_spam_w4.py", sms, "--threads", t),
           "pytorch-sparse": ref("torch_spam_w4.py", sms, "--threads", t, "--sparse")},
    "W5": nextitem("gru"),
    "W6": nextitem("sasrec"),
    "W8": {"implicit": ref("implicit_als_w8.py", loo, "--threads", t)},
}

def warmstart(w):
    cmd = [a.warmstart, "bench", w, "--json", "--threads", t] + (["--epochs", n] if w in ("W5", "W6") else [])
    cmd += ["--data", a.data] if a.data and w in ("W2", "W5", "W6") else []
    cmd += loss if w in ("W5", "W6") else []
    r = json.loads(run(cmd))[0]
    quality = {k: v for k, v in r["quality"].items() if k != "units_per_epoch"}
    return {"throughput": r["throughput"], "unit": r["unit"], "units_per_epoch": r["quality"]["units_per_epoch"], "quality": quality}

def reference(cmd):
    r = json.loads(run(cmd).strip().splitlines()[-1])
    return {"throughput": r["throughput"], "unit": r["unit"], "units_per_epoch": r["units_per_epoch"], "quality": r["quality"],
            "tool": r["tool"]}

summary = lambda runs, key: statistics.median(r[key] for r in runs)
results = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"), "threads": a.threads, "loss": a.loss,
           "runs": a.runs, "epochs_nextitem": a.epochs_nextitem, "machine": platform.processor() or platform.machine(),
           "cpu": next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?"),
           "command": "python3 benchmarks/compare.py " + " ".join(sys.argv[1:]), "workloads": {}}
print(f"{'workload':9} {'warmstart':>12} {'reference':>22} {'ratio median (min-max)':>24}  quality (warmstart / reference)")
for w in a.workloads.split(","):
    sides = {"warmstart": []} | {name: [] for name in references[w]}
    for _ in range(a.runs):  # interleaved: A B (C) A B (C) ...
        sides["warmstart"].append(warmstart(w))
        for name, cmd in references[w].items():
            sides[name].append(reference(cmd))
    units = {name: {r["units_per_epoch"] for r in runs} for name, runs in sides.items()}
    if len(set().union(*units.values())) != 1:
        sys.exit(f"{w}: the sides count different units per epoch: {units}")
    candidates = list(references[w])
    if w in MATCH and len(candidates) > 1:  # a variant counts only when its quality matches the dense reference's
        key, tolerance = MATCH[w]
        dense = statistics.median(r["quality"][key] for r in sides[candidates[0]])
        candidates = [c for c in candidates if abs(statistics.median(r["quality"][key] for r in sides[c]) - dense) <= tolerance]
    chosen = max(candidates, key=lambda c: summary(sides[c], "throughput"))
    ratios = [o["throughput"] / r["throughput"] for o, r in zip(sides["warmstart"], sides[chosen])]
    quality = lambda runs: {k: statistics.median(r["quality"][k] for r in runs) for k in runs[0]["quality"]}
    entry = {"unit": sides["warmstart"][0]["unit"], "units_per_epoch": sides["warmstart"][0]["units_per_epoch"], "reference": chosen,
             "reference_tool": sides[chosen][0]["tool"], "ratio": {"median": statistics.median(ratios), "min": min(ratios), "max": max(ratios),
             "runs": ratios}, "sides": {name: {"throughput_median": summary(runs, "throughput"), "quality_median": quality(runs),
             "runs": runs} for name, runs in sides.items()}}
    results["workloads"][w] = entry
    q = lambda name: ", ".join(f"{k} {v:.4g}" for k, v in entry["sides"][name]["quality_median"].items())
    print(f"{w:9} {summary(sides['warmstart'], 'throughput'):12.0f} {summary(sides[chosen], 'throughput'):12.0f} {chosen:>9} "
          f"{entry['ratio']['median']:10.2f}x ({entry['ratio']['min']:.2f}-{entry['ratio']['max']:.2f})  {q('warmstart')} / {q(chosen)}")
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    with open(a.out, "w") as f:  # after every workload, so an interrupted run keeps what it measured
        json.dump(results, f, indent=1)
print(f"wrote {a.out}")
if a.readme:
    subprocess.run([sys.executable, os.path.join(here, "..", "scripts", "speed_table.py"), a.out, a.readme], check=True)
