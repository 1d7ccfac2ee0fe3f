#!/usr/bin/env bash
# Makes (or refreshes) the local `student` branch from main, for the repository learners get
# and CI grades: no <Name>Solution.java, no `solutions` profile, docs without links to them. Its
# history never includes main's, which holds the solutions. See docs/instructor-guide.md.
set -euo pipefail
scripts_dir=$(cd "$(dirname "$0")" && pwd)
script_name=$(basename "$0")
default_branch=student
usage_text="Makes the student branch: main without the reference solutions, for learners and grading."
# shellcheck source=scripts/lib/branch.sh
. "$scripts_dir/lib/branch.sh"
cd "$(git -C "$scripts_dir" rev-parse --show-toplevel)"

commit_subject() { echo "Student edition of main $1: the exercises without their solutions"; }

parse_branch_args "$@"
make_branch student
