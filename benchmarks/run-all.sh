#!/usr/bin/env bash
# Regenerates every figure of benchmarks/README.md: builds, copies the benchmark jar aside (other builds
# may rebuild it meanwhile), fetches the real applications' jars from Maven Central, then runs the start-up
# harnesses and the JMH suites, writing to benchmarks/target/results/. Needs python3 (the hello world's
# interleaving); valgrind only for instruction counts, which it skips without; on Linux x64 it fetches
# async-profiler from Maven Central for the launch's phases.
#   benchmarks/run-all.sh quick   # what README.md shows: a few tens of minutes on 2 cores
#   benchmarks/run-all.sh full    # 1k/10k/50k classes, 20 runs, more forks and iterations: hours
set -euo pipefail
mode=${1:-quick}
cd "$(dirname "$0")/.."
mvn -B -q install -DskipTests -f archive-loader/pom.xml
mvn -B -q install -DskipTests -f packer/pom.xml
mvn -B -q package -DskipTests -f benchmarks/pom.xml
out=benchmarks/target/results
mkdir -p "$out"
jar=$out/benchmarks.jar
cp benchmarks/target/benchmarks.jar "$jar"
uname -a > "$out/machine.txt"; nproc >> "$out/machine.txt"; cat /proc/loadavg >> "$out/machine.txt"
if [ "$mode" = full ]; then
  sizes=0,1000,10000,50000; runs=20; forks=3; defforks=40; wi=5; it=10; hwruns=150
else
  sizes=0,10000; runs=10; forks=1; defforks=10; wi=2; it=3; hwruns=40
fi
java -cp "$jar" dev.hermetic.benchmarks.StartupBenchmark --sizes "$sizes" --runs "$runs" | tee "$out/startup.md"
# the plain hello world taken apart; instruction counts where valgrind is installed
callgrind=""; command -v valgrind > /dev/null && callgrind=--callgrind
bash benchmarks/hello-world/run.sh "$hwruns" $callgrind | tee "$out/hello-world.md"
if [ -n "$callgrind" ]; then
  jar -c -0 -f "$out/lcc.jar" -C archive-loader/target/classes dev -C benchmarks/target/classes \
      dev/hermetic/benchmarks/LaunchClassCost.class -C benchmarks/target/classes 'dev/hermetic/benchmarks/LaunchClassCost$Minimal.class'
  for m in bytes app define lookup; do
    count=$(benchmarks/hello-world/main-thread-instructions.sh \
        java -cp "$out/lcc.jar" dev.hermetic.benchmarks.LaunchClassCost "$m" link)
    awk -v m="$m" -v c="$count" 'BEGIN {printf "LaunchClassCost %s: %.1f M\n", m, c / 1e6}'
  done | tee "$out/launch-class-cost.md"
fi
# where the hello world's launch spends its main thread, by the JVM's phases (async-profiler: Linux x64)
if [ "$(uname -sm)" = "Linux x86_64" ]; then
  (cd benchmarks/target/hello-world && ../../hello-world/launch-phases.sh "$hwruns" java -Dhermetic.preload=false -jar ours.jar) \
    | tee "$out/launch-phases.md"
fi
mvn -B -q -f benchmarks/real-apps/pom.xml clean package
java -cp "$jar" dev.hermetic.benchmarks.RealAppBenchmark --runs "$runs" | tee "$out/real-apps.md"
java -jar "$jar" ArchiveOpenBenchmark -f "$forks" -wi "$wi" -i "$it" -w 1s -r 1s -rf text -rff "$out/jmh-open.txt"
java -jar "$jar" ArchiveLookupBenchmark -p entries=1000,100000 -f "$forks" -wi "$wi" -i "$it" -w 500ms -r 500ms \
  -rf text -rff "$out/jmh-lookup.txt"
java -jar "$jar" ClassDefinitionBenchmark -f "$defforks" -rf text -rff "$out/jmh-define.txt"
java -jar "$jar" PackerBenchmark -f "$forks" -wi 1 -i "$it" -rf text -rff "$out/jmh-packer.txt"
