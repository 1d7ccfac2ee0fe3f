#!/usr/bin/env bash
# Grades the lab modules: runs their graded tests against the exercise classes and writes
# target/grade/summary.md and target/grade/summary.json (docs/grading.md).
#
#   scripts/grade.sh                            every lab module
#   scripts/grade.sh module-04-windowing        one module (or several; -pl a,b works too)
#   scripts/grade.sh -o                         arguments starting with - go to Maven
#
# Failing tests cost their points and nothing else; a module that does not compile costs that
# module's points. Maven runs once, with --fail-at-end, so one broken module does not stop the
# others, and the summary is written whatever Maven's exit status was.
#
# Exit status: 0 when every module got its grade (whatever the score); 3 when the grade is
# incomplete because something outside the exercises failed (the test kit, a download, the JDK);
# 2 for a usage error.
set -euo pipefail
cd "$(dirname "$0")/.."

die() { echo "grade.sh: $*" >&2; exit 2; }

command -v python3 >/dev/null || die "python3 is needed to add up the points (install python3)"

# The lab modules are the module-* entries of the parent pom; testkit and datagen earn no points.
# (No mapfile and no bare empty "${array[@]}": macOS still ships bash 3.2.)
labs=()
for lab in $(python3 scripts/grading.py modules); do labs+=("$lab"); done
[ ${#labs[@]} -gt 0 ] || die "no <module>module-...</module> in pom.xml: nothing to grade"

modules=()
maven=()
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) sed -n '2,17s/^# \{0,1\}//p' "$0"; exit 0 ;;
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
  # -am builds what the modules need (the parent pom, the test kit) on a fresh clone too.
  selection=(-pl "$(IFS=,; echo "${modules[*]}")" -am)
fi

# Maven's clean removes target/ at the root, so the log is kept elsewhere until Maven is done.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
echo "grade.sh: grading ${modules[*]}"
set +e
./mvnw -Pgrade --fail-at-end ${maven[@]+"${maven[@]}"} ${selection[@]+"${selection[@]}"} clean verify 2>&1 | tee "$log"
maven_status=${PIPESTATUS[0]}
set -e

mkdir -p target/grade
cp "$log" target/grade/build.log
set +e
python3 scripts/grading.py summary --build-log target/grade/build.log --out target/grade "${modules[@]}"
status=$?
set -e
echo "grade.sh: Maven exited with $maven_status; the grade is in target/grade/summary.md and target/grade/summary.json"
if [ $status -eq 3 ]; then
  echo "grade.sh: the grade is INCOMPLETE: part of the build failed outside the exercises (see target/grade/build.log)" >&2
fi
exit $status
