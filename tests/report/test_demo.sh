#!/usr/bin/env bash
# ctis demo and ctis report end to end: the demo database reproduces every
# figure of the UNIAP Cambodia datasheet exactly in
# `ctis report --from 2005 --to 2008 --format json`; Markdown and HTML
# render with the seed's sections; the same seed gives identical output, a
# different seed the same figures; --public suppresses small cells; bad
# arguments are usage errors (exit 2).
. "$(dirname "$0")/../lib.sh"

# check_seed NAME FILE: every seed figure in a JSON datasheet.
check_seed() {
    python3 - "$2" <<'EOF' >"$T/.seed" 2>&1
import json, sys
d = json.load(open(sys.argv[1]))
bad = []
def eq(what, got, want):
    if got != want:
        bad.append("%s: got %r, want %r" % (what, got, want))
rep = {(r["from"], r["to"], r["year"]): r["persons"]
       for r in d["repatriations"]}
want = {("TH", "KH"): [186, 252, 160, 105],
        ("VN", "KH"): [93, 113, 224, 745],
        ("MY", "KH"): [19, 6, 3, 18],
        ("KH", "VN"): [12, 5, 8, None]}
for (f, t), ns in want.items():
    for y, n in zip(range(2005, 2009), ns):
        eq("repatriations %s->%s %d" % (f, t, y), rep.get((f, t, y)), n)
eq("repatriation rows", len(d["repatriations"]), 15)
eq("repatriated", d["repatriated"], 1949)
r8 = [r for r in d["rescues"] if r["year"] == 2008]
eq("rescue years", [r["year"] for r in d["rescues"]], [2008])
if r8:
    eq("rescued 2008", r8[0]["persons"], 854)
    eq("referred 2008", r8[0]["referred_to"],
       {"family": 580, "ngo": 89, "ministry": 185, "other": 0, "none": 0})
inv = {r["kind"]: (r["cases"], r["offenders"]) for r in d["investigations"]}
eq("domestic investigations", inv.get("domestic"), (58, 91))
eq("cross-border investigations", inv.get("cross_border"), (43, 70))
for t in ("source_provinces", "destination_provinces",
          "destination_countries", "exploitation"):
    ns = [r["cases"] for r in d[t]]
    eq(t + " descending", ns, sorted(ns, reverse=True))
src = [r["province"] for r in d["source_provinces"]]
for p in ("KH-3", "KH-14", "KH-8", "KH-21", "KH-2", "KH-12", "KH-1",
          "KH-20"):
    if p not in src:
        bad.append("source province %s missing" % p)
dst = [r["province"] for r in d["destination_provinces"]]
eq("destination provinces", sorted(dst),
   sorted(["KH-12", "KH-9", "KH-18", "KH-17", "KH-1", "KH-2"]))
eq("top destination", dst[:1], ["KH-12"])
cty = set(r["country"] for r in d["destination_countries"])
eq("destination countries", cty >= {"TH", "VN", "MY", "SA", "TW", "KR",
                                    "US", "SO"}, True)
eq("exploitation kinds", set(r["exploitation"] for r in d["exploitation"])
   >= {"sexual", "forced_labour", "forced_marriage", "illegal_adoption"},
   True)
ages = set(r["age_group"] for r in d["persons_by_sex_age"])
eq("age groups", ages >= {"child", "adult"}, True)
ag = {r["kind"]: r["agencies"] for r in d["agencies"]["by_kind"]}
eq("government agencies", ag.get("government"), 5)
eq("UN agencies", ag.get("un"), 8)
if ag.get("ngo", 0) <= 100:
    bad.append("NGOs: %r, want over 100" % ag.get("ngo"))
eq("instruments", len(d["instruments"]), 13)
eq("instrument kinds", sorted(set(i["kind"] for i in d["instruments"])),
   sorted(["law", "mou", "plan", "sop", "sub_decree", "agreement",
           "constitution"]))
years = {i["title"]: i["year"] for i in d["instruments"]}
eq("Constitution", years.get("Cambodian Constitution"), 1993)
eq("COMMIT MOU", years.get("The COMMIT MOU"), 2004)
eq("suppressed", d["disclosure"]["suppressed_cells"], 0)
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
EOF
    if [ $? -eq 0 ]; then ok "$1"; else not_ok "$1"; sed 's/^/#   /' "$T/.seed"; fi
}

check "demo seed 1" "$CTIS" --db "$T/a.db" demo
check "report json" sh -c "'$CTIS' --db '$T/a.db' report --from 2005 --to 2008 --format json >'$T/a.json'"
check_seed "seed 1 reproduces every datasheet figure" "$T/a.json"

check "demo seed 1 again" "$CTIS" --db "$T/b.db" demo --seed 1
"$CTIS" --db "$T/b.db" report --from 2005 --to 2008 --format json >"$T/b.json"
check "same seed, identical JSON" cmp "$T/a.json" "$T/b.json"
"$CTIS" --db "$T/a.db" report --from 2005 --to 2008 --format md >"$T/a.md"
"$CTIS" --db "$T/b.db" report --from 2005 --to 2008 --format md >"$T/b.md"
check "same seed, identical Markdown" cmp "$T/a.md" "$T/b.md"

check "demo seed 42" "$CTIS" --db "$T/c.db" demo --seed=42
"$CTIS" --db "$T/c.db" report --from 2005 --to 2008 --format json >"$T/c.json"
check_seed "seed 42 reproduces every datasheet figure" "$T/c.json"
check_fails "different seed, different records" cmp -s "$T/a.json" "$T/c.json"

# The summary line on stderr counts what was written.
"$CTIS" --db "$T/s.db" demo --seed 3 2>"$T/summary.txt" >/dev/null
check "demo summary on stderr" grep -qE '^demo \(seed 3\): 118 agencies, [0-9]+ cases, 101 criminal cases, [0-9]+ activities, 13 instruments$' "$T/summary.txt"

# Export and re-import keep the datasheet.
check "export demo" "$CTIS" --db "$T/a.db" export --output "$T/a.jsonl"
check "import into a new database" "$CTIS" --db "$T/r.db" import "$T/a.jsonl"
"$CTIS" --db "$T/r.db" report --from 2005 --to 2008 >"$T/r.json"
check "round trip keeps the datasheet" cmp "$T/a.json" "$T/r.json"

# Markdown and HTML carry the seed's sections.
check "report html" "$CTIS" --db "$T/a.db" report --from 2005 --to 2008 --format html --output "$T/a.html"
for s in "Who is being trafficked?" \
    "Where do trafficked persons come from and how are they exploited?" \
    "Types of cross-border and internal trafficking" \
    "What is the scale of human trafficking in and from Cambodia?" \
    "Who is working against human trafficking in Cambodia?" \
    "How many trafficking victims are rescued and repatriated each year?" \
    "What is happening to the traffickers in Cambodia?" \
    "What are the guiding principles behind counter-trafficking efforts"; do
    check "md has '$s'" grep -qF "$s" "$T/a.md"
    check "html has '$s'" grep -qF "$s" "$T/a.html"
done
check "md: KH->VN 2008 is N/A" grep -qF "| 2008 | N/A |" "$T/a.md"
check "md: rescues sentence" grep -qF "In 2008, 854 trafficking victims were rescued; 580 were sent back to their families, 89 were sent to NGOs and 185" "$T/a.md"
check "md: investigations sentence" grep -qF "58 cases of domestic trafficking were investigated involving 91 offenders, and 43 cases of cross-border trafficking were investigated involving 70 offenders" "$T/a.md"
check "md: Thailand 2006" grep -qF "| 2006 | 252 |" "$T/a.md"
check "html: chart" grep -qF "<svg" "$T/a.html"
check "html: complete" grep -qF "</html>" "$T/a.html"
check "html: no external resources" sh -c "! grep -qE '(src|href)=' '$T/a.html'"
check "no temporary file left" test ! -e "$T/a.html.tmp"

# Aggregates only: no person's name reaches any rendering.
for n in Sreymom Bunthoeun Channary Nguyễn សុភា; do
    check "no name '$n' in the reports" sh -c "! grep -qF '$n' '$T/a.json' '$T/a.md' '$T/a.html'"
done
check "the names are in the database" sh -c "'$CTIS' --db '$T/a.db' export | grep -qF Sreymom"

# Public: small cells suppressed and marked, rows kept, large ones shown.
"$CTIS" --db "$T/a.db" report --from 2005 --to 2008 --public >"$T/p.json"
check "public: suppressed cells marked, seed figures kept" python3 - "$T/p.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["disclosure"]["k"] == 11
assert d["disclosure"]["suppressed_cells"] > 0
rep = {(r["from"], r["to"], r["year"]): r for r in d["repatriations"]}
assert len(rep) == 15
small = rep[("MY", "KH", 2006)]
assert small["persons"] is None and small["suppressed"] == ["persons"]
assert rep[("TH", "KH", 2005)]["persons"] == 186
for t in ("source_provinces", "destination_countries", "persons_by_sex_age"):
    for r in d[t]:
        assert r["cases"] is None or r["cases"] == 0 or r["cases"] >= 11, r
EOF
"$CTIS" --db "$T/a.db" report --from 2005 --to 2008 --k 11 >"$T/k11.json"
check "--public is --k 11" cmp "$T/p.json" "$T/k11.json"
check_fails "output into a missing folder fails" "$CTIS" --db "$T/a.db" report --output "$T/no/such/dir/x.json"
check "nothing left behind" test ! -e "$T/no"
"$CTIS" --db "$T/a.db" report --from 2005 --to 2008 --k 0 >"$T/k0.json"
check "--k 0 is the internal report" cmp "$T/a.json" "$T/k0.json"

# Unbounded and single-year periods work.
check "report without a period" sh -c "'$CTIS' --db '$T/a.db' report --format md >/dev/null"
"$CTIS" --db "$T/a.db" report --from 2008 --to 2008 >"$T/y.json"
check "2008 only" python3 -c "
import json, sys
d = json.load(open('$T/y.json'))
assert sorted(r['persons'] for r in d['repatriations']) == [18, 105, 745]
assert d['rescues'][0]['persons'] == 854
"

# An empty database gives an empty datasheet in every format.
check "init an empty database" "$CTIS" --db "$T/e.db" init
for f in json md html; do
    check "empty database, $f" sh -c "'$CTIS' --db '$T/e.db' report --format $f --public >'$T/e.$f'"
done
check "empty database: zero counts" python3 -c "
import json
d = json.load(open('$T/e.json'))
assert d['repatriations'] == [] and d['rescues'] == [] and d['cases'] == 0
assert [r['cases'] for r in d['investigations']] == [0, 0]
"
check "empty database: no repatriation tables" sh -c "! grep -q 'N/A' '$T/e.md' && grep -qF 'No official repatriations are recorded.' '$T/e.md'"

# Usage errors exit 2 and write nothing.
usage() {
    local name=$1
    shift
    "$CTIS" --db "$T/a.db" "$@" >"$T/.out" 2>&1
    check_eq "usage: $name" 2 "$?"
}
usage "from after to" report --from 2008 --to 2005
cp "$T/.out" "$T/usage.txt"
check "usage error names the options" grep -qF -- "--from 2008 is after --to 2005" "$T/usage.txt"
usage "year too small" report --from 1899
usage "year too large" report --to 2101
usage "year not a number" report --from 20x8
usage "missing value" report --from
usage "bad format" report --format docx
usage "negative k" report --k -1
usage "unknown option" report --colour
usage "demo bad seed" demo --seed -3
usage "demo unknown option" demo --fast
