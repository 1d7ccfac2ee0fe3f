#!/usr/bin/env python3
"""Points for the lab modules: what the tests declare, and what a graded run earned.

Two sources, on purpose:
  - each lab module's catalogue of graded tests (src/test/graded-tests.json, made from the compiled
    tests by scripts/catalogue.sh and kept current by CI). It says what a module is worth even
    when a submission did not compile and no report exists;
  - the Surefire XML reports of a `./mvnw -Pgrade ... verify` run: each graded test case is named
    "<sentence> [exercise X.Y, N points]" (see GradedDisplayNames) and says whether it passed.

`python3 scripts/grading.py summary MODULE...` writes target/grade/summary.md and summary.json
(scripts/grade.sh runs it after Maven; see docs/grading.md). .ci/check_docs.py reads the
catalogue to check that each module README's points table matches the tests.
Standard library only: CI machines have python3 and nothing else.
"""
import argparse
import glob
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

NOT_DONE = "io.streamingworkshop.testkit.ExerciseNotDoneException"


# ---------------------------------------------------------------- the lab modules -------------

def lab_modules(root="."):
    """The lab modules: the parent pom's <module>module-...</module> entries, sorted. The test kit,
    datagen and anything else earn no points."""
    try:
        with open(os.path.join(root, "pom.xml"), encoding="utf-8") as f:
            pom = re.sub(r"<!--.*?-->", "", f.read(), flags=re.S)
    except OSError:
        return []
    return sorted(set(re.findall(r"<module>\s*(module-[^<\s]+?)/?\s*</module>", pom)))


def exercise_key(exercise):
    """1.2 before 1.10; anything odd sorts after the numbers, by text."""
    parts = exercise.split(".")
    return (0, [int(p) for p in parts], "") if all(p.isdigit() for p in parts) else (1, [], exercise)


CATALOGUE = os.path.join("src", "test", "graded-tests.json")


def graded_tests(module):
    """([test], [problem]) for a lab module, from its catalogue of graded tests
    (<module>/src/test/graded-tests.json), which scripts/catalogue.sh writes with JUnit's own
    discovery of the compiled tests (testkit's GradedCatalogue) and CI keeps current.

    A test is a dict: exercise, points, test (the display name without its suffix), group (the
    nested class's display name), class, method, file. The catalogue is committed, so it says what
    a module is worth even when a submission's code does not compile."""
    path = os.path.join(module, CATALOGUE)
    try:
        with open(path, encoding="utf-8") as f:
            tests = json.load(f)
    except OSError:
        return [], [f"{path}: missing; run scripts/catalogue.sh and commit it"]
    except ValueError as e:
        return [], [f"{path}: not readable JSON ({e}); run scripts/catalogue.sh"]
    return tests, []


EXERCISE_HEADING = re.compile(r"^#{2,4}\s+Exercise ([0-9.]+): (.+?)\s*$")


def exercise_titles(module):
    """Exercise id -> title, from the README's "Exercise X.Y: Title" headings (check_docs keeps
    them equal to the starters' Todo.exercise titles)."""
    titles, fenced = {}, False
    readme = os.path.join(module, "README.md")
    if os.path.exists(readme):
        with open(readme, encoding="utf-8") as f:
            for line in f:
                if re.match(r"^\s*(```|~~~)", line):
                    fenced = not fenced
                elif not fenced:
                    m = EXERCISE_HEADING.match(line)
                    if m:
                        titles[m.group(1)] = m.group(2)
    return titles


def artifact_id(module):
    """The module's artifactId, which Maven's error lines name ("... on project <artifactId>")."""
    try:
        with open(os.path.join(module, "pom.xml"), encoding="utf-8") as f:
            pom = re.sub(r"<!--.*?-->", "", f.read(), flags=re.S)
    except OSError:
        return module
    pom = re.sub(r"<parent>.*?</parent>", "", pom, flags=re.S)
    m = re.search(r"<artifactId>\s*([^<\s]+)\s*</artifactId>", pom)
    return m.group(1) if m else module


# ---------------------------------------------------------------- reports and build log -------

GRADED_NAME = re.compile(r"^(.*) \[exercise ([^,\]]+), (\d+) points?\]$")


def first_line(text):
    for line in (text or "").splitlines():
        if line.strip():
            return line.strip()
    return ""


def read_reports(module):
    """(cases, modes): every graded test case in the module's Surefire reports, and the set of
    workshop.impl values the reports were made with."""
    cases, modes, ungraded = [], set(), []
    for report in sorted(glob.glob(os.path.join(module, "target", "surefire-reports", "TEST-*.xml"))):
        try:
            root = ET.parse(report).getroot()
        except ET.ParseError as e:
            # A test JVM killed while writing leaves half a file: grade what the other reports say.
            ungraded.append(f"{report}: unreadable ({e})")
            continue
        for prop in root.iter("property"):
            if prop.get("name") == "workshop.impl":
                modes.add((prop.get("value") or "").strip().lower() or "exercise")
        for case in root.iter("testcase"):
            name = case.get("name") or ""
            m = GRADED_NAME.match(name)
            if not m:
                ungraded.append(f"{report}: test case '{name}' ({case.get('classname')}) has no"
                                f" [exercise X.Y, N points] in its name")
                continue
            outcome, message = "passed", ""
            for kind, label in (("failure", "failed"), ("error", "error"), ("skipped", "skipped")):
                element = case.find(kind)
                if element is not None:
                    outcome = label
                    message = first_line(element.get("message"))
                    kind_type = element.get("type") or ""
                    if label == "error" and kind_type and kind_type != NOT_DONE:
                        simple = kind_type.rsplit(".", 1)[-1]
                        message = f"{simple}: {message}" if message else simple
                    elif not message:
                        message = kind_type.rsplit(".", 1)[-1] or first_line(element.text)
                    break
            cases.append({
                "exercise": m.group(2),
                "points": int(m.group(3)),
                "test": m.group(1),
                "group": case.get("classname") or "",
                "outcome": outcome,
                "message": message,
            })
    return cases, modes, ungraded


ANSI = re.compile(r"\x1b\[[0-9;]*m")
FAILED_GOAL = re.compile(r"^\[ERROR\] Failed to execute goal (?:(\S+) \(([^)]*)\) )?on project ([^\s:]+): (.*)$")
COMPILER_MESSAGE = re.compile(r"^\[ERROR\] (.+?\.java):\[(\d+),(\d+)\] (.*)$")


def read_build_log(path):
    """({artifactId: failure}, [compiler error]) from Maven's output: which goal failed for which
    project and why, and every javac error as (file, line, column, message) in the order given."""
    failures = {}
    if not path or not os.path.exists(path):
        return failures, []
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = [ANSI.sub("", line.rstrip("\n")) for line in f]
    compiler_errors = []
    for line in lines:
        m = COMPILER_MESSAGE.match(line)
        if m:
            compiler_errors.append((os.path.normpath(m.group(1)), m.group(2), m.group(3), m.group(4)))
    for number, line in enumerate(lines):
        m = FAILED_GOAL.match(line)
        if not m or m.group(3) in failures:
            continue
        goal = m.group(1) or ""
        message = m.group(4).strip()
        if not message:
            # The enforcer (a wrong JDK) and surefire (a crashed test JVM) put their message on the
            # following lines, after boilerplate ("Rule 0: ...", "See <dir> for ...").
            for following in lines[number + 1:number + 8]:
                text = following[len("[ERROR] "):].strip() if following.startswith("[ERROR] ") else ""
                if text and not re.match(r"^(Rule \d+:|See )", text):
                    message = text
                    break
        failures[m.group(3)] = {
            "goal": goal.split(":")[-1] if goal else "",
            "plugin": goal.split(":")[1] if goal.count(":") >= 2 else "",
            "message": message,
        }
    return failures, compiler_errors


# ---------------------------------------------------------------- the grade -------------------

def grade_module(module, root, failures, compiler_errors):
    source_tests, _ = graded_tests(module)
    cases, modes, report_problems = read_reports(module)
    titles = exercise_titles(module)
    artifact = artifact_id(module)
    failure = failures.get(artifact)
    warnings = list(report_problems)

    status, note = "tested", ""
    compile_failed = failure is not None and failure["plugin"] == "maven-compiler-plugin"
    if compile_failed:
        status = "compile error"
        module_dir = os.path.normpath(os.path.join(root, module)) + os.sep
        mine = [e for e in compiler_errors if os.path.normpath(os.path.join(root, e[0])).startswith(module_dir)]
        if mine:
            path, line, column, text = mine[0]
            rel = os.path.relpath(os.path.normpath(os.path.join(root, path)), root)
            note = f"{'tests' if failure['goal'] == 'testCompile' else 'code'} did not compile: {rel}:{line}:{column}: {text}"
        else:
            note = f"{'tests' if failure['goal'] == 'testCompile' else 'code'} did not compile: {failure['message']}"
        # Reports left by an earlier build must not earn points for code that does not compile now.
        cases = []
    elif failure is not None:
        status = "build error"
        if failure["plugin"] == "maven-surefire-plugin":
            note = f"the tests stopped before the end: {first_line(failure['message'])}"
        else:
            note = f"{failure['goal'] or 'the build'} failed: {first_line(failure['message'])}"
    elif not cases and not modes and not source_tests:
        note = "no graded tests in this module"
    elif not cases and not modes:
        status = "not run"
        note = "no test reports: the build stopped before this module's tests (see the build log)"
    if cases and modes - {"exercise"}:
        status = "not graded"
        note = ("the tests ran the reference solutions (workshop.impl=" + ", ".join(sorted(modes)) + "), not the"
                " exercise classes: grade without -Psolutions or -Dworkshop.impl")
        for case in cases:
            case["outcome"], case["message"] = "not graded", ""

    # Every test the sources declare is listed, run or not; a test case the sources do not
    # explain is listed too, so nothing earned goes missing.
    unmatched = list(cases)
    tests = []
    for declared in source_tests:
        match = next((c for c in unmatched if c["exercise"] == declared["exercise"] and c["test"] == declared["test"]), None)
        if match is not None:
            unmatched.remove(match)
            if match["points"] != declared["points"]:
                warnings.append(f"{module}: '{declared['test']}' is worth {declared['points']} in the source but"
                                f" {match['points']} in the report; the report counts")
            tests.append(match)
        else:
            if status == "tested" and cases:
                warnings.append(f"{module}: '{declared['test']}' (exercise {declared['exercise']}) is in the sources"
                                f" but not in the reports")
            tests.append({"exercise": declared["exercise"], "points": declared["points"], "test": declared["test"],
                          "group": "", "outcome": "not run", "message": ""})
    for case in unmatched:
        warnings.append(f"{module}: '{case['test']}' (exercise {case['exercise']}) is in the reports but not found"
                        f" in the sources")
        tests.append(case)

    exercises = {}
    for t in tests:
        earned = t["points"] if t["outcome"] == "passed" else 0
        ex = exercises.setdefault(t["exercise"], {"exercise": t["exercise"], "title": "", "points": 0,
                                                  "available": 0, "tests": []})
        ex["points"] += earned
        ex["available"] += t["points"]
        if not ex["title"]:
            ex["title"] = titles.get(t["exercise"], "")
        if not ex["title"] and t["group"].startswith(f"Exercise {t['exercise']}: "):
            # A README without the heading: the nested test class's display name says it too.
            ex["title"] = t["group"][len(f"Exercise {t['exercise']}: "):]
        ex["tests"].append({"test": t["test"], "points": earned, "available": t["points"],
                            "outcome": t["outcome"], "message": t["message"]})
    ordered = []
    for key in sorted(exercises, key=exercise_key):
        ex = exercises[key]
        ex["tests"].sort(key=lambda t: (t["test"], t["available"]))
        ordered.append(ex)
    return {
        "module": module,
        "status": status,
        "note": note,
        "points": sum(e["points"] for e in ordered),
        "available": sum(e["available"] for e in ordered),
        "passed": sum(1 for e in ordered for t in e["tests"] if t["outcome"] == "passed"),
        "tests": sum(len(e["tests"]) for e in ordered),
        "exercises": ordered,
    }, warnings


def grade(modules, root, build_log, ignored=()):
    failures, compiler_errors = read_build_log(build_log)
    results, warnings = [], []
    lab_artifacts = {artifact_id(m) for m in modules}
    for module in sorted(modules):
        result, problems = grade_module(module, root, failures, compiler_errors)
        results.append(result)
        warnings += problems
    # A failure outside the lab modules (the test kit, the parent pom, a download) is not the
    # learner's doing: the grade is then incomplete, not zero.
    incomplete = sorted(f"{project}: {first_line(f['message'])}" for project, f in failures.items()
                        if project not in lab_artifacts)
    incomplete += sorted(f"{r['module']}: {r['note']}" for r in results if r["status"] in ("not run", "not graded"))
    for project, f in sorted(failures.items()):
        if project in lab_artifacts and f["plugin"] not in ("maven-compiler-plugin", "maven-surefire-plugin"):
            incomplete.append(f"{project}: {first_line(f['message'])}")
    return {
        "points": sum(r["points"] for r in results),
        "available": sum(r["available"] for r in results),
        "complete": not incomplete,
        "problems": incomplete,
        "modules": results,
        "ignored": sorted(ignored),
        "warnings": sorted(set(warnings)),
    }


# ---------------------------------------------------------------- output ----------------------

def cell(text, limit=300):
    text = " ".join((text or "").split())
    if len(text) > limit:
        text = text[:limit - 1] + "…"
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def markdown(result):
    out = [f"# Grade: {result['points']} / {result['available']} points", ""]
    if not result["complete"]:
        out += ["**Grading incomplete**: part of the build failed for reasons that are not in the exercises,"
                " so some points could not be earned. Fix the set-up and grade again:", ""]
        out += [f"- {cell(p)}" for p in result["problems"]] + [""]
    out += ["| Module | Points | Tests passed | Status |", "|---|---:|---:|---|"]
    for m in result["modules"]:
        status = m["status"] if not m["note"] else f"{m['status']}: {m['note']}"
        out.append(f"| {m['module']} | {m['points']} / {m['available']} | {m['passed']} / {m['tests']} | {cell(status)} |")
    out += [f"| **Total** | **{result['points']} / {result['available']}** | | |", ""]
    for m in result["modules"]:
        out += [f"## {m['module']}: {m['points']} / {m['available']} points", ""]
        if m["note"]:
            out += [f"**{m['status'].capitalize()}**: {cell(m['note'], 500)}", ""]
        out += ["| Exercise | Points | Tests passed |", "|---|---:|---:|"]
        for e in m["exercises"]:
            passed = sum(1 for t in e["tests"] if t["outcome"] == "passed")
            out.append(f"| {e['exercise']} {cell(e['title'])} | {e['points']} / {e['available']} | {passed} / {len(e['tests'])} |")
        out += ["", "| Exercise | Test | Points | Result |", "|---|---|---:|---|"]
        for e in m["exercises"]:
            for t in e["tests"]:
                verdict = t["outcome"] if not t["message"] else f"{t['outcome']}: {t['message']}"
                out.append(f"| {e['exercise']} | {cell(t['test'])} | {t['points']} / {t['available']} | {cell(verdict)} |")
        out.append("")
    if result.get("ignored"):
        out += ["## Ignored changes", "",
                "These files of the submission differ from the trusted copy and were not used: only the"
                " exercise classes are graded, against the trusted tests, test kit, poms and scripts.", ""]
        out += [f"- ignored: {cell(path)}" for path in result["ignored"]] + [""]
    if result["warnings"]:
        out += ["## Warnings", ""] + [f"- {cell(w)}" for w in result["warnings"]] + [""]
    return "\n".join(out)


def summary_command(args):
    root = os.path.abspath(args.root)
    os.chdir(root)
    modules = [m.rstrip("/") for m in args.modules]
    for m in modules:
        if not os.path.isfile(os.path.join(m, "pom.xml")):
            print(f"grading.py: {m} is not a module directory of {root}", file=sys.stderr)
            return 2
    ignored = []
    if args.ignored:
        with open(args.ignored, encoding="utf-8") as f:
            ignored = [line.strip() for line in f if line.strip()]
    result = grade(modules, root, args.build_log, ignored)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "summary.json"), "w", encoding="utf-8") as f:
        json.dump(result, f, indent=2, ensure_ascii=False)
        f.write("\n")
    text = markdown(result)
    with open(os.path.join(args.out, "summary.md"), "w", encoding="utf-8") as f:
        f.write(text)
    if not args.quiet:
        print(text)
    return 0 if result["complete"] else 3


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("summary", help="write summary.md and summary.json from the reports of a -Pgrade run")
    s.add_argument("modules", nargs="+", help="lab module directories, relative to --root")
    s.add_argument("--root", default=".", help="the repository root (default: .)")
    s.add_argument("--build-log", help="Maven's output of the -Pgrade run: names the modules that did not compile")
    s.add_argument("--out", default=os.path.join("target", "grade"), help="where to write (default: target/grade)")
    s.add_argument("--quiet", action="store_true", help="do not print the Markdown summary")
    s.add_argument("--ignored", help="a file listing the submission's changes outside the exercise classes, one per line")
    sub.add_parser("modules", help="print the lab modules, one per line")
    args = parser.parse_args(argv)
    if args.command == "modules":
        print("\n".join(lab_modules()))
        return 0
    return summary_command(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
