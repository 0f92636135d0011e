# No leaks and no invalid memory use under valgrind, on the gcc build (the
# ASan build is checked by LeakSanitizer in every other test): import,
# export, demo, report and the error paths of an invalid import.
. "$(dirname "$0")/../lib.sh"
BIN=$CTIS_SRC/build/ctis
VG="valgrind -q --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect --error-exitcode=99"
S=$CTIS_SRC/fuzz/corpus/jsonl
cat "$S/agency.json" "$S/case.json" "$S/criminal.json" "$S/activity.json" \
    "$S/instrument.json" > all.jsonl
vg() { # vg NAME ARGS...: ok unless valgrind reports an error (status 99)
    local name=$1
    shift
    $VG "$BIN" "$@" >/dev/null 2>"$T/vg.txt"
    if [ $? -eq 99 ]; then
        not_ok "valgrind: $name"
        head -30 "$T/vg.txt" | sed 's/^/#   /'
    else
        ok "valgrind: $name"
    fi
}
vg "import" --db v.db import all.jsonl
vg "export" --db v.db export
vg "export csv public" --db v.db export --format csv --public
vg "invalid import" --db v.db import "$S/invalid.json"
vg "case show" --db v.db case show C-1
vg "demo" --db d.db demo
vg "report json" --db d.db report --format json
vg "report html" --db d.db report --format html --public
vg "usage error" --db d.db report --from 3000
vg "export ctdc public" --db d.db export --format ctdc --public --output p.csv
vg "export htcds" --db d.db export --format htcds --output h.jsonl
vg "export htcds-csv" --db d.db export --format htcds-csv --output h.csv
vg "export xlsx" --db d.db export --format xlsx --output x.xlsx
vg "report xlsx" --db d.db report --format xlsx --output r.xlsx
"$BIN" --db d.db export --format ctdc --output c.csv
"$BIN" --db e.db import all.jsonl >/dev/null 2>&1
vg "import ctdc" --db e.db import --format ctdc --agency ngo-1 c.csv
vg "import htcds" --db e.db import --format htcds h.jsonl
vg "import htcds-csv" --db e.db import --format htcds-csv h.csv
