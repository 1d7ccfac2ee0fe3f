#!/usr/bin/env python3
"""Checks that the docs match the code.

- Relative links in tracked Markdown files point to files that exist, and their #anchors to
  headings that exist (GitHub's anchor rules).
- Java class names mentioned in Markdown (`FooExercise`, `FooTest.java`, ...) exist as files.
- Every Todo.exercise("X.Y", "Title") in a starter has a heading "Exercise X.Y: Title" in its
  module's README, and every "Exercise X.Y: Title" heading has a matching starter method.
- Every -Dtest='...' pattern a module README shows matches one of that module's test classes.
"""
import fnmatch
import os
import re
import subprocess
import sys

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
    fenced = False
    for line in text.splitlines():
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            yield line


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


check_links()
check_class_names()
check_exercise_headings()
check_test_patterns()
for p in problems:
    print("FAIL " + p)
if problems:
    sys.exit(1)
print(f"OK: {len(MARKDOWN)} Markdown files: links, anchors, class names, exercise headings and -Dtest patterns resolve")
