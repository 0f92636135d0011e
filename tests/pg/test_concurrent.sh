#!/usr/bin/env bash
# Two 'ctis import' processes writing into one PostgreSQL database at the
# same time, with 10000 overlapping case ids written in opposite orders:
# both succeed, and the result is checked record by record against each
# file's own export: every record once, each in the state one of the files
# gave it, all overlapping records from the same file (the transaction
# that committed last), nothing missing. The same again into a sealed
# database (pg_seal.c's batches sent without waiting): the same checks,
# and its blind index rows those of the final records imported alone.
source "$(dirname "$0")/../lib.sh"
source "$CTIS_SRC/tests/pg/pg_lib.sh"
gen="$(dirname "$CTIS")/bench/gen_cases"
N=${CTIS_TEST_CONCURRENT_CASES:-6000}
# Small batches: many flushes per import, so the two interleave.
export CTIS_PG_FLUSH_BYTES=${CTIS_PG_FLUSH_BYTES:-131072}
half=$((N / 2))

"$gen" "$N" "$T/a" 1 >/dev/null
"$gen" "$N" "$T/g" 2 >/dev/null
# B: the first half of its ids moved out of A's range, then the cases in
# reverse order (agencies first).
awk -v half="$half" '{
    if (match($0, /"id":"C-0[0-9]+"/)) {
        n = substr($0, RSTART + 8, 7) + 0
        if (n <= half) sub(/"id":"C-0/, "\"id\":\"C-1")
    }
    print
}' "$T/g.jsonl" >"$T/g2.jsonl"
{ grep '"type":"agency"' "$T/g2.jsonl"; grep -v '"type":"agency"' "$T/g2.jsonl" | tac; } >"$T/b.jsonl"

"$CTIS" --db "$T/ea.db" import --no-progress "$T/a.jsonl" 2>/dev/null
"$CTIS" --db "$T/ea.db" export >"$T/ea.jsonl"
"$CTIS" --db "$T/eb.db" import --no-progress "$T/b.jsonl" 2>/dev/null
"$CTIS" --db "$T/eb.db" export >"$T/eb.jsonl"
union=$(cat "$T/ea.jsonl" "$T/eb.jsonl" | keyed /dev/stdin | cut -f1 | sort -u | wc -l)

round() { # round NAME [init|sealed]: both imports at once into a new database
    local name=$1 mode=${2:-} db rca rcb res
    local C=$CTIS
    db=$(pgdb "conc_$name")
    if [ "$mode" = init ]; then "$CTIS" --db "$db" init 2>/dev/null; fi
    if [ "$mode" = sealed ]; then
        C="$CTIS --key-file $T/k"
        $C --db "$db" key init >/dev/null 2>&1
    fi
    $C --db "$db" import --no-progress "$T/a.jsonl" >"$T/ia.out" 2>&1 &
    local pa=$!
    $C --db "$db" import --no-progress "$T/b.jsonl" >"$T/ib.out" 2>&1 &
    local pb=$!
    wait $pa
    rca=$?
    wait $pb
    rcb=$?
    check_eq "$name: first importer succeeds" 0 "$rca"
    [ "$rca" -eq 0 ] || sed 's/^/#   /' "$T/ia.out"
    check_eq "$name: second importer succeeds" 0 "$rcb"
    [ "$rcb" -eq 0 ] || sed 's/^/#   /' "$T/ib.out"
    $C --db "$db" export >"$T/final.jsonl"
    res=$(verify "$T/ea.jsonl" "$T/eb.jsonl" "$T/final.jsonl")
    set -- $res
    check_eq "$name: every record once ($union expected)" "$union" "$1"
    check_eq "$name: every record in a state one file gave it" 0 "$2"
    check_eq "$name: no extra, missing or repeated record" "0 0 0" "$3 $4 $5"
    if [ "$6" -eq 0 ] || [ "$7" -eq 0 ]; then
        ok "$name: overlapping records all from one file ($6 from a, $7 from b)"
    else
        not_ok "$name: overlapping records all from one file ($6 from a, $7 from b)"
    fi
    local last
    last=$("$CTIS" --db "$db" report --format json | cksum)
    "$CTIS" --db "$T/$name.db" import --no-progress "$T/final.jsonl" 2>/dev/null
    check_eq "$name: datasheet equals SQLite's of the same records" \
        "$last" "$("$CTIS" --db "$T/$name.db" report --format json | cksum)"
    if [ "$mode" = sealed ]; then
        local alone
        alone=$(pgdb "conc_${name}_alone")
        $C --db "$alone" key init >/dev/null 2>&1
        $C --db "$alone" import --no-progress "$T/final.jsonl" 2>/dev/null
        check_eq "$name: the blind index rows of the final records, no more" \
            "$(psql -X -At -d "$alone" -c "select count(*) from person_bidx")" \
            "$(psql -X -At -d "$db" -c "select count(*) from person_bidx")"
        check_eq "$name: no blind index row of a case that is not there" 0 \
            "$(psql -X -At -d "$db" -c "select count(*) from person_bidx b where not exists (select 1 from cases c where c.rid = b.case_rid)")"
    fi
}
round fresh
round initialised init
round sealed sealed
