# Three agencies' lists of 400 synthetic persons (each on police with
# p 0.5, shelter 0.4, ministry 0.3, independently), as ctis JSON Lines:
# the input of tests/report/test_estimate.sh. Deterministic (seed 11).
import json, random
random.seed(11)
given = ["Sokha","Dara","Sophea","Vanna","Chantha","Bopha","Kosal","Rithy","Phalla","Vuthy","Sreyneang","Pisey","Rotha","Samnang","Chenda","Leakena","Makara","Narin","Oudom","Piseth"]
family = ["Chan","Sok","Kim","Heng","Chea","Ly","Meas","Nhem","Sam","Ouk","Keo","Prak","Hun","Lim","Tep"]
print(json.dumps({"type":"agency","id":"police","name":"Police","kind":"government"}))
print(json.dumps({"type":"agency","id":"shelter","name":"Shelter","kind":"ngo"}))
print(json.dumps({"type":"agency","id":"ministry","name":"Ministry","kind":"government"}))
n = 0
for p in range(400):
    g = random.choice(given); f = random.choice(family)
    y = random.randint(1975, 2000); m = random.randint(1, 12); d = random.randint(1, 28)
    prov = "KH-%d" % random.randint(1, 25)
    for ag, pr in (("police", 0.5), ("shelter", 0.4), ("ministry", 0.3)):
        if random.random() < pr:
            n += 1
            print(json.dumps({"type":"case","id":"%s-%d" % (ag, p),"agency":ag,
              "person":{"given_name":g,"family_name":f,"sex":"female","birth_date":"%04d-%02d-%02d" % (y, m, d),"home_province":prov},
              "trafficking_status":"actual","events":[{"type":"identification","date":"2008-03-01"}]}))
