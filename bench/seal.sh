#!/usr/bin/env bash
# Sealed identities (docs/security.md), in one run:
#  - import of SEAL_BENCH_CASES (default 200,000) cases into a clear and
#    into a sealed database: the ratio sealed / clear (aim: under 1.2);
#  - store_find_persons on a sealed store of SEAL_BENCH_BIG (default
#    1,000,000) persons with diverse names: median and p99 over 200
#    queries of names that exist, and the candidates opened per query;
#  - ctis backup and ctis backup --verify of that database, in MB/s of
#    database, against cp of the same file (the reference).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${SEAL_BENCH_CASES:-200000}
BIG=${SEAL_BENCH_BIG:-1000000}
B=build/bench
W=build/bench-seal
rm -rf "$W"
mkdir -p "$W"
. bench/lib.sh
C=build/ctis
"$B/gen_cases" "$N" "$W/imp" 3
timed $C --db "$W/clear.db" import --no-progress "$W/imp.jsonl"
clear_s=$SECONDS_TAKEN
$C --db "$W/sealed.db" --key-file "$W/key" key init > /dev/null
timed $C --db "$W/sealed.db" --key-file "$W/key" import --no-progress "$W/imp.jsonl"
sealed_s=$SECONDS_TAKEN
echo "import of $N cases: clear ${clear_s}s, sealed ${sealed_s}s, ratio $(ratio "$sealed_s" "$clear_s")x (aim < 1.2)"

GEN_DIVERSE=1 "$B/gen_cases" "$BIG" "$W/big" 4
$C --db "$W/big.db" --key-file "$W/key" key init > /dev/null
timed $C --db "$W/big.db" --key-file "$W/key" import --no-progress "$W/big.jsonl"
echo "sealed import of $BIG cases: ${SECONDS_TAKEN}s"
grep -o '"id":"C-[0-9]*","agency":"[^"]*","person":{"given_name":"[^"]*","family_name":"[^"]*"' "$W/big.jsonl" |
    awk -F'"' 'NR % 4999 == 1 { print $4 "\t" $14 " " $18 }' | head -200 > "$W/queries.tsv"
read -r nq med p99 rmed rp99 cand hits < <("$B/seal_find" "$W/big.db" "$W/key" "$W/queries.tsv")
echo "case find (ops_case_find, read transaction) on $BIG sealed persons: $nq queries of existing names, median ${med} ms, p99 ${p99} ms; ${cand} identities opened and ${hits} hits per query"
echo "  reference, an indexed sqlite3 lookup of the same case by id: median ${rmed} ms, p99 ${rp99} ms; find/lookup median $(ratio "$med" "$rmed")x, p99 $(ratio "$p99" "$rp99")x"

mb=$(du -m "$W/big.db" | cut -f1)
timed cp "$W/big.db" "$W/copy.db"
cp_s=$SECONDS_TAKEN
timed $C --db "$W/big.db" --key-file "$W/key" backup --output "$W/big.ctisbak"
bk_s=$SECONDS_TAKEN
timed $C --key-file "$W/key" backup --verify "$W/big.ctisbak"
vf_s=$SECONDS_TAKEN
mbps() { awk -v m="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? m / s : 0) }'; }
echo "backup of the ${mb} MB database: ${bk_s}s ($(mbps "$mb" "$bk_s") MB/s), verify ${vf_s}s ($(mbps "$mb" "$vf_s") MB/s); cp ${cp_s}s ($(mbps "$mb" "$cp_s") MB/s): backup/cp $(ratio "$bk_s" "$cp_s")x"
rm -rf "$W"
