#!/usr/bin/env bash
# docs/ctis.1's exit-code table, case by case: each row below is a case
# the EXIT STATUS section lists, with the phrase that lists it there; the
# command must exit with that code, and the code's paragraph of the man
# page must hold the phrase.
source "$(dirname "$0")/../lib.sh"
"$CTIS" --db d.db demo >/dev/null 2>&1
printf 'A,B,count\n1,0,5\n0,1,4\n' >noest.csv
printf '{"type":"case","id":"C-1"}\n' >bad.jsonl
long=$(printf 'x%.0s' $(seq 1 5000))
cp d.db dmg.db
sqlite3 dmg.db 'pragma wal_checkpoint(TRUNCATE); pragma journal_mode=delete;' >/dev/null
pages=$(($(stat -c %s dmg.db) / 4096))
dd if=/dev/urandom of=dmg.db bs=4096 seek=$((pages / 2)) count=$((pages / 4)) conv=notrunc 2>/dev/null
head -c 8192 /dev/urandom >garbage.db
mkdir cfg
echo 'db = d.db' >cfg/config
chmod 644 cfg/config

# code|phrase in the man page|command (run by bash -c in the scratch folder)
cases=$(cat <<'T'
0|Success.|"$CTIS" --db d.db case list --limit 1
1|an output file could not be written|"$CTIS" --db d.db export --output /dev/full
1|an output file could not be written|"$CTIS" --db d.db report --output /dev/full
1|on a database that holds records|"$CTIS" --db d.db demo
1|to a target that is not empty|"$CTIS" migrate --from d.db --to d2.db && "$CTIS" migrate --from d.db --to d2.db
1|an estimate that does not exist|"$CTIS" estimate --input noest.csv
2|an unknown option or command|"$CTIS" --db d.db export --bogus
2|an unknown option or command|"$CTIS" bogus
2|an empty|"$CTIS" --db "" report
2|an empty|"$CTIS" --db d.db export --output ""
2|a directory|"$CTIS" --db d.db import /tmp
2|a directory|"$CTIS" estimate --input /tmp
2|a directory|"$CTIS" --db d.db export --output /tmp
2|a path longer than 4095 bytes|"$CTIS" --db d.db export --output "$long"
2|an output that is one of the command's inputs|"$CTIS" --db d.db import --skip-invalid bad.jsonl bad.jsonl
2|the database or the key file|"$CTIS" --db d.db report --output d.db
2|the database or the key file|"$CTIS" --db d.db --key-file kk report --output kk
2|a password in a URL on the command line|"$CTIS" --db postgresql://u:pw@127.0.0.1:1/x report
2|a PostgreSQL URL|CTIS_DB='postgresql://u:pw@[::1/x' "$CTIS" report
2|below 5 with|"$CTIS" --db d.db report --public --k 0
2|one others may read|env -u CTIS_DB CTIS_CONFIG=cfg/config "$CTIS" report
3|Invalid input data|"$CTIS" --db d.db import bad.jsonl
4|A named record or file does not exist|"$CTIS" --db d.db import nosuch.jsonl
4|the database without|"$CTIS" --db nosuch.db report
4|the directory of an output|"$CTIS" --db d.db export --output nodir/x.jsonl
4|A named record or file does not exist|"$CTIS" --db d.db case show NOPE
5|a damaged file|"$CTIS" --db garbage.db report
5|export|"$CTIS" --db dmg.db export
5|migrate|"$CTIS" migrate --from dmg.db --to m3.db
5|a lost server|CTIS_DB=postgresql://u@127.0.0.1:1/x "$CTIS" report
8|the key is missing or wrong|cp d.db s8.db && "$CTIS" --db s8.db --key-file k8 key init >/dev/null && "$CTIS" --db s8.db export --output s8.jsonl
7|Permission denied|"$CTIS" --db d.db user add --username viewer1 --role viewer --agency GOV-AHTJP >/dev/null && "$CTIS" --db d.db --as viewer1 export --output v.jsonl && "$CTIS" --db d.db --as viewer1 demo
T
)
MANWIDTH=2000 man -l "$CTIS_SRC/docs/ctis.1" 2>/dev/null | col -bx >man.txt
# The paragraph of each code in EXIT STATUS, joined into one line.
para() {
    awk -v code="$1" '
        /^EXIT STATUS/ { on = 1; next }
        on && /^[A-Z]/ { on = 0 }
        on && $0 ~ "^       [0-9]+( |$)" { cur = $1; sub("^ *[0-9]+", "") }
        on && cur == code { printf "%s ", $0 }' man.txt | tr -s ' '
}
while IFS='|' read -r code phrase cmd; do
    [ -n "$code" ] || continue
    bash -c "$cmd" >out.txt 2>&1
    rc=$?
    check_eq "exit $code: $cmd" "$code" "$rc"
    if para "$code" | grep -qF -- "$phrase"; then
        ok "ctis.1 lists it under $code: '$phrase'"
    else
        not_ok "ctis.1 lists it under $code: '$phrase'"
        printf '#   %s\n' "$(para "$code")"
    fi
done <<<"$cases"
check "an output on a device writes to it, never replaces it" test -c /dev/full
for code in 0 1 2 3 4 5 6 7 8 70; do
    check "ctis.1 has a paragraph for $code" test -n "$(para $code)"
done
check "cli/cli.h and ctis.1 agree on the codes" sh -c "
    grep -oE 'CLI_EXIT_[A-Z]+ = [0-9]+' '$CTIS_SRC/cli/cli.h' | awk '{print \$3}' | sort -n >h.txt
    for c in 0 1 2 3 4 5 6 7 8 70; do echo \$c; done | sort -n >m.txt
    cmp h.txt m.txt"
