#!/usr/bin/env python3
"""Where a launch's main thread spends its CPU time, by the JVM's phases.

Reads async-profiler's collapsed stacks (one file per launch, `threads` on, native frames kept) and
counts the samples of the main thread under a Java frame FRAME (the launcher's main, by default),
each sample under the leafmost frame that names a phase:

    launch-phases.py [--frame FRAME] FILE...

Prints each phase's samples and share, then the Java code's samples by their innermost frame and by
the launcher's innermost frame.
"""
import argparse
import collections

# (a substring of a native frame's name, the phase it stands for), the first match from the leaf wins
PHASES = [
    ("Verifier::", "verification"),  # ClassVerifier:: too
    ("ClassFileParser::", "parsing class files"),
    ("Rewriter::", "linking (rewriting, method entries)"),
    ("Method::link_method", "linking (rewriting, method entries)"),
    ("InstanceKlass::link_class", "linking (rewriting, method entries)"),
    ("LinkResolver::", "resolving calls and fields"),
    ("InterpreterRuntime::resolve", "resolving calls and fields"),
    ("ConstantPool::klass_at", "resolving calls and fields"),
    ("SystemDictionary::", "class look-ups and definition (system dictionary)"),
    ("InterpreterRuntime::", "the interpreter's runtime calls"),
]
JAVA = "Java code (and the natives it calls)"


def phase(frames):
    for frame in reversed(frames):
        for pattern, name in PHASES:
            if pattern in frame:
                return name
        if java_frame(frame):
            return JAVA
    return "other native code: " + frames[-1][:60]


def java_frame(frame):
    return "/" in frame and "::" not in frame


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--frame", default="dev/hermetic/loader/Launcher.main")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    phases = collections.Counter()
    jdk = collections.Counter()
    ours = collections.Counter()
    for path in args.files:
        with open(path) as f:
            for line in f:
                stack, count = line.rstrip("\n").rsplit(" ", 1)
                frames = stack.split(";")
                if not (frames[0].startswith("[main") or frames[0].startswith("[DestroyJavaVM")):
                    continue
                if args.frame not in frames:
                    continue
                n = int(count)
                name = phase(frames)
                phases[name] += n
                if name == JAVA:
                    jdk[frames[-1]] += n
                    own = [x for x in frames if x.startswith("dev/hermetic")]
                    ours[own[-1] if own else "?"] += n
    total = sum(phases.values())
    if total == 0:
        raise SystemExit("no samples of the main thread under " + args.frame)
    print(f"| phase, main thread under {args.frame} | samples | share |")
    print("|---|---:|---:|")
    for name, n in phases.most_common():
        print(f"| {name} | {n} | {100 * n / total:.1f}% |")
    java = phases["Java code (and the natives it calls)"]
    for title, counter in (("innermost frame", jdk), ("the launcher's innermost frame", ours)):
        print(f"\nJava code's samples ({java}) by {title}:")
        for name, n in counter.most_common(12):
            print(f"  {n:6d}  {name}")


if __name__ == "__main__":
    main()
