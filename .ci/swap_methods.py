#!/usr/bin/env python3
"""Copies the bodies of the named methods from one Java file into another (same signatures).

    swap_methods.py FROM INTO METHOD...

CI uses it to make a half-done submission: the solved exercise class with some methods put back
to the starter's `throw Todo.exercise(...)`.
"""
import re
import sys


def body_span(text, method):
    m = re.search(r"\b" + re.escape(method) + r"\s*\([^;{]*\)\s*(?:throws [\w.,\s]+)?\{", text)
    if not m:
        raise SystemExit(f"swap_methods.py: no method {method}")
    start = m.end() - 1
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return start, i + 1
    raise SystemExit(f"swap_methods.py: unbalanced braces in {method}")


def main(argv):
    source_path, target_path, methods = argv[0], argv[1], argv[2:]
    source = open(source_path, encoding="utf-8").read()
    target = open(target_path, encoding="utf-8").read()
    for method in methods:
        s0, s1 = body_span(source, method)
        t0, t1 = body_span(target, method)
        target = target[:t0] + source[s0:s1] + target[t1:]
    open(target_path, "w", encoding="utf-8").write(target)


if __name__ == "__main__":
    main(sys.argv[1:])
