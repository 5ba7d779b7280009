#!/usr/bin/env bash
# The reuse grids the warm-start defaults were chosen on (README, "Warm start"):
# every rescale policy (none, init, unit) x every start, on spam (two word2vec
# archives, 6 label shares x 5 seeds), genres (item2vec and MF, 5 seeds) and
# next-item (GRU, 20 epochs, 2 shares x 3 seeds). Defaults are picked on the
# validation figures each results.json keeps per run (`curve`), not on the test
# figures the reports lead with. About 25 minutes on 2 cores.
set -euo pipefail
BIN=${BIN:-.build/release/warmstart}
OUT=${OUT:-reports/default-grids}
mkdir -p "$OUT"
"$BIN" pretrain word2vec --data sms-spam --add-text kjv --dim 64 --min-count 1 --threads 1 --out "$OUT/sms-kjv.warm" >/dev/null
"$BIN" pretrain word2vec --data sms-spam --dim 64 --min-count 1 --threads 1 --out "$OUT/sms-only.warm" >/dev/null
"$BIN" pretrain item2vec --threads 1 --out "$OUT/item2vec.warm" >/dev/null
"$BIN" pretrain mf --bias-l2 0 --lr-decay --epochs 8 --out "$OUT/mf.warm" >/dev/null
for r in none init unit; do
  for a in sms-kjv sms-only; do
    "$BIN" reuse --task spam --archives "$OUT/$a.warm" --seeds 5 --rescale $r --out "$OUT/spam-$a-$r"
  done
  "$BIN" reuse --task genres --archives "$OUT/item2vec.warm" "$OUT/mf.warm" --starts frozen,finetuned,gradual --seeds 5 --rescale $r \
    --out "$OUT/genres-$r"
  "$BIN" reuse --task nextitem --archives "$OUT/item2vec.warm" "$OUT/mf.warm" --starts finetuned,gradual --fractions 0.25,1 --seeds 3 \
    --epochs 20 --rescale $r --out "$OUT/next-$r"
done
