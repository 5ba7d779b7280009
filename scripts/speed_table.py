"""Writes the README's workload speed table from benchmarks/compare.py's JSON, between the
markers `<!-- speed-table:begin -->` and `<!-- speed-table:end -->`, so that the table is never
edited by hand: each ratio (median and range over interleaved runs) beside the quality of the
same runs, on both sides.

usage: python3 scripts/speed_table.py [benchmarks/results/compare.json] [README.md]
"""
import json, sys

results_path = sys.argv[1] if len(sys.argv) > 1 else "benchmarks/results/compare.json"
readme_path = sys.argv[2] if len(sys.argv) > 2 else "README.md"
r = json.load(open(results_path))

NAMES = {"W1": "W1 MF", "W2": "W2 item2vec", "W3": "W3 word2vec, KJV", "W4": "W4 spam detector",
         "W5": "W5 GRU next-item", "W6": "W6 SASRec next-item"}
TARGETS = {"W1": "1.5x", "W2": "1.0x", "W3": "1.0x", "W4": "1.5x", "W5": "1.5x", "W6": "1.5x"}
QUALITY = {"test_rmse": "RMSE", "test_hr@10": "HR@10", "accuracy": "acc.", "spam_f1": "F1"}

def rate(x):
    return f"{x / 1e6:.2f}M" if x >= 1e6 else f"{x / 1e3:.0f}k" if x >= 1e4 else f"{x / 1e3:.1f}k"

def quality(q):
    shown = [f"{QUALITY[k]} {v:.3f}" for k, v in q.items() if k in QUALITY]
    return ", ".join(shown) if shown else "–"

rows = ["| workload (unit) | Warmstart | reference | ratio, median (range) | quality: Warmstart / reference | target |",
        "| --- | --- | --- | --- | --- | --- |"]
for w, e in r["workloads"].items():
    ours, theirs = e["sides"]["warmstart"], e["sides"][e["reference"]]
    others = [f"{name} {rate(s['throughput_median'])}" for name, s in e["sides"].items() if name not in ("warmstart", e["reference"])]
    reference = f"{e['reference_tool']} {rate(theirs['throughput_median'])}" + (f" (not chosen: {', '.join(others)})" if others else "")
    ratio = e["ratio"]
    rows.append(f"| {NAMES.get(w, w)} ({e['unit']}) | {rate(ours['throughput_median'])} | {reference} | "
                f"{ratio['median']:.2f}x ({ratio['min']:.2f}–{ratio['max']:.2f}) | "
                f"{quality(ours['quality_median'])} / {quality(theirs['quality_median'])} | {TARGETS.get(w, '')} |")
caption = (f"Measured {r['date'][:10]} on {r['cpu']}, {r['threads']} threads each side, {r['runs']} interleaved runs per side, "
           f"W5/W6 on {r['epochs_nextitem']} epochs per run; made by `{r['command'].strip()}` (which then runs `scripts/speed_table.py`).")
table = "\n".join(rows) + "\n\n" + caption + "\n"

text = open(readme_path).read()
begin, end = "<!-- speed-table:begin -->\n", "<!-- speed-table:end -->"
if begin not in text or end not in text:
    sys.exit(f"{readme_path} has no {begin.strip()} … {end} markers")
head, rest = text.split(begin, 1)
_, tail = rest.split(end, 1)
open(readme_path, "w").write(head + begin + table + end + tail)
print(f"wrote the speed table of {len(r['workloads'])} workloads into {readme_path}")
