#!/usr/bin/env python3
"""Interleaved launches of several commands: median and minimum wall time, and the CPU time (user + system,
all threads, from the kernel's rusage at exit) the process used, each with its difference to the first row.

    python3 benchmarks/hello-world/compare.py RUNS LABEL "COMMAND" [LABEL "COMMAND" ...]

Every round runs each command once, in the given order, output discarded (benchmarks/README.md, sixth round).
"""
import collections
import os
import shlex
import statistics
import sys
import time


def main(argv):
    runs = int(argv[1])
    variants = list(zip(argv[2::2], argv[3::2]))
    samples = collections.defaultdict(list)
    devnull = os.open(os.devnull, os.O_WRONLY)
    for _ in range(runs):
        for label, command in variants:
            args = shlex.split(command)
            start = time.perf_counter()
            pid = os.fork()
            if pid == 0:
                os.dup2(devnull, 1)
                os.dup2(devnull, 2)
                os.execvp(args[0], args)
            _, status, usage = os.wait4(pid, 0)
            wall = (time.perf_counter() - start) * 1000
            if status != 0:
                sys.exit(f"{label}: exit status {status}: {command}")
            samples[label].append((wall, (usage.ru_utime + usage.ru_stime) * 1000))
    first = None
    for label, values in samples.items():
        row = (statistics.median(v[0] for v in values), min(v[0] for v in values),
               statistics.median(v[1] for v in values), min(v[1] for v in values))
        first = first or row
        print(f"{label:20s} wall median {row[0]:6.1f} ({row[0] - first[0]:+5.1f}) min {row[1]:6.1f} ({row[1] - first[1]:+5.1f})"
              f" | cpu median {row[2]:6.1f} ({row[2] - first[2]:+5.1f}) min {row[3]:6.1f} ({row[3] - first[3]:+5.1f})")


if __name__ == "__main__":
    main(sys.argv)
