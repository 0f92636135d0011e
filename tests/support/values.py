#!/usr/bin/env python3
"""values.py FILE LINE OUTPUT: print each value of line LINE of FILE (every
line when LINE is "-") that appears in the text of OUTPUT, one a line.

The one rule for values in messages (tests/lib.sh check_bad_input): a
message about a bad line names the file, the line and the field, never a
value of that line. JSON lines give their keys and values (nested too), any
other file its cells (separator ',', ';' or tab, as io/csv.c detects it).
Values shorter than 4 characters, vocabulary codes and field names
(lower-case words with '_'), and ISO codes (TH, KH-12) are not searched:
messages name fields and list allowed codes.
"""
import csv
import io
import json
import re
import sys

SKIP = re.compile(r"^([a-z_]+|[A-Z]{2}|KH-[0-9]+)$")


def json_values(v, out):
    if isinstance(v, dict):
        for k, x in v.items():
            out.append(str(k))
            json_values(x, out)
    elif isinstance(v, list):
        for x in v:
            json_values(x, out)
    elif v is not None and not isinstance(v, bool):
        out.append(str(v))


def line_values(text):
    out = []
    stripped = text.lstrip("\ufeff").strip()
    if stripped.startswith("{") or stripped.startswith("["):
        try:
            json_values(json.loads(stripped), out)
            return out
        except ValueError:
            out.extend(re.findall(r'"((?:[^"\\]|\\.)*)"', stripped))
            return out
    counts = {s: text.count(s) for s in (",", ";", "\t")}
    sep = max(counts, key=lambda s: (counts[s], s == ","))
    for row in csv.reader(io.StringIO(text), delimiter=sep):
        out.extend(row)
    return out


def main():
    path, which, output = sys.argv[1], sys.argv[2], sys.argv[3]
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = f.read().split("\n")
    if which == "-":
        chosen = lines
    else:
        n = int(which)
        chosen = lines[n - 1:n]
    with open(output, encoding="utf-8", errors="replace") as f:
        said = f.read()
    seen = set()
    for text in chosen:
        for v in line_values(text):
            v = v.strip()
            if len(v) < 4 or SKIP.match(v) or v in seen:
                continue
            seen.add(v)
            if v in said:
                print(v)


if __name__ == "__main__":
    main()
