#!/usr/bin/env bash
# Remakes each lab module's catalogue of graded tests, <module>/src/test/graded-tests.json, from the
# compiled tests (JUnit's discovery, see testkit's GradedCatalogue). Run it after adding, renaming
# or re-pointing a graded test, and commit the result: grading and the docs check read these files.
#
#   scripts/catalogue.sh            every module
#   scripts/catalogue.sh --check    fails if a committed catalogue is not what the tests say (CI)
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -Pcatalogue process-test-classes
if [ "${1:-}" = "--check" ]; then
  stale=$(git status --porcelain -- 'module-*/src/test/graded-tests.json')
  if [ -n "$stale" ]; then
    echo "catalogue.sh: the catalogue of graded tests is not current; run scripts/catalogue.sh and commit:" >&2
    echo "$stale" >&2
    git --no-pager diff --stat -- 'module-*/src/test/graded-tests.json' >&2
    exit 1
  fi
  echo "catalogue.sh: every module's graded-tests.json matches its tests"
fi
