#!/usr/bin/env bash
# CTDC columns end to end on real SQLite files: the exact header of the
# CTDC global k-anonymised dataset; ctis -> CTDC -> ctis -> CTDC keeps
# every column field by field; a file shaped like a CTDC download imports;
# every --public export is k-anonymous, checked here by counting each
# combination of quasi-identifiers with Python's csv module (independent of
# the C that produced it), for the default k = 11 and a configured k; no
# identifying field reaches a public export; bad files are refused with
# line, column and reason, and nothing is imported.
. "$(dirname "$0")/../lib.sh"

"$CTIS" --db d.db demo >/dev/null 2>&1
check "export ctdc" "$CTIS" --db d.db export --format ctdc --output a.csv

cat > header.txt <<'H'
yearOfRegistration,Datasource,gender,ageBroad,majorityStatus,majorityStatusAtExploit,majorityEntry,citizenship,meansOfControlDebtBondage,meansOfControlTakesEarnings,meansOfControlRestrictsFinancialAccess,meansOfControlThreats,meansOfControlPsychologicalAbuse,meansOfControlPhysicalAbuse,meansOfControlSexualAbuse,meansOfControlFalsePromises,meansOfControlPsychoactiveSubstances,meansOfControlRestrictsMovement,meansOfControlRestrictsMedicalCare,meansOfControlExcessiveWorkingHours,meansOfControlUsesChildren,meansOfControlThreatOfLawEnforcement,meansOfControlWithholdsNecessities,meansOfControlWithholdsDocuments,meansOfControlOther,meansOfControlNotSpecified,meansOfControlConcatenated,isForcedLabour,isSexualExploit,isOtherExploit,isSexAndLabour,isForcedMarriage,isForcedMilitary,isOrganRemoval,isSlaveryAndPractices,typeOfExploitConcatenated,typeOfLabourAgriculture,typeOfLabourAquafarming,typeOfLabourBegging,typeOfLabourConstruction,typeOfLabourDomesticWork,typeOfLabourHospitality,typeOfLabourIllicitActivities,typeOfLabourManufacturing,typeOfLabourMiningOrDrilling,typeOfLabourPeddling,typeOfLabourTransportation,typeOfLabourOther,typeOfLabourNotSpecified,typeOfLabourConcatenated,typeOfSexProstitution,typeOfSexPornography,typeOfSexRemoteInteractiveServices,typeOfSexPrivateSexualServices,typeOfSexConcatenated,isAbduction,RecruiterRelationship,CountryOfExploitation,recruiterRelationIntimatePartner,recruiterRelationFriend,recruiterRelationFamily,recruiterRelationOther,recruiterRelationUnknown
H
check_eq "header is CTDC's, in its order" "$(cat header.txt)" "$(head -1 a.csv | tr -d '\r')"
n=$(($(wc -l < a.csv) - 1))
m=$(sqlite3 d.db "select count(*) from cases")
check_eq "one row per case" "$m" "$n"

# Round trip: CTDC into a new database, out again, compared cell by cell.
"$CTIS" --db e.db init >/dev/null 2>&1
echo '{"type":"agency","id":"ctdc","name":"CTDC import","kind":"other"}' > ag.jsonl
"$CTIS" --db e.db import ag.jsonl >/dev/null 2>&1
check "import ctdc" "$CTIS" --db e.db import --format ctdc --agency ctdc a.csv
"$CTIS" --db e.db export --format ctdc --output b.csv
check "ctis -> CTDC -> ctis -> CTDC: field by field" python3 - a.csv b.csv <<'P'
import csv, sys
a = list(csv.reader(open(sys.argv[1], newline='')))
b = list(csv.reader(open(sys.argv[2], newline='')))
assert a[0] == b[0], "headers differ"
assert len(a) == len(b), (len(a), len(b))
bad = {}
for ra, rb in zip(a[1:], b[1:]):
    for name, x, y in zip(a[0], ra, rb):
        if x != y:
            bad[name] = bad.get(name, 0) + 1
assert not bad, bad
P
check "the round trip is byte-identical" cmp a.csv b.csv
# The fields with a one-to-one mapping keep their ctis values.
check_eq "cases of the round trip" "$m" "$(sqlite3 e.db 'select count(*) from cases')"

# A file shaped like a CTDC download: every column, CRLF, -99, 00, bands.
{
    cat header.txt
    echo '2016,Case Management,Female,18--20,Adult,Minor,-99,KH,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,1,-99,0,1,0,0,0,0,0,0,Sexual exploitation,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,1,-99,-99,-99,Prostitution,-99,Intimate Partner,TH,1,0,0,0,0'
    echo '2017,Hotline,Male,30--38,Adult,-99,-99,00,1,1,0,1,0,0,0,1,0,0,0,1,0,0,0,1,0,0,Debt bondage;Takes earnings,1,0,0,0,0,0,0,0,Forced labour,0,1,0,0,0,0,0,0,0,0,0,0,0,0,-99,-99,-99,-99,-99,0,-99,MY,-99,-99,-99,-99,-99'
    echo '-99,Case Management,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99,-99'
} | sed 's/$/\r/' > download.csv
check "a CTDC download imports" "$CTIS" --db e.db import --format ctdc --agency ctdc --id-prefix dl- download.csv
check_eq "its three rows are cases" 3 "$(sqlite3 e.db "select count(*) from cases where id like 'dl-%'")"
"$CTIS" --db e.db case show dl-0000002 > show.txt
check "row 2 is a woman exploited sexually in Thailand" \
    grep -q '"destination_country":"TH"' show.txt
check "her recruiter was an intimate partner" grep -q '"recruiter_relationship":"intimate_partner"' show.txt
"$CTIS" --db e.db case show dl-0000003 > show.txt
check "row 3: fishing (aquafarming), debt bondage" grep -q '"labour_sector":"fishing"' show.txt

# Bad files: unknown code, wrong type, missing and unknown columns.
before=$(sqlite3 e.db "select count(*) from cases")
bad() { # bad NAME SED_EXPR EXPECTED_MESSAGE
    case $2 in
    awk:*) awk -F, -v OFS=, "${2#awk:}" download.csv > bad.csv ;;
    *) sed "$2" download.csv > bad.csv ;;
    esac
    local line=${3#bad.csv:}
    check_bad_input "$1: exit 3, the line, no value" 3 bad.csv "${line%%:*}" \
        "$CTIS" --db e.db import --format ctdc --agency ctdc --id-prefix bad- bad.csv
    cp "$T/.bad" err.txt
    check "$1: reported with line, column and reason" grep -q -- "$3" err.txt
    check_eq "$1: nothing imported" "$before" "$(sqlite3 e.db 'select count(*) from cases')"
}
bad "unknown gender code" '3s/,Male,/,Mael,/' "bad.csv:3: field 'gender (column 3)': must be Female"
bad "wrong type of year" '2s/^2016,/20x6,/' "bad.csv:2: field 'yearOfRegistration (column 1)': must be a year"
bad "flag neither 1, 0 nor -99" "awk:NR == 2 { \$37 = 2 } { print }" "bad.csv:2: field 'typeOfLabourAgriculture (column 37)': must be 1, 0 or -99"
bad "unknown country" '3s/,MY,/,XX,/' "bad.csv:3: field 'CountryOfExploitation (column 58)'"
bad "unknown age band" '2s/,18--20,/,18-20,/' "bad.csv:2: field 'ageBroad (column 4)': not a CTDC age band"
bad "missing required column" '1s/,gender,/,sex,/' "bad.csv:1: column 3: not a CTDC column"
bad "column given twice" '1s/,citizenship,/,gender,/' "bad.csv:1: column 8 'gender': given twice"
sed '1s/citizenship,//; s/,KH,/,/; s/,00,/,/; 4s/,-99//' download.csv > bad.csv
"$CTIS" --db e.db import --format ctdc --agency ctdc bad.csv > /dev/null 2> err.txt
check "a missing required column is named" grep -q "required column 'citizenship' is missing" err.txt
"$CTIS" --db e.db import --format ctdc download.csv > /dev/null 2> err.txt
check_eq "ctdc import without --agency: exit 3" 3 $?

# Disclosure control, checked by counting (quasi-identifiers: year, sex,
# age band and majority, citizenship, country of exploitation; the public
# case list adds the home area).
kcheck() { # kcheck FILE K COLUMNS...
    python3 - "$@" <<'P'
import csv, sys, collections
f, k, cols = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
rows = list(csv.DictReader(open(f, newline='')))
assert rows, "no rows"
c = collections.Counter(tuple(r[x] for x in cols) for r in rows)
small = {key: n for key, n in c.items() if n < k}
assert not small, "%d combinations below k=%d, e.g. %r" % (len(small), k, list(small.items())[:3])
print("# %d rows, %d combinations, smallest %d" % (len(rows), len(c), min(c.values())))
P
}
CTDC_QI="yearOfRegistration gender ageBroad majorityStatus citizenship CountryOfExploitation"
PUB_QI="year sex age_band majority citizenship country_of_exploitation home_area"
"$CTIS" --db d.db export --format ctdc --public --output p.csv 2> stats.txt
check "public CTDC export is 11-anonymous (counted)" kcheck p.csv 11 $CTDC_QI
check "it prints what it generalised and suppressed" grep -q "value(s) in .* row(s) generalised; .* suppressed" stats.txt
check_eq "internal export is not 11-anonymous (the check can fail)" 1 "$(kcheck a.csv 11 $CTDC_QI >/dev/null 2>&1; echo $?)"
"$CTIS" --db d.db export --format ctdc --public --k 25 --output p25.csv 2>/dev/null
check "--k 25 gives a 25-anonymous export" kcheck p25.csv 25 $CTDC_QI
"$CTIS" --db d.db export --format csv --public --output pc.csv 2>/dev/null
check "public case list (csv) is 11-anonymous" kcheck pc.csv 11 $PUB_QI
"$CTIS" --db d.db export --format jsonl --public --output pj.jsonl 2>/dev/null
check "public JSON Lines are 11-anonymous" python3 - pj.jsonl <<'P'
import json, sys, collections
rows = [json.loads(l) for l in open(sys.argv[1])]
keys = ["year", "sex", "age_band", "majority", "citizenship", "country_of_exploitation", "home_area"]
c = collections.Counter(tuple(r.get(x) for x in keys) for r in rows)
assert min(c.values()) >= 11, min(c.values())
assert all(r["type"] == "public_case" for r in rows)
P
check "a public export suppresses values, it keeps rows" python3 - p.csv a.csv <<'P'
import csv, sys
p = list(csv.reader(open(sys.argv[1], newline='')))
a = list(csv.reader(open(sys.argv[2], newline='')))
assert len(p) == len(a), (len(p), len(a))
P
# No identifying field: names, ids, exact dates of the demo records.
"$CTIS" --db d.db export --output all.jsonl
python3 - all.jsonl > secrets.txt <<'P'
import json, sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    if r["type"] != "case":
        continue
    p = r.get("person", {})
    for k in ("given_name", "family_name", "given_name_km", "family_name_km"):
        if len(p.get(k, "")) > 3:
            print(p[k])
    print(r["id"])
    for e in r.get("events", []):
        print(e["date"])
P
check "the secrets list is not empty" test -s secrets.txt
for f in p.csv pc.csv pj.jsonl; do
    check_fails "$f holds no name, id or exact date" grep -qwF -f secrets.txt "$f"
done
check_fails "--public htcds is refused" "$CTIS" --db d.db export --format htcds --public
check_fails "--k without --public is refused" "$CTIS" --db d.db export --format ctdc --k 5
