#!/usr/bin/env bash
# ctis import of CSV as Excel saves it: UTF-8 with a byte order mark and
# CRLF line ends, for the flat case list, CTDC and HTCDS CSV; and a case
# list that went through a spreadsheet (LibreOffice, headless: CSV to XLSX
# and back to CSV) imports to the same cases.
. "$(dirname "$0")/../lib.sh"

"$CTIS" --db d.db demo >/dev/null 2>&1
"$CTIS" --db d.db export --output all.jsonl
grep '"type":"agency"' all.jsonl > ags.jsonl
excel() { printf '\357\273\277'; sed 's/\r$//; s/$/\r/' "$1"; }
fresh() {
    rm -f "$1"
    "$CTIS" --db "$1" init >/dev/null 2>&1
    "$CTIS" --db "$1" import ags.jsonl >/dev/null 2>&1
}
"$CTIS" --db d.db export --format csv --output cases.csv
excel cases.csv > excel.csv
check "the Excel file has a BOM" sh -c "head -c 3 excel.csv | od -An -tx1 | grep -q 'ef bb bf'"
check "and CRLF line ends" grep -q $'\r$' excel.csv
fresh e.db
check "a case list with BOM and CRLF imports" "$CTIS" --db e.db import excel.csv
"$CTIS" --db e.db export --format csv --output back.csv
check "the same cases come back" cmp cases.csv back.csv
"$CTIS" --db d.db export --format ctdc --output ctdc.csv
excel ctdc.csv > ctdc-excel.csv
echo '{"type":"agency","id":"ctdc","name":"CTDC","kind":"other"}' > ctdc-ag.jsonl
"$CTIS" --db e.db import ctdc-ag.jsonl >/dev/null 2>&1
check "CTDC with BOM and CRLF imports" "$CTIS" --db e.db import --format ctdc --agency ctdc --id-prefix x- ctdc-excel.csv
"$CTIS" --db d.db export --format htcds-csv --output h.csv
excel h.csv > h-excel.csv
fresh h.db
check "HTCDS CSV with BOM and CRLF imports" "$CTIS" --db h.db import --format htcds-csv h-excel.csv
"$CTIS" --db h.db export --format htcds-csv --output h-back.csv
check "HTCDS CSV comes back the same" cmp h.csv h-back.csv
if command -v libreoffice >/dev/null 2>&1; then
    head -200 cases.csv > few.csv
    LO="timeout 300 libreoffice -env:UserInstallation=file://$T/lo --headless"
    $LO --convert-to xlsx --outdir xl few.csv >lo1.txt 2>&1
    $LO --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1' --outdir csv xl/few.xlsx >lo2.txt 2>&1
    check "a spreadsheet round trip gives a CSV" test -s csv/few.csv
    fresh s.db
    check "which imports" "$CTIS" --db s.db import --format csv csv/few.csv
    n=$("$CTIS" --db s.db export --format csv | wc -l)
    check_eq "every row of it" 200 "$n"
else
    not_ok "libreoffice is installed (scripts/deps.sh: libreoffice-calc-nogui)"
fi
