#!/usr/bin/env python3
"""Checks a grade that scripts/grade.sh wrote (target/grade/summary.json and summary.md).

  check_grade.py DIR zero                  the untouched starters: 0 points of everything available
  check_grade.py DIR full                  the solutions branch: every point
  check_grade.py DIR compile-error MODULE  MODULE did not compile: 0 points, but all of its points
                                           still listed as available; every other module full

In every case the grade must be complete, every lab module in it must have its points available
as the test sources declare them (@Graded), and the report names must match the sources (no
warnings), so a change to how tests are named cannot make points disappear unnoticed.
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "scripts"))
from grading import graded_tests  # noqa: E402


def main(argv):
    if len(argv) < 2 or argv[1] not in ("zero", "full", "compile-error") or (argv[1] == "compile-error") != (len(argv) == 3):
        print(__doc__)
        return 2
    directory, expect = argv[0], argv[1]
    broken = argv[2] if expect == "compile-error" else None
    with open(os.path.join(directory, "summary.json"), encoding="utf-8") as f:
        grade = json.load(f)
    with open(os.path.join(directory, "summary.md"), encoding="utf-8") as f:
        headline = f.readline().strip()
    problems = []
    if headline != f"# Grade: {grade['points']} / {grade['available']} points":
        problems.append(f"summary.md starts with '{headline}', not the total of summary.json")
    if not grade["complete"]:
        problems.append("the grade is incomplete: " + "; ".join(grade["problems"]))
    problems += [f"warning: {w}" for w in grade["warnings"]]
    if not grade["modules"] or grade["available"] <= 0:
        problems.append("no module or no points in the grade")
    for module in grade["modules"]:
        name = module["module"]
        declared = sum(t["points"] for t in graded_tests(name)[0])
        if module["available"] != declared:
            problems.append(f"{name}: {module['available']} points available in the grade, the @Graded tests declare {declared}")
        if name == broken:
            if module["status"] != "compile error" or module["points"] != 0 or "did not compile" not in module["note"]:
                problems.append(f"{name}: expected a compile error with 0 points, got {module['status']}"
                                f" ({module['points']} points): {module['note']}")
            continue
        if module["status"] != "tested":
            problems.append(f"{name}: status {module['status']}: {module['note']}")
        wanted = 0 if expect == "zero" else module["available"]
        if module["points"] != wanted:
            problems.append(f"{name}: {module['points']} points, expected {wanted}")
            for exercise in module["exercises"]:
                for test in exercise["tests"]:
                    if (test["outcome"] == "passed") != (expect != "zero"):
                        problems.append(f"  {exercise['exercise']} {test['test']}: {test['outcome']} {test['message']}")
    if broken and broken not in {m["module"] for m in grade["modules"]}:
        problems.append(f"{broken} is not in the grade at all")
    for p in problems:
        print("FAIL " + p)
    if problems:
        return 1
    print(f"OK: {headline[2:]} ({expect}{' in ' + broken if broken else ''}) over "
          + ", ".join(f"{m['module']} {m['points']}/{m['available']}" for m in grade["modules"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
