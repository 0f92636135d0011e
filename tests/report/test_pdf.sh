#!/usr/bin/env bash
# ctis report --format pdf|svg|xlsx on the demo database: an A4 PDF in
# English and in Khmer (--lang km) whose text pdftotext reads back (the
# seed's figures, the Khmer headings, shaped by pango), pages rendered by
# pdftoppm into $CTIS_BUILD/test-pages for a person to look at; each chart
# alone as SVG; each datasheet table on its own workbook sheet, read back
# by LibreOffice.
. "$(dirname "$0")/../lib.sh"
PAGES=${CTIS_BUILD:-$CTIS_SRC/build}/test-pages
mkdir -p "$PAGES"

"$CTIS" --db d.db demo >/dev/null 2>&1
check "report pdf" "$CTIS" --db d.db report --from 2005 --to 2008 --format pdf --output en.pdf
check "report pdf --lang km" "$CTIS" --db d.db report --from 2005 --to 2008 --format pdf --lang km --output km.pdf
check "report pdf to stdout" sh -c "'$CTIS' --db d.db report --from 2005 --to 2008 --format pdf > out.pdf"
check "stdout and --output give the same PDF" cmp en.pdf out.pdf
check "the PDF is A4" sh -c "pdfinfo en.pdf | grep -q 'Page size: *595.28 x 841.89 pts (A4)'"
pdftotext -layout en.pdf en.txt
for f in 186 252 160 105 93 113 224 745 19 854 580 185 1949 3700; do
    check "pdftotext finds $f" grep -qw "$f" en.txt
done
check "the seed's sentence on rescues" grep -q "In 2008, 854 trafficking victims were rescued" en.txt
check "the repatriation tables" grep -q "Official repatriations: Thailand → Cambodia" en.txt
check "N/A where a corridor has no record" grep -q "N/A" en.txt
pdftotext km.pdf km.txt
tr -d ' \n' < km.txt > km.flat
for h in "ប្រទេសកម្ពុជា" "ជនរងគ្រោះតាមភេទនិងក្រុមអាយុ" "ការបញ្ជូនមកវិញជាផ្លូវការ" "ស្ថាប័នតាមប្រភេទនិងសសរស្តម្ភ" "ខេត្តប្រភព" "ប្រទេសគោលដៅ"; do
    check "pdftotext finds the Khmer '$h'" grep -qF "$h" km.flat
done
check "Khmer province names from model/" grep -qF "ព្រៃវែង" km.flat
check "the Khmer PDF keeps the figures" grep -qw 745 km.txt
check "the Khmer PDF embeds a Khmer font" sh -c "pdffonts km.pdf | grep -qi khmer"
rm -f "$PAGES"/datasheet-*.png
check "pdftoppm renders the English pages" pdftoppm -r 72 -png en.pdf "$PAGES/datasheet-en"
check "pdftoppm renders the Khmer pages" pdftoppm -r 72 -png km.pdf "$PAGES/datasheet-km"
n=$(pdfinfo en.pdf | awk '/^Pages:/ { print $2 }')
check_eq "one PNG per page" "$n" "$(ls "$PAGES"/datasheet-en-*.png | wc -l)"
"$CTIS" --db d.db report --from 2005 --to 2008 --public --format pdf --output pub.pdf
pdftotext pub.pdf pub.txt
check "a public PDF marks suppressed counts" grep -q "Disclosure control: counts from 1 to 10" pub.txt

# Each chart alone as SVG.
check "report svg writes every chart" "$CTIS" --db d.db report --from 2005 --to 2008 --format svg --output c.svg
for c in repatriations cases_by_year sex_age; do
    check "chart $c is well-formed SVG" python3 -c "
import xml.etree.ElementTree as E, sys
r = E.parse('c-$c.svg').getroot()
assert r.tag.endswith('svg'), r.tag"
done
check "--chart to stdout" sh -c "'$CTIS' --db d.db report --from 2005 --to 2008 --format svg --chart sex_age | grep -q '<svg'"
check_fails "an unknown chart is a usage error" "$CTIS" --db d.db report --format svg --chart pie

# The datasheet as a workbook.
check_fails "xlsx needs --output" "$CTIS" --db d.db report --format xlsx
check "report xlsx" "$CTIS" --db d.db report --from 2005 --to 2008 --format xlsx --output r.xlsx
mkdir -p u && (cd u && unzip -q ../r.xlsx)
check "a sheet per datasheet table" python3 - u/xl/workbook.xml <<'P'
import re, sys
names = re.findall(r'<sheet name="([^"]+)"', open(sys.argv[1]).read())
want = ["sex_age", "exploitation", "labour_sectors", "source_provinces",
        "destination_provinces", "movement", "destination_countries",
        "cases_by_year", "agencies", "activities", "rescues",
        "repatriations_TH_KH", "repatriations_VN_KH", "repatriations_MY_KH",
        "repatriations_KH_VN", "criminal_cases", "instruments"]
assert names == want, names
P
check "header rows are frozen" grep -q 'state="frozen"' u/xl/worksheets/sheet12.xml
if command -v libreoffice >/dev/null 2>&1; then
    timeout 300 libreoffice -env:UserInstallation=file://$T/lo --headless \
        --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1' \
        --outdir lo r.xlsx >lo.txt 2>&1
    check "libreoffice reads the workbook" test -f lo/r-repatriations_TH_KH.csv
    check_eq "Thailand to Cambodia, as in the seed" "2005,186 2006,252 2007,160 2008,105" \
        "$(sed -n '3,6p' lo/r-repatriations_TH_KH.csv | tr '\n' ' ' | sed 's/ $//')"
    check "the rescue sheet holds 854, 580, 89, 185" grep -q '^2008,854,580,89,185,0,0' lo/r-rescues.csv
else
    not_ok "libreoffice is installed (scripts/deps.sh: libreoffice-calc-nogui)"
fi
