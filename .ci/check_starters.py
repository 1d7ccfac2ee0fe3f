#!/usr/bin/env python3
"""Every graded test must fail on the untouched starters, and fail for the right reason.

Reads the Surefire XML reports of the lab modules after `./mvnw test` ran in exercise mode and
checks, for every test case:
  - it is graded: its name ends with "[exercise X.Y, N point(s)]";
  - it did not pass;
  - it failed with ExerciseNotDoneException for its own exercise (not an assertion, not a crash,
    not another exercise's TODO).
Usage: check_starters.py [--reports DIR] MODULE_DIR...
  --reports DIR   where the reports are, one directory per module (scripts/grade.sh keeps them in
                  target/grade/reports); default: each module's target/surefire-reports
"""
import glob
import os
import re
import sys
import xml.etree.ElementTree as ET

GRADED = re.compile(r"\[exercise ([0-9.]+), (\d+) points?\]$")
NOT_DONE = "io.streamingworkshop.testkit.ExerciseNotDoneException"


def check(module, reports_dir=None):
    problems, count = [], 0
    where = os.path.join(reports_dir, module) if reports_dir else os.path.join(module, "target", "surefire-reports")
    reports = glob.glob(os.path.join(where, "TEST-*.xml"))
    if not reports:
        return [f"{module}: no test reports (did the tests run?)"], 0
    for report in reports:
        for case in ET.parse(report).getroot().iter("testcase"):
            count += 1
            name = f"{module}: {case.get('classname')} / {case.get('name')}"
            graded = GRADED.search(case.get("name", ""))
            if not graded:
                problems.append(f"{name}: not a graded test (no @Graded)")
                continue
            exercise = graded.group(1)
            outcome = case.find("error")
            if outcome is None:
                outcome = case.find("failure")
            if outcome is None:
                skipped = case.find("skipped") is not None
                problems.append(f"{name}: {'was skipped' if skipped else 'PASSED'} on the untouched starter")
                continue
            message = outcome.get("message") or ""
            if outcome.get("type") != NOT_DONE:
                problems.append(f"{name}: failed with {outcome.get('type')}, not because exercise {exercise} is not done:"
                                f" {message.splitlines()[0] if message else ''}")
            elif not message.startswith(f"Exercise {exercise} ("):
                problems.append(f"{name}: failed on another exercise's TODO: {message.splitlines()[0]}")
    return problems, count


def main(args):
    reports_dir = None
    if len(args) >= 2 and args[0] == "--reports":
        reports_dir, args = args[1], args[2:]
    modules = args
    all_problems, total = [], 0
    for module in modules:
        problems, count = check(module, reports_dir)
        all_problems += problems
        total += count
        print(f"{module}: {count} graded tests checked")
    if total == 0:
        all_problems.append("no tests found at all")
    for p in all_problems:
        print("FAIL " + p)
    if not all_problems:
        print(f"OK: all {total} graded tests fail on the untouched starters because their exercise is not done")
    return 1 if all_problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
