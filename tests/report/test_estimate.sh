# The datasheet's estimated total: no section until persons are linked
# across three agencies; after 'ctis link --from-db --save' the report
# estimates the total from the lists' overlap. 400 synthetic persons, 322
# of them on at least one list: the interval must hold the true 400. On
# PostgreSQL (when make test started a cluster) the same figures come out.
. "$(dirname "$0")/../lib.sh"
python3 "$CTIS_SRC/tests/report/data/linked_lists.py" > cases.jsonl
check "import three agencies' lists" "$CTIS" --db e.db import cases.jsonl
"$CTIS" --db e.db report --format json > before.json
check "no estimate before linkage" python3 -c "
import json; assert json.load(open('before.json'))['estimated_total'] is None"
"$CTIS" --db e.db report --format md > before.md
check "the markdown says what is needed" grep -q "ctis link --from-db --save" before.md
"$CTIS" --db e.db link --input cases.jsonl --save --output x.csv > /dev/null 2>&1
check_eq "--save without --from-db is a usage error" 2 $?
check "link the store's persons and save them" "$CTIS" --db e.db link --from-db --save --output clusters.csv
"$CTIS" --db e.db report --format json > after.json
check "the estimate: lists, observed, existence, interval holds 400" python3 -c "
import json
e = json.load(open('after.json'))['estimated_total']
assert e['lists'] == ['police', 'shelter', 'ministry'], e['lists']
assert 310 <= e['observed'] <= 322, e['observed']
assert e['existence'] == 'ok', e
assert e['estimate'] > e['observed'] and abs(e['dark_figure'] - (e['estimate'] - e['observed'])) < 1e-6
assert e['profile_ci']['lower'] <= 400 <= e['profile_ci']['upper'], e['profile_ci']
assert e['ci']['lower'] < e['estimate'] < e['ci']['upper']"
"$CTIS" --db e.db report --format md > after.md
check "the markdown section shows the estimate and its caveats" sh -c "grep -q 'Estimated total' after.md && grep -q 'closed population' after.md"
"$CTIS" --db e.db report --format html > after.html
check "the html section too" grep -q "An estimate of the total" after.html
"$CTIS" --db e.db report --public --format json > public.json
check "published with k = 11 (observed far above it)" python3 -c "
import json; e = json.load(open('public.json'))['estimated_total']; assert not e['suppressed'] and e['estimate'] > 0"
check "linking again replaces the links" "$CTIS" --db e.db link --from-db --save --output clusters2.csv
"$CTIS" --db e.db report --format json > again.json
check "the same estimate after linking again" python3 -c "
import json
a = json.load(open('after.json'))['estimated_total']; b = json.load(open('again.json'))['estimated_total']
assert a == b, (a, b)"
if [ -n "${CTIS_TEST_PG:-}" ]; then
    url="$CTIS_TEST_PG/ctis_estimate_$$"
    "$CTIS" --db "$url" import cases.jsonl > /dev/null 2>&1
    check "postgresql: link and save" "$CTIS" --db "$url" link --from-db --save --output pgc.csv
    "$CTIS" --db "$url" report --format json > pg.json
    check "postgresql: the same estimated total as sqlite" python3 -c "
import json
a = json.load(open('after.json'))['estimated_total']; b = json.load(open('pg.json'))['estimated_total']
assert a == b, (a, b)"
fi
