#!/usr/bin/env python3
"""Interleaved launches of several commands: median and minimum wall time, and the CPU time (user + system,
all threads, from the kernel's rusage at exit) each process used, with the difference to the first row, as
a Markdown table. "paired" is the median of each round's difference to the first row's launch in the same
round: launches a few hundred milliseconds apart, so that the shared machine's drift between rounds
cancels out of it, which it does not out of the difference of two medians.

    python3 benchmarks/hello-world/compare.py RUNS LABEL "COMMAND" [LABEL "COMMAND" ...]

As the Java harnesses interleave (ChildJvms.interleave): one warm-up round discarded, then RUNS rounds,
each running every command once, output discarded, the order rotated by one each round.
"""
import collections
import os
import shlex
import statistics
import sys
import tempfile
import time


def launch(label, command, err):
    args = shlex.split(command)
    err.seek(0)
    err.truncate()
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
            os.dup2(err.fileno(), 2)
            os.execvp(args[0], args)
        except OSError as e:
            # never return into the parent's code: report through stderr and the exit status
            os.write(2, f"cannot run {args[0]}: {e}\n".encode())
        os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    wall = (time.perf_counter() - start) * 1000
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        err.seek(0)
        sys.exit(f"{label}: exit {code}: {command}\n{err.read().decode(errors='replace')[-2000:]}")
    return wall, (usage.ru_utime + usage.ru_stime) * 1000


def main(argv):
    labels = argv[2::2]
    if (len(argv) < 4 or len(argv) % 2 or not argv[1].isdigit() or int(argv[1]) < 1
            or len(set(labels)) < len(labels)):
        sys.exit('usage: compare.py RUNS LABEL "COMMAND" [LABEL "COMMAND" ...] (RUNS at least 1, labels unique)')
    runs = int(argv[1])
    variants = list(zip(labels, argv[3::2]))
    samples = collections.defaultdict(list)
    with tempfile.TemporaryFile() as err:
        for round_ in range(runs + 1):
            for i in range(len(variants)):
                label, command = variants[(i + round_) % len(variants)]
                measured = launch(label, command, err)
                if round_ > 0:
                    samples[label].append(measured)
    print(f"| {runs} rounds | wall median | over first | paired | wall min | over first | CPU median | over first |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    first_label = labels[0]
    first = None
    for label in labels:
        values = samples[label]
        row = (statistics.median(v[0] for v in values), min(v[0] for v in values),
               statistics.median(v[1] for v in values))
        if label == first_label:
            first = row
            over, paired = ["", "", ""], ""
        else:
            over = [f"{row[k] - first[k]:+.1f}" for k in range(3)]
            paired = f"{statistics.median(v[0] - f[0] for v, f in zip(values, samples[first_label])):+.1f}"
        print(f"| {label} | {row[0]:.1f} | {over[0]} | {paired} | {row[1]:.1f} | {over[1]} | {row[2]:.1f} | {over[2]} |")


if __name__ == "__main__":
    main(sys.argv)
