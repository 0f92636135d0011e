#!/usr/bin/env bash
# make fuzz-run: fuzz each target of build/fuzz for SECONDS (default 60),
# starting from fuzz/corpus/<name>. New interesting inputs are written to
# build/fuzz-new/<name> (copy the useful ones into the corpus, minimised
# with -merge=1); a crash is saved in build/fuzz-crash/ and fails the run.
set -uo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
status=0
mkdir -p build/fuzz-crash
for f in build/fuzz/*; do
    [ -x "$f" ] || continue
    name=$(basename "$f")
    new="build/fuzz-new/$name"
    mkdir -p "$new"
    echo "== fuzz $name for ${secs}s"
    if nice "$f" -max_total_time="$secs" -max_len=65536 -rss_limit_mb=2048 \
        -artifact_prefix="build/fuzz-crash/$name-" -print_final_stats=1 \
        "$new" "fuzz/corpus/$name" >"build/fuzz-crash/$name.log" 2>&1; then
        grep -E '^stat::number_of_executed_units|^#[0-9]+.*DONE' \
            "build/fuzz-crash/$name.log" | tail -1
        echo "ok - fuzz $name"
    else
        tail -30 "build/fuzz-crash/$name.log"
        echo "not ok - fuzz $name (see build/fuzz-crash/)"
        status=1
    fi
done
exit $status
