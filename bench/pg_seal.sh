#!/usr/bin/env bash
# Sealed identities on PostgreSQL (issue 12), in one run on
# PG_SEAL_CASES cases (default 200,000, three events each), on a throwaway
# cluster (tests/pg/start_cluster.sh, stopped at exit):
#  - ctis import into a sealed database beside the same import into a
#    clear one (the reference): seconds and the ratio;
#  - case find on the sealed database beside the clear one (blind index
#    lookup against a scan of every person): median of 20 queries; and
#    bench/seal_find's median and p99 of 200, with the identities opened
#    per query, beside a read of the same case by id;
#  - ctis backup (pg_dump, sealed as it streams) and backup --verify:
#    MB/s of plaintext.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${PG_SEAL_CASES:-200000}
B=build/bench
W=build/bench-work-pgseal
rm -rf "$W"
mkdir -p "$W"
cluster=$(CTIS_PG_CONF=$'shared_buffers = 512MB\nmax_wal_size = 4GB\ncheckpoint_timeout = 30min' \
    bash tests/pg/start_cluster.sh)
pg_dir=$(printf '%s\n' "$cluster" | sed -n 1p)
export PGPASSFILE="$pg_dir/pgpass"
base=$(printf '%s\n' "$cluster" | sed -n 2p)
trap 'bash tests/pg/stop_cluster.sh "$pg_dir"; rm -rf "$W"' EXIT
. bench/lib.sh
echo "generating $N cases..."
GEN_DIVERSE=1 "$B/gen_cases" "$N" "$W/big" 3 > /dev/null

clear="$base/seal_bench_clear"
sealed="$base/seal_bench_sealed"
build/ctis --db "$clear" init 2> /dev/null
build/ctis --db "$sealed" --key-file "$W/k" key init > /dev/null
timed build/ctis --db "$clear" import --no-progress "$W/big.jsonl"
t_clear=$SECONDS_TAKEN
timed build/ctis --db "$sealed" --key-file "$W/k" import --no-progress "$W/big.jsonl"
t_sealed=$SECONDS_TAKEN
echo "import of $N cases: clear ${t_clear}s, sealed ${t_sealed}s, sealed/clear $(ratio "$t_sealed" "$t_clear")"

# 20 names taken from the file, searched on both
python3 - "$W/big.jsonl" > "$W/names.txt" << 'P'
import json, sys
names = []
for i, line in enumerate(open(sys.argv[1])):
    r = json.loads(line)
    p = r.get("person") or {}
    if i % 997 == 0 and p.get("given_name") and p.get("family_name"):
        names.append(p["given_name"] + " " + p["family_name"])
    if len(names) == 20:
        break
print("\n".join(names))
P
find_median() { # DB KEYARGS...: median seconds of case find over the names
    local db=$1
    shift
    local t=()
    while IFS= read -r name; do
        timed build/ctis --db "$db" "$@" case find "$name"
        t+=("$SECONDS_TAKEN")
    done < "$W/names.txt"
    printf '%s\n' "${t[@]}" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'
}
f_clear=$(find_median "$clear")
f_sealed=$(find_median "$sealed" --key-file "$W/k")
echo "case find, median of $(wc -l < "$W/names.txt"): clear (every person) ${f_clear}s, sealed (blind index) ${f_sealed}s, sealed/clear $(ratio "$f_sealed" "$f_clear")"
# the find itself (ops_case_find in a read transaction, bench/seal_find)
# on 200 existing names, beside reading the same case by id
grep -o '"id":"C-[0-9]*","agency":"[^"]*","person":{"given_name":"[^"]*","family_name":"[^"]*"' "$W/big.jsonl" |
    awk -F'"' -v n="$N" 'NR % int(n / 200 + 1) == 1 { print $4 "\t" $14 " " $18 }' | head -200 > "$W/queries.tsv"
read -r nq med p99 rmed rp99 cand hits < <("$B/seal_find" "$sealed" "$W/k" "$W/queries.tsv")
echo "case find (ops_case_find) on $N sealed persons: $nq queries, median ${med} ms, p99 ${p99} ms; ${cand} identities opened and ${hits} hits per query"
echo "  reference, the same case read by id (store_get_case): median ${rmed} ms, p99 ${rp99} ms; find/read median $(ratio "$med" "$rmed")x"

timed build/ctis --db "$sealed" --key-file "$W/k" backup --output "$W/b.ctisbak"
t_b=$SECONDS_TAKEN
mb=$(build/ctis --key-file "$W/k" backup --verify "$W/b.ctisbak" | awk '{print $5 / 1e6}')
timed build/ctis --key-file "$W/k" backup --verify "$W/b.ctisbak"
t_v=$SECONDS_TAKEN
echo "backup: ${mb} MB of pg_dump in ${t_b}s ($(ratio "$mb" "$t_b") MB/s); verify ${t_v}s ($(ratio "$mb" "$t_v") MB/s)"
