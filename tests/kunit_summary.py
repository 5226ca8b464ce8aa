#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Report each KUnit case from kunit.py's JSON and print the counts.

Usage: kunit_summary.py RESULTS.json
Prints one line per case ("ok kunit suite.case", "FAIL kunit ...", "skip kunit ...")
and last "kunit: P passed, F failed, S skipped". Exits 1 on any failure or
when no case ran.
"""
import json
import sys


def walk(group, prefix, out):
    name = group.get("name", "")
    path = prefix + [name] if name and name != "KUnit Test Group" else prefix
    for case in group.get("test_cases", []):
        out.append((".".join(path + [case["name"]]), case["status"]))
    for sub in group.get("sub_groups", []):
        walk(sub, path, out)


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        root = json.load(f)
    cases = []
    walk(root, [], cases)
    counts = {"PASS": 0, "FAIL": 0, "SKIP": 0}
    for name, status in cases:
        key = status if status in counts else "FAIL"
        counts[key] += 1
        word = {"PASS": "ok", "SKIP": "skip"}.get(key, "FAIL")
        print(f"{word} kunit {name}" + ("" if key != "FAIL" else f" ({status})"))
    print(f"kunit: {counts['PASS']} passed, {counts['FAIL']} failed, "
          f"{counts['SKIP']} skipped")
    return 1 if counts["FAIL"] or not cases else 0


if __name__ == "__main__":
    sys.exit(main())
