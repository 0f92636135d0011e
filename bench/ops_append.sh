#!/usr/bin/env bash
# Single-event appends through ops/ per second on SQLite (synchronous=FULL,
# the default: every commit is synced) and on PostgreSQL (a throwaway
# cluster, fsync off, synchronous_commit on), each beside the same appends
# through the store alone in the same run. BENCH_APPENDS appends (default
# 10,000) over BENCH_APPEND_CASES cases (default 1,000).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${BENCH_APPENDS:-10000}
C=${BENCH_APPEND_CASES:-1000}
W=build/bench-work-append
rm -rf "$W"
mkdir -p "$W"
cluster=$(bash tests/pg/start_cluster.sh)
pg_dir=$(printf '%s\n' "$cluster" | sed -n 1p)
export PGPASSFILE="$pg_dir/pgpass"
base=$(printf '%s\n' "$cluster" | sed -n 2p)
trap 'bash tests/pg/stop_cluster.sh "$pg_dir"; rm -rf "$W"' EXIT
build/bench/ops_append "$W/append.db" "$N" "$C"
build/bench/ops_append "$base/append" "$N" "$C"
