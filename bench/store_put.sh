#!/usr/bin/env bash
# Storage benchmark: put N synthetic cases (about 4 events each) through
# store_put_case in one transaction, against the sqlite3 shell's .import of
# the same rows (CSV) into plain tables without keys or indexes, both in
# WAL mode with synchronous=FULL and one transaction; then the
# datasheet aggregates through store_query against the shell running the
# same SQL on the same database. Prints both times and the ratios.
# N from $STORE_PUT_N (default 200000).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${STORE_PUT_N:-200000}
bin=build/bench/store_put
[ -x "$bin" ] || make -s build/bench/store_put
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
now() { date +%s.%N; }

"$bin" csv "$tmp" "$n"
cat >"$tmp/import.sql" <<SQL
PRAGMA journal_mode=WAL;
PRAGMA synchronous=FULL;
CREATE TABLE cases(id TEXT, agency TEXT, trafficking_status INTEGER,
 movement INTEGER, exploitation INTEGER, labour_sector INTEGER,
 means INTEGER, recruiter_relationship INTEGER, destination_country TEXT,
 destination_province TEXT, destination_city TEXT, status INTEGER,
 sex INTEGER, citizenship TEXT, home_province TEXT, home_district TEXT,
 age_at_identification INTEGER, age_group TEXT,
 identification_date INTEGER, given_name TEXT, family_name TEXT,
 given_name_km TEXT, family_name_km TEXT, birth_date INTEGER,
 birth_year INTEGER, age INTEGER, home_commune TEXT, home_village TEXT,
 phone TEXT, email TEXT);
CREATE TABLE event(case_rid INTEGER, seq INTEGER, type INTEGER,
 date INTEGER, from_country TEXT, to_country TEXT, official INTEGER,
 service INTEGER, referral INTEGER);
BEGIN;
.import --csv $tmp/cases.csv cases
.import --csv $tmp/events.csv event
COMMIT;
SQL
t0=$(now)
sqlite3 "$tmp/shell.db" <"$tmp/import.sql" >/dev/null
t1=$(now)
"$bin" put "$tmp/ctis.db" "$n"
t2=$(now)
shell=$(echo "$t1 - $t0" | bc -l)
ours=$(echo "$t2 - $t1" | bc -l)
printf 'put:   sqlite3 .import %.2f s (%.0f cases/s), store_put_case %.2f s (%.0f cases/s), ratio %.2f (goal <= 2)\n' \
    "$shell" "$(echo "$n / $shell" | bc -l)" "$ours" \
    "$(echo "$n / $ours" | bc -l)" "$(echo "$ours / $shell" | bc -l)"

# The datasheet takes milliseconds: run it R times in both so process
# start-up does not decide the ratio.
r=${STORE_QUERY_REPEAT:-100}
"$bin" sql "$r" >"$tmp/queries.sql"
"$bin" query "$tmp/ctis.db" >"$tmp/query.txt"
t0=$(now)
sqlite3 "$tmp/ctis.db" <"$tmp/queries.sql" >/dev/null
t1=$(now)
"$bin" query "$tmp/ctis.db" "$r" >"$tmp/query.txt"
t2=$(now)
shell=$(echo "$t1 - $t0" | bc -l)
ours=$(echo "$t2 - $t1" | bc -l)
tail -1 "$tmp/query.txt"
printf 'query: datasheet x%d: sqlite3 shell %.2f s, store_query %.2f s, ratio %.2f (goal <= 1.5)\n' \
    "$r" "$shell" "$ours" "$(echo "$ours / $shell" | bc -l)"
