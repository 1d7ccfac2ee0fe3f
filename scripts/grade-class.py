#!/usr/bin/env python3
"""Grades a whole class: every submission's exercise classes against one trusted copy.

    scripts/grade-class.py SUBMISSIONS [--trusted-repo DIR] [--trusted REF] [--out DIR] [MODULE...]

SUBMISSIONS is a text file with one submission per line: a local directory (a git work tree) or
a git URL that `git clone` understands; blank lines and lines starting with # are skipped. Each
submission is graded by scripts/grade.sh (only its *Exercise.java files count; every other change
is listed as ignored), one after the other, with the same Maven repository. One line of progress
per submission; a clone or a build that fails is a row of the table, never the end of the run.

The trusted copy: --trusted-repo DIR is the instructor's checkout of the class template (the
student branch) and --trusted REF a commit in it (default: its HEAD). Without --trusted-repo each
submission is compared with its own template commit, as scripts/grade.sh does by default: fine
for a first look, but a learner can forge that commit, so grades that count name the template.

Writes OUT/class.md and OUT/class.csv (default OUT: target/class-grade) and each learner's
summary under OUT/learners/<name>/. Standard library only.
"""
import argparse
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def learner_name(source, taken):
    base = re.sub(r"\.git$", "", source.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]) or "submission"
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    taken.add(name)
    return name


def read_submissions(path):
    with open(path, encoding="utf-8") as f:
        return [line.strip() for line in f if line.strip() and not line.lstrip().startswith("#")]


def fetch(source, clones, name):
    """A local work tree as it is; anything else is cloned. (directory, error)."""
    if os.path.isdir(source):
        return os.path.abspath(source), None
    target = os.path.join(clones, name)
    shutil.rmtree(target, ignore_errors=True)
    done = subprocess.run(["git", "clone", "--quiet", source, target], capture_output=True, text=True)
    if done.returncode != 0:
        return None, "clone failed: " + (done.stderr.strip().splitlines() or ["git clone failed"])[-1]
    return target, None


def grade(directory, out, trusted_repo, trusted_ref, modules):
    command = [os.path.join(HERE, "grade.sh"), "--submission", directory, "--out", out]
    if trusted_repo:
        command += ["--trusted-repo", trusted_repo, "--trusted", trusted_ref or "HEAD"]
    elif trusted_ref:
        command += ["--trusted", trusted_ref]
    with open(os.path.join(out + ".log"), "w", encoding="utf-8") as log:
        status = subprocess.run(command + modules, stdout=log, stderr=subprocess.STDOUT).returncode
    summary = os.path.join(out, "summary.json")
    if not os.path.exists(summary):
        return None, f"no grade (grade.sh exited with {status}; see {out}.log)"
    with open(summary, encoding="utf-8") as f:
        result = json.load(f)
    return result, None if status in (0, 3) else f"grade.sh exited with {status}"


def row_for(name, result, error, seconds, modules):
    row = {"learner": name, "seconds": round(seconds), "error": error or ""}
    if result is None:
        row.update({"total": "", "available": "", "compile_errors": "", "ignored": []})
        for m in modules:
            row[m] = ""
        return row
    by_module = {m["module"]: m for m in result["modules"]}
    for m in modules:
        row[m] = f"{by_module[m]['points']} / {by_module[m]['available']}" if m in by_module else ""
    row["total"] = result["points"]
    row["available"] = result["available"]
    row["compile_errors"] = "; ".join(f"{m['module']}: {m['note']}" for m in result["modules"]
                                      if m["status"] == "compile error")
    row["ignored"] = result.get("ignored", [])
    if not result.get("complete", True) and not row["error"]:
        row["error"] = "incomplete: " + "; ".join(result.get("problems", []))
    return row


def cell(text):
    return " ".join(str(text).split()).replace("|", "\\|")


def write_tables(out, rows, modules):
    headers = ["Learner"] + modules + ["Total", "Compile errors", "Ignored changes", "Time (s)", "Problems"]
    lines = ["# Class grade", "", "| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    for r in rows:
        total = f"{r['total']} / {r['available']}" if r["total"] != "" else ""
        ignored = ", ".join(r["ignored"]) if r["ignored"] else ""
        lines.append("| " + " | ".join(cell(v) for v in [r["learner"]] + [r[m] for m in modules]
                                       + [total, r["compile_errors"], ignored, r["seconds"], r["error"]]) + " |")
    with open(os.path.join(out, "class.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    with open(os.path.join(out, "class.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["learner"] + modules + ["total", "available", "compile_errors", "ignored", "seconds", "problems"])
        for r in rows:
            w.writerow([r["learner"]] + [r[m] for m in modules]
                       + [r["total"], r["available"], r["compile_errors"], " ".join(r["ignored"]), r["seconds"], r["error"]])


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("submissions", help="a file with one submission (directory or git URL) per line")
    parser.add_argument("modules", nargs="*", help="lab modules to grade (default: every one)")
    parser.add_argument("--trusted-repo", help="the instructor's checkout of the class template")
    parser.add_argument("--trusted", help="the trusted commit (default: HEAD of --trusted-repo)")
    parser.add_argument("--out", default=os.path.join("target", "class-grade"), help="where to write")
    args = parser.parse_args(argv)
    if not os.path.isfile(args.submissions):
        print(f"grade-class.py: no file {args.submissions}", file=sys.stderr)
        return 2
    if args.trusted_repo and not os.path.isdir(args.trusted_repo):
        print(f"grade-class.py: no directory {args.trusted_repo}", file=sys.stderr)
        return 2
    submissions = read_submissions(args.submissions)
    if not submissions:
        print(f"grade-class.py: {args.submissions} lists no submission", file=sys.stderr)
        return 2
    out = os.path.abspath(args.out)
    learners, clones = os.path.join(out, "learners"), os.path.join(out, "clones")
    os.makedirs(learners, exist_ok=True)
    os.makedirs(clones, exist_ok=True)
    trusted_repo = os.path.abspath(args.trusted_repo) if args.trusted_repo else None
    rows, taken, modules_seen = [], set(), list(args.modules)
    for number, source in enumerate(submissions, 1):
        name = learner_name(source, taken)
        started = time.monotonic()
        directory, error = fetch(source, clones, name)
        result = None
        if directory:
            result, error = grade(directory, os.path.join(learners, name), trusted_repo, args.trusted, args.modules)
        seconds = time.monotonic() - started
        if result:
            for m in result["modules"]:
                if m["module"] not in modules_seen:
                    modules_seen.append(m["module"])
        rows.append((name, result, error, seconds))
        said = f"{result['points']} / {result['available']} points" if result else "no grade"
        extra = []
        if result:
            broken = [m["module"] for m in result["modules"] if m["status"] == "compile error"]
            if broken:
                extra.append("compile error in " + ", ".join(broken))
            if result.get("ignored"):
                extra.append(f"{len(result['ignored'])} change(s) ignored")
        if error:
            extra.append(error)
        print(f"[{number}/{len(submissions)}] {name}: {said} in {seconds:.0f} s"
              + (f" ({'; '.join(extra)})" if extra else ""), flush=True)
    table = [row_for(n, r, e, s, modules_seen) for n, r, e, s in rows]
    write_tables(out, table, modules_seen)
    print(f"grade-class.py: {len(rows)} submissions; the table is in {out}/class.md and {out}/class.csv")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
