# The agencies' lists of an overlap table, as ctis JSON Lines: for each
# row of the CSV given (one 0/1 column per agency id, then "count"),
# "count" persons on exactly those agencies' lists. Every person has a
# name pair and a birth date no other person has, so linkage
# ('ctis link --from-db --save') recovers the table exactly and the
# datasheet's estimate can be compared with 'ctis estimate' on the CSV.
# An optional second argument is every case's identification date
# (default 2008-03-01). Input of tests/report/test_estimate.sh and
# tests/web/e2e.mjs. Deterministic.
import csv, json, sys
given = ["Sokha","Dara","Sophea","Vanna","Chantha","Bopha","Kosal","Rithy","Phalla","Vuthy","Sreyneang","Pisey","Rotha","Samnang","Chenda","Leakena","Makara","Narin","Oudom","Piseth"]
family = ["Chan","Sok","Kim","Heng","Chea","Ly","Meas","Nhem","Sam","Ouk","Keo","Prak","Hun","Lim","Tep"]
rows = list(csv.reader(open(sys.argv[1])))
date = sys.argv[2] if len(sys.argv) > 2 else "2008-03-01"
agencies = rows[0][:-1]
for ag in agencies:
    print(json.dumps({"type":"agency","id":ag,"name":ag.title(),"kind":"ngo"}))
p = 0
for row in rows[1:]:
    for _ in range(int(row[-1])):
        g = given[p % len(given)]; f = family[(p // len(given)) % len(family)]
        birth = "%04d-%02d-%02d" % (1960 + p // 12 % 40, p % 12 + 1, p % 28 + 1)
        for ag, on in zip(agencies, row[:-1]):
            if on == "1":
                print(json.dumps({"type":"case","id":"%s-%d" % (ag, p),"agency":ag,
                  "person":{"given_name":g,"family_name":f,"sex":"female","birth_date":birth,"home_province":"KH-%d" % (p % 25 + 1)},
                  "trafficking_status":"actual","events":[{"type":"identification","date":date}]}))
        p += 1
assert p <= len(given) * len(family)
