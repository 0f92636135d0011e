#!/usr/bin/env python3
"""Per-class counts of missed true pairs and false pairs of `ctis link` on
bench/link_alt lists (docs/linkage.md, "Measured"): the missed pairs by
the first cause that applies and by each field, and the false pairs. Usage:
  bench/link_alt_classes.py CLUSTERS.csv alt1.csv alt2.csv alt3.csv
CLUSTERS.csv is ctis link --output (list,record_id,cluster_id,...).
"""
import csv
import os
import sys
from collections import Counter, defaultdict

BIRTH = {"date": "date", "month": "date", "year": "year", "age": "age",
         "none": "none"}


def main():
    clusters, lists = sys.argv[1], sys.argv[2:]
    pred = {}
    with open(clusters, newline="") as f:
        for r in csv.DictReader(f):
            pred[(r["list"], r["record_id"])] = r["cluster_id"]
    recs = []
    for path in lists:
        name = os.path.splitext(os.path.basename(path))[0]
        with open(path, newline="") as f:
            for r in csv.DictReader(f):
                r["list"] = name
                r["pred"] = pred[(name, r["record_id"])]
                recs.append(r)
    # namesakes: persons with the same name ids (anywhere / same province)
    per_name = defaultdict(set)
    per_name_prov = defaultdict(set)
    for r in recs:
        per_name[(r["t_given"], r["t_family"])].add(r["person_id"])
        per_name_prov[(r["t_given"], r["t_family"], r["t_prov"])].add(
            r["person_id"])

    def ns(r):
        n = len(per_name[(r["t_given"], r["t_family"])]) - 1
        return "0" if n == 0 else "1-4" if n < 5 else "5-19" if n < 20 \
            else "20+"

    def feats(x, y):
        f = {}
        sc = sorted([x["t_script"], y["t_script"]])
        f["script"] = "-".join(sc)
        # romanisation: both romanised, not full names, spellings differ
        if x["t_gvar"] != "-1" and y["t_gvar"] != "-1":
            same = x["t_gvar"] == y["t_gvar"] and x["t_fvar"] == y["t_fvar"]
            f["romanisation"] = "same spellings" if same else \
                "spellings differ"
        else:
            f["romanisation"] = "a side without Latin"
        f["typo"] = "typo on a side" if "1" in (x["t_typo"], y["t_typo"]) \
            else "no typo"
        f["swap"] = "swapped on one side" if x["t_swap"] != y["t_swap"] \
            else "same order"
        fu = int(x["t_full"]) + int(y["t_full"])
        f["full name"] = ["separate columns", "full name on one side",
                          "full names both"][fu]
        f["split"] = "space inside a name on a side" if "1" in (
            x["t_split"], y["t_split"]) else "no split"
        bk = sorted([BIRTH[x["t_birth"]], BIRTH[y["t_birth"]]])
        f["birth kinds"] = "-".join(bk)
        f["missing birth"] = "a side without birth" if "none" in bk \
            else "both have a birth"
        errs = sorted(e for e in (x["t_berr"], y["t_berr"]) if e != "ok")
        f["birth error"] = "/".join(errs) if errs else "none"
        f["namesakes of the person"] = ns(x)
        f["same list"] = "within-list duplicate" if x["list"] == y["list"] \
            else "two lists"
        return f

    def cause(f):
        if f["missing birth"] == "a side without birth":
            return "missing birth"
        if f["birth error"] != "none":
            return "birth error " + f["birth error"]
        if f["typo"] != "no typo":
            return "typo"
        if "km" in f["script"] and f["script"] != "km-km" and \
                f["romanisation"] == "a side without Latin":
            return "khmer against latin"
        if f["swap"] != "same order":
            return "swap"
        if f["split"] != "no split":
            return "split name"
        if f["romanisation"] == "spellings differ":
            return "spellings differ"
        if f["full name"] != "separate columns":
            return "full name"
        if f["birth kinds"] != "date-date":
            return "birth kinds " + f["birth kinds"]
        return "nothing differs"

    by_person = defaultdict(list)
    for r in recs:
        by_person[r["person_id"]].append(r)
    tot = defaultdict(Counter)
    miss = defaultdict(Counter)
    ctot = Counter()
    cmiss = Counter()
    ntrue = nmiss = 0
    ntot = Counter()
    nmis = Counter()
    xtot = Counter()
    xmis = Counter()
    examples = defaultdict(list)
    for rs in by_person.values():
        for i in range(len(rs)):
            for j in range(i + 1, len(rs)):
                x, y = rs[i], rs[j]
                m = x["pred"] != y["pred"]
                ntrue += 1
                nmiss += m
                f = feats(x, y)
                for k, v in f.items():
                    tot[k][v] += 1
                    miss[k][v] += m
                c = cause(f)
                ctot[c] += 1
                cmiss[c] += m
                nk = "no namesake" if f["namesakes of the person"] == "0" \
                    else "namesakes"
                xtot[(c, nk)] += 1
                xmis[(c, nk)] += m
                if m and nk == "no namesake" and len(examples[c]) < 3:
                    examples[c].append(f"{x['list']}:{x['record_id']} "
                                       f"{y['list']}:{y['record_id']}")
                if c in ("khmer against latin", "spellings differ"):
                    for a, b, w in (("given_name_km", "given_name", "g"),
                                    ("family_name_km", "family_name", "f")):
                        km = x[a] or y[a] or "-"
                        lat = sorted({v for v in (x[b], y[b]) if v})
                        key = (c, w, km, "/".join(lat).lower())
                        ntot[key] += 1
                        nmis[key] += m
    print(f"records {len(recs)}, true pairs {ntrue}, missed {nmiss}")
    print("\nmissed true pairs, by the first cause that applies "
          "(missed / pairs of the class)")
    for c, n in sorted(ctot.items(), key=lambda kv: -cmiss[kv[0]]):
        print(f"  {c:44s} {cmiss[c]:7d} / {n:7d} ({100*cmiss[c]/n:5.1f}%)")
    print("\nthe same, for persons without / with a namesake (same name "
          "ids) anywhere; examples of missed pairs without namesakes, for "
          "ctis link explain")
    for c, n in sorted(ctot.items(), key=lambda kv: -cmiss[kv[0]])[:14]:
        a = (c, "no namesake")
        b = (c, "namesakes")
        print(f"  {c:30s} none: {xmis[a]:6d} / {xtot[a]:6d}  "
              f"some: {xmis[b]:6d} / {xtot[b]:6d}  e.g. "
              f"{'; '.join(examples[c][:2])}")
    for c in ("khmer against latin", "spellings differ"):
        print(f"\n'{c}' pairs: the names most missed (name: Khmer, "
              "Latin as written; missed / pairs; by share missed, 5 pairs or more)")
        keys = [k for k in nmis if k[0] == c and ntot[k] >= 5 and
                k[2] != "-" and k[3] != ""]
        keys.sort(key=lambda k: (-nmis[k] / ntot[k], -ntot[k]))
        for k in keys[:20]:
            print(f"  {k[1]} {k[2]:14s} {k[3]:30s} {nmis[k]:5d} / "
                  f"{ntot[k]:5d}")
    print("\nmissed true pairs by each field (classes overlap)")
    for k in tot:
        print(f"  {k}")
        for v, n in sorted(tot[k].items(), key=lambda kv: -miss[k][kv[0]]):
            print(f"    {v:42s} {miss[k][v]:7d} / {n:7d} "
                  f"({100*miss[k][v]/n:5.1f}%)")
    # false pairs
    by_pred = defaultdict(list)
    for r in recs:
        by_pred[r["pred"]].append(r)
    ft = defaultdict(Counter)
    nfalse = 0
    for rs in by_pred.values():
        for i in range(len(rs)):
            for j in range(i + 1, len(rs)):
                x, y = rs[i], rs[j]
                if x["person_id"] == y["person_id"]:
                    continue
                nfalse += 1
                g = x["t_given"] == y["t_given"]
                fa = x["t_family"] == y["t_family"]
                ft["names"]["namesakes (both name ids)" if g and fa else
                            "family name only" if fa else
                            "given name only" if g else "different names"] += 1
                f = feats(x, y)
                ft["birth kinds"][f["birth kinds"]] += 1
                ft["missing birth"][f["missing birth"]] += 1
                ft["script"][f["script"]] += 1
                ft["true province"]["same" if x["t_prov"] == y["t_prov"]
                                    else "different"] += 1
                ft["sibling"]["a sibling pair (same family name and "
                              "province, one a sibling)"
                              if fa and x["t_prov"] == y["t_prov"] and
                              "1" in (x["t_sib"], y["t_sib"])
                              else "not siblings"] += 1
                ft["namesakes of the person"][ns(x)] += 1
                ft["cluster size"][str(min(len(rs), 6)) if len(rs) < 6
                                   else "6+"] += 1
    print(f"\nfalse pairs (two persons in one cluster): {nfalse}")
    for k in ft:
        print(f"  {k}")
        for v, n in ft[k].most_common():
            print(f"    {v:42s} {n:7d}")


main()
