#!/usr/bin/env bash
# The bulk write path of a sealed PostgreSQL store (pg_seal_batch in
# store/pg_seal.c): batches of new cases copy their sealed persons, blind
# index rows and case versions straight into their tables; batches of
# cases that exist go through s_seal (TRUNCATE for many, DELETE for a
# few); the last COPY of a batch is read back while the client parses the
# next. Imported twice in small batches (CTIS_PG_FLUSH_BYTES), the second
# time with other given names, a sealed store exports what a clear store
# of the same imports exports, has the blind index rows of a fresh import
# of the second file and none of the old names, two versions of every
# case, and finds by the new names only.
source "$(dirname "$0")/../lib.sh"
source "$CTIS_SRC/tests/pg/pg_lib.sh"
sql() { psql -X -q -At -d "$1" -c "$2"; }
"$CTIS_BUILD/bench/gen_cases" 600 a 3 > /dev/null
# the same cases, every given name changed
sed 's/"given_name":"\([^"]*\)"/"given_name":"\1zq"/' a.jsonl > b.jsonl
grep -q '"given_name":"Sokhazq"' b.jsonl && ok "the second file renames" || not_ok "the second file renames"
K="$CTIS --key-file key"
clear=$(pgdb bulk_clear)
sealed=$(pgdb bulk_sealed)
fresh=$(pgdb bulk_fresh)
"$CTIS" --db "$clear" init 2> /dev/null
$K --db "$sealed" key init > /dev/null
$K --db "$fresh" key init > /dev/null
export CTIS_PG_FLUSH_BYTES=70000
for f in a b; do
    check "clear import of $f" "$CTIS" --db "$clear" import --no-progress $f.jsonl
    check "sealed import of $f" $K --db "$sealed" import --no-progress $f.jsonl
done
check "sealed import of b alone" $K --db "$fresh" import --no-progress b.jsonl
# one small batch of existing cases (DELETE FROM s_seal), one write each
for i in 1 2 3; do
    grep "\"id\":\"C-000000$i\"" b.jsonl | sed 's/zq"/zr"/' > one.jsonl
    check "update case $i alone" $K --db "$sealed" import --no-progress one.jsonl
    check "and in the clear store" "$CTIS" --db "$clear" import --no-progress one.jsonl
done
unset CTIS_PG_FLUSH_BYTES
"$CTIS" --db "$clear" export > clear.jsonl
$K --db "$sealed" export > sealed.jsonl
check "the sealed store exports what the clear store does" cmp clear.jsonl sealed.jsonl
check_eq "every person sealed" 600 "$(sql "$sealed" "select count(*) from person_identity where sealed is not null and given_name is null")"
check_eq "no person without a blind index row" 0 "$(sql "$sealed" "select count(*) from cases c where not exists (select 1 from person_bidx b where b.case_rid = c.rid)")"
n_fresh=$(sql "$fresh" "select count(*) from person_bidx")
n_sealed=$(sql "$sealed" "select count(*) from person_bidx")
check_eq "the blind index rows of a fresh import of b" "$n_fresh" "$n_sealed"
check_eq "two versions of every case imported twice" 597 "$(sql "$sealed" "select count(*) from (select id from record_version where kind = 1 group by id having max(version) = 2 and count(*) = 2) x")"
check_eq "three of the cases updated alone" 3 "$(sql "$sealed" "select count(*) from (select id from record_version where kind = 1 group by id having max(version) = 3 and count(*) = 3) x")"
check_eq "every case version body sealed" 0 "$(sql "$sealed" "select count(*) from record_version where kind = 1 and body not like 'sealed:%'")"
check "the history of an updated case opens" sh -c "$K --db '$sealed' case history C-0000001 | grep -c import | grep -qx 3"
name=$(grep -o '"id":"C-0000010","agency":"[^"]*","person":{"given_name":"[^"]*","family_name":"[^"]*"' b.jsonl |
    awk -F'"' '{ print $14 " " $18 }')
check "case find by a new name finds the case" sh -c "$K --db '$sealed' case find '$name' --limit 100 | grep -q C-0000010"
old=${name%zq *}
check_eq "and by its old given name finds nothing" "" "$($K --db "$sealed" case find "$old" --limit 100 | grep C-0000010)"
