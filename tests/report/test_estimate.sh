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
check "3 lists: the existence check, the next-best model and the few-lists warning" python3 -c "
import json
e = json.load(open('after.json'))['estimated_total']
assert e['next_best'] is not None and e['next_best']['model'] and e['stable'] in (True, False), e
assert abs(e['next_best']['shift_se'] - (e['next_best']['estimate'] - e['estimate']) / e['se']) < 1e-9, e
assert [w['code'] for w in e['warnings']] == ['few_lists'], e['warnings']
assert 'only 3 lists' in e['warnings'][0]['message'], e['warnings']"
check "the markdown: existence check, next-best model, stability, warning" sh -c "
grep -q 'Existence check.*passed' after.md && grep -q '^Next-best model: .* standard errors away: the estimate is' after.md &&
grep -q '^- Warning: only 3 lists' after.md"
check "the html: the warnings as a list" grep -q "<li>Warning: only 3 lists" after.html

# A four-list table (tests/report/data/unstable.csv) whose stepwise model
# (main effects, 191.07) moves 1.75 standard errors under the next-best
# model (police:shelter, 215.77), with a list of 8 persons: the datasheet
# shows what 'ctis estimate' shows on the same table, figure for figure.
python3 "$CTIS_SRC/tests/report/data/pattern_lists.py" "$CTIS_SRC/tests/report/data/unstable.csv" > u.jsonl
"$CTIS" --db u.db import u.jsonl > /dev/null 2>&1
check "link the four lists" "$CTIS" --db u.db link --from-db --save --output u.csv
"$CTIS" --db u.db report --format json > u.json
"$CTIS" estimate --input "$CTIS_SRC/tests/report/data/unstable.csv" --format json > est.json
check "the datasheet's estimate, next-best model and warnings are ctis estimate's" python3 -c "
import json
e = json.load(open('u.json'))['estimated_total']; x = json.load(open('est.json'))
assert e['observed'] == x['observed'] == 137, (e['observed'], x['observed'])
for a, b in ((e['estimate'], x['estimate']), (e['se'], x['se']), (e['ci']['lower'], x['ci']['lower']),
             (e['ci']['upper'], x['ci']['upper']), (e['next_best']['estimate'], x['next_best']['estimate']),
             (e['next_best']['shift_se'], x['next_best']['shift_se']), (e['next_best']['p'], x['next_best']['p'])):
    assert abs(a - b) <= 1e-9 * abs(b), (a, b)
assert round(e['estimate'], 2) == 191.07 and round(e['next_best']['estimate'], 2) == 215.77, e
assert e['model'] == 'main effects' and e['next_best']['model'] == 'shelter:police', e
assert e['next_best']['change'] == 'add' and e['existence'] == 'ok' and e['stable'] is False and x['stable'] is False
assert [w['code'] for w in e['warnings']] == ['small_list', 'unstable'] == [w['code'] for w in x['warnings']], e['warnings']
assert \"'clinic' (8)\" in e['warnings'][0]['message'], e['warnings']
assert '1.75 standard errors away' in e['warnings'][1]['message'], e['warnings']"
"$CTIS" --db u.db report --format md > u.md
check "the markdown says unstable and names the small list" sh -c "
grep -q 'the estimate is unstable' u.md && grep -q \"^- Warning: lists with under 20 persons: 'clinic' (8)\" u.md &&
grep -q '^- Warning: unstable: the next-best model (shelter:police) gives 215.77, 1.75 standard errors away' u.md"
"$CTIS" --db u.db report --public --format json > upub.json
"$CTIS" --db u.db report --public --format md > upub.md
check "published (k = 11): the small list's size is not shown" python3 -c "
import json
e = json.load(open('upub.json'))['estimated_total']
assert \"'clinic' (under 11)\" in e['warnings'][0]['message'], e['warnings']
assert '(8)' not in open('upub.md').read() and '(8)' not in open('upub.json').read()"
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
