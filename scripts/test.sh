#!/usr/bin/env bash
# The whole test suite: style check, a gcc build and a clang ASan+UBSan
# build (both with -Werror), every unit and CLI test on each build, the fuzz
# corpora replayed under ASan+UBSan. Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
log=build/test-logs
mkdir -p "$log"
passed=0
failed=0
step() { printf '== %s\n' "$*"; }
count() { # count FILE: add its ok / not ok lines to the totals
    local p f
    p=$(grep -c '^ok ' "$1" || true)
    f=$(grep -c '^not ok ' "$1" || true)
    passed=$((passed + p))
    failed=$((failed + f))
}
fail_one() { echo "not ok - $*"; failed=$((failed + 1)); }

step "style"
if make -s check-style >"$log/style.txt" 2>&1; then
    passed=$((passed + 1))
else
    cat "$log/style.txt"
    fail_one "check-style"
fi

step "build (gcc -Werror)"
if ! make -s -j"$jobs" BUILD=build CC=gcc EXTRA_CFLAGS=-Werror tests \
        >"$log/build-gcc.txt" 2>&1; then
    tail -30 "$log/build-gcc.txt"
    fail_one "gcc build"
    echo "$passed passed, $failed failed"
    exit 1
fi
step "build (clang -Werror, ASan+UBSan)"
if ! make -s -j"$jobs" BUILD=build/asan CC=clang SAN=1 EXTRA_CFLAGS=-Werror \
        tests >"$log/build-asan.txt" 2>&1; then
    tail -30 "$log/build-asan.txt"
    fail_one "clang asan build"
    echo "$passed passed, $failed failed"
    exit 1
fi
step "build (fuzz targets)"
if ! make -s fuzz >"$log/build-fuzz.txt" 2>&1; then
    tail -30 "$log/build-fuzz.txt"
    fail_one "fuzz build"
fi

# A throwaway PostgreSQL cluster (tests/pg/start_cluster.sh: initdb into a
# temporary folder as an unprivileged user, 127.0.0.1 on a free port) for
# the suites: CTIS_TEST_PG is its base URL, CTIS_TEST_PG_DIR its folder.
# Stopped and removed at exit, whatever happens.
step "postgresql cluster"
pg_dir=""
pg_stop() {
    if [ -n "$pg_dir" ]; then
        bash tests/pg/stop_cluster.sh "$pg_dir"
        pg_dir=""
    fi
}
trap pg_stop EXIT
if pg_out=$(bash tests/pg/start_cluster.sh 2>"$log/pg-cluster.txt"); then
    pg_dir=$(printf '%s\n' "$pg_out" | sed -n 1p)
    CTIS_TEST_PG=$(printf '%s\n' "$pg_out" | sed -n 2p)
    export CTIS_TEST_PG
    export CTIS_TEST_PG_DIR="$pg_dir"
    # the superuser's password over TCP (start_cluster.sh)
    export PGPASSFILE="$pg_dir/pgpass"
    echo "ok - postgresql cluster at $CTIS_TEST_PG"
    passed=$((passed + 1))
else
    cat "$log/pg-cluster.txt"
    fail_one "postgresql cluster"
fi

for b in build build/asan; do
    step "suite on $b"
    out="$log/suite-$(echo "$b" | tr / -).txt"
    bash tests/run.sh "$b" 2>&1 | tee "$out" | grep -E '^(not ok|#)' || true
    count "$out"
done

step "fuzz corpus replay (ASan+UBSan)"
out="$log/fuzz.txt"
: >"$out"
bash scripts/fuzz-replay.sh "$log" >"$out" 2>&1
cat "$out"
count "$out"

pg_stop
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
