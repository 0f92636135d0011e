#!/usr/bin/env bash
# ctis export --format xlsx: the workbook unpacks (one sheet per record
# type, a header row, frozen panes, dates as dates) and LibreOffice
# (headless, Debian's libreoffice-calc-nogui) reads every sheet back with
# the same rows as the database.
. "$(dirname "$0")/../lib.sh"

"$CTIS" --db d.db demo >/dev/null 2>&1
check_fails "xlsx needs --output" "$CTIS" --db d.db export --format xlsx
check "export xlsx" "$CTIS" --db d.db export --format xlsx --output x.xlsx
check "the workbook is a zip" unzip -tq x.xlsx
mkdir -p u && (cd u && unzip -q ../x.xlsx)
sheets=$(python3 - u/xl/workbook.xml <<'P'
import re, sys
print(" ".join(re.findall(r'<sheet name="([^"]+)"', open(sys.argv[1]).read())))
P
)
check_eq "one sheet per record type" "agencies cases events criminal_cases offenders activities instruments" "$sheets"
check "the cases sheet has frozen panes" grep -q 'state="frozen"' u/xl/worksheets/sheet2.xml
check "the header row is bold" grep -q '<b/>' u/xl/styles.xml
check "dates have a date format" grep -q 'formatCode="yyyy-mm-dd"' u/xl/styles.xml
check "shared strings hold the header" grep -q '<t>trafficking_status</t>' u/xl/sharedStrings.xml
if command -v libreoffice >/dev/null 2>&1; then
    timeout 300 libreoffice -env:UserInstallation=file://$T/lo --headless \
        --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1' \
        --outdir lo x.xlsx >lo.txt 2>&1
    check "libreoffice reads the workbook back" test -f lo/x-cases.csv
    n=$(($(wc -l < lo/x-cases.csv) - 1))
    check_eq "every case is a row of the cases sheet" "$(sqlite3 d.db 'select count(*) from cases')" "$n"
    n=$(($(wc -l < lo/x-events.csv) - 1))
    check_eq "every event is a row of the events sheet" "$(sqlite3 d.db 'select count(*) from event')" "$n"
    check "dates read back as dates" grep -qE '^C-000001,identification,2005-05-18,' lo/x-events.csv
    check "Khmer names survive" grep -q 'វណ្ណៈ' lo/x-cases.csv
else
    not_ok "libreoffice is installed (scripts/deps.sh: libreoffice-calc-nogui)"
fi
check_fails "xlsx --public is refused" "$CTIS" --db d.db export --format xlsx --public --output p.xlsx
