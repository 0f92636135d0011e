#!/usr/bin/env bash
# CTDC export benchmark: the public (k = 11) CTDC export of a BENCH_CASES
# database (default 1,000,000 cases) against the internal CTDC export of
# the same database (same rows, no disclosure control), and what disclosure
# control cost: share of quasi-identifier values suppressed, rows kept
# whole (CTDC's own k-anonymised release kept about 60% of its rows).
# The cases come from bench/ctdc_gen.c: 22 years, ages 3-70, heavy-tailed
# citizenship and destination lists, so that k-anonymity has work to do.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${BENCH_CASES:-1000000}
B=build/bench
W=build/bench-work
mkdir -p "$W"
. bench/lib.sh
db="$W/ctdc.db"
if [ ! -f "$db" ] || [ "$(sqlite3 "$db" 'select count(*) from cases')" -ne "$N" ]; then
    rm -f "$db"*
    echo "generating and importing $N cases..."
    "$B/ctdc_gen" "$N" "$W/ctdc.jsonl" 3
    build/ctis --db "$db" import --no-progress "$W/ctdc.jsonl" >/dev/null 2>&1
    rm -f "$W/ctdc.jsonl"
fi
build/ctis --db "$db" export --format ctdc >/dev/null # warm the cache
timed build/ctis --db "$db" export --format ctdc --output "$W/internal.csv"
ref=$SECONDS_TAKEN
/usr/bin/time -o "$W/time.txt" -f "%e %M" build/ctis --db "$db" export \
    --format ctdc --public --output "$W/public.csv" 2>"$W/public.txt"
pub=$(cut -d' ' -f1 "$W/time.txt")
kb=$(cut -d' ' -f2 "$W/time.txt")
kept=$(python3 - "$W/public.csv" <<'P'
import csv, sys, collections
qi = ["yearOfRegistration", "gender", "ageBroad", "majorityStatus",
      "citizenship", "CountryOfExploitation"]
rows = 0
whole = 0
c = collections.Counter()
for r in csv.DictReader(open(sys.argv[1], newline='')):
    rows += 1
    key = tuple(r[x] for x in qi)
    c[key] += 1
    if "-99" not in (r[x] for x in ("yearOfRegistration", "gender", "citizenship", "CountryOfExploitation")) and (r["ageBroad"] != "-99" or r["majorityStatus"] != "-99"):
        whole += 1
print("%d %.1f %d" % (rows, 100.0 * whole / max(rows, 1), min(c.values())))
P
)
printf 'CTDC export of %d cases:\n' "$N"
printf '  internal (no disclosure control) %6.2f s\n' "$ref"
printf '  public, k = 11                   %6.2f s   peak %d MB\n' "$pub" $((kb / 1024))
printf '  ratio public/internal            %6s\n' "$(ratio "$pub" "$ref")"
sed 's/^ctis: /  /' "$W/public.txt"
set -- $kept
printf '  rows written %d; rows with every quasi-identifier published (at its\n' "$1"
printf '  generalised level): %s%% (CTDC release: about 60%%); smallest\n' "$2"
printf '  combination counted in the file: %d (k = 11)\n' "$3"
