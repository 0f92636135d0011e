#!/usr/bin/env bash
# Web interface benchmark (issue 14): on a database of BENCH_CASES cases
# (default 1,000,000, bench/gen_cases), a real `ctis serve` and Debian's
# chromium (playwright-core from tests/web):
#  - the first page's weight (bytes transferred, target < 300 KB);
#  - the case list's first page rendered after a full load, a case
#    worker of one of the 20 agencies (50 000 cases each at 1M), median
#    of 5 loads (target < 1 s), next to the time of the same API request
#    alone (fetch from the page), the reference measured in the same run.
# Printed, not asserted.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${BENCH_CASES:-1000000}
CTIS_BIN=${CTIS_BIN:-$PWD/build/ctis}
W=build/bench-web
rm -rf "$W"
mkdir -p "$W"
if [ ! -d tests/web/node_modules/playwright-core ]; then
    (cd tests/web && npm ci --no-audit --no-fund --ignore-scripts >/dev/null)
fi
echo "generating and importing $N cases..."
build/bench/gen_cases "$N" "$W/big" 1
"$CTIS_BIN" --db "$W/web.db" import --no-progress "$W/big.jsonl" >/dev/null
rm -f "$W"/big.*
printf 'correct-horse-battery-1\n' > "$W/pw"
"$CTIS_BIN" --db "$W/web.db" user add --username bench --agency ngo-1 \
    --role case_worker --password-file "$W/pw" >/dev/null
N="$N" CTIS="$CTIS_BIN" DB="$W/web.db" WEB_DIR="$PWD/web" W="$W" \
    node bench/web.mjs
rm -rf "$W"
