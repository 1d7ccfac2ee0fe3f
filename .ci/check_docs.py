#!/usr/bin/env python3
"""Checks that the docs match the code.

- Relative links in tracked Markdown files point to files that exist, and their #anchors to
  headings that exist (GitHub's anchor rules).
- Java class names mentioned in Markdown (`FooExercise`, `FooTest.java`, ...) exist as files.
- Every Todo.exercise("X.Y", "Title") in a starter has a heading "Exercise X.Y: Title" in its
  module's README, and every "Exercise X.Y: Title" heading has a matching starter method.
- Every -Dtest='...' pattern a module README shows matches one of that module's test classes.
- Every test of a lab module is a plain @Test with @Graded, and the module README's points table
  (and each exercise's "(N points)") says what the @Graded annotations say, total included.
"""
import fnmatch
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "scripts"))
from grading import exercise_key, graded_tests, lab_modules  # noqa: E402

ROOT = subprocess.run(["git", "rev-parse", "--show-toplevel"], capture_output=True, text=True, check=True).stdout.strip()
os.chdir(ROOT)
TRACKED = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], capture_output=True, text=True,
                         check=True).stdout.split()
MARKDOWN = [f for f in TRACKED if f.endswith(".md") and os.path.exists(f)]
JAVA = [f for f in TRACKED if f.endswith(".java") and os.path.exists(f)]
JAVA_NAMES = {os.path.basename(f)[:-5] for f in JAVA}
problems = []

LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")


def lines_outside_code(text):
    for _, line in numbered_lines_outside_code(text):
        yield line


def numbered_lines_outside_code(text):
    fenced = False
    for number, line in enumerate(text.splitlines(), 1):
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            yield number, line


def slug(heading):
    text = re.sub(r"`([^`]*)`", r"\1", heading)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = text.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path):
    seen, result = {}, set()
    with open(path, encoding="utf-8") as f:
        for line in lines_outside_code(f.read()):
            m = HEADING.match(line)
            if m:
                base = slug(m.group(2))
                n = seen.get(base, 0)
                result.add(base if n == 0 else f"{base}-{n}")
                seen[base] = n + 1
    return result


def check_links():
    for md in MARKDOWN:
        with open(md, encoding="utf-8") as f:
            text = f.read()
        for line in lines_outside_code(text):
            for target in LINK.findall(line):
                if re.match(r"^[a-z]+:", target):
                    continue
                path, _, anchor = target.partition("#")
                dest = os.path.normpath(os.path.join(os.path.dirname(md), path)) if path else md
                if not os.path.exists(dest):
                    problems.append(f"{md}: link to {target}: {dest} does not exist")
                    continue
                if anchor and dest.endswith(".md") and anchor not in anchors(dest):
                    problems.append(f"{md}: link to {target}: no heading with anchor #{anchor} in {dest}")


CLASS_MENTION = re.compile(r"`([A-Z][A-Za-z0-9]*(?:Exercise|Solution|Test|Walkthrough))(?:\.java)?[`(.#]|`([A-Z][A-Za-z0-9]*)\.java`")


def check_class_names():
    for md in MARKDOWN:
        with open(md, encoding="utf-8") as f:
            text = f.read()
        for m in CLASS_MENTION.finditer(text):
            name = m.group(1) or m.group(2)
            if "<" in name or name in ("MyExercise",):
                continue
            if name not in JAVA_NAMES:
                problems.append(f"{md}: mentions class {name}, which does not exist")


TODO = re.compile(r'Todo\.exercise\(\s*"([^"]+)"\s*,\s*"([^"]+)"\s*\)')
EXERCISE_HEADING = re.compile(r"^#{2,4}\s+Exercise ([0-9.]+): (.+?)\s*$")


def check_exercise_headings():
    for module in sorted(d for d in os.listdir(".") if d.startswith("module-") and os.path.isdir(d)):
        readme = os.path.join(module, "README.md")
        starters = [f for f in JAVA if f.startswith(module + "/") and f.endswith("Exercise.java")]
        if not os.path.exists(readme):
            problems.append(f"{module}: no README.md")
            continue
        with open(readme, encoding="utf-8") as f:
            headings = {}
            for line in lines_outside_code(f.read()):
                m = EXERCISE_HEADING.match(line)
                if m:
                    headings[m.group(1)] = m.group(2)
        todos = {}
        for starter in starters:
            with open(starter, encoding="utf-8") as f:
                for exercise, title in TODO.findall(f.read()):
                    todos[exercise] = title
                    if headings.get(exercise) != title:
                        problems.append(f"{starter}: Todo.exercise(\"{exercise}\", \"{title}\") has no heading"
                                        f" \"Exercise {exercise}: {title}\" in {readme}"
                                        + (f" (it says \"{headings[exercise]}\")" if exercise in headings else ""))
        for exercise in headings:
            if exercise not in todos:
                problems.append(f"{readme}: heading for exercise {exercise} but no Todo.exercise(\"{exercise}\", ...) in a starter")


DTEST = re.compile(r"-Dtest='([^']+)'")
NESTED = re.compile(r"^\s*(?:static\s+)?(?:final\s+)?class\s+(\w+)", re.M)


def check_test_patterns():
    for module in sorted(d for d in os.listdir(".") if d.startswith("module-") and os.path.isdir(d)):
        readme = os.path.join(module, "README.md")
        if not os.path.exists(readme):
            continue
        names = []
        for test in (f for f in JAVA if f.startswith(module + "/src/test/")):
            outer = os.path.basename(test)[:-5]
            with open(test, encoding="utf-8") as f:
                for inner in NESTED.findall(f.read()):
                    names.append(outer if inner == outer else f"{outer}${inner}")
        with open(readme, encoding="utf-8") as f:
            for pattern in DTEST.findall(f.read()):
                if not any(fnmatch.fnmatchcase(n, pattern) for n in names):
                    problems.append(f"{readme}: -Dtest='{pattern}' matches no test class of {module}")


TABLE_ROW = re.compile(r"^\s*\|(.*)\|\s*$")
POINTS_NOTE = re.compile(r"\((\d+) points?\)")


def cells(line):
    return [c.strip() for c in re.split(r"(?<!\\)\|", TABLE_ROW.match(line).group(1))]


def plain(cell):
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", cell)
    return re.sub(r"[*_`]", "", text).strip()


def points_table(numbered):
    """The rows of the first table whose header has an "Exercise" and a "Points" column:
    ([(exercise or "Total", {column: value})], its line number), or (None, None)."""
    lines = [line for _, line in numbered]
    for i, line in enumerate(lines):
        if not TABLE_ROW.match(line) or i + 1 >= len(lines) or not re.match(r"^\s*\|[\s:|-]+\|\s*$", lines[i + 1]):
            continue
        header = [plain(c).lower() for c in cells(line)]
        if "exercise" not in header or "points" not in header:
            continue
        rows = []
        for row_line in lines[i + 2:]:
            if not TABLE_ROW.match(row_line):
                break
            row = dict(zip(header, (plain(c) for c in cells(row_line))))
            first = row.get("exercise", "")
            m = re.match(r"^(\d+(?:\.\d+)*)\b", first)
            rows.append(("Total" if first.lower().startswith("total") else (m.group(1) if m else first), row))
        return rows, numbered[i][0]
    return None, None


def check_points():
    """The points a README announces are the points the tests declare (@Graded), so the table a
    learner reads cannot drift from what grading counts."""
    for module in lab_modules("."):
        tests, source_problems = graded_tests(module)
        problems.extend(source_problems)
        readme = os.path.join(module, "README.md")
        if not os.path.exists(readme):
            continue
        declared, count = {}, {}
        for t in tests:
            declared[t["exercise"]] = declared.get(t["exercise"], 0) + t["points"]
            count[t["exercise"]] = count.get(t["exercise"], 0) + 1
        with open(readme, encoding="utf-8") as f:
            numbered = list(numbered_lines_outside_code(f.read()))
        lines = [line for _, line in numbered]
        rows, where = points_table(numbered)
        test_file = ", ".join(sorted({os.path.basename(t["file"]) for t in tests})) or "the tests"
        if rows is None:
            problems.append(f"{readme}: no points table (a table with columns Exercise and Points, one row per"
                            f" exercise and a Total row); the @Graded tests declare: "
                            + ", ".join(f"{e}: {declared[e]}" for e in sorted(declared, key=exercise_key)))
            continue
        listed = {}
        for exercise, row in rows:
            value = row.get("points", "")
            if not value.isdigit():
                problems.append(f"{readme}:{where}: points table row '{exercise}': points '{value}' is not a number")
                continue
            if exercise == "Total":
                total = sum(declared.values())
                if int(value) != total:
                    problems.append(f"{readme}:{where}: points table total is {value}, the @Graded tests in {test_file}"
                                    f" add up to {total}")
                tests_cell = row.get("tests")
                if tests_cell and tests_cell.isdigit() and int(tests_cell) != len(tests):
                    problems.append(f"{readme}:{where}: points table total says {tests_cell} tests, there are {len(tests)}")
                continue
            listed[exercise] = int(value)
            if exercise not in declared:
                problems.append(f"{readme}:{where}: points table lists exercise {exercise}, which has no @Graded test")
            elif int(value) != declared[exercise]:
                problems.append(f"{readme}:{where}: points table gives exercise {exercise} {value} points, its @Graded"
                                f" tests in {test_file} give {declared[exercise]}")
            tests_cell = row.get("tests")
            if exercise in count and tests_cell and tests_cell.isdigit() and int(tests_cell) != count[exercise]:
                problems.append(f"{readme}:{where}: points table says exercise {exercise} has {tests_cell} tests,"
                                f" there are {count[exercise]}")
        for exercise in sorted(set(declared) - set(listed), key=exercise_key):
            problems.append(f"{readme}:{where}: points table has no row for exercise {exercise}"
                            f" ({declared[exercise]} points in {test_file})")
        if not any(exercise == "Total" for exercise, _ in rows):
            problems.append(f"{readme}:{where}: points table has no Total row")
        # Each exercise's own "**Tests:** ... (N points)" line, where the guide has one.
        current = None
        for number, line in numbered:
            m = EXERCISE_HEADING.match(line)
            if m:
                current = m.group(1)
                if current not in declared:
                    continue
            elif re.match(r"^#{1,4}\s", line):
                current = None
            elif current and line.startswith("**Tests:**"):
                note = POINTS_NOTE.search(line)
                if note and int(note.group(1)) != declared.get(current, 0):
                    problems.append(f"{readme}:{number}: exercise {current} says ({note.group(0)[1:-1]}), its @Graded tests"
                                    f" give {declared.get(current, 0)}")
        headings = set()
        for line in lines:
            m = EXERCISE_HEADING.match(line)
            if m:
                headings.add(m.group(1))
        for exercise in sorted(set(declared) - headings, key=exercise_key):
            problems.append(f"{readme}: @Graded tests for exercise {exercise} but no heading \"Exercise {exercise}: ...\"")


check_links()
check_class_names()
check_exercise_headings()
check_test_patterns()
check_points()
for p in problems:
    print("FAIL " + p)
if problems:
    sys.exit(1)
print(f"OK: {len(MARKDOWN)} Markdown files: links, anchors, class names, exercise headings and -Dtest patterns"
      f" resolve; every lab test is graded and each README's points match its tests")
