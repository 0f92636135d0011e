#!/usr/bin/env bash
# Every parser driven with the bad-input files of tests/ (tests/data/bad)
# under ASan and UBSan: each fuzz target of build/fuzz (one per parser:
# CSV, JSON Lines, linkage CSV, encoded .clk lists, overlap tables) reads
# every file, and any sanitizer report or crash fails the test
# (scripts/fuzz-replay.sh). The CLI itself reads the same files under the
# sanitizers in tests/cli/test_harden.sh on the build/asan pass.
source "$(dirname "$0")/../lib.sh"
bins="$CTIS_SRC/build/fuzz"
n=0
for f in "$bins"/*; do
    [ -x "$f" ] || continue
    name=$(basename "$f")
    mkdir -p "corpus/$name"
    cp "$CTIS_SRC"/tests/data/bad/* "corpus/$name/"
    n=$((n + 1))
done
if [ "$n" -lt 5 ]; then
    not_ok "the fuzz targets are built (make fuzz): found $n in $bins"
    exit 0
fi
bash "$CTIS_SRC/scripts/fuzz-replay.sh" "$T/log" "$bins" "$T/corpus" >replay.out 2>&1
check_eq "every parser reads every bad-input file with no sanitizer report" 0 "$?"
sed 's/ inputs)/ bad-input files)/' replay.out
