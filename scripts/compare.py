#!/usr/bin/python3
"""Overlay several buddysim runs and tabulate their headline differences.

    compare.py DIR_A DIR_B [DIR_C ...] [-o FIGDIR] [--labels a,b,...]

Each DIR is a results folder written by `buddysim run` (docs/results.md),
for example the same scenario with the per-CPU lists on and off:

    build/buddysim run scenarios/pcp-on-vs-off.json -o results/pcp-on
    build/buddysim run scenarios/pcp-on-vs-off.json --set allocator.pcp=false -o results/pcp-off
    scripts/compare.py results/pcp-on results/pcp-off --labels on,off

Draws the runs on the same axes (latency CDF and percentiles per allocation
path, zone-lock wait, free pages over time, allocation paths, DRAM) into
FIGDIR (default: compare-<a>-vs-<b> next to DIR_A) as PNG and SVG, prints a
table of headline figures with the absolute and relative change against the
first run, and saves it as FIGDIR/compare.txt and FIGDIR/compare.csv.
Latency CDFs use ops.csv where a run has one (run with --set
record.ops=true), otherwise the percentiles of summary.json.

Exit status: 0 done, 2 bad input (missing or malformed folder, bad labels).
"""

import argparse
import csv
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare_table import headline_table, render  # noqa: E402
from file_names import safe_name  # noqa: E402
from input_errors import InputError, fail, require_numpy_matplotlib  # noqa: E402
from results_folder import Run  # noqa: E402

PROG = "compare.py"


def unique_labels(labels):
    seen, out = {}, []
    for l in labels:
        seen[l] = seen.get(l, 0) + 1
        out.append(l if seen[l] == 1 else f"{l}#{seen[l]}")
    return out


def default_figdir(first_dir, labels):
    """compare-<a>-vs-<b>... next to the first folder (compare if that is
    too long)."""
    base = os.path.dirname(os.path.abspath(os.path.normpath(first_dir)))
    figdir = os.path.join(base, "compare-" + "-vs-".join(safe_name(l) for l in labels))
    return figdir if len(figdir) <= 200 else os.path.join(base, "compare")


def main(argv=None):
    ap = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="Figures are described in docs/plots.md.")
    ap.add_argument("dirs", nargs="+", metavar="DIR", help="results folders; the first is the baseline")
    ap.add_argument("-o", "--output", metavar="FIGDIR", help="where to write figures and the table")
    ap.add_argument("--labels", metavar="A,B,...", help="names of the runs in legends and the table "
                    "(default: the folder names)")
    args = ap.parse_args(argv)
    require_numpy_matplotlib(PROG)
    if len(args.dirs) < 2:
        fail(PROG, "give at least two results folders to compare")
    if args.labels is not None:
        labels = [l.strip() for l in args.labels.split(",")]
        if len(labels) != len(args.dirs) or not all(labels):
            fail(PROG, f"--labels {args.labels}: expected {len(args.dirs)} non-empty names separated by "
                       f"commas, one per folder, found {len(labels)}")
    else:
        labels = [os.path.basename(os.path.normpath(d)) or d for d in args.dirs]
    labels = unique_labels(labels)
    try:
        runs = [Run(d, l) for d, l in zip(args.dirs, labels)]
        for r in runs:
            r.read_all()
    except InputError as e:
        fail(PROG, e)

    figdir = args.output or default_figdir(args.dirs[0], labels)

    header, rows, records = headline_table(runs)
    table = render(header, rows)
    heading = " vs ".join(f"{r.label} = {r.path}" for r in runs)
    try:
        from figure_writer import Writer
        from figures_compare import plot_compare
        w = Writer(figdir, prefix="compare_")
        plot_compare(runs, w)
        with open(os.path.join(figdir, "compare.txt"), "w", encoding="utf-8") as f:
            f.write(heading + "\n\n" + table + "\n")
        with open(os.path.join(figdir, "compare.csv"), "w", newline="", encoding="utf-8") as f:
            wr = csv.DictWriter(f, fieldnames=["metric", "run", "value", "change", "relative_change"],
                                lineterminator="\n")
            wr.writeheader()
            wr.writerows(records)
    except OSError as e:
        fail(PROG, f"{e.filename or figdir}: {e.strerror}")

    print(heading)
    print()
    print(table)
    print()
    for path in w.written + [os.path.join(figdir, "compare.txt"), os.path.join(figdir, "compare.csv")]:
        print(path)
    for line in w.skipped_lines():
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
