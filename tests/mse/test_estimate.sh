#!/usr/bin/env bash
# ctis estimate: the published UK 2013 figures through the CLI, JSON
# shape, existence codes, strata, and bad input refused with
# FILE:LINE: field 'NAME': reason.
. "$(dirname "$0")/../lib.sh"
D=${MSE_DATA:-$CTIS_SRC/../shared/data/mse}
UK="$D/uk2013_5lists.csv"
ART="$D/artificial_3.csv"
if [ ! -f "$UK" ]; then
    # The reference data are copied into the test for self-containment.
    UK="$T/uk.csv"
    cat >"$UK" <<'CSV'
LA,NG,PFNCA,GO,GP,count
1,0,0,0,0,54
0,1,0,0,0,463
0,0,1,0,0,995
0,0,0,1,0,695
0,0,0,0,1,316
1,1,0,0,0,15
1,0,1,0,0,19
1,0,0,1,0,3
0,1,1,0,0,62
0,1,0,1,0,19
0,1,0,0,1,1
0,0,1,1,0,76
0,0,1,0,1,11
0,0,0,1,1,8
1,1,1,0,0,1
1,1,0,1,0,1
0,1,1,1,0,4
1,1,1,1,0,1
CSV
    ART="$T/art.csv"
    printf 'A,B,C,count\n1,0,0,40\n0,1,0,30\n0,0,1,20\n1,1,0,6\n' >"$ART"
fi

# field NAME: the number after "NAME": in the JSON on stdin (first one)
field() { grep -m1 "\"$1\":" | sed 's/.*: *//; s/,$//'; }
round() { awk -v x="$1" -v d="$2" 'BEGIN { printf "%.*f", d, x }'; }

out=$("$CTIS" estimate --input "$UK" --format json)
check_eq "uk estimate" 11312.99 "$(round "$(echo "$out" | field estimate)" 2)"
check_eq "uk se" 802.7264 "$(round "$(echo "$out" | field se)" 4)"
check_eq "uk deviance" 16.35138 "$(round "$(echo "$out" | field deviance)" 5)"
check_eq "uk aic" 127.5986 "$(round "$(echo "$out" | field aic)" 4)"
check_eq "uk df" 19 "$(echo "$out" | field df)"
check_eq "uk existence" '"ok"' "$(echo "$out" | field existence)"
check_eq "uk normal lower" 9884.4 "$(round "$(echo "$out" | field lower)" 1)"
check_eq "uk normal upper" 13027.4 "$(round "$(echo "$out" | field upper)" 1)"
check_eq "uk model" '"LA:NG","LA:PFNCA","NG:GO","NG:GP","PFNCA:GP","GO:GP"' \
    "$(echo "$out" | tr -d ' \n' | sed 's/^{[^[]*"model":\[\([^]]*\)\].*/\1/')"
out=$("$CTIS" estimate --input "$UK" --ci profile --format json)
check_eq "uk profile lower" 9889.2 "$(round "$(echo "$out" | field lower)" 1)"
check_eq "uk profile upper" 13063.1 "$(round "$(echo "$out" | field upper)" 1)"
out=$("$CTIS" estimate --input "$UK")
case "$out" in
*"estimate      11312.99"*"95% interval  9884.4 to 13027.4 (normal)"*)
    ok "uk text" ;;
*) not_ok "uk text"; echo "$out" | sed 's/^/#   /' ;;
esac

# Bootstrap: reproducible with --seed.
a=$("$CTIS" estimate --input "$UK" --ci bootstrap --nboot 40 --seed 3 --format json | field lower)
b=$("$CTIS" estimate --input "$UK" --ci bootstrap --nboot 40 --seed 3 --format json | field lower)
check_eq "bootstrap reproducible" "$a" "$b"
check "bca runs" "$CTIS" estimate --input "$UK" --ci bca --nboot 40 --seed 3

# Existence codes through --model.
exist() { "$CTIS" estimate --input "$ART" --model "$1" --format json 2>/dev/null | field existence; }
check_eq "A:B,A:C,B:C not identifiable" '"not_identifiable"' "$(exist A:B,A:C,B:C)"
check_eq "A:B mle does not exist" '"mle_does_not_exist"' "$(exist A:B)"
check_eq "A:C,B:C ok" '"ok"' "$(exist A:C,B:C)"
check_eq "main ok" '"ok"' "$(exist main)"
check_fails "no estimate exits non-zero" "$CTIS" estimate --input "$ART" --model A:B
out=$("$CTIS" estimate --input "$ART" --model A:B --format json 2>/dev/null)
case "$out" in
*'"estimate": null'*) ok "no estimate is null" ;;
*) not_ok "no estimate is null" ;;
esac
case "$out" in
*nan*|*NaN*|*inf*) not_ok "no NaN printed" ;;
*) ok "no NaN printed" ;;
esac
check "aic" "$CTIS" estimate --input "$ART" --method aic
check "all" "$CTIS" estimate --input "$ART" --method all --format json

# Strata: per stratum and the sum.
cat >s.csv <<'CSV'
A,B,C,sex,count
1,0,0,F,40
0,1,0,F,30
0,0,1,F,20
1,1,0,F,6
1,0,1,F,5
0,1,1,F,4
1,1,1,F,1
1,0,0,M,20
0,1,0,M,25
0,0,1,M,10
1,1,0,M,3
1,0,1,M,2
0,1,1,M,2
CSV
out=$("$CTIS" estimate --input s.csv --strata sex --method main --format json)
fe=$(echo "$out" | grep -m1 '"estimate":' | sed 's/.*: *//; s/,$//')
# The strata's own estimates are indented by six spaces.
s1=$(echo "$out" | grep '^      "estimate":' | sed -n 1p | sed 's/.*: *//; s/,$//')
s2=$(echo "$out" | grep '^      "estimate":' | sed -n 2p | sed 's/.*: *//; s/,$//')
check_eq "strata sum" "$(round "$fe" 6)" "$(awk -v a="$s1" -v b="$s2" 'BEGIN { printf "%.6f", a + b }')"
check "strata text" "$CTIS" estimate --input s.csv --strata sex --method main

# Bad input: the line and the reason.
bad() { # bad NAME CSV EXPECTED-MESSAGE
    local line=${3#bad.csv:}
    printf '%b' "$2" >bad.csv
    check_bad_input "$1: exit 3, the line, no value" 3 bad.csv "${line%%:*}" \
        "$CTIS" estimate --input bad.csv
    if grep -qF "$3" "$T/.bad"; then ok "$1"; else
        not_ok "$1"; sed 's/^/#   /' "$T/.bad"; fi
}
bad "not 0/1" 'A,B,count\n1,0,3\n0,2,4\n' "bad.csv:3: field 'B': not 0 or 1"
bad "negative count" 'A,B,count\n1,0,3\n0,1,-4\n' "bad.csv:3: field 'count': negative count"
bad "duplicate" 'A,B,count\n1,0,3\n0,1,4\n1,0,1\n' "bad.csv:4: field 'count': duplicate pattern"
bad "one list" 'A,count\n1,3\n' "bad.csv:1: field 'A': fewer than two lists"
bad "all zero" 'A,B,count\n0,0,3\n' "bad.csv:2: field 'A': the pattern has no list"
bad "empty list" 'A,B,C,count\n1,0,0,3\n0,1,0,3\n1,1,0,1\n' "bad.csv:1: field 'C': no one is on this list"
check_fails "missing file" "$CTIS" estimate --input nosuch.csv
check_fails "no --input" "$CTIS" estimate
check_fails "bad method" "$CTIS" estimate --input "$UK" --method nope
check "help" "$CTIS" estimate --help

# The options through getopt_long: both spellings of a value, and each
# usage error (exit 2) with its message.
check_eq "--opt=value and --opt value give the same figures" \
    "$("$CTIS" estimate --input "$UK" --criterion lr --format json | field estimate)" \
    "$("$CTIS" estimate --input="$UK" --criterion=lr --format=json | field estimate)"
usage() { # usage NAME EXPECTED-MESSAGE ARGS...
    local name=$1 want=$2
    shift 2
    "$CTIS" estimate "$@" >u.out 2>&1
    local rc=$?
    if [ "$rc" -eq 2 ] && grep -qF "ctis estimate: $want" u.out; then ok "$name"; else
        not_ok "$name (exit $rc)"; sed 's/^/#   /' u.out; fi
}
usage "a missing value" "option '--ci' needs a value" --input "$UK" --ci
usage "an unknown option" "unknown or incomplete option '--nosuch'" --input "$UK" --nosuch
usage "an option that takes no value, named without it" "unknown or incomplete option '--compare'" --input "$UK" --compare=yes
usage "a stray argument, by its place, not its text" "unexpected argument (word 3 after the command" --input "$UK" extra
usage "no --input" "--input is required" --method main
usage "an unknown method" "unknown method 'nope'" --input "$UK" --method nope
usage "an unknown criterion" "unknown criterion 'wald'" --input "$UK" --criterion wald
usage "an unknown interval" "unknown interval 'exact'" --input "$UK" --ci exact
usage "an unknown format" "unknown format 'xml'" --input "$UK" --format xml
usage "--pthresh above 1" "--pthresh: '1.5' is not a probability in [0, 1]" --input "$UK" --pthresh 1.5
usage "--level 1" "--level: '1' is not in (0, 1)" --input "$UK" --level 1
usage "--nboot 1" "--nboot: '1' is not a number from 2 to 1000000" --input "$UK" --nboot 1
usage "--seed -1" "--seed: '-1' is not a whole number >= 0" --input "$UK" --seed -1

# A stratum without an estimate: the total is null, the command fails.
printf 'A,B,yr,count\n1,0,2007,10\n0,1,2007,12\n1,1,2007,3\n1,0,2008,5\n0,1,2008,4\n' >fs.csv
"$CTIS" estimate --input fs.csv --strata yr --format json >fs.json 2>fs.err
rc=$?
check_eq "failing stratum exits 1" 1 "$rc"
check_eq "failing stratum total null" null "$(field estimate <fs.json)"
check_eq "failing stratum code" '"mle_does_not_exist"' "$(grep -m1 '"existence":' fs.json | sed 's/.*: *//; s/,$//')"

# Huge counts, tiny counts: numbers or null, never NaN or inf.
printf 'A,B,C,count\n1,0,0,1000000000000000\n0,1,0,1000000000000000\n0,0,1,1000000000000000\n1,1,0,1000000000000\n1,0,1,1000000000000\n0,1,1,1000000000000\n1,1,1,1000000000\n' >huge.csv
printf 'A,B,C,count\n1,0,0,1000000000000000\n0,1,0,999999999999999\n0,0,1,1\n1,1,1,1\n' >span.csv
printf 'A,B,C,count\n1,0,0,1\n0,1,0,1\n0,0,1,1\n1,1,1,1\n' >tiny.csv
for f in huge span tiny; do
    for ci in normal profile; do
        "$CTIS" estimate --input $f.csv --ci $ci --format json >o.json 2>/dev/null
        if grep -qiE 'nan|inf[^o]' o.json; then not_ok "$f $ci: no NaN"; else ok "$f $ci: no NaN"; fi
        "$CTIS" estimate --input $f.csv --ci $ci >o.txt 2>/dev/null
        if grep -qiE '\bnan\b|\binf\b' o.txt; then not_ok "$f $ci text: no NaN"; else ok "$f $ci text: no NaN"; fi
    done
done
check_eq "huge estimate" 1.00300e+18 "$("$CTIS" estimate --input huge.csv --format json | field estimate | awk "{ printf \"%.5e\", \$1 }")"

# A narrower level gives a narrower interval.
l90=$("$CTIS" estimate --input "$UK" --level 0.9 --format json | field lower)
l95=$("$CTIS" estimate --input "$UK" --format json | field lower)
check_eq "level 0.9 narrower" 1 "$(awk -v a="$l90" -v b="$l95" 'BEGIN { print (a > b) }')"

# Comparing every model is limited to six lists.
printf 'A,B,C,D,E,F,G,count\n1,0,0,0,0,0,0,5\n0,1,0,0,0,0,0,5\n0,0,1,0,0,0,0,5\n0,0,0,1,0,0,0,5\n0,0,0,0,1,0,0,5\n0,0,0,0,0,1,0,5\n0,0,0,0,0,0,1,5\n1,1,1,1,1,1,1,2\n' >seven.csv
check_fails "aic with seven lists refused" "$CTIS" estimate --input seven.csv --method aic
check "stepwise with seven lists" "$CTIS" estimate --input seven.csv
check_eq "observed is an integer" 2744 "$("$CTIS" estimate --input "$UK" --format json | field observed)"

# SparseMSE's stepwise rule (Poisson p-values of the overlaps) against the
# likelihood-ratio one, on the table worked by hand in
# tests/mse/test_stepwise.c: A:C (no overlap, 20 expected) enters at
# minus infinity, 154.29; the likelihood-ratio rule stays at 180.
printf 'A,B,C,count\n1,0,0,25\n0,1,0,20\n0,0,1,25\n1,1,0,35\n0,1,1,35\n' >lr.csv
out=$("$CTIS" estimate --input lr.csv)
case "$out" in
*"estimate      154.29"*"model         A:C (stepwise, Poisson"*"minus inf     A:C"*) ok "poisson stepwise adds A:C" ;;
*) not_ok "poisson stepwise adds A:C"; echo "$out" | sed 's/^/#   /' ;;
esac
case "$out" in
*"warning       only 3 lists"*) ok "few lists warned" ;;
*) not_ok "few lists warned" ;;
esac
out=$("$CTIS" estimate --input lr.csv --criterion lr)
case "$out" in
*"estimate      180.00"*"stability     unstable"*"warning       unstable: the next-best model (A:B) gives 197.14"*)
    ok "lr stays at main effects, unstable" ;;
*) not_ok "lr stays at main effects, unstable"; echo "$out" | sed 's/^/#   /' ;;
esac
check_fails "bad criterion" "$CTIS" estimate --input lr.csv --criterion nope
# The second hand-worked table (test_criteria_add_different_terms): each
# criterion adds one term, a different one.
printf 'A,B,C,count\n1,0,0,12\n0,1,0,14\n0,0,1,30\n1,1,0,16\n0,1,1,40\n' >lr2.csv
out=$("$CTIS" estimate --input lr2.csv)
case "$out" in
*"A:C"*"8.32e-07"*"estimate      122.50"*"model         A:C (stepwise, Poisson"*) ok "table 2: poisson adds A:C, 122.50" ;;
*) not_ok "table 2: poisson adds A:C, 122.50"; echo "$out" | sed 's/^/#   /' ;;
esac
out=$("$CTIS" estimate --input lr2.csv --criterion lr)
case "$out" in
*"B:C"*"0.0129"*"estimate      175.00"*"model         B:C"*) ok "table 2: lr adds B:C, 175.00" ;;
*) not_ok "table 2: lr adds B:C, 175.00"; echo "$out" | sed 's/^/#   /' ;;
esac
check_eq "pthresh 0 is main effects" 180.00 \
    "$(round "$("$CTIS" estimate --input lr.csv --pthresh 0 --format json | field estimate)" 2)"
out=$("$CTIS" estimate --input "$UK" --format json)
check_eq "uk order of entry" "LA:NG,NG:GP,PFNCA:GP,LA:PFNCA,GO:GP,NG:GO" \
    "$(echo "$out" | tr -d ' \n' | grep -o '"entered":\["[^"]*"\]' | sed 's/"entered":\["\(.*\)"\]/\1/' | paste -sd, -)"
check_eq "uk stable" true "$(echo "$out" | field stable)"
check_eq "uk no warnings" '[]' "$(echo "$out" | tr -d ' \n' | sed 's/.*"warnings":\(\[[^]]*\]\).*/\1/')"
case "$out" in
*'"next_best": {'*'"term": "LA:GP"'*'"change": "add"'*) ok "uk next best" ;;
*) not_ok "uk next best" ;;
esac

# --compare: main effects, stepwise, AIC and BIC side by side.
out=$("$CTIS" estimate --input "$UK" --compare)
case "$out" in
*"main"*"13444.13"*"stepwise"*"11312.99"*"9884.4 to 13027.4"*"aic"*"bic"*) ok "compare text" ;;
*) not_ok "compare text"; echo "$out" | sed 's/^/#   /' ;;
esac
out=$("$CTIS" estimate --input "$UK" --compare --format json)
check_eq "compare json methods" '"main","stepwise","aic","bic"' \
    "$(echo "$out" | grep '^      "method":' | sed 's/.*: *//; s/,$//' | paste -sd, -)"
out=$("$CTIS" estimate --input seven.csv --compare)
case "$out" in
*"aic       none (7 lists"*) ok "compare beyond six lists" ;;
*) not_ok "compare beyond six lists"; echo "$out" | sed 's/^/#   /' ;;
esac
check "compare strata" "$CTIS" estimate --input s.csv --strata sex --compare --format json
