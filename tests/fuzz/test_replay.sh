#!/usr/bin/env bash
# The fuzz corpus replay (scripts/fuzz-replay.sh, run by make test) fails on
# a sanitizer report: a target with a planted defect replays a clean corpus
# as ok and a corpus holding the crashing input as not ok, both when built
# with -fno-sanitize-recover=all (the run aborts) and without it (the report
# is printed and the run exits 0: the output is searched too).
source "$(dirname "$0")/../lib.sh"
if ! command -v clang >/dev/null 2>&1; then
    not_ok "clang is needed to build the planted target"
    exit 0
fi
mkdir -p bins-abort bins-recover clean/planted planted/planted log
if ! clang -g -O1 -fsanitize=fuzzer,undefined -fno-sanitize-recover=all \
        -o bins-abort/planted "$CTIS_SRC/tests/fuzz/planted.c" 2>build.err ||
    ! clang -g -O1 -fsanitize=fuzzer,undefined \
        -o bins-recover/planted "$CTIS_SRC/tests/fuzz/planted.c" 2>>build.err; then
    not_ok "build the planted target"
    sed 's/^/#   /' build.err | tail -5
    exit 0
fi
printf 'hello' >clean/planted/a
printf 'world' >clean/planted/b
cp clean/planted/* planted/planted/
printf 'PLANT' >planted/planted/crash
for b in abort recover; do
    bash "$CTIS_SRC/scripts/fuzz-replay.sh" "$T/log" "$T/bins-$b" "$T/clean" >clean.out 2>&1
    check_eq "clean corpus replays with status 0 ($b)" 0 "$?"
    check "an ok line for the clean corpus ($b)" grep -q '^ok - fuzz planted' clean.out
    bash "$CTIS_SRC/scripts/fuzz-replay.sh" "$T/log" "$T/bins-$b" "$T/planted" >planted.out 2>&1
    check_eq "the planted crash fails the replay ($b)" 1 "$?"
    check "it is reported as not ok ($b)" grep -q '^not ok - fuzz planted' planted.out
    check "the sanitizer report is shown ($b)" grep -q 'runtime error' planted.out
done
