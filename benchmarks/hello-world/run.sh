#!/usr/bin/env bash
# What a plain hello world's launch through our archive costs over `java -cp`, taken apart (benchmarks/README.md,
# "Hello world, taken apart"): interleaved wall and CPU times (compare.py, python3); with `--callgrind`, the
# instructions of the launch's main thread as well (with `-Dhermetic.preload=false` for a count that does not
# depend on how valgrind schedules the launcher's two threads).
#   benchmarks/hello-world/run.sh [RUNS] [--callgrind]        (after `mvn -B -q install -DskipTests`)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); repo=$(cd "$here/../.." && pwd)
runs=40; callgrind=false
for a in "$@"; do
  case $a in
    --callgrind) callgrind=true ;;
    ''|*[!0-9]*) echo "usage: run.sh [RUNS] [--callgrind]; not understood: $a" >&2; exit 2 ;;
    *) runs=$a ;;
  esac
done
w=$repo/benchmarks/target/hello-world; rm -rf "$w"; mkdir -p "$w/src" "$w/cls/app" "$w/trivial"
cd "$w"
printf 'public class Hello { public static void main(String[] a) { System.out.println("Hello, world"); } }\n' > src/Hello.java
# hello/ holds Hello alone: what every build of ours is packed from (benchmarks/README.md packs older ones too)
javac --release 17 -d hello src/Hello.java
jar cfe plain.jar Hello -C hello Hello.class
java -jar "$repo/packer/target/packer.jar" pack --app hello --main-class Hello --out ours.jar >/dev/null
# every loader class at the root too, for -Dhermetic.launcher=app
java -jar "$repo/packer/target/packer.jar" pack --app hello --main-class Hello --out ours-root.jar --launcher-at-root >/dev/null
# string concatenation inlined, as the loader compiles it: its invokedynamic bootstrap costs milliseconds
javac --release 17 -XDstringConcat=inline -d cls "$here/MinimalLaunch.java" "$here/JdkReferences.java"
cp hello/Hello.class cls/app/
jar cfe minimal.jar MinimalLaunch -C cls MinimalLaunch.class -C cls 'MinimalLaunch$OneClass.class' -C cls app/Hello.class
# twenty trivial classes, each a static method, against none
calls=""; for i in $(seq 0 19); do echo "class C$i { static int x; static void f() { x++; } }" > trivial/C$i.java; calls="$calls C$i.f();"; done
echo "public class Twenty { public static void main(String[] a) { $calls System.out.println(\"hi\"); } }" > trivial/Twenty.java
echo 'public class None { public static void main(String[] a) { System.out.println("hi"); } }' > trivial/None.java
javac --release 17 -d trivial trivial/*.java
variants=(
  "cp|-cp plain.jar Hello"
  "jar|-jar plain.jar"
  "minimal-loader|-jar minimal.jar"
  "ours|-jar ours.jar"
  "ours-no-preload|-Dhermetic.preload=false -jar ours.jar"
  "ours-launcher-at-root|-jar ours-root.jar"
  "ours-app-launcher|-Dhermetic.launcher=app -jar ours-root.jar"
  "ours-no-verification|-XX:+UnlockDiagnosticVMOptions -XX:-BytecodeVerificationRemote -jar ours.jar"
  "ours-cds|-Xshare:on -XX:SharedArchiveFile=ours.jsa -jar ours.jar"
  "trivial-0|-cp trivial None"
  "trivial-20|-cp trivial Twenty"
  "jdk-refs-0|-cp cls JdkReferences 0"
  "jdk-refs-100|-cp cls JdkReferences 100"
)
# the launch's own classes (and Hello) from a dynamic CDS archive: what loading them costs, taken away
# (-Xshare:on in its row: compare.py's warm-up round then fails rather than measure a launch without it)
java -XX:ArchiveClassesAtExit=ours.jsa -Dhermetic.train=true -jar ours.jar >/dev/null
args=()
for v in "${variants[@]}"; do args+=("${v%%|*}" "java ${v#*|}"); done
python3 "$here/compare.py" "$runs" "${args[@]}"
if $callgrind; then
  echo
  echo "| variant | main-thread instructions |"
  echo "|---|---:|"
  for v in "${variants[@]}"; do
    name=${v%%|*}
    # every count is taken with the second thread off: ours-no-preload would be ours again
    [ "$name" = ours-no-preload ] && continue
    count=$("$here/main-thread-instructions.sh" java -Dhermetic.preload=false ${v#*|})
    echo "| $name | $(awk -v c="$count" 'BEGIN {printf "%.1f M", c / 1e6}') |"
  done
fi
