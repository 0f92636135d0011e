#!/usr/bin/env bash
# person erase takes the identity out of every stored version of a case,
# however many there are (SQLite stopped at 4096: the later versions kept
# the names), and is noted in the audit trail. Clear and sealed SQLite; PostgreSQL when the test cluster
# runs.
source "$(dirname "$0")/../lib.sh"
printf '{"type":"agency","id":"ngo-1","name":"One","kind":"ngo"}\n' > a.jsonl
# 4100 versions of one case: each line moves the identification a day
python3 - > v.jsonl <<'PY'
import datetime, json
d0 = datetime.date(2000, 1, 1)
for i in range(4100):
    print(json.dumps({"type": "case", "id": "V-1", "agency": "ngo-1",
                      "person": {"given_name": "Versionzq", "family_name": "Manyxw"},
                      "events": [{"type": "identification",
                                  "date": (d0 + datetime.timedelta(days=i)).isoformat()}]}))
PY
# one LABEL DB [KEYOPTS...]
one() {
    local label=$1 db=$2 v left=""
    shift 2
    check "$label: agency" "$CTIS" --db "$db" "$@" import a.jsonl
    check "$label: 4100 versions" "$CTIS" --db "$db" "$@" import v.jsonl
    check "$label: erase" "$CTIS" --db "$db" "$@" person erase V-1 --reason "asked by the person"
    for v in 1 2 4096 4097 4098 4099 4100; do
        "$CTIS" --db "$db" "$@" case show V-1 --version $v > show.txt 2>&1
        grep -q '"id":"V-1"' show.txt || left="$left $v(not shown)"
        ! grep -q -e Versionzq -e Manyxw show.txt || left="$left $v"
    done
    check_eq "$label: no version names the person" "" "$left"
    # the erasure is in the audit trail (it was only in the erasure table,
    # which nothing chains)
    "$CTIS" --db "$db" audit list --record V-1 > audit.txt 2>&1
    check "$label: the audit trail notes the erasure" grep -q '"action":"person.erase","kind":"case","record":"V-1"' audit.txt
    check "$label: and its reason is not in it" sh -c "! grep -q 'asked by the person' audit.txt"
    check "$label: the trail is intact" "$CTIS" --db "$db" audit verify
}
one "clear SQLite" c.db
check_eq "clear SQLite: no name in the file" "" "$(grep -ac -e Versionzq -e Manyxw c.db c.db-wal 2> /dev/null | grep -v ':0$')"
check "key init" "$CTIS" --db s.db --key-file k1 key init
one "sealed SQLite" s.db --key-file k1
if [ -n "${CTIS_TEST_PG:-}" ]; then
    pgurl="$CTIS_TEST_PG/ctis_erasever_$$"
    check "pg key init" "$CTIS" --db "$pgurl" --key-file k2 key init
    one "PostgreSQL" "$pgurl" --key-file k2
else
    not_ok "CTIS_TEST_PG is not set (run through make test)"
fi
