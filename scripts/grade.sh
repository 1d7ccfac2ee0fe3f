#!/usr/bin/env bash
# Grades a submission's exercise classes against a trusted copy of everything else, and writes
# target/grade/summary.md and summary.json in the submission (docs/grading.md).
#
#   scripts/grade.sh                            every lab module of this repository
#   scripts/grade.sh module-04-windowing        one module (or several; -pl a,b works too)
#   scripts/grade.sh --trusted REF              the trusted copy is commit REF (default: below)
#   scripts/grade.sh --trusted-repo DIR         ... a commit of another repository (the class template)
#   scripts/grade.sh --submission DIR           grade another work tree (default: this repository)
#   scripts/grade.sh -o                         arguments starting with - go to Maven
#
# Only the lab modules' *Exercise.java files of the submission are used. Everything else (tests,
# test kit, datagen, poms, scripts, resources) comes from the trusted copy, so edited tests, an
# extension that swallows failures or a pom that skips tests change nothing; the summary lists
# such files as "ignored". The trusted copy is, by default, the newest commit that a branch
# script made in the submission's history ("Student edition of main ..." or "Solutions of main
# ..."), else the submission's first commit (a repository made from a GitHub template starts
# with it). On main itself, say --trusted HEAD.
#
# Failing tests cost their points and nothing else; a module that does not compile costs that
# module's points. Maven runs once, with --fail-at-end, so one broken module does not stop the
# others, and the summary is written whatever Maven's exit status was.
#
# Exit status: 0 when every module got its grade (whatever the score); 3 when the grade is
# incomplete because something outside the exercises failed (the test kit, a download, the JDK);
# 2 for a usage error.
set -euo pipefail
grader=$(cd "$(dirname "$0")/.." && pwd)

die() { echo "grade.sh: $*" >&2; exit 2; }

command -v python3 >/dev/null || die "python3 is needed to add up the points (install python3)"
command -v git >/dev/null || die "git is needed to read the trusted copy (install git)"

submission=$grader
trusted_repo=""
trusted_ref=""
out=""
modules=()
maven=()
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) sed -n '2,25s/^# \{0,1\}//p' "$0"; exit 0 ;;
    --trusted) [ $# -ge 2 ] || die "$1 needs a commit"; trusted_ref=$2; shift 2 ;;
    --trusted=*) trusted_ref=${1#*=}; shift ;;
    --trusted-repo) [ $# -ge 2 ] || die "$1 needs a directory"; trusted_repo=$2; shift 2 ;;
    --trusted-repo=*) trusted_repo=${1#*=}; shift ;;
    --submission) [ $# -ge 2 ] || die "$1 needs a directory"; submission=$2; shift 2 ;;
    --submission=*) submission=${1#*=}; shift ;;
    --out) [ $# -ge 2 ] || die "$1 needs a directory"; out=$2; shift 2 ;;
    --out=*) out=${1#*=}; shift ;;
    -pl|--projects)
      [ $# -ge 2 ] || die "$1 needs a module name"
      IFS=, read -ra listed <<<"$2"; modules+=("${listed[@]}"); shift 2 ;;
    -pl=*|--projects=*)
      IFS=, read -ra listed <<<"${1#*=}"; modules+=("${listed[@]}"); shift ;;
    -Dworkshop.impl*)
      die "grading always tests the exercise classes: leave out $1" ;;
    -*) maven+=("$1"); shift ;;
    *) modules+=("$1"); shift ;;
  esac
done

[ -d "$submission" ] || die "no submission directory $submission"
submission=$(cd "$submission" && pwd)
git -C "$submission" rev-parse --is-inside-work-tree >/dev/null 2>&1 \
  || die "$submission is not a git work tree: grading compares it with a trusted commit"
trusted_repo=$(cd "${trusted_repo:-$submission}" 2>/dev/null && pwd) || die "no trusted repository ${trusted_repo}"
if [ -z "$trusted_ref" ]; then
  trusted_ref=$(git -C "$trusted_repo" log --format=%H --grep='^Student edition of main ' --grep='^Solutions of main ' \
    -n 1 HEAD 2>/dev/null || true)
  [ -n "$trusted_ref" ] || trusted_ref=$(git -C "$trusted_repo" rev-list --max-parents=0 HEAD 2>/dev/null | tail -n 1)
  [ -n "$trusted_ref" ] || die "$trusted_repo has no commit to trust: pass --trusted REF"
fi
trusted_commit=$(git -C "$trusted_repo" rev-parse --verify --quiet "$trusted_ref^{commit}") \
  || die "'$trusted_ref' is not a commit of $trusted_repo"
out=${out:-$submission/target/grade}

tree=$(mktemp -d "${TMPDIR:-/tmp}/grade-tree.XXXXXX")
log=$(mktemp)
ignored=$(mktemp)
trap 'rm -rf "$tree" "$log" "$ignored"' EXIT
python3 "$grader/scripts/trusted_tree.py" "$submission" "$trusted_repo" "$trusted_commit" "$tree" "$ignored" \
  || die "could not make the grading tree from $trusted_commit"
cd "$tree"

# The lab modules are the module-* entries of the trusted parent pom; testkit and datagen earn no points.
# (No mapfile and no bare empty "${array[@]}": macOS still ships bash 3.2.)
labs=()
for lab in $(python3 "$grader/scripts/grading.py" modules); do labs+=("$lab"); done
[ ${#labs[@]} -gt 0 ] || die "the trusted copy ($trusted_commit) has no <module>module-...</module>: pass --trusted REF"

if [ ${#modules[@]} -eq 0 ]; then
  modules=("${labs[@]}")
  selection=()
else
  for i in "${!modules[@]}"; do
    module=${modules[$i]#./}
    module=${module%/}
    printf '%s\n' "${labs[@]}" | grep -qxF -- "$module" \
      || die "$module is not a lab module; the lab modules are: ${labs[*]}"
    modules[$i]=$module
  done
  # -am builds what the modules need (the parent pom, the test kit).
  selection=(-pl "$(IFS=,; echo "${modules[*]}")" -am)
fi

echo "grade.sh: grading ${modules[*]} of $submission against the trusted copy $(git -C "$trusted_repo" rev-parse --short "$trusted_commit")"
set +e
./mvnw -Pgrade --fail-at-end ${maven[@]+"${maven[@]}"} ${selection[@]+"${selection[@]}"} clean verify 2>&1 | tee "$log"
maven_status=${PIPESTATUS[0]}
set -e

rm -rf "$out"
mkdir -p "$out/reports"
cp "$log" "$out/build.log"
for module in "${modules[@]}"; do
  if [ -d "$module/target/surefire-reports" ]; then
    mkdir -p "$out/reports/$module" && cp -R "$module/target/surefire-reports/." "$out/reports/$module/"
  fi
done
set +e
python3 "$grader/scripts/grading.py" summary --quiet --build-log "$out/build.log" --ignored "$ignored" --out "$out" "${modules[@]}"
status=$?
set -e
cat "$out/summary.md"
echo "grade.sh: Maven exited with $maven_status; the grade is in $out/summary.md and $out/summary.json (test reports in $out/reports)"
if [ $status -eq 3 ]; then
  echo "grade.sh: the grade is INCOMPLETE: part of the build failed outside the exercises (see $out/build.log)" >&2
fi
exit $status
