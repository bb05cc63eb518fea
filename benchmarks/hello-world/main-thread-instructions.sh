#!/usr/bin/env bash
# The instructions of a Java launch's main thread (the thread running JavaMain), under callgrind:
#   benchmarks/hello-world/main-thread-instructions.sh java ARGS...
# prints the count; fails naming the command when valgrind or the launch fails. valgrind runs one thread
# at a time, so a count that must not depend on its scheduling wants the launch's other threads off.
set -euo pipefail
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
valgrind --tool=callgrind --separate-threads=yes --callgrind-out-file="$out/cg" "$@" > "$out/log" 2>&1 \
  || { echo "callgrind failed: $*" >&2; tail -5 "$out/log" >&2; exit 1; }
count=$(for f in "$out"/cg-*; do callgrind_annotate --inclusive=yes "$f" | grep -m1 'JavaMain \[' || true; done \
  | awk '{gsub(",", "", $1); print $1}' | sort -n | tail -1)
[ -n "$count" ] || { echo "no thread running JavaMain in the callgrind output of: $*" >&2; exit 1; }
echo "$count"
