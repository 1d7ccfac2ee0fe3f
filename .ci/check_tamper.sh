#!/usr/bin/env bash
# Tamper attempts against grading, one per row, and a class graded at once.
#
#   .ci/check_tamper.sh REPO
#
# REPO is a clone holding the `student` and `solutions` branches (made by the branch scripts).
# Each row is a submission made from the student branch: a learner's commit on top of it. They
# are all graded in one run of scripts/grade-class.py (module 1 only, to keep CI short), with
# each submission's default trusted copy (its newest "Student edition" commit). A row passes when
# it earns exactly the points its exercise file earns, worked out here from the catalogue of
# graded tests and not by the grader, and when every file it tampered with is listed as ignored.
set -euo pipefail
repo=$(cd "$1" && pwd)
module=module-01-fundamentals
package=$module/src/main/java/io/streamingworkshop/fundamentals
tests=$module/src/test/java/io/streamingworkshop/fundamentals
work=$(mktemp -d)
trap 'cd /; git -C "$repo" worktree prune; rm -rf "$work"' EXIT
export GIT_AUTHOR_NAME=learner GIT_AUTHOR_EMAIL=learner@localhost GIT_COMMITTER_NAME=learner GIT_COMMITTER_EMAIL=learner@localhost

expectations=$work/expected.tsv      # name, expected points (or a word), ignored paths (space-separated)
: >"$expectations"
list=$work/submissions.txt
: >"$list"

# submission NAME EXPECTED "IGNORED PATHS" <<'SH' ... SH : a student-branch work tree changed by the
# shell snippet on standard input, committed as a learner would.
submission() {
  local name=$1 expected=$2 ignored=$3 dir=$work/$1
  git -C "$repo" worktree add -q --detach "$dir" student
  (cd "$dir" && bash -euo pipefail)
  (cd "$dir" && git add -A -f && { git diff --cached --quiet || git commit -qm "learner: $name"; })
  printf '%s\n' "$dir" >>"$list"
  printf '%s\t%s\t%s\n' "$name" "$expected" "$ignored" >>"$expectations"
}
solve() { git -C "$repo" show "solutions:$package/FundamentalsExercise.java" >"$package/FundamentalsExercise.java"; }

submission starter 0 "" <<'SH'
true
SH
submission solved all "" <<SH
$(declare -f solve); repo=$repo; package=$package; solve
SH
submission compile-error compile-error "" <<SH
echo "this line does not compile" >>$package/FundamentalsExercise.java
SH
submission half-done "1.1 1.2" "" <<SH
$(declare -f solve); repo=$repo; package=$package
cp $package/FundamentalsExercise.java /tmp/starter-\$\$.java
solve
python3 "$repo/.ci/swap_methods.py" /tmp/starter-\$\$.java $package/FundamentalsExercise.java \
  startEveryTwoSeconds startBacklogRun startContinuousDoubling countsInCompleteMode countsInUpdateMode \
  startParquetIngest whySparkRefuses
rm /tmp/starter-\$\$.java
grep -q 'import io.streamingworkshop.testkit.Todo;' $package/FundamentalsExercise.java \
  || sed -i 's/^package .*;\$/&\n\nimport io.streamingworkshop.testkit.Todo;/' $package/FundamentalsExercise.java
SH
submission swallowing-extension 0 "$tests/Swallow.java $module/src/test/resources/junit-platform.properties $module/src/test/resources/META-INF/services/org.junit.jupiter.api.extension.Extension" <<SH
mkdir -p $module/src/test/resources/META-INF/services
cat >$tests/Swallow.java <<'JAVA'
package io.streamingworkshop.fundamentals;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

public class Swallow implements TestExecutionExceptionHandler {
    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) {}
}
JAVA
echo "junit.jupiter.extensions.autodetection.enabled=true" >$module/src/test/resources/junit-platform.properties
echo "io.streamingworkshop.fundamentals.Swallow" >$module/src/test/resources/META-INF/services/org.junit.jupiter.api.extension.Extension
SH
submission assertions-removed 0 "$tests/FundamentalsTest.java" <<SH
python3 - $tests/FundamentalsTest.java <<'PY'
import re, sys
path = sys.argv[1]
text = open(path).read()
out, i = [], 0
for m in re.finditer(r"@Graded\([^)]*\)\s*void \w+\([^)]*\)[^{]*\{", text):
    if m.start() < i:
        continue
    depth, j = 0, m.end() - 1
    while True:
        depth += {"{": 1, "}": -1}.get(text[j], 0)
        if depth == 0:
            break
        j += 1
    out.append(text[i:m.end()] + "\n        }")
    i = j + 1
open(path, "w").write("".join(out) + text[i:])
PY
SH
submission points-raised 0 "$tests/FundamentalsTest.java" <<SH
sed -i -E 's/points = [0-9]+/points = 50/' $tests/FundamentalsTest.java
SH
submission extra-graded-test 0 "$tests/FreePointsTest.java" <<SH
cat >$tests/FreePointsTest.java <<'JAVA'
package io.streamingworkshop.fundamentals;

import io.streamingworkshop.testkit.Graded;
import io.streamingworkshop.testkit.WorkshopTest;
import org.junit.jupiter.api.Test;

@WorkshopTest
class FreePointsTest {
    @Test
    @Graded(exercise = "1.1", points = 100)
    void passes() {}
}
JAVA
SH
submission testkit-swallows 0 "testkit/src/main/java/io/streamingworkshop/testkit/WorkshopExtension.java" <<'SH'
f=testkit/src/main/java/io/streamingworkshop/testkit/WorkshopExtension.java
python3 - "$f" <<'PY'
import sys
path = sys.argv[1]
text = open(path).read()
text = text.replace("implements ParameterResolver,", "implements org.junit.jupiter.api.extension.TestExecutionExceptionHandler, ParameterResolver,")
last = text.rstrip().rfind("}")
text = text[:last] + "    @Override\n    public void handleTestExecutionException(ExtensionContext c, Throwable t) {}\n}\n"
open(path, "w").write(text)
PY
SH
submission pom-skips-tests 0 "$module/pom.xml" <<SH
sed -i 's|<properties>|<properties>\n    <skipTests>true</skipTests>\n    <maven.test.failure.ignore>true</maven.test.failure.ignore>|' $module/pom.xml
SH
submission grader-edited 0 "scripts/grading.py scripts/grade.sh" <<'SH'
sed -i 's/earned = t\["points"\] if t\["outcome"\] == "passed" else 0/earned = t["points"]/' scripts/grading.py
sed -i 's/^set -euo pipefail$/set -euo pipefail; echo "# Grade: 999 \/ 999 points"; exit 0/' scripts/grade.sh
SH
submission fake-reports 0 "$module/target/surefire-reports/TEST-io.streamingworkshop.fundamentals.FundamentalsTest.xml" <<SH
mkdir -p $module/target/surefire-reports
python3 - <<'PY' >$module/target/surefire-reports/TEST-io.streamingworkshop.fundamentals.FundamentalsTest.xml
import json
tests = json.load(open("$module/src/test/graded-tests.json"))
cases = "".join('<testcase name="%s [exercise %s, %d points]" classname="%s"/>' % (t["test"], t["exercise"], t["points"], t["group"]) for t in tests)
print('<?xml version="1.0"?><testsuite name="fake">%s</testsuite>' % cases)
PY
SH
submission solved-and-points-raised all "$tests/FundamentalsTest.java" <<SH
$(declare -f solve); repo=$repo; package=$package; solve
sed -i -E 's/points = [0-9]+/points = 50/' $tests/FundamentalsTest.java
SH

echo "check_tamper.sh: grading $(wc -l <"$list") submissions of $module at once"
python3 "$repo/scripts/grade-class.py" "$list" "$module" --out "$work/class"

python3 - "$work/class" "$expectations" "$repo/$module/src/test/graded-tests.json" "$module" <<'PY'
import json, os, sys
out, expectations, catalogue, module = sys.argv[1:]
tests = json.load(open(catalogue))
worth = {}
for t in tests:
    worth[t["exercise"]] = worth.get(t["exercise"], 0) + t["points"]
problems = []
for line in open(expectations):
    name, expected, ignored = (line.rstrip("\n").split("\t") + [""])[:3]
    summary = os.path.join(out, "learners", name, "summary.json")
    if not os.path.exists(summary):
        problems.append(f"{name}: no summary")
        continue
    grade = json.load(open(summary))
    m = next(x for x in grade["modules"] if x["module"] == module)
    if expected == "compile-error":
        ok = m["status"] == "compile error" and m["points"] == 0
        want = "a compile error and 0 points"
    else:
        points = sum(worth.values()) if expected == "all" else sum(worth[e] for e in expected.split()) if expected != "0" else 0
        ok = m["points"] == points and m["status"] == "tested" and m["available"] == sum(worth.values())
        want = f"{points} / {sum(worth.values())} points"
    listed = set(grade.get("ignored", []))
    missing = [p for p in ignored.split() if p not in listed]
    verdict = "OK  " if ok and not missing else "FAIL"
    print(f"{verdict} {name}: {m['points']} / {m['available']} ({m['status']}), expected {want};"
          f" ignored: {', '.join(sorted(listed)) or 'nothing'}")
    if not ok:
        problems.append(f"{name}: got {m['points']} / {m['available']} ({m['status']}: {m['note']}), expected {want}")
    if missing:
        problems.append(f"{name}: not listed as ignored: {', '.join(missing)}")
table = open(os.path.join(out, "class.md")).read()
for line in open(expectations):
    if f"| {line.split(chr(9))[0]} |" not in table:
        problems.append(f"{line.split(chr(9))[0]}: not a row of class.md")
if not os.path.exists(os.path.join(out, "class.csv")):
    problems.append("no class.csv")
for p in problems:
    print("FAIL " + p)
sys.exit(1 if problems else 0)
PY
echo "OK: every tamper attempt earned exactly its exercise file's points and was listed as ignored"
