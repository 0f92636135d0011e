# published.py - every figure of shared/data/mse/README.md, read from the
# README itself, against 'ctis estimate' on the CSV beside it, each to the
# precision it is printed with there. Prints TAP lines; tests/mse/
# test_published.sh runs it. Usage: published.py CTIS DATA_DIR
import json, re, subprocess, sys

ctis, data = sys.argv[1], sys.argv[2]
readme = open(data + "/README.md").read()
failed = 0


def report(name, good, why=""):
    global failed
    if good:
        print("ok - " + name)
    else:
        failed += 1
        print("not ok - " + name)
        print("#   " + why)


def estimate(csv, *args):
    r = subprocess.run([ctis, "estimate", "--input", data + "/" + csv,
                        "--format", "json"] + list(args),
                       capture_output=True, text=True)
    return json.loads(r.stdout)


def figure(pattern):
    """The number the pattern's group matches in the README, as text."""
    m = re.search(pattern, readme)
    if m is None:
        report("the README states " + pattern, False, "not found")
        return None
    return m.group(1)


def same(name, got, text):
    """got, printed with as many decimals as text has, reads text."""
    if text is None:
        return
    d = len(text.split(".")[1]) if "." in text else 0
    printed = "%.*f" % (d, got) if got is not None else "null"
    report("%s %s (to %d decimals)" % (name, text, d), printed == text,
           "ctis prints %s" % printed)


# UK 2013, five lists: SparseMSE's stepwise defaults, Rcapture's profile.
uk = readme[readme.index("## uk2013_5lists.csv"):readme.index("## artificial_3.csv")]
model = re.search(r"- model: ([A-Za-z:, ]+)\n", uk).group(1).split(", ")
j = estimate("uk2013_5lists.csv")
entered = [t for f in j["fits"] for t in f.get("entered", [])]
report("uk model: the six terms %s" % ",".join(model),
       sorted(j["model"]) == sorted(model), "ctis: %s" % j["model"])
report("uk model: entered in the published order", entered == model,
       "ctis: %s" % entered)
same("uk persons observed", j["observed"], figure(r"observed (\d+) \+"))
same("uk estimate", j["estimate"], figure(r"- estimate ([\d.]+)"))
same("uk intercept", j["intercept"], figure(r"intercept ([\d.]+);"))
same("uk standard error", j["se"], figure(r"SE ([\d.]+);"))
same("uk deviance", j["deviance"], figure(r"deviance ([\d.]+) on"))
same("uk degrees of freedom", j["df"], figure(r"on (\d+) df"))
same("uk AIC", j["aic"], figure(r"AIC ([\d.]+)"))
same("uk 95% normal interval, lower", j["ci"]["lower"],
     figure(r"normal approximation of the intercept:\s+([\d.]+) to"))
same("uk 95% normal interval, upper", j["ci"]["upper"],
     figure(r"normal approximation of the intercept:\s+[\d.]+ to\s+([\d.]+)"))
p = estimate("uk2013_5lists.csv", "--ci", "profile")
same("uk 95% profile interval, lower", p["ci"]["lower"],
     figure(r"\(R package Rcapture\): ([\d.]+) to"))
same("uk 95% profile interval, upper", p["ci"]["upper"],
     figure(r"\(R package Rcapture\): [\d.]+ to\s+([\d.]+)"))

# Artificial three lists: checkident's codes, as "MODEL: CODE" phrases.
codes = {0: "ok", 1: "mle_does_not_exist", 2: "not_identifiable"}
art = readme[readme.index("## artificial_3.csv"):]
phrases = {"all three two-list terms": "A:B,A:C,B:C", "A:B only": "A:B",
           "A:C and B:C": "A:C,B:C", "main effects": "main"}
for phrase, m in phrases.items():
    code = re.search(re.escape(phrase) + r": (\d)", art)
    if code is None:
        report("artificial_3: the README gives the code of " + phrase, False,
               "not found")
        continue
    got = estimate("artificial_3.csv", "--model", m)["existence"]
    want = codes[int(code.group(1))]
    report("artificial_3 %s: checkident %s (%s)" % (phrase, code.group(1),
           want), got == want, "ctis: %s" % got)
sys.exit(0)
