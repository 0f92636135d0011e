#!/usr/bin/env bash
# ctis report --public: cell suppression below the threshold (k = 11)
# and secondary suppression such that no suppressed cell can be recovered
# from the report's totals. Checked independently of stats/: the relations
# a reader can see in the JSON report (documented in docs/datasheet.md)
# are rebuilt here in Python, and exact rational Gaussian elimination
# shows that no suppressed cell is determined by them (every suppressed
# count is positive, so a cell not determined can take a range of values).
. "$(dirname "$0")/../lib.sh"

"$CTIS" --db d.db demo >/dev/null 2>&1
audit() { # audit FILE THRESHOLD
    python3 - "$1" "$2" <<'P'
import json, sys
from fractions import Fraction
d = json.load(open(sys.argv[1]))
k = int(sys.argv[2])
assert d["disclosure"]["k"] == k, d["disclosure"]
cells = []          # (name, value or None)
def cell(name, v):
    cells.append((name, v))
    return len(cells) - 1
rel = []            # (totals, parts): sum totals == sum parts
def rows(key, field, label):
    return [cell("%s %s" % (key, r[label]), r[field]) for r in d[key]]
for r in d["rescues"]:
    t = cell("rescues %d persons" % r["year"], r["persons"])
    ps = [cell("rescues %d %s" % (r["year"], x), v) for x, v in r["referred_to"].items()]
    rel.append(([t], ps))
rep = [cell("repatriation %s-%s %d" % (r["from"], r["to"], r["year"]), r["persons"]) for r in d["repatriations"]]
rel.append(([cell("repatriated", d["repatriated"])], rep))
total = cell("cases", d["cases"])
rel.append(([total], rows("cases_by_year", "cases", "year")))
mov = {r["movement"]: cell("movement " + r["movement"], r["cases"]) for r in d["movement"]}
rel.append(([total], list(mov.values())))
rel.append(([total], [cell("sex_age %s %s" % (r["sex"], r["age_group"]), r["cases"]) for r in d["persons_by_sex_age"]]))
def m(x):
    return [mov[x]] if x in mov else []
rel.append((m("internal") + m("cross_border_out"), rows("source_provinces", "cases", "province")))
rel.append((m("internal") + m("cross_border_in"), rows("destination_provinces", "cases", "province")))
rel.append((m("cross_border_out"), rows("destination_countries", "cases", "country")))
fl = [cell("exploitation forced_labour", r["cases"]) for r in d["exploitation"] if r["exploitation"] == "forced_labour"]
rel.append((fl, rows("labour_sectors", "cases", "sector")))
# Each name is one cell (the movement cells appear in several relations).
index = {}
for i, (name, v) in enumerate(cells):
    index.setdefault(name, i)
hidden = sorted({index[n] for n, v in cells if v is None})
shown_small = [(n, v) for n, v in cells if v is not None and 0 < v < k]
assert not shown_small, "cells below the threshold are shown: %r" % shown_small[:5]
col = {h: j for j, h in enumerate(hidden)}
mat = []
for ts, ps in rel:
    row = [Fraction(0)] * len(hidden)
    for s, group in ((1, ts), (-1, ps)):
        for c in group:
            c = index[cells[c][0]]
            if c in col:
                row[col[c]] += s
    if any(row):
        mat.append(row)
def rank(m):
    m = [r[:] for r in m]
    rk = 0
    for c in range(len(hidden)):
        p = next((i for i in range(rk, len(m)) if m[i][c] != 0), None)
        if p is None:
            continue
        m[rk], m[p] = m[p], m[rk]
        for i in range(len(m)):
            if i != rk and m[i][c] != 0:
                f = m[i][c] / m[rk][c]
                m[i] = [a - f * b for a, b in zip(m[i], m[rk])]
        rk += 1
    return rk
base = rank(mat)
determined = []
for h, j in col.items():
    e = [Fraction(0)] * len(hidden)
    e[j] = Fraction(1)
    if rank(mat + [e]) == base:
        determined.append(cells[h][0])
assert not determined, "recoverable from the totals: %r" % determined
print("# threshold %d: %d suppressed cells, %d relations, none recoverable" % (k, len(hidden), len(mat)))
P
}
"$CTIS" --db d.db report --public --format json --output p11.json
check "--public suppresses below 11 and nothing is recoverable" audit p11.json 11
"$CTIS" --db d.db report --k 5 --format json --output p5.json
check "--k 5: nothing recoverable from the totals" audit p5.json 5
for k in 60 150 400; do
    "$CTIS" --db d.db report --k $k --format json --output p$k.json
    check "--k $k: nothing recoverable from the totals" audit p$k.json $k
done
"$CTIS" --db d.db report --k 150 --from 2007 --to 2007 --format json --output y.json
check "one year, --k 150: nothing recoverable" audit y.json 150
# The check can fail: publish a count and it sees through the totals.
python3 - p60.json > leak.json <<'P'
import json, sys
d = json.load(open(sys.argv[1]))
hid = [r for r in d["movement"] if r["cases"] is None]
assert hid, "no suppressed movement cell at k=60"
d["movement"] = [dict(r, cases=r["cases"] if r["cases"] is not None else 0) for r in d["movement"]]
d["movement"][[i for i, r in enumerate(d["movement"]) if r["movement"] == hid[0]["movement"]][0]]["cases"] = None
print(json.dumps(d))
P
check_fails "a report with one hidden cell of a shown total fails the check" audit leak.json 60
