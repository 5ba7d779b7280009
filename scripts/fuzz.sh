#!/usr/bin/env bash
# Coverage-guided fuzzing (libFuzzer + AddressSanitizer) of every reader of
# untrusted files: the archive reader and the word2vec, .npy and safetensors
# importers. Usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET ...]
# Seeds are in fuzz/corpus/NAME (committed); what libFuzzer finds goes to
# .build-fuzz/corpus/NAME; a crashing input is written to .build-fuzz/crashes/.
# Leak detection is off: Foundation's Data(contentsOf:) leaks 4 KiB on an
# empty file, which is not ours and is no crash. Exit status 1 on any crash.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"; shift || true
targets=("${@:-Archive Npy Word2Vec Safetensors}")
read -r -a targets <<< "${targets[*]}"
swift build -c release --package-path fuzz --scratch-path .build-fuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld
mkdir -p .build-fuzz/crashes
status=0
for target in "${targets[@]}"; do
    name="$(echo "$target" | tr '[:upper:]' '[:lower:]')"
    mkdir -p ".build-fuzz/corpus/$name"
    echo "== Fuzz$target for ${seconds}s"
    log=".build-fuzz/fuzz-$name.log"
    if ! ASAN_OPTIONS="detect_leaks=0:${ASAN_OPTIONS:-}" ".build-fuzz/release/Fuzz$target" -max_total_time="$seconds" -max_len=16384 -rss_limit_mb=1024 \
            -detect_leaks=0 -print_final_stats=1 -artifact_prefix=".build-fuzz/crashes/$name-" \
            ".build-fuzz/corpus/$name" "fuzz/corpus/$name" > "$log" 2>&1; then
        status=1
        echo "Fuzz$target FAILED; see $log and .build-fuzz/crashes/"
    fi
    grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb|^Done|ERROR" "$log" || true
done
exit $status
