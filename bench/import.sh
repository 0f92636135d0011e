#!/usr/bin/env bash
# Import and datasheet benchmark (core issue). Generates BENCH_CASES cases
# (default 1,000,000) with four events each, then in one run:
#  - ctis import of the JSON Lines file vs the sqlite3 shell's .import of
#    the same rows (cases.csv, events.csv) into plain tables, both with
#    WAL and synchronous=FULL in one transaction;
#  - peak memory of the import at N/4 and N cases (it must not grow with
#    the file);
#  - ctis report (json) on the imported database vs the sqlite3 shell
#    running the same aggregate SQL (bench/datasheet_sql prints it).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${BENCH_CASES:-1000000}
B=build/bench
W=build/bench-work
rm -rf "$W"
mkdir -p "$W"
echo "generating $N cases..."
"$B/gen_cases" "$N" "$W/big" 1
"$B/gen_cases" $((N / 4)) "$W/small" 2

. bench/lib.sh

cat > "$W/ref.sql" <<SQL
PRAGMA journal_mode=WAL;
PRAGMA synchronous=FULL;
CREATE TABLE cases(id TEXT, agency TEXT, given_name TEXT, family_name TEXT,
  sex TEXT, birth_date TEXT, home_province TEXT, trafficking_status TEXT,
  movement TEXT, exploitation TEXT, destination_country TEXT, status TEXT);
CREATE TABLE events(case_id TEXT, seq INTEGER, type TEXT, date INTEGER,
  from_country TEXT, to_country TEXT, official INTEGER, referral TEXT);
BEGIN;
.import --csv --skip 1 $W/big.cases.csv cases
.import --csv --skip 1 $W/big.events.csv events
COMMIT;
SQL
timed sh -c "sqlite3 $W/ref.db < $W/ref.sql"
ref_import=$SECONDS_TAKEN
timed build/ctis --db "$W/small.db" import --no-progress "$W/small.jsonl"
small_kb=$PEAK_KB
timed build/ctis --db "$W/ctis.db" import --no-progress "$W/big.jsonl"
ctis_import=$SECONDS_TAKEN
big_kb=$PEAK_KB

"$B/datasheet_sql" 2005 2008 > "$W/datasheet.sql"
# Warm the page cache for both the same way, then time.
build/ctis --db "$W/ctis.db" report --from 2005 --to 2008 --format json >/dev/null
timed sh -c "sqlite3 $W/ctis.db < $W/datasheet.sql"
ref_report=$SECONDS_TAKEN
timed build/ctis --db "$W/ctis.db" report --from 2005 --to 2008 --format json
ctis_report=$SECONDS_TAKEN

printf 'import of %d cases (%d events):\n' "$N" $((N * 4))
printf '  ctis import            %6.2f s   peak %d MB (at %d cases: %d MB)\n' \
    "$ctis_import" $((big_kb / 1024)) $((N / 4)) $((small_kb / 1024))
printf '  sqlite3 .import        %6.2f s   (plain tables, no indexes)\n' "$ref_import"
printf '  ratio ctis/sqlite3     %6s     (target <= 2)\n' "$(ratio "$ctis_import" "$ref_import")"
printf 'datasheet 2005-2008 on %d cases:\n' "$N"
printf '  ctis report --format json %6.2f s  (target < 2 s)\n' "$ctis_report"
printf '  sqlite3 same SQL          %6.2f s\n' "$ref_report"
printf '  ratio ctis/sqlite3        %6s    (target <= 1.5)\n' "$(ratio "$ctis_report" "$ref_report")"
rm -rf "$W"
