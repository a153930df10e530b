#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Reads meson's testlog.json (and optionally the fuzz smoke results) from one or more build directories, prints the
conformance figures the tests reported (lines starting with "conformance:"),
one line per build, and a closing "N passed, N failed, N skipped" line.
Exits 1 when any test failed or timed out."""
import json
import os
import sys

total = {"passed": 0, "failed": 0, "skipped": 0}
args = sys.argv[1:]
if args[:1] == ["--fuzz"]:
    fuzz_file, args = args[1], args[2:]
    if os.path.exists(fuzz_file):
        ok, bad = (int(x) for x in open(fuzz_file).read().split())
        print(f"[fuzz] harnesses: {ok} passed, {bad} failed, 0 skipped")
        total["passed"] += ok
        total["failed"] += bad
    else:
        print("[fuzz] FAILED: no fuzz results")
        total["failed"] += 1
for build in args:
    path = os.path.join(build, "meson-logs", "testlog.json")
    counts = {"passed": 0, "failed": 0, "skipped": 0}
    with open(path) as f:
        for line in f:
            rec = json.loads(line)
            result = rec.get("result")
            for out in (rec.get("stdout") or "").splitlines():
                if out.startswith("conformance:"):
                    print(f"[{build}] {out}")
            if result in ("OK", "EXPECTEDFAIL"):
                counts["passed"] += 1
            elif result == "SKIP":
                counts["skipped"] += 1
            else:
                counts["failed"] += 1
                print(f"[{build}] FAILED: {rec.get('name')} ({result})")
    print(f"[{build}] tests: {counts['passed']} passed, {counts['failed']} failed, "
          f"{counts['skipped']} skipped")
    for k in total:
        total[k] += counts[k]
print(f"{total['passed']} passed, {total['failed']} failed, {total['skipped']} skipped")
sys.exit(1 if total["failed"] else 0)
