#!/usr/bin/env python3
"""The tree a submission is graded in: the trusted copy, with the submission's exercise classes.

    trusted_tree.py SUBMISSION TRUSTED_REPO TRUSTED_REF TREE IGNORED_FILE

Writes into TREE the files of TRUSTED_REF (a commit of the git repository TRUSTED_REPO), then
copies over them, from SUBMISSION's work tree, exactly the files a learner edits: each lab
module's src/main/java/**/*Exercise.java that the trusted copy has. Every other file in which the
submission differs from the trusted copy (tests, test kit, poms, scripts, resources, extra
files, committed reports) is not used; IGNORED_FILE lists them, one per line, for the summary.
Standard library only.
"""
import filecmp
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile


def git(repo, *args, **kwargs):
    return subprocess.run(["git", "-C", repo, *args], check=True, capture_output=True, **kwargs).stdout


def submission_files(submission):
    """Tracked and untracked files of the work tree, as git sees them (build output is ignored)."""
    listed = git(submission, "ls-files", "-z", "--cached", "--others", "--exclude-standard").split(b"\0")
    return {p.decode() for p in listed if p and os.path.isfile(os.path.join(submission, p.decode()))}


def trusted_files(tree):
    files = set()
    for base, dirs, names in os.walk(tree):
        dirs[:] = [d for d in dirs if d != ".git"]
        for name in names:
            files.add(os.path.relpath(os.path.join(base, name), tree))
    return files


def editable(path):
    """What a learner edits: the exercise classes of the lab modules."""
    parts = path.split("/")
    return (len(parts) > 4 and parts[0].startswith("module-") and parts[1:4] == ["src", "main", "java"]
            and parts[-1].endswith("Exercise.java"))


def main(argv):
    if len(argv) != 5:
        print(__doc__, file=sys.stderr)
        return 2
    submission, trusted_repo, trusted_ref, tree, ignored_file = argv
    with tempfile.TemporaryFile() as archive:
        archive.write(git(trusted_repo, "archive", "--format=tar", trusted_ref))
        archive.seek(0)
        with tarfile.open(fileobj=archive) as tar:
            tar.extractall(tree)
    trusted = trusted_files(tree)
    mine = submission_files(submission)
    used, ignored = [], []
    for path in sorted(trusted | mine):
        ours = os.path.join(tree, path)
        theirs = os.path.join(submission, path)
        if path in trusted and path in mine and filecmp.cmp(ours, theirs, shallow=False):
            continue
        if path in trusted and path in mine and editable(path):
            shutil.copyfile(theirs, ours)
            used.append(path)
        elif path in mine:
            ignored.append(path)
        else:
            ignored.append(path + " (deleted)")
    with open(ignored_file, "w", encoding="utf-8") as f:
        f.write("".join(p + "\n" for p in ignored))
    print(f"trusted_tree.py: graded the submission's {len(used)} changed exercise file(s) against the trusted"
          f" copy; {len(ignored)} other change(s) ignored")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
