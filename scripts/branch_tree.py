#!/usr/bin/env python3
"""Turns a copy of main's tree into the solutions or the student edition, in place.

    branch_tree.py solutions DIR   every <Name>Exercise.java of a lab module gets the code of its
                                   <Name>Solution.java (class renamed, the starter's class comment
                                   kept), so `git diff main solutions` is what learners write
    branch_tree.py student DIR     no <Name>Solution.java, no `solutions` profile, and the docs no
                                   longer link to files that are not there

scripts/make-solutions-branch.sh and scripts/make-student-branch.sh call it on a temporary copy;
it never runs git. It prints one line per file it changed and fails with a one-line message when
the tree does not have the shape it expects (docs/instructor-guide.md, "How the branches are made").
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from grading import lab_modules  # noqa: E402


def strip_comments(java):
    """The source with comments blanked out: same length and newlines, so offsets and line
    numbers in it are those of the file.

    String, char and text-block literals are kept as they are: "http://..." in a test is not a
    comment, and @Graded's exercise id is a string."""
    out, i, n = [], 0, len(java)
    while i < n:
        if java.startswith('"""', i):
            end = java.find('"""', i + 3)
            end = n if end < 0 else end + 3
            out.append(java[i:end])
            i = end
        elif java[i] in "\"'":
            quote, j = java[i], i + 1
            while j < n and java[j] != quote and java[j] != "\n":
                j += 2 if java[j] == "\\" else 1
            out.append(java[i:j + 1])
            i = j + 1
        elif java.startswith("//", i):
            end = java.find("\n", i)
            end = n if end < 0 else end
            out.append(" " * (end - i))
            i = end
        elif java.startswith("/*", i):
            end = java.find("*/", i + 2)
            end = n if end < 0 else end + 2
            out.append(re.sub(r"[^\n]", " ", java[i:end]))
            i = end
        else:
            out.append(java[i])
            i += 1
    return "".join(out)



class Refusal(Exception):
    pass


def java_files(directory):
    for base, _, files in os.walk(directory):
        for name in sorted(files):
            if name.endswith(".java"):
                yield os.path.join(base, name)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def class_declaration(text, name):
    """Start of the top-level `class <name>` declaration (annotations included), or -1."""
    m = re.search(r"^(?:@[\w.]+(?:\([^)]*\))?\s*)*(?:(?:public|final|abstract|sealed|non-sealed|strictfp)\s+)*class\s+"
                  + re.escape(name) + r"\b", strip_comments(text), re.M)
    return m.start() if m else -1


def class_comment(text, name):
    """(start, end) of the /** ... */ right before the class declaration, or None."""
    start = class_declaration(text, name)
    if start < 0:
        return None
    before = text[:start].rstrip()
    if not before.endswith("*/"):
        return None
    opening = before.rfind("/**")
    return (opening, len(before)) if opening >= 0 else None


def solution_as_exercise(solution_text, exercise_text, renames, exercise_name):
    text = solution_text
    for old, new in renames.items():
        text = re.sub(r"\b" + re.escape(old) + r"\b", new, text)
    if class_declaration(text, exercise_name) < 0:
        raise Refusal(f"no top-level 'class {exercise_name}' after renaming")
    # The starter's class comment tells the learner what the class is for; the solution's says
    # "compare it with your exercise", which would be wrong inside the exercise itself.
    theirs, ours = class_comment(exercise_text, exercise_name), class_comment(text, exercise_name)
    if theirs is not None:
        comment = exercise_text[theirs[0]:theirs[1]]
        if ours is not None:
            text = text[:ours[0]] + comment + text[ours[1]:]
        else:
            start = class_declaration(text, exercise_name)
            text = text[:start] + comment + "\n" + text[start:]
    elif ours is not None:
        text = text[:ours[0]] + text[ours[1]:].lstrip("\n")
    return text


def pairs(module):
    """[(exercise path, solution path)] of a lab module; every exercise class needs its solution."""
    result = []
    for path in java_files(os.path.join(module, "src", "main", "java")):
        if path.endswith("Exercise.java"):
            solution = path[:-len("Exercise.java")] + "Solution.java"
            if not os.path.exists(solution):
                raise Refusal(f"{path} has no {os.path.basename(solution)} beside it: the solutions branch would"
                              f" not pass its tests")
            result.append((path, solution))
    return result


def make_solutions(root):
    changed = []
    for module in lab_modules(root):
        found = pairs(os.path.join(root, module))
        renames = {os.path.basename(s)[:-5]: os.path.basename(e)[:-5] for e, s in found}
        for exercise, solution in found:
            name = os.path.basename(exercise)[:-5]
            try:
                text = solution_as_exercise(read(solution), read(exercise), renames, name)
            except Refusal as e:
                raise Refusal(f"{solution}: {e}") from None
            if text != read(exercise):
                write(exercise, text)
                changed.append(os.path.relpath(exercise, root))
    if not changed:
        raise Refusal("no exercise class changed: is there a lab module with <Name>Exercise.java and"
                      " <Name>Solution.java under src/main/java?")
    for path in changed:
        print(f"  holds its solution: {path}")


SOLUTIONS_PROFILE = re.compile(
    r"(?:[ \t]*<!--(?:(?!-->).)*-->[ \t]*\n)?"        # a comment line right above it, which explains it
    r"[ \t]*<profile>\s*<id>\s*solutions\s*</id>.*?</profile>[ \t]*\n", re.S)


def drop_solutions_profile(root):
    touched = []
    for base, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in (".git", "target", "node_modules")]
        if "pom.xml" in files:
            path = os.path.join(base, "pom.xml")
            text = read(path)
            new = SOLUTIONS_PROFILE.sub("", text)
            if "<id>solutions</id>" in re.sub(r"\s", "", new):
                raise Refusal(f"{path}: could not remove the solutions profile (unexpected layout)")
            if new != text:
                write(path, new)
                touched.append(os.path.relpath(path, root))
    if "pom.xml" not in touched:
        raise Refusal(f"{os.path.join(root, 'pom.xml')} has no <profile><id>solutions</id>: nothing to remove")
    return touched


BANNER = ("> **Student edition.** This copy of the workshop has no reference solutions: the `*Solution.java`"
          " classes and the `solutions` profile (`-Psolutions`) that the text mentions stay with your"
          " instructor. Everything else works as described.")


def rewrite_markdown(root, removed):
    """Links to removed files become plain text; mentions of removed classes lose their code
    formatting (check_docs.py treats `Name` as a claim that the class exists)."""
    names = "|".join(re.escape(n) for n in sorted(removed, key=len, reverse=True))
    link = re.compile(r"\[([^\]]*)\]\(([^)\s]*?(?:" + names + r")\.java(?:#[^)\s]*)?)\)")
    mention = re.compile(r"`((?:" + names + r")(?:\.java)?)`")
    touched = []
    labs = set(lab_modules(root))
    for base, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in (".git", "target", "node_modules")]
        for name in sorted(files):
            if not name.endswith(".md"):
                continue
            path = os.path.join(base, name)
            rel = os.path.relpath(path, root)
            text = read(path)
            new = link.sub(lambda m: m.group(1).replace("`", "") + " (not in the student edition)", text)
            new = mention.sub(r"\1", new)
            if rel == "README.md" or (os.path.dirname(rel) in labs and name == "README.md"):
                lines = new.split("\n")
                heading = next((i for i, line in enumerate(lines) if line.startswith("# ")), None)
                if heading is not None and BANNER not in new:
                    lines[heading + 1:heading + 1] = ["", BANNER]
                    new = "\n".join(lines)
            if new != text:
                write(path, new)
                touched.append(rel)
    return touched


def make_student(root):
    removed, deleted = set(), []
    for module in lab_modules(root):
        for path in java_files(os.path.join(root, module, "src")):
            if path.endswith("Solution.java"):
                os.remove(path)
                removed.add(os.path.basename(path)[:-5])
                deleted.append(os.path.relpath(path, root))
    if not removed:
        raise Refusal("no <Name>Solution.java in any lab module: is this main?")
    uses = re.compile(r"\b(" + "|".join(re.escape(n) for n in sorted(removed)) + r")\b")
    edited = []
    for path in java_files(root):
        text = read(path)
        m = uses.search(strip_comments(text))
        if m:
            raise Refusal(f"{os.path.relpath(path, root)} uses {m.group(1)}, which the student edition removes;"
                          f" load implementations through Implementations.load(...) instead")
        # Javadoc may still name them; {@link} to a missing class is an error for the javadoc tool.
        new = re.sub(r"\{@link(plain)?\s+(" + "|".join(re.escape(n) for n in sorted(removed)) + r")\b([^}]*)\}",
                     r"{@code \2\3}", text)
        if new != text:
            write(path, new)
            edited.append(os.path.relpath(path, root))
    poms = drop_solutions_profile(root)
    docs = rewrite_markdown(root, removed)
    for path in sorted(deleted):
        print(f"  removed: {path}")
    for path in sorted(poms):
        print(f"  without the solutions profile: {path}")
    for path in sorted(edited):
        print(f"  comments no longer link to removed classes: {path}")
    for path in sorted(docs):
        print(f"  docs without links to removed files: {path}")


def main(argv):
    if len(argv) != 2 or argv[0] not in ("solutions", "student") or not os.path.isdir(argv[1]):
        print("usage: branch_tree.py solutions|student DIR", file=sys.stderr)
        return 2
    root = os.path.abspath(argv[1])
    if not lab_modules(root):
        print(f"branch_tree.py: no lab module (<module>module-...</module>) in {root}/pom.xml", file=sys.stderr)
        return 1
    try:
        (make_solutions if argv[0] == "solutions" else make_student)(root)
    except Refusal as e:
        print(f"branch_tree.py: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
