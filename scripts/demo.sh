#!/usr/bin/env bash
# The main job, end to end on the real public data (run by `make demo`):
# pretrain embeddings on training data only, keep them in the model store,
# and warm-start downstream models from them.
set -euo pipefail
BIN=${BIN:-.build/release/warmstart}
STORE=${WARMSTART_STORE:-models}
OUT=${DEMO_OUT:-reports/demo}
mkdir -p "$OUT"
export WARMSTART_STORE="$STORE"

step() { printf '\n== %s\n' "$*"; }

step "1. Item embeddings from the ml-100k training split (W2 item2vec, W1 matrix factorization)"
$BIN pretrain item2vec --data ml-100k --threads 1 --out "$OUT/ml100k-item2vec.warm"
$BIN pretrain mf --data ml-100k --bias-l2 0 --lr-decay --epochs 8 --out "$OUT/ml100k-mf.warm" | grep -E 'test_rmse|genre|wrote'

step "2. Word vectors from the SMS training texts (no labels) and the KJV text"
$BIN pretrain word2vec --data sms-spam --add-text kjv --dim 64 --min-count 1 --out "$OUT/sms-kjv-words.warm" | grep -E 'words|vocabulary|wrote'

step "3. Keep them in the model store ($STORE)"
$BIN store add "$OUT/ml100k-item2vec.warm" --name ml100k-item2vec
$BIN store add "$OUT/ml100k-mf.warm" --name ml100k-mf
$BIN store add "$OUT/sms-kjv-words.warm" --name sms-kjv-words
$BIN store list
$BIN similar ml100k-item2vec 50 -k 5

step "4. Spam detector (W4): random start vs warm start from the word vectors"
for start in random finetuned frozen; do
  printf -- '-- start %s\n' "$start"
  $BIN classify train --task spam --init-archive sms-kjv-words --start "$start" --out "$OUT/spam-$start.warm" \
    | grep -E '^(accuracy|f1|roc_auc|pr_auc|coverage):'
done
$BIN classify predict "$OUT/spam-finetuned.warm" --text "WINNER!! Claim your free prize now, call 09061701461" --text "See you at lunch tomorrow?"

step "5. Genre tagging from item vectors alone (linear probe on frozen embeddings)"
for archive in ml100k-item2vec ml100k-mf; do
  printf -- '-- %s\n' "$archive"
  $BIN classify train --task genres --init-archive "$archive" --start frozen --hidden '' --epochs 30 --learning-rate 0.01 \
    | grep -E '^(micro_f1|mean_roc_auc):'
done
printf -- '-- random table (chance)\n'
$BIN classify train --task genres --start random --hidden '' --epochs 30 --learning-rate 0.01 | grep -E '^(micro_f1|mean_roc_auc):'

step "Done. Archives in $OUT and the store $STORE."
