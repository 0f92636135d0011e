#!/usr/bin/env bash
# Replay every fuzz target's corpus (fuzz/corpus/<name>) under ASan and
# UBSan: one TAP line per target, "not ok" when a run exits non-zero or its
# output holds any sanitizer report (the builds use
# -fno-sanitize-recover=all, and the output is searched as well, so a
# report can never pass as "ok"). Usage: scripts/fuzz-replay.sh LOG_DIR
# [FUZZ_DIR [CORPUS_DIR]] (defaults build/test-logs, build/fuzz,
# fuzz/corpus).
set -uo pipefail
cd "$(dirname "$0")/.."
log=${1:-build/test-logs}
bins=${2:-build/fuzz}
corpora=${3:-fuzz/corpus}
mkdir -p "$log"
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
reports='runtime error:|ERROR: AddressSanitizer|ERROR: LeakSanitizer|ERROR: libFuzzer|SUMMARY: UndefinedBehaviorSanitizer'
status=0
for f in "$bins"/*; do
    [ -x "$f" ] || continue
    name=$(basename "$f")
    dir="$corpora/$name"
    txt="$log/fuzz-$name.txt"
    if [ ! -d "$dir" ]; then
        echo "not ok - fuzz $name (no corpus in $dir)"
        status=1
        continue
    fi
    "$f" -runs=0 "$dir" >"$txt" 2>&1
    rc=$?
    if [ $rc -eq 0 ]; then
        mapfile -t files < <(find "$dir" -type f | head -2000)
        "$f" "${files[@]}" >>"$txt" 2>&1
        rc=$?
    fi
    if [ $rc -eq 0 ] && ! grep -qE "$reports" "$txt"; then
        echo "ok - fuzz $name ($(find "$dir" -type f | wc -l) inputs)"
    else
        grep -E "$reports" "$txt" | head -5 | sed 's/^/#   /'
        tail -5 "$txt" | sed 's/^/#   /'
        echo "not ok - fuzz $name (status $rc)"
        status=1
    fi
done
exit $status
