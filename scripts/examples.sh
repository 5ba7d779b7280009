#!/usr/bin/env bash
# Builds and runs the example packages in examples/ as a user of the library
# would: each is its own Swift package depending on Warmstart by path. The
# archives they start from are made with the `warmstart` tool first.
set -euo pipefail
BIN=${BIN:-.build/release/warmstart}
OUT=${OUT:-.build-examples/run}
mkdir -p "$OUT"

"$BIN" pretrain word2vec --data sms-spam --dim 32 --min-count 2 --epochs 10 --seed 1 --out "$OUT/sms-words.warm" >/dev/null
"$BIN" pretrain item2vec --dim 64 --epochs 20 --seed 1 --out "$OUT/item2vec.warm" >/dev/null

for example in SpamDetector WatchNext; do
    echo "== examples/$example"
    # Always recompile the example's own code: an incremental build may keep an object compiled
    # against an older layout of a library struct (the example inlines it), which then crashes.
    rm -f ".build-examples/$example/release/$example.build/"*.o
    swift build -c release --package-path "examples/$example" --scratch-path ".build-examples/$example" 2>&1 | tail -1
done

spam=$(".build-examples/SpamDetector/release/SpamDetector" "$OUT/sms-words.warm" "$OUT/spam-model.warm")
echo "$spam"
grep -q "^gradual: test spam F1 0\.[0-9]" <<<"$spam" || { echo "SpamDetector: no F1 line" >&2; exit 1; }
grep -q "^spam (p(spam) = .*WINNER" <<<"$spam" || { echo "SpamDetector: the prize message was not called spam" >&2; exit 1; }

next=$(".build-examples/WatchNext/release/WatchNext" "$OUT/item2vec.warm" "$OUT/nextitem-model.warm")
echo "$next"
grep -q "^test HR@10 0\.[0-9]" <<<"$next" || { echo "WatchNext: no HR@10 line" >&2; exit 1; }
[ "$(grep -c $'^[0-9]*\t' <<<"$next")" -eq 5 ] || { echo "WatchNext: expected 5 recommendations" >&2; exit 1; }
echo "examples: both ran"
