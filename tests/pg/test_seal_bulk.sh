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
# case, and finds by the new names only. The first import into an empty
# person_bidx drops its two indexes and builds them before COMMIT
# (pg_bidx_defer): both are there after it, new, and the same after the
# second import; a first import killed while it holds the table leaves no
# row and the old indexes; a role that does not own the table keeps them.
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
# person_bidx's two indexes: their names and kinds, and their objects
# (pg_bidx_defer drops them for a first import and builds them again)
idx() { sql "$1" "select string_agg(c.relname || ':' || i.indisprimary, ',' order by c.relname) from pg_index i join pg_class c on c.oid = i.indexrelid where i.indrelid = 'person_bidx'::regclass"; }
oids() { sql "$1" "select string_agg(indexrelid::text, ',' order by indexrelid) from pg_index where indrelid = 'person_bidx'::regclass"; }
shape="person_bidx_case:false,person_bidx_pkey:true"
check_eq "a new sealed store has both indexes of person_bidx" "$shape" "$(idx "$sealed")"
o0=$(oids "$sealed")
export CTIS_PG_FLUSH_BYTES=70000
# a first import killed while it holds person_bidx without its indexes:
# rolled back, the indexes as they were
"$CTIS_BUILD/bench/gen_cases" 20000 big 3 > /dev/null
$K --db "$sealed" import --no-progress big.jsonl > /dev/null 2>&1 &
job=$!
held=0
for _ in $(seq 600); do
    held=$(sql "$sealed" "select count(*) from pg_locks where relation = 'person_bidx'::regclass and mode = 'AccessExclusiveLock' and granted")
    [ "$held" = 1 ] && break
    kill -0 $job 2> /dev/null || break
    sleep 0.05
done
check_eq "a first import locks person_bidx" 1 "$held"
kill -9 $job 2> /dev/null
wait $job 2> /dev/null
for _ in $(seq 200); do
    [ "$(sql "$sealed" "select count(*) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()")" = 0 ] && break
    sleep 0.05
done
check_eq "no blind row left of the killed import" 0 "$(sql "$sealed" "select count(*) from person_bidx")"
check_eq "the indexes are the ones it had" "$o0" "$(oids "$sealed")"
# a role that may write but does not own person_bidx imports with its
# indexes kept (it may not drop them)
other=$(pgdb bulk_other)
$K --db "$other" key init > /dev/null
role=bulk_w_$$
sql "$other" "create role $role login; grant all on all tables in schema public to $role; grant all on all sequences in schema public to $role" > /dev/null
o2=$(oids "$other")
check "a first import by a role that does not own the table" $K --db "${other/\/\/*@/\/\/$role@}" import --no-progress a.jsonl
check_eq "keeps the indexes it cannot drop" "$o2" "$(oids "$other")"
for f in a b; do
    check "clear import of $f" "$CTIS" --db "$clear" import --no-progress $f.jsonl
    check "sealed import of $f" $K --db "$sealed" import --no-progress $f.jsonl
    check_eq "both indexes of person_bidx after the import of $f" "$shape" "$(idx "$sealed")"
    [ $f = a ] && o1=$(oids "$sealed") && n_a=$(sql "$sealed" "select count(*) from person_bidx")
done
check_eq "the same blind rows through the indexes as without" "$n_a" "$(sql "$other" "select count(*) from person_bidx")"
check_eq "the first import built them anew" yes "$([ "$o1" != "$o0" ] && echo yes)"
check_eq "the second one (person_bidx not empty) kept them" "$o1" "$(oids "$sealed")"
check_eq "no lock of person_bidx is left" 0 "$(sql "$sealed" "select count(*) from pg_locks where relation = 'person_bidx'::regclass")"
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
