#!/usr/bin/env bash
# PostgreSQL benchmark (issue 5), all in one run on BENCH_CASES cases
# (default 1,000,000, four events each), on a throwaway cluster
# (tests/pg/start_cluster.sh, stopped at exit):
#  - ctis import of the JSON Lines file into PostgreSQL, beside the same
#    import into SQLite and beside psql's \copy of the same rows (the
#    generator's cases.csv and events.csv) into plain tables without
#    indexes, in one transaction: the PostgreSQL reference;
#  - ctis report (json) on each backend (the aggregates run in the
#    server on PostgreSQL), checked to give the same JSON.
# Prints seconds and ratios. The cluster runs with fsync=off (a benchmark
# of the program, not of the disk), 1 GB of shared buffers and spaced-out
# checkpoints; synchronous_commit stays on.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${BENCH_CASES:-1000000}
B=build/bench
W=build/bench-work-pg
rm -rf "$W"
mkdir -p "$W"
# A server sized for a bulk load: 1 GB of buffers, checkpoints spaced out.
cluster=$(CTIS_PG_CONF=$'shared_buffers = 1GB\nmax_wal_size = 8GB\ncheckpoint_timeout = 30min' \
    bash tests/pg/start_cluster.sh)
pg_dir=$(printf '%s\n' "$cluster" | sed -n 1p)
export PGPASSFILE="$pg_dir/pgpass"
base=$(printf '%s\n' "$cluster" | sed -n 2p)
trap 'bash tests/pg/stop_cluster.sh "$pg_dir"; rm -rf "$W"' EXIT
echo "generating $N cases..."
"$B/gen_cases" "$N" "$W/big" 1

. bench/lib.sh

# psql \copy into plain tables, one transaction.
psql -q "$base/postgres" -c "CREATE DATABASE ref" >/dev/null
cat >"$W/ref.sql" <<SQL
BEGIN;
CREATE TABLE cases(id TEXT, agency TEXT, given_name TEXT, family_name TEXT,
  sex TEXT, birth_date TEXT, home_province TEXT, trafficking_status TEXT,
  movement TEXT, exploitation TEXT, destination_country TEXT, status TEXT);
CREATE TABLE events(case_id TEXT, seq INTEGER, type TEXT, date INTEGER,
  from_country TEXT, to_country TEXT, official INTEGER, referral TEXT);
\\copy cases FROM '$W/big.cases.csv' WITH (FORMAT csv, HEADER true)
\\copy events FROM '$W/big.events.csv' WITH (FORMAT csv, HEADER true)
COMMIT;
SQL
timed psql -q -v ON_ERROR_STOP=1 "$base/ref" -f "$W/ref.sql"
ref_import=$SECONDS_TAKEN

pg="$base/ctis_bench"
build/ctis --db "$pg" init 2>/dev/null
timed build/ctis --db "$pg" import --no-progress "$W/big.jsonl"
pg_import=$SECONDS_TAKEN
pg_kb=$PEAK_KB
timed build/ctis --db "$W/ctis.db" import --no-progress "$W/big.jsonl"
sq_import=$SECONDS_TAKEN
sq_kb=$PEAK_KB

# Each report once to warm caches, then timed.
build/ctis --db "$pg" report --from 2005 --to 2008 --format json >"$W/pg.json"
build/ctis --db "$W/ctis.db" report --from 2005 --to 2008 --format json >"$W/sq.json"
same=no
cmp -s "$W/pg.json" "$W/sq.json" && same=yes
timed build/ctis --db "$pg" report --from 2005 --to 2008 --format json
pg_report=$SECONDS_TAKEN
timed build/ctis --db "$W/ctis.db" report --from 2005 --to 2008 --format json
sq_report=$SECONDS_TAKEN

printf 'import of %d cases (%d events):\n' "$N" $((N * 4))
printf '  ctis import, postgresql %7.2f s   peak %d MB\n' "$pg_import" $((pg_kb / 1024))
printf '  psql \\copy, plain tables %6.2f s   (the PostgreSQL reference)\n' "$ref_import"
printf '  ctis import, sqlite     %7.2f s   peak %d MB\n' "$sq_import" $((sq_kb / 1024))
printf '  ratio postgresql/\\copy  %7s\n' "$(ratio "$pg_import" "$ref_import")"
printf '  ratio postgresql/sqlite %7s\n' "$(ratio "$pg_import" "$sq_import")"
printf 'datasheet 2005-2008 on %d cases (same JSON on both: %s):\n' "$N" "$same"
printf '  ctis report, postgresql %7.2f s\n' "$pg_report"
printf '  ctis report, sqlite     %7.2f s\n' "$sq_report"
printf '  ratio postgresql/sqlite %7s\n' "$(ratio "$pg_report" "$sq_report")"
