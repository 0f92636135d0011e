# ctis link --overlap writes at most --overlap-lists list columns (11 by
# default, what ctis estimate takes): the largest lists keep a column
# each and the others are pooled into one. Before, the demo's link
# --from-db --overlap wrote 108 lists and estimate refused the table
# ("more than 11 lists", exit 3). The linkage itself does not change.
. "$(dirname "$0")/../lib.sh"
cat > l.csv <<'E'
list,record_id,given_name,family_name,sex,birth_date,home_province
A,a1,Sokha,Chan,female,1990-04-02,KH-12
A,a2,Dara,Meas,male,1985-01-15,KH-3
A,a3,Vanna,Keo,female,1992-07-09,KH-14
A,a4,Bopha,Sok,female,1988-11-30,KH-17
B,b1,Sokha,Chan,female,1990-04-02,KH-12
B,b2,Rithy,Prak,male,1979-05-05,KH-8
B,b3,Chenda,Ouk,female,1995-02-20,KH-1
C,c1,Rithy,Prak,male,1979-05-05,KH-8
C,c2,Vanna,Keo,female,1992-07-09,KH-14
D,d1,Vanna,Keo,female,1992-07-09,KH-14
E
check "four lists, one per list" "$CTIS" link --input l.csv --output p0.csv --overlap o0.csv --overlap-lists 0
check_eq "the table has a column per list" "A,B,C,D,count" "$(head -1 o0.csv)"
"$CTIS" link --input l.csv --output p3.csv --overlap o3.csv --overlap-lists 3 2> err.txt
check_eq "at most 3: the two largest and one pooled" "A,B,pooled,count" "$(head -1 o3.csv)"
check_eq "a person on C and D counts once on the pooled list" "0,1,0,1 0,1,1,1 1,0,0,2 1,0,1,1 1,1,0,1" "$(tail -n +2 o3.csv | tr '\n' ' ' | sed 's/ $//')"
check "the pooling is said on standard error" grep -q "overlap: 4 lists; the 2 largest have a column each, the other 2 (3 records) are pooled as 'pooled'" err.txt
check "the persons are the same" cmp p0.csv p3.csv
check_eq "four lists are under the default: kept" "A,B,C,D,count" "$("$CTIS" link --input l.csv --output p.csv --overlap o.csv 2>/dev/null; head -1 o.csv)"
check_fails "--overlap-lists 1 is refused" "$CTIS" link --input l.csv --output p.csv --overlap o.csv --overlap-lists 1
check_fails "--overlap-lists -1 is refused" "$CTIS" link --input l.csv --output p.csv --overlap o.csv --overlap-lists -1
# the demo: 108 agencies with cases
"$CTIS" --db d.db demo >/dev/null 2>&1
"$CTIS" --db d.db link --from-db --output dp.csv --overlap do.csv 2> derr.txt
check_eq "the demo's table has 11 lists and the count" 12 "$(head -1 do.csv | tr ',' '\n' | wc -l)"
check "the last list is pooled" sh -c "head -1 do.csv | grep -q ',pooled,count$'"
check "the largest agency has a column" sh -c "head -1 do.csv | grep -q '^GOV-MOSVY,'"
check_eq "every person is counted once" "$(tail -n +2 dp.csv | cut -d, -f3 | sort -u | wc -l)" "$(tail -n +2 do.csv | awk -F, '{ s += $NF } END { print s }')"
"$CTIS" --db d.db link --from-db --output dp0.csv --overlap do0.csv --overlap-lists 0 2>/dev/null
check "the same persons as with a column per agency" cmp dp.csv dp0.csv
check_eq "which has 108" 109 "$(head -1 do0.csv | tr ',' '\n' | wc -l)"
"$CTIS" estimate --input do.csv > est.txt 2>&1
check_eq "estimate takes the table (no overlap in the demo: no estimate, exit 1)" 1 $?
check "and says why" grep -q "does not exist" est.txt
