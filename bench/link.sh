#!/usr/bin/env bash
# Record linkage benchmarks (docs/linkage.md), run by `make bench`:
#  1. generated lists of 3 agencies (bench/link_gen, 3,000 persons):
#     pairwise precision, recall and F1 in the clear (target >= 0.95) and
#     from encodings (target >= 0.90), default settings;
#  2. fake_1000 (../shared/data/linkage, Splink's example data; skipped
#     when absent): F1 (target >= 0.90);
#  3. blocking recall against exhaustive comparison on a 20,000-record
#     sample (target: under 0.5% of accepted pairs lost);
#  4. scale: 1,000,000 records across 3 lists, wall time (target < 60 s)
#     and peak memory (target < 4 GB), and F1 at that size.
set -uo pipefail
cd "$(dirname "$0")/.."
B=${BUILD:-build}
CTIS=$B/ctis
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
lists() { echo "$1/police.$2" "$1/ngo.$2" "$1/ministry.$2"; }
inputs() { for f in $(lists "$1" "$2"); do printf -- '--input %s ' "$f"; done; }

echo "-- generated lists: 3 agencies, 3,000 persons, seed 1"
mkdir -p "$T/g"
$B/bench/link_gen --persons 3000 --seed 1 --out "$T/g" || exit 1
start=$(date +%s.%N)
# shellcheck disable=SC2046
$CTIS link $(inputs "$T/g" csv) --output "$T/g/clusters.csv" \
    --no-progress 2>"$T/g/log" || { cat "$T/g/log"; exit 1; }
end=$(date +%s.%N)
grep -E "candidate|EM|thresholds" "$T/g/log"
printf 'in the clear (%s s): ' "$(awk "BEGIN { printf \"%.1f\", $end - $start }")"
# shellcheck disable=SC2046
$B/bench/link_eval --clusters "$T/g/clusters.csv" $(lists "$T/g" csv) | tail -1
echo "   target F1 >= 0.95"
printf 'ctis-bench-shared-secret-0001' >"$T/secret"
for l in police ngo ministry; do
    $CTIS link encode --secret-file "$T/secret" --input "$T/g/$l.csv" \
        --output "$T/g/$l.clk" 2>/dev/null || exit 1
done
# shellcheck disable=SC2046
$CTIS link $(inputs "$T/g" clk) --output "$T/g/clk_clusters.csv" \
    --no-progress 2>"$T/g/log" || { cat "$T/g/log"; exit 1; }
printf 'from encodings: '
# shellcheck disable=SC2046
$B/bench/link_eval --clusters "$T/g/clk_clusters.csv" $(lists "$T/g" csv) | \
    tail -1
echo "   target F1 >= 0.90"

echo "-- fake_1000 (Splink example data)"
F=../shared/data/linkage/fake_1000.csv
if [ -f "$F" ]; then
    $CTIS link --input "$F" --output "$T/fake.csv" --no-progress \
        --map record_id=unique_id,given_name=first_name,family_name=surname,birth_date=dob,place=city,email=email \
        2>"$T/log" || { cat "$T/log"; exit 1; }
    $B/bench/link_eval --clusters "$T/fake.csv" --id-column unique_id \
        --truth-column cluster "$F" | tail -1
    echo "   target F1 >= 0.90"
else
    echo "skipped: $F not found (shared/ beside the clone)"
fi

echo "-- blocking recall, 20,000-record sample"
$B/bench/link_recall --records 20000
echo "   target: under 0.5% lost"

echo "-- scale: 1,000,000 records, 3 lists"
mkdir -p "$T/m"
$B/bench/link_gen --persons 645000 --seed 11 --out "$T/m" || exit 1
start=$(date +%s.%N)
# shellcheck disable=SC2046
$CTIS link $(inputs "$T/m" csv) --output "$T/m/clusters.csv" \
    --no-progress 2>"$T/m/log" || { cat "$T/m/log"; exit 1; }
end=$(date +%s.%N)
cat "$T/m/log"
printf 'wall time %s s (target < 60 s); peak memory above (target < 4 GB)\n' \
    "$(awk "BEGIN { printf \"%.1f\", $end - $start }")"
# shellcheck disable=SC2046
$B/bench/link_eval --clusters "$T/m/clusters.csv" $(lists "$T/m" csv) | tail -1
