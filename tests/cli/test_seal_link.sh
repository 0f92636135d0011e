# Linkage's blocking by blind index (docs/security.md, store_block.c):
# 'ctis link --from-db' on a sealed store opens only the identities of
# persons who share a name part or phonetic key with another person,
# counted by the store ("N sealed identities opened"), and gives the same
# clusters, byte for byte, as the same run on a clear store of the same
# data. A rotation left half done (values under two keys) falls back to
# reading every identity and still gives the same clusters.
. "$(dirname "$0")/../lib.sh"
# 400 persons on three lists, 20 given and 15 family names (each record
# shares names with others), and 12 persons whose names are their own:
# 8 meet nobody, two pairs share only a Khmer family name or only a
# Latin family name between them.
python3 "$CTIS_SRC/tests/report/data/linked_lists.py" > lists.jsonl
cat >> lists.jsonl <<'J'
{"type":"case","id":"lone-1","agency":"police","person":{"given_name":"Qwerzuv","family_name":"Xylbrot","sex":"female","birth_date":"1990-01-02","home_province":"KH-1"},"trafficking_status":"actual","events":[{"type":"identification","date":"2008-03-01"}]}
{"type":"case","id":"lone-2","agency":"shelter","person":{"given_name":"Jupwekk","family_name":"Frimdzo","sex":"female","birth_date":"1991-01-02","home_province":"KH-2"},"trafficking_status":"actual","events":[{"type":"identification","date":"2008-03-01"}]}
{"type":"case","id":"lone-3","agency":"ministry","person":{"given_name":"Blorgat","family_name":"Vizquem","sex":"male","birth_year":1985,"home_province":"KH-3"},"trafficking_status":"actual","events":[{"type":"identification","date":"2008-03-01"}]}
{"type":"case","id":"lone-4","agency":"police","person":{"given_name":"Trezzwyn","family_name":"Glumphor","sex":"female","home_province":"KH-4"},"trafficking_status":"actual","events":[{"type":"identification","date":"2008-03-01"}]}
{"type":"case","id":"lone-5","agency":"shelter","person":{"given_name":"Oxdrimbe","family_name":"Quarzel","sex":"female","birth_date":"1992-05-06","home_province":"KH-5"},"trafficking_status":"actual","events":[{"type":"identification","date":"2008-03-01"}]}
{"type":"case","id":"lone-6","agency":"ministry","person":{"given_name":"Wumfred","family_name":"Zaxtull","sex":"male","birth_date":"1988-07-08","home_province":"KH-6"},"trafficking_status":"actual","events":[{"type":"identification","date":"2008-03-01"}]}
{"type":"case","id":"lone-7","agency":"police","person":{"given_name":"Flibzorn","family_name":"Yextrum","sex":"female","birth_date":"1990-01-02","home_province":"KH-1"},"trafficking_status":"actual","events":[{"type":"identification","date":"2008-03-01"}]}
{"type":"case","id":"lone-8","agency":"shelter","person":{"given_name":"Drovquil","family_name":"Epzwarn","sex":"female","birth_date":"1990-01-02","home_province":"KH-1"},"trafficking_status":"actual","events":[{"type":"identification","date":"2008-03-01"}]}
{"type":"case","id":"km-1","agency":"police","person":{"given_name":"Gwondrax","family_name":"Plivtorq","family_name_km":"ញ៉ែមឃ្លោ","sex":"female","home_province":"KH-7"},"trafficking_status":"actual","events":[{"type":"identification","date":"2008-03-01"}]}
{"type":"case","id":"km-2","agency":"shelter","person":{"given_name":"Hubzwelt","family_name":"Roxtimba","family_name_km":"ញ៉ែមឃ្លោ","sex":"female","home_province":"KH-7"},"trafficking_status":"actual","events":[{"type":"identification","date":"2008-03-01"}]}
{"type":"case","id":"pair-1","agency":"police","person":{"given_name":"Kuzbrend","family_name":"Vrombleq","sex":"male","home_province":"KH-8"},"trafficking_status":"actual","events":[{"type":"identification","date":"2008-03-01"}]}
{"type":"case","id":"pair-2","agency":"ministry","person":{"given_name":"Smaxtril","family_name":"Vrombleq","sex":"male","home_province":"KH-8"},"trafficking_status":"actual","events":[{"type":"identification","date":"2008-03-01"}]}
J
total=$(grep -c "\"type\": *\"case\"" lists.jsonl)
named=$((total - 8))
K="$CTIS --key-file k"

check "a clear store" "$CTIS" --db clear.db import lists.jsonl
check "a sealed store" $K --db sealed.db key init
check "of the same data" $K --db sealed.db import lists.jsonl

"$CTIS" --db clear.db link --from-db --output c1.csv 2> clear.err > /dev/null
check_eq "clear: link runs" 0 $?
$K --db sealed.db link --from-db --output c2.csv 2> sealed.err > /dev/null
check_eq "sealed: link runs" 0 $?
check "the same clusters, byte for byte" cmp c1.csv c2.csv
check_eq "every record is in the clusters" "$total" "$(($(wc -l < c2.csv) - 1))"
line="link: $named of $total persons share a name with another and were read with their identity"
check_eq "sealed: only persons who share a name are read" \
    "$line ($named sealed identities opened)" "$(grep '^link: .* persons share' sealed.err)"
check_eq "clear: the same persons by the same rule, nothing to open" \
    "$line (0 sealed identities opened)" "$(grep '^link: .* persons share' clear.err)"
lone=$(awk -F, '$2 ~ /^lone-/ { print $3 }' c2.csv | sort -u | wc -l)
check_eq "each person who meets nobody is a person of their own" 8 "$lone"
shared=0
for c in $(awk -F, '$2 ~ /^lone-/ { print $3 }' c2.csv); do
    n=$(awk -F, -v c="$c" '$3 == c' c2.csv | wc -l)
    [ "$n" = 1 ] && shared=$((shared + 1))
done
check_eq "and their clusters hold no other record" 8 "$shared"
check "no name reaches the messages" sh -c "! grep -qiE 'qwerzuv|vrombleq|xylbrot' sealed.err clear.err"
check "with --overlap and --save as well" $K --db sealed.db link --from-db --save --output c3.csv --overlap o3.csv
"$CTIS" --db clear.db link --from-db --save --output c4.csv --overlap o4.csv > /dev/null 2>&1
check "the same overlap table sealed and clear" cmp o3.csv o4.csv
check_eq "the saved links count every case" "$total" "$(sqlite3 sealed.db 'select count(*) from person_link')"

# A rotation stopped after its first batch: values under two keys, so
# every identity is read to decide (and those that share a name once
# more, for linkage), and the clusters do not change.
$K --db sealed.db key rotate --batch 100 --stop-after 1 > /dev/null 2>&1
$K --db sealed.db link --from-db --output c5.csv 2> rot.err > /dev/null
check_eq "halfway through a rotation: link runs" 0 $?
check "and gives the same clusters" cmp c1.csv c5.csv
check_eq "having read every identity to decide" \
    "$line ($((total + named)) sealed identities opened)" "$(grep '^link: .* persons share' rot.err)"
check "the rotation finishes" $K --db sealed.db key rotate --batch 100
$K --db sealed.db link --from-db --output c6.csv 2> after.err > /dev/null
check_eq "after it the blind index decides again" \
    "$line ($named sealed identities opened)" "$(grep '^link: .* persons share' after.err)"
check "with the same clusters" cmp c1.csv c6.csv
check_fails "without the key nothing is linked" "$CTIS" --db sealed.db link --from-db --output c7.csv
check "and no output is left" test ! -e c7.csv
