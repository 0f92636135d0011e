#!/usr/bin/env bash
# HTCDS 2.0 end to end on real SQLite files: ctis -> HTCDS -> ctis keeps
# every field (JSON Lines and CSV; the cases come back byte-identical in
# ctis's own export, compared field by field); the field names are HTCDS
# 2.0's (read from shared/data/htcds) or ctis_ extensions; a record from
# another system with HTCDS fields only imports; bad records are refused
# with line, field (column) and reason, and nothing is imported.
. "$(dirname "$0")/../lib.sh"
# shared/ beside the checkout (CI), or beside its worktree folder.
D=${HTCDS_DATA:-$CTIS_SRC/../shared/data/htcds}
[ -d "$D" ] || D=$CTIS_SRC/../../shared/data/htcds
STD=$D/field_standards_2.0.csv

"$CTIS" --db d.db demo >/dev/null 2>&1
"$CTIS" --db d.db export --output all.jsonl
grep '"type":"agency"' all.jsonl > ags.jsonl
grep '"type":"case"' all.jsonl > cases.jsonl
check "export htcds (JSON Lines)" "$CTIS" --db d.db export --format htcds --output h.jsonl
check "export htcds-csv" "$CTIS" --db d.db export --format htcds-csv --output h.csv
if [ -f "$STD" ]; then
    check "every field is HTCDS 2.0's or a ctis_ extension" python3 - "$STD" h.csv <<'P'
import csv, sys
std = {r["Field Name including Prefix"] for r in csv.DictReader(open(sys.argv[1], newline=''))}
head = next(csv.reader(open(sys.argv[2], newline='')))
bad = [h for h in head if h not in std and not h.startswith("ctis_")]
assert not bad, bad
assert sum(1 for h in head if h in std) >= 20
P
else
    not_ok "shared/data/htcds is beside the checkout"
fi
for form in htcds htcds-csv; do
    f=h.jsonl
    [ $form = htcds-csv ] && f=h.csv
    rm -f r.db
    "$CTIS" --db r.db init >/dev/null 2>&1
    "$CTIS" --db r.db import ags.jsonl >/dev/null 2>&1
    check "$form: import" "$CTIS" --db r.db import --format $form "$f"
    "$CTIS" --db r.db export | grep '"type":"case"' > back.jsonl
    check "$form: ctis -> HTCDS -> ctis, field by field" python3 - cases.jsonl back.jsonl <<'P'
import json, sys
a = [json.loads(l) for l in open(sys.argv[1])]
b = [json.loads(l) for l in open(sys.argv[2])]
assert len(a) == len(b), (len(a), len(b))
bad = {}
def walk(x, y, path):
    if isinstance(x, dict) and isinstance(y, dict):
        for k in set(x) | set(y):
            walk(x.get(k), y.get(k), path + "." + k)
    elif x != y:
        bad[path] = bad.get(path, 0) + 1
for x, y in zip(a, b):
    walk(x, y, "")
assert not bad, bad
P
    "$CTIS" --db r.db export --format $form --output again
    check "$form: export, import, export is byte-identical" cmp "$f" again
done

# A record from another system: HTCDS fields only, lists, other picklists.
cat > other.jsonl <<'J'
{"prs_Gender":"TransgenderFeminine","prs_Citizenship":["VN","KH"],"vic_TraffickingStatus":"PossibleVictimOfTrafficking","vic_RelationshipToTrafficker":"Familial","vic_MethodsOfControl":["DebtBondage","PsychologicalAbuse"],"vic_TypeOfExploitation":["ForcedLabour"],"vic_ForcedLabourIndustry":"F_Construction","hte_Type":"Exploitation","hte_Country":"TH","cas_Status":"Active","spl_Type":["Health"],"spl_ActualEndDate":["2020-02-03"],"con_Consent":true}
J
check "a record from another system imports" "$CTIS" --db r.db import --format htcds --agency GOV-MOSVY --id-prefix ext- other.jsonl
"$CTIS" --db r.db case show ext-0000001 > show.txt
check "its picklists map to ctis codes" python3 - show.txt <<'P'
import json, sys
t = open(sys.argv[1]).read()
c = json.loads(t[t.index("{"):t.rindex("}") + 1])
assert c["person"]["sex"] == "other", c["person"]
assert c["person"]["citizenship"] == "VN"
assert c["recruiter_relationship"] == "family"
assert set(c["means"]) == {"debt_bondage", "other"}, c["means"]
assert c["labour_sector"] == "construction"
assert c["destination_country"] == "TH"
assert c["trafficking_status"] == "possible"
assert [e["type"] for e in c["events"]] == ["service"]
P

# Bad records: all or nothing, line, field and reason, never the value.
before=$(sqlite3 r.db "select count(*) from cases")
bad() { # bad NAME FORMAT FILE EXPECTED
    "$CTIS" --db r.db import --format "$2" --agency GOV-MOSVY --id-prefix bad- "$3" > /dev/null 2> err.txt
    check_eq "$1: exit 3" 3 $?
    check "$1: line, field and reason" grep -qF -- "$4" err.txt
    check_eq "$1: nothing imported" "$before" "$(sqlite3 r.db 'select count(*) from cases')"
}
{ head -2 h.jsonl; echo '{"prs_Gender":"Feminine","vic_TraffickingStatus":"Victim","prs_FirstName":"Secretname"}'; } > b1.jsonl
bad "unknown picklist code" htcds b1.jsonl "b1.jsonl:3: field 'vic_TraffickingStatus': not a value of the HTCDS 2.0 picklist"
check_fails "the problem never quotes a value" grep -q Secretname err.txt
echo '{"prs_Gender":"Feminine","vic_TraffickingStatus":"ActualVictimOfTrafficking","ctis_AgeAtIdentification":"12"}' > b2.jsonl
bad "wrong JSON type" htcds b2.jsonl "b2.jsonl:1: field 'ctis_AgeAtIdentification': must be a whole number"
echo '{"prs_Gender":"Feminine"}' > b3.jsonl
bad "missing required field" htcds b3.jsonl "b3.jsonl:1: field 'vic_TraffickingStatus': required"
echo '{"prs_Gender":"Feminine","vic_TraffickingStatus":"ActualVictimOfTrafficking","prs_ShoeSize":"40"}' > b4.jsonl
bad "unknown field" htcds b4.jsonl "b4.jsonl:1: field 'prs_ShoeSize': not an HTCDS 2.0 field"
echo '{"prs_Gender":"Feminine",' > b5.jsonl
bad "broken JSON" htcds b5.jsonl "b5.jsonl:1: not a JSON object (column"
awk -F, -v OFS=, 'NR == 3 { $10 = "Woman" } { print }' h.csv > b6.csv
bad "CSV: unknown code in a column" htcds-csv b6.csv "b6.csv:3: field 'prs_Gender (column 10)': not a value of the HTCDS 2.0 picklist"
sed '1s/vic_TraffickingStatus/vic_Status/' h.csv > b7.csv
bad "CSV: unknown column" htcds-csv b7.csv "b7.csv:1: column 18: not an HTCDS 2.0 field"
cut -d, -f1-17 h.csv > b8.csv
bad "CSV: missing required column" htcds-csv b8.csv "required column 'vic_TraffickingStatus' is missing"
