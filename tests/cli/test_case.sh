#!/usr/bin/env bash
# The case, referral and user rows of the command line: each parses its
# options, calls ops/ and prints (the rules themselves are tested in
# tests/ops/test_ops.c). Exit codes: 6 for an existing id or a stale
# version, 7 for a role that may not act, 2 for bad arguments.
source "$(dirname "$0")/../lib.sh"
cat > cases.jsonl <<'J'
{"type":"agency","id":"ngo-1","name":"One","kind":"ngo"}
{"type":"agency","id":"ngo-2","name":"Two","kind":"ngo"}
{"type":"case","id":"C-1","agency":"ngo-1","person":{"given_name":"Sokha","family_name":"Chan","birth_year":1990,"home_province":"KH-14"},"events":[{"type":"identification","date":"2008-03-01"}]}
{"type":"case","id":"C-2","agency":"ngo-2"}
J
"$CTIS" --db a.db import --no-progress cases.jsonl 2>/dev/null
echo '{"type":"case","id":"C-1","agency":"ngo-2"}' > partial.jsonl
"$CTIS" --db a.db case add partial.jsonl > out.txt 2> err.txt
check_eq "case add of an existing id exits 6" 6 $?
check "the message names the existing version" grep -q "version 1" err.txt
"$CTIS" --db a.db case add --replace partial.jsonl > /dev/null 2>&1
check_eq "--replace without --if-version is a usage error" 2 $?
"$CTIS" --db a.db case show C-1 > show.txt
check "the case is unchanged" grep -q '"agency":"ngo-1"' show.txt
check "show prints the version" grep -q '^version: 1$' show.txt
out=$("$CTIS" --db a.db case update C-1 '{"movement":"internal"}' --if-version 1)
check_eq "case update prints the new version" "C-1 version 2" "$out"
"$CTIS" --db a.db case update C-1 '{"movement":"transit"}' --if-version 1 > /dev/null 2>&1
check_eq "a stale --if-version exits 6" 6 $?
"$CTIS" --db a.db case update C-1 'not json' > /dev/null 2>&1
check_eq "a patch that is not JSON exits 3" 3 $?
out=$("$CTIS" --db a.db case event C-1 closure 2008-09-01)
check_eq "case event prints the event id" "C-1 event 2 version 3" "$out"
check "closure closes" sh -c "'$CTIS' --db a.db case list | grep -q 'C-1 .* closed '"
"$CTIS" --db a.db case event C-1 closure 2008-09-01 supersedes=x > /dev/null 2>&1
check_eq "a bad supersedes is a usage error" 2 $?
out=$("$CTIS" --db a.db case transfer C-1 --to ngo-2 --consent given)
check_eq "case transfer prints the version" "C-1 version 4" "$out"
"$CTIS" --db a.db case transfer C-1 --to ngo-1 --consent maybe > /dev/null 2>&1
check_eq "an unknown consent is a usage error" 2 $?
"$CTIS" --db a.db case history C-1 > hist.txt
check_eq "history lists four versions" 5 "$(wc -l < hist.txt)"
check "history names the changed fields" grep -q "case.update .*movement" hist.txt
check "history keeps the transfer's consent" grep -q "consent=given" hist.txt
"$CTIS" --db a.db case show C-1 --version 1 > v1.txt
check "show --version 1 is the first version" grep -q '"agency":"ngo-1"' v1.txt
out=$("$CTIS" --db a.db case refer C-1 --to ngo-1 --service legal)
check_eq "case refer prints the referral" "C-1 referral 1 version 5" "$out"
check "referral list" sh -c "'$CTIS' --db a.db referral list | grep -q '^1 .* pending'"
check "referral accept" "$CTIS" --db a.db referral accept 1
"$CTIS" --db a.db referral decline 1 > /dev/null 2>&1
check_eq "a decided referral exits 6" 6 $?
"$CTIS" --db a.db case find "chan sokha" --born 1990 > find.txt
check "case find finds swapped names" grep -q "^C-1 " find.txt
check_fails "case find prints no name" grep -qi sokha find.txt
# Users and --as.
echo "a long password" > pw.txt
check "user add" "$CTIS" --db a.db user add --username cw1 --agency ngo-1 --role case_worker --password-file pw.txt
check "user add analyst" "$CTIS" --db a.db user add --username an --role analyst
"$CTIS" --db a.db user add --username x --role boss > /dev/null 2>&1
check_eq "an unknown role is a usage error" 2 $?
"$CTIS" --db a.db user list > users.txt
check "user list" grep -q '^cw1 .*case_worker .*ngo-1 .*enabled' users.txt
check_fails "user list shows no hash" grep -q argon2 users.txt
check "a case worker reads a case referred to its agency" "$CTIS" --db a.db --as cw1 case show C-1
"$CTIS" --db a.db --as cw1 case show C-2 > /dev/null 2>&1
check_eq "another agency's case is not found (4)" 4 $?
"$CTIS" --db a.db --as an case list > /dev/null 2>&1
check_eq "an analyst may not list cases (7)" 7 $?
check "an analyst may read the report" "$CTIS" --db a.db --as an report
"$CTIS" --db a.db --as nobody case list > /dev/null 2>&1
check_eq "an unknown --as user is not found (4)" 4 $?
check "user disable" "$CTIS" --db a.db user disable an
"$CTIS" --db a.db --as an report > /dev/null 2>&1
check_eq "a disabled user may not act (7)" 7 $?
"$CTIS" --db a.db --as cw1 user disable cw1 > /dev/null 2>&1
check_eq "a case worker may not manage users (7)" 7 $?
check "user passwd" "$CTIS" --db a.db user passwd cw1 --password-file pw.txt
"$CTIS" case > /dev/null 2> err.txt
check_eq "case without a subcommand is a usage error" 2 $?
check "it lists the subcommands" grep -q "case history" err.txt
