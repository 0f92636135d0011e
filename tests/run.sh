#!/usr/bin/env bash
# Run every unit test binary and CLI test script against one build folder,
# printing TAP lines ("ok - ..." / "not ok - ..."). A binary that crashes
# or exits non-zero without reporting a failure counts as one failure.
# Usage: tests/run.sh BUILD_DIR
set -uo pipefail
b=${1:-build}
cd "$(dirname "$0")/.."
export CTIS="$PWD/$b/ctis"
export CTIS_BUILD="$PWD/$b"
export CMOCKA_MESSAGE_OUTPUT=TAP
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
# Font caches that fontconfig, pango, cairo and glib keep for the life of
# the process (report pdf/svg) are not leaks of ours.
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
run_one() {
    local name=$1
    shift
    local tmp rc
    tmp=$(mktemp)
    "$@" >"$tmp" 2>&1
    rc=$?
    grep -E '^(ok|not ok) ' "$tmp" | sed -E "s#^(not ok|ok) [0-9]* *-? *#\1 - $name: #"
    if [ $rc -ne 0 ] && ! grep -q '^not ok ' "$tmp"; then
        echo "not ok - $name: exited with status $rc"
        tail -15 "$tmp" | sed 's/^/#   /'
    elif grep -q '^not ok ' "$tmp"; then
        grep -vE '^(ok|not ok) ' "$tmp" | tail -25 | sed 's/^/#   /'
    fi
    rm -f "$tmp"
}
for t in "$b"/tests/*/test_*; do
    [ -x "$t" ] || continue
    run_one "${t#"$b"/tests/}" "$t"
done
for t in tests/*/test_*.sh; do
    [ -f "$t" ] || continue
    run_one "${t#tests/}" bash "$t"
done
