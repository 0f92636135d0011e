# Shared body of tests/cli/test_audit_admin.sh (SQLite) and
# tests/pg/test_audit_admin.sh (PostgreSQL): every change of the keys,
# every backup and restore and every erasure is in the audit trail, with
# who did it and when, and never a key, a passphrase, a file name, a
# name or the erasure's reason. Before, only the erasure was there.
# Needs $db (the database) and $restored (a URL that does not exist yet).
K="$CTIS --key-file k"
cat > people.jsonl <<'JSONL'
{"type":"agency","id":"ngo-a","name":"A","kind":"ngo"}
{"type":"case","id":"AU-1","agency":"ngo-a","person":{"given_name":"Auditqzv","family_name":"Sokhaqzv","given_name_km":"សុខាគ","birth_date":"1990-04-02","phone":"+85512345678"},"events":[{"type":"identification","date":"2010-01-05"}]}
{"type":"case","id":"AU-2","agency":"ngo-a","person":{"given_name":"Otherqzv"},"events":[{"type":"identification","date":"2011-02-03"}]}
JSONL
check "a sealed database" $K --db "$db" key init
check "with named persons" $K --db "$db" import people.jsonl
check "a named administrator" $K --db "$db" user add --username boss --role admin
$K --db "$db" --as boss key add --new-key-file k2 > added.txt 2>&1
check_eq "adds a key file" 0 $?
k2id=$(sed -n 's/^added key \([0-9a-f]*\)$/\1/p' added.txt)
printf 'correct horse audit staple\n' > pass.txt
check "adds a passphrase" $K --db "$db" key add --new-passphrase-fd 3 3<pass.txt
check "removes the key file added" $K --db "$db" key remove "$k2id"
check "rotates" $K --db "$db" key rotate --batch 1
check "reindexes" $K --db "$db" key reindex
check "backs up" $K --db "$db" backup --output b.bak
check "restores" $K restore b.bak --db "$restored"
check "erases a person" $K --db "$db" person erase AU-1 --reason "asked by Reasonqzv herself"
$K --db "$db" audit list > audit.jsonl
$K --db "$restored" audit list > restored.jsonl
# the actor is the OS account, --as beside it (tests/cli/test_actor.sh)
me=$(id -un)
entries() { grep -c "\"user\":\"$1\",\"role\":\"admin\",\"agency\":\"\",\"action\":\"$2\"" "$3"; }
check_eq "key.init is noted" 1 "$(entries "$me" key.init audit.jsonl)"
check_eq "key.add is noted twice, once with the --as user beside the OS account" "2 1" \
    "$(entries "$me" key.add audit.jsonl) $(grep '"action":"key.add"' audit.jsonl | grep -c '"address":"cli as boss"')"
check_eq "key.remove is noted" 1 "$(entries "$me" key.remove audit.jsonl)"
check_eq "key.rotate is noted" 1 "$(entries "$me" key.rotate audit.jsonl)"
check_eq "key.reindex is noted" 1 "$(entries "$me" key.reindex audit.jsonl)"
check_eq "backup is noted" 1 "$(entries "$me" backup audit.jsonl)"
check_eq "person.erase is noted" 1 "$(entries "$me" person.erase audit.jsonl)"
check_eq "the restored database notes its restore" 1 "$(entries "$me" restore restored.jsonl)"
check "with a time for each" sh -c "! grep -v '\"at\":1[0-9]\\{12\\},' audit.jsonl restored.jsonl"
check "the erased case is the erasure's record" grep -q '"action":"person.erase","kind":"case","record":"AU-1"' audit.jsonl
check "and the removed key's id is the removal's" grep -q "\"action\":\"key.remove\",\"kind\":\"key\",\"record\":\"$k2id\"" audit.jsonl
leaks=""
for v in "$(cut -c12-75 k)" "$(cut -c12-75 k2)" "$(cut -c12-40 k)" "correct horse" Auditqzv Sokhaqzv សុខាគ 1990-04-02 85512345678 Reasonqzv b.bak k2 pass.txt; do
    grep -qF -- "$v" audit.jsonl restored.jsonl && leaks="$leaks $v"
done
check_eq "no key, passphrase, file name, name or reason is in the trail" "" "$leaks"
check "the chain verifies" $K --db "$db" audit verify
check "the restored chain verifies" $K --db "$restored" audit verify
# a refused change is not noted, and writes nothing
n=$(wc -l < audit.jsonl)
check_fails "a wrong key changes nothing" "$CTIS" --key-file k2 --db "$db" key add --new-key-file k3
check_eq "and notes nothing" "$n" "$($K --db "$db" audit list | wc -l)"
