#!/usr/bin/env bash
# Linkage's blocking by blind index on the test PostgreSQL cluster
# (store_block.c, pg_blind_rows in store/pg_seal.c): 'ctis link --from-db'
# on a sealed PostgreSQL store opens only the identities of persons who
# share a name part or phonetic key with another ("N sealed identities
# opened"), and its clusters and overlap table are byte for byte those of
# the clear PostgreSQL store and of SQLite stores (clear and sealed) of
# the same data. A rotation left half done falls back to reading every
# identity with the same clusters. As a hostile user: a case worker (of
# any agency) may not link the store, a wrong or missing key is exit 8,
# and neither writes an output or a link.
source "$(dirname "$0")/../lib.sh"
source "$CTIS_SRC/tests/pg/pg_lib.sh"
sql() { psql -X -q -At -d "$1" -c "$2"; }
# 400 persons on three lists, and 12 persons whose names are their own
# (tests/cli/test_seal_link.sh has the same): 8 meet nobody, two pairs
# share only a Khmer or only a Latin family name.
python3 "$CTIS_SRC/tests/report/data/linked_lists.py" > lists.jsonl
python3 - >> lists.jsonl << 'P'
import json
def case(i, ag, person):
    person.setdefault("sex", "female")
    print(json.dumps({"type": "case", "id": i, "agency": ag, "person": person,
        "trafficking_status": "actual",
        "events": [{"type": "identification", "date": "2008-03-01"}]}))
lone = [("Qwerzuv", "Xylbrot", "police", "1990-01-02"),
        ("Jupwekk", "Frimdzo", "shelter", "1991-01-02"),
        ("Blorgat", "Vizquem", "ministry", None),
        ("Trezzwyn", "Glumphor", "police", None),
        ("Oxdrimbe", "Quarzel", "shelter", "1992-05-06"),
        ("Wumfred", "Zaxtull", "ministry", "1988-07-08"),
        ("Flibzorn", "Yextrum", "police", "1990-01-02"),
        ("Drovquil", "Epzwarn", "shelter", "1990-01-02")]
for n, (g, f, ag, b) in enumerate(lone, 1):
    p = {"given_name": g, "family_name": f, "home_province": "KH-%d" % n}
    if b:
        p["birth_date"] = b
    case("lone-%d" % n, ag, p)
case("km-1", "police", {"given_name": "Gwondrax", "family_name": "Plivtorq",
     "family_name_km": "ញ៉ែមឃ្លោ", "home_province": "KH-7"})
case("km-2", "shelter", {"given_name": "Hubzwelt", "family_name": "Roxtimba",
     "family_name_km": "ញ៉ែមឃ្លោ", "home_province": "KH-7"})
case("pair-1", "police", {"given_name": "Kuzbrend", "family_name": "Vrombleq",
     "sex": "male", "home_province": "KH-8"})
case("pair-2", "ministry", {"given_name": "Smaxtril", "family_name": "Vrombleq",
     "sex": "male", "home_province": "KH-8"})
P
total=$(grep -c '"type": "case"' lists.jsonl)
named=$((total - 8))
K="$CTIS --key-file k"
pc=$(pgdb linkc)
ps=$(pgdb links)
line="link: $named of $total persons share a name with another and were read with their identity"
summary() { grep '^link: .* persons share' "$1"; }

check "a clear PostgreSQL store" "$CTIS" --db "$pc" import lists.jsonl
check "a sealed PostgreSQL store" $K --db "$ps" key init
check "of the same data" $K --db "$ps" import lists.jsonl
check "a clear SQLite store" "$CTIS" --db clear.db import lists.jsonl
check "a sealed SQLite store" $K --db sealed.db key init
check "of the same data" $K --db sealed.db import lists.jsonl

"$CTIS" --db "$pc" link --from-db --output pc.csv --overlap pco.csv 2> pc.err > /dev/null
check_eq "clear PostgreSQL: link runs" 0 $?
$K --db "$ps" link --from-db --output ps.csv --overlap pso.csv 2> ps.err > /dev/null
check_eq "sealed PostgreSQL: link runs" 0 $?
"$CTIS" --db clear.db link --from-db --output sc.csv --overlap sco.csv 2> sc.err > /dev/null
$K --db sealed.db link --from-db --output ss.csv --overlap sso.csv 2> ss.err > /dev/null
# the blind rows in pages of 7 (CTIS_PG_BLIND_PAGE): runs of one value
# cut by every page's end
CTIS_PG_BLIND_PAGE=7 $K --db "$ps" link --from-db --output p7.csv --overlap p7o.csv 2> p7.err > /dev/null
check_eq "sealed PostgreSQL, 7 blind rows a query: link runs" 0 $?
check "sealed PostgreSQL: the clusters of clear PostgreSQL, byte for byte" cmp pc.csv ps.csv
check "and in pages of 7 the same" sh -c "cmp ps.csv p7.csv && cmp pso.csv p7o.csv"
check_eq "in pages of 7: the same persons opened" "$(summary ps.err)" "$(summary p7.err)"
check "and of clear SQLite" cmp sc.csv ps.csv
check "and of sealed SQLite" cmp ss.csv ps.csv
check "the same overlap table on all four" sh -c "cmp pco.csv pso.csv && cmp sco.csv pso.csv && cmp sso.csv pso.csv"
check_eq "every record is in the clusters" "$total" "$(($(wc -l < ps.csv) - 1))"
check_eq "sealed PostgreSQL: only the persons who share a name are opened" \
    "$line ($named sealed identities opened)" "$(summary ps.err)"
check_eq "clear PostgreSQL: the same persons by the same rule" \
    "$line (0 sealed identities opened)" "$(summary pc.err)"
check_eq "sealed SQLite: the same count" \
    "$line ($named sealed identities opened)" "$(summary ss.err)"
lone=$(awk -F, '$2 ~ /^lone-/ { print $3 }' ps.csv | sort -u | wc -l)
check_eq "each person who meets nobody is a person of their own" 8 "$lone"
check "no name reaches the messages" sh -c "! grep -qiE 'qwerzuv|vrombleq|xylbrot|sokha' ps.err pc.err"

# --save stores a link for every case, the same as the clear store's
check "link --from-db --save on the sealed store" $K --db "$ps" link --from-db --save --output ps2.csv
"$CTIS" --db "$pc" link --from-db --save --output pc2.csv > /dev/null 2>&1
check_eq "the saved links count every case" "$total" "$(sql "$ps" 'select count(*) from person_link')"
links() { sql "$1" "select c.id, l.person from person_link l join cases c on c.rid = l.case_rid order by 1"; }
check "and are those of the clear store" sh -c "[ \"\$1\" = \"\$2\" ]" - "$(links "$ps")" "$(links "$pc")"
before=$(links "$ps")

# ---- as a hostile user --------------------------------------------------
# A case worker of one agency asks to link the whole store: refused
# before any identity is read (the SQLite path's rule, ops_allow), with
# no output and no link changed; so is a case worker of another agency
# than any case's, and an analyst without the key or with a wrong key.
for d in "$ps" "$pc"; do
    "$CTIS" --db "$d" user add --username cwp --agency police --role case_worker > /dev/null 2>&1
    "$CTIS" --db "$d" user add --username an --role analyst > /dev/null 2>&1
done
$K --db "$ps" --as cwp link --from-db --save --output h1.csv > /dev/null 2> h1.err
check_eq "a case worker may not link the sealed store: exit 7" 7 $?
check "and nothing is written" test ! -e h1.csv
check_eq "nor any link changed" "$before" "$(links "$ps")"
check "and no name in the message" sh -c "! grep -qiE 'qwerzuv|vrombleq|sokha|chan' h1.err"
$K --db "$ps" --as an link --from-db --output h2.csv 2> h2.err > /dev/null
check_eq "an analyst links it" 0 $?
check "with the same clusters" cmp ps.csv h2.csv
check_eq "opening only the persons who meet" \
    "$line ($named sealed identities opened)" "$(summary h2.err)"
"$CTIS" --db "$ps" --as an link --from-db --save --output h3.csv > /dev/null 2> h3.err
check_eq "without the key: exit 8" 8 $?
check "and nothing is written" test ! -e h3.csv
check_eq "nor any link changed" "$before" "$(links "$ps")"
"$CTIS" --key-file k2 --db other.db key init > /dev/null 2>&1
"$CTIS" --key-file k2 --db "$ps" --as an link --from-db --save --output h4.csv > /dev/null 2> h4.err
check_eq "with another key file: exit 8" 8 $?
check "and nothing is written" test ! -e h4.csv
check_eq "nor any link changed" "$before" "$(links "$ps")"
check "the message names no person" sh -c "! grep -qiE 'qwerzuv|vrombleq|sokha|chan' h3.err h4.err"

# ---- a rotation half done -----------------------------------------------
# Values under two keys: every identity is read to decide, and the
# clusters do not change; after the rotation the blind index decides.
$K --db "$ps" key rotate --batch 100 --stop-after 1 > /dev/null 2>&1
$K --db "$ps" link --from-db --output r1.csv 2> r1.err > /dev/null
check_eq "halfway through a rotation: link runs" 0 $?
check "with the same clusters" cmp pc.csv r1.csv
check_eq "having read every identity to decide" \
    "$line ($((total + named)) sealed identities opened)" "$(summary r1.err)"
check "the rotation finishes" $K --db "$ps" key rotate --batch 100
$K --db "$ps" link --from-db --output r2.csv 2> r2.err > /dev/null
check_eq "after it the blind index decides again" \
    "$line ($named sealed identities opened)" "$(summary r2.err)"
check "with the same clusters" cmp pc.csv r2.csv
