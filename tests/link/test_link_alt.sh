#!/usr/bin/env bash
# bench/link_alt, the independent generator of agency lists (issue 10):
# the same seed gives the same files and another seed other ones; its
# truth column is consistent (one person, one pair of name ids; as many
# persons as asked; a row marked as a within-list duplicate has a second
# row of its person in the same list); every row is one `ctis link` reads
# (provinces, dates, phones), and the link prints precision and recall
# against the truth. Its arguments are checked.
. "$(dirname "$0")/../lib.sh"
gen="${CTIS_BUILD:-$CTIS_SRC/build}/bench/link_alt"

mkdir a b c x
check "generate 2000 persons" "$gen" --persons 2000 --seed 11 a
check "generate them again" "$gen" --persons 2000 --seed 11 b
check "generate another seed" "$gen" --persons 2000 --seed 12 c
same=yes
for f in alt1.csv alt2.csv alt3.csv; do
    cmp -s "a/$f" "b/$f" || same=no
done
check_eq "the same seed gives the same lists" yes "$same"
if cmp -s a/alt1.csv c/alt1.csv; then
    not_ok "another seed gives other lists"
else
    ok "another seed gives other lists"
fi

# Columns by name, so the test does not depend on their order.
col() { head -1 "$1" | tr ',' '\n' | grep -nx "$2" | cut -d: -f1; }
pid=$(col a/alt1.csv person_id)
tg=$(col a/alt1.csv t_given)
tf=$(col a/alt1.csv t_family)
td=$(col a/alt1.csv t_dup)
check_eq "the truth and name id columns are there" yes \
    "$([ -n "$pid" ] && [ -n "$tg" ] && [ -n "$tf" ] && [ -n "$td" ] && echo yes)"
for f in alt1.csv alt2.csv alt3.csv; do
    tail -n +2 "a/$f" | awk -F, -v l="$f" '{ print l "," $0 }'
done >all.csv
# Shift the columns by one for the list name in front.
persons=$(awk -F, -v p=$((pid + 1)) '{ print $p }' all.csv | sort -u | wc -l)
check_eq "as many persons as asked" 2000 "$persons"
bad=$(awk -F, -v p=$((pid + 1)) -v g=$((tg + 1)) -v f=$((tf + 1)) '
    { k = $p; v = $g "/" $f
      if ((k in seen) && seen[k] != v) n++
      seen[k] = v }
    END { print n + 0 }' all.csv)
check_eq "each person has one pair of name ids" 0 "$bad"
bad=$(awk -F, -v p=$((pid + 1)) -v d=$((td + 1)) '
    { c[$1 "," $p]++; if ($d == 1) dup[$1 "," $p] = 1 }
    END { n = 0; for (k in dup) if (c[k] < 2) n++; print n }' all.csv)
check_eq "a duplicate has its person twice in its list" 0 "$bad"
ids=$(awk -F, '{ print $1 "," $2 }' all.csv | sort | uniq -d | wc -l)
check_eq "record ids are unique in each list" 0 "$ids"
km=$(awk -F, -v s=$(($(col a/alt1.csv t_script) + 1)) \
    '$s == "km" { n++ } END { printf "%d", 100 * n / NR }' \
    all.csv)
check_eq "between a sixth and a third of the records are Khmer only" yes \
    "$([ "$km" -ge 16 ] && [ "$km" -le 34 ] && echo yes)"

check "ctis link reads every row" $CTIS link --input a/alt1.csv \
    --input a/alt2.csv --input a/alt3.csv --output out.csv \
    --truth-column person_id --no-progress
if grep -q "against 'person_id': precision" "$T/.out"; then
    ok "link prints precision and recall against the truth"
else
    not_ok "link prints precision and recall against the truth"
fi
rows=$(($(wc -l <out.csv) - 1))
check_eq "every record is in the output" "$(wc -l <all.csv)" "$rows"
check "extreme namesakes, 4 lists" "$gen" --persons 500 --lists 4 \
    --namesakes extreme --seed 3 x
check "ctis link reads them" $CTIS link --input x/alt1.csv --input x/alt2.csv \
    --input x/alt3.csv --input x/alt4.csv --output x/out.csv --no-progress

check "--help" "$gen" --help
"$gen" --names-tsv >names.tsv
check_eq "--names-tsv prints the pool, Khmer and Latin" yes \
    "$([ "$(wc -l <names.tsv)" -gt 300 ] && grep -q "$(printf 'family\tសុខ\tSok')" names.tsv && echo yes)"
check_fails "--persons 0 is refused" "$gen" --persons 0 x
check_fails "--lists 9 is refused" "$gen" --lists 9 x
check_fails "an unknown --namesakes is refused" "$gen" --namesakes some x
check_fails "--dup 0.9 is refused" "$gen" --dup 0.9 x
check_fails "no folder is refused" "$gen" --persons 10
check_fails "a folder that is not there is refused" "$gen" --persons 10 nowhere/
