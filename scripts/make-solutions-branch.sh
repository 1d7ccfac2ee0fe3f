#!/usr/bin/env bash
# Makes (or refreshes) the local `solutions` branch from main: every <Name>Exercise.java of a lab
# module holds the code of its <Name>Solution.java, so `./mvnw test` is green there and
# `git diff main solutions` shows exactly what learners write. Generated, never edited by hand,
# so it cannot drift from main. See docs/instructor-guide.md.
set -euo pipefail
scripts_dir=$(cd "$(dirname "$0")" && pwd)
script_name=$(basename "$0")
default_branch=solutions
usage_text="Makes the solutions branch: main with every exercise class holding its solution."
# shellcheck source=scripts/lib/branch.sh
. "$scripts_dir/lib/branch.sh"
cd "$(git -C "$scripts_dir" rev-parse --show-toplevel)"

commit_subject() { echo "Solutions of main $1: every exercise class holds its reference solution"; }

parse_branch_args "$@"
make_branch solutions
