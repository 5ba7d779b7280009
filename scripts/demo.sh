#!/usr/bin/env bash
# The main job, end to end on the real public data (run by `make demo`, ~6 minutes on 2 cores):
# pretrain embeddings on training splits only, keep them in the model store,
# warm-start the spam detector and the next-item recommender from them, and
# run small reuse grids that say how much the reuse helps. The full grids
# (6 label shares x 3 seeds x every start) are the `warmstart reuse` defaults;
# the demo uses smaller ones and says so in each report.
set -euo pipefail
BIN=${BIN:-.build/release/warmstart}
export WARMSTART_STORE=${WARMSTART_STORE:-models}
OUT=${DEMO_OUT:-reports/demo}
mkdir -p "$OUT"
step() { printf '\n== %s  (%s)\n' "$*" "$(date +%H:%M:%S)"; }
quiet() { "$@" 2> >(grep -vE '^epoch ' >&2); }   # keep warnings, drop per-epoch lines

step "1/6 Item embeddings from the ml-100k training split: item2vec (W2), MF (W1), sessions, graph walks, implicit ALS (W8)"
quiet $BIN pretrain item2vec --threads 1 --out "$OUT/ml100k-item2vec.warm" | grep -E 'test_hr|genre_agreement@10:|wrote'
quiet $BIN pretrain mf --bias-l2 0 --lr-decay --epochs 8 --out "$OUT/ml100k-mf.warm" | grep -E 'test_rmse|genre_agreement@10:|wrote'
quiet $BIN pretrain sessions --threads 1 --out "$OUT/ml100k-sessions.warm" | grep -E 'test_hr|genre_agreement@10:|wrote'
quiet $BIN pretrain walks --threads 1 --out "$OUT/ml100k-walks.warm" | grep -E 'test_hr|genre_agreement@10:|wrote'
quiet $BIN pretrain als --out "$OUT/ml100k-als.warm" | grep -E 'test_hr|iterations_per_second|wrote'

step "2/6 Word vectors from the SMS training texts (no labels) plus the KJV text"
quiet $BIN pretrain word2vec --data sms-spam --add-text kjv --dim 64 --min-count 1 --threads 1 --out "$OUT/sms-kjv-words.warm" | grep -E 'vocabulary|wrote'

step "3/6 The model store ($WARMSTART_STORE)"
for name in ml100k-item2vec ml100k-mf ml100k-sessions ml100k-walks ml100k-als sms-kjv-words; do
  $BIN store add "$OUT/$name.warm" --name "$name"
done
$BIN store list
$BIN similar ml100k-item2vec 50 -k 5

step "4/6 Spam detector (W4) warm-started from the word vectors (default start: gradual unfreezing, rows scaled to length 1)"
quiet $BIN classify train --task spam --init-archive sms-kjv-words --out "$OUT/spam-warm.warm" \
  | grep -E '^(accuracy|f1|roc_auc|coverage):'
$BIN classify predict "$OUT/spam-warm.warm" --text "WINNER!! Claim your free prize now, call 09061701461" --text "See you at lunch tomorrow?"

step "5/6 Next-item GRU (W5 model, 20 epochs in the demo) warm-started from item2vec"
quiet $BIN nextitem train --model gru --init-archive ml100k-item2vec --epochs 20 --evaluate-every 5 \
  --out "$OUT/nextitem-gru.warm" | grep -E '^(test_hr@10|test_ndcg@10|popularity_hr@10|coverage@10|archive_nearest)'
$BIN nextitem recommend "$OUT/nextitem-gru.warm" --history 50,172,181,174 -k 5

step "6/6 Reuse grids (demo sizes) and reports"
$BIN reuse --task spam --archives sms-kjv-words --fractions 0.01,0.05,0.25,1 --seeds 3 --out "$OUT/reuse-spam"
$BIN reuse --task genres --archives ml100k-item2vec ml100k-mf ml100k-sessions ml100k-walks ml100k-als --starts frozen,gradual \
  --fractions 0.1,1 --seeds 2 --out "$OUT/reuse-genres"
$BIN reuse --task nextitem --archives ml100k-item2vec ml100k-mf ml100k-als --starts finetuned,frozen --fractions 1 --seeds 2 \
  --epochs 10 --out "$OUT/reuse-nextitem"

step "Done: reports in $OUT/reuse-*/report.html (and report.md), archives in the store $WARMSTART_STORE"
