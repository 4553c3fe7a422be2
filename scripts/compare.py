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
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import buddyresults as br  # noqa: E402

PROG = "compare.py"

# (metric in buddyresults.flatten, label, kind)
HEADLINES = (
    ("operations.total", "operations", "count"),
    ("operations.allocs", "allocations", "count"),
    ("operations.failures", "failed allocations", "count"),
    ("latency_ns.alloc.p50", "alloc latency p50", "ns"),
    ("latency_ns.alloc.p99", "alloc latency p99", "ns"),
    ("latency_ns.alloc.p99.9", "alloc latency p99.9", "ns"),
    ("latency_ns.alloc.mean", "alloc latency mean", "ns"),
    ("latency_ns.free.p99", "free latency p99", "ns"),
    ("alloc_share.pcp_hit", "pcp_hit share of allocations", "share"),
    ("alloc_paths.buddy", "buddy allocations (zone lock)", "count"),
    ("hardware.zone_lock.acquisitions", "zone-lock acquisitions", "count"),
    ("hardware.zone_lock.contentions", "zone-lock contentions", "count"),
    ("hardware.zone_lock.wait_total_ns", "zone-lock total wait", "ns"),
    ("hardware.zone_lock.wait_avg_ns", "zone-lock average wait", "ns"),
    ("hardware.cpus.spinning_share_mean", "CPU time spinning (mean)", "share"),
    ("hardware.dram.row_hit_rate", "DRAM row-hit rate", "share"),
    ("hardware.dram.bandwidth_gbps", "DRAM bandwidth (GB/s)", "number"),
    ("free_pages", "free pages at end", "count"),
    ("simulated_s", "simulated seconds", "number"),
    ("run.host_seconds", "host seconds", "number"),
)


def fmt(v, kind, delta=False):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    sign = "+" if delta and v > 0 else ""
    if kind == "ns":
        if abs(v) >= 1e9:
            return f"{sign}{v / 1e9:.4g} s"
        if abs(v) >= 1e6:
            return f"{sign}{v / 1e6:.4g} ms"
        if abs(v) >= 1e3:
            return f"{sign}{v / 1e3:.4g} µs"
        return f"{sign}{v:.4g} ns"
    if kind == "share":
        return f"{sign}{100 * v:.3g} pp" if delta else f"{100 * v:.3g}%"
    if kind == "count":
        return f"{sign}{int(round(v)):,}"
    return f"{sign}{v:.4g}"


def rel(a, b):
    if a is None or b is None or (isinstance(a, float) and math.isnan(a)) or (isinstance(b, float) and math.isnan(b)):
        return None
    if a == 0:
        return 0.0 if b == 0 else math.inf
    return (b - a) / abs(a)


def fmt_rel(r):
    if r is None:
        return "–"
    if math.isinf(r):
        return "n/a (from 0)"
    if abs(r) >= 10:
        return f"×{1 + r:.3g}"
    return f"{100 * r:+.3g}%"


def headline_table(runs):
    """Rows of (label, [cells]) and the csv records."""
    flat = [br.flatten(r) for r in runs]
    header = ["metric", runs[0].label]
    for r in runs[1:]:
        header += [r.label, f"Δ vs {runs[0].label}", "Δ%"]
    rows, records = [], []
    for key, label, kind in HEADLINES:
        vals = [f.get(key) for f in flat]
        if all(v is None for v in vals):
            continue
        a = vals[0]
        cells = [label, fmt(a, kind)]
        records.append({"metric": key, "run": runs[0].label, "value": a, "change": "", "relative_change": ""})
        for r, b in zip(runs[1:], vals[1:]):
            d = None if a is None or b is None else b - a
            rc = rel(a, b)
            cells += [fmt(b, kind), fmt(d, kind, delta=True), fmt_rel(rc)]
            records.append({"metric": key, "run": r.label, "value": b,
                            "change": "" if d is None else d,
                            "relative_change": "" if rc is None or math.isinf(rc) else rc})
        rows.append(cells)
    return header, rows, records


def render(header, rows):
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows)]
    lines = []
    for i, r in enumerate([header] + rows):
        cells = [str(c).ljust(w) if j == 0 else str(c).rjust(w) for j, (c, w) in enumerate(zip(r, widths))]
        lines.append("  ".join(cells).rstrip())
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def unique_labels(labels):
    seen, out = {}, []
    for l in labels:
        seen[l] = seen.get(l, 0) + 1
        out.append(l if seen[l] == 1 else f"{l}#{seen[l]}")
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="Figures are described in docs/plots.md.")
    ap.add_argument("dirs", nargs="+", metavar="DIR", help="results folders; the first is the baseline")
    ap.add_argument("-o", "--output", metavar="FIGDIR", help="where to write figures and the table")
    ap.add_argument("--labels", metavar="A,B,...", help="names of the runs in legends and the table "
                    "(default: the folder names)")
    args = ap.parse_args(argv)
    br.require_numpy_matplotlib(PROG)
    if len(args.dirs) < 2:
        br.fail(PROG, "give at least two results folders to compare")
    if args.labels is not None:
        labels = [l.strip() for l in args.labels.split(",")]
        if len(labels) != len(args.dirs) or not all(labels):
            br.fail(PROG, f"--labels {args.labels}: expected {len(args.dirs)} non-empty names separated by "
                    f"commas, one per folder, found {len(labels)}")
    else:
        labels = [os.path.basename(os.path.normpath(d)) or d for d in args.dirs]
    labels = unique_labels(labels)
    try:
        runs = [br.Run(d, l) for d, l in zip(args.dirs, labels)]
        for r in runs:  # read the optional files now: a malformed one stops us before any output
            r.timeseries
            if not r.functional:
                r.ops
    except br.InputError as e:
        br.fail(PROG, e)

    figdir = args.output
    if figdir is None:
        base = os.path.dirname(os.path.abspath(os.path.normpath(args.dirs[0])))
        name = "-vs-".join("".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in l) for l in labels)
        figdir = os.path.join(base, f"compare-{name}")
        if len(figdir) > 200:
            figdir = os.path.join(base, "compare")

    header, rows, records = headline_table(runs)
    table = render(header, rows)
    try:
        import buddyfigures as bf
        w = bf.Writer(figdir, prefix="compare_")
        bf.cmp_latency_cdf(runs, w)
        bf.cmp_latency_percentiles(runs, w)
        bf.cmp_zone_lock(runs, w)
        bf.cmp_free_pages(runs, w)
        bf.cmp_alloc_paths(runs, w)
        bf.cmp_dram(runs, w)
        with open(os.path.join(figdir, "compare.txt"), "w", encoding="utf-8") as f:
            f.write(" vs ".join(f"{r.label} = {r.path}" for r in runs) + "\n\n" + table + "\n")
        with open(os.path.join(figdir, "compare.csv"), "w", newline="", encoding="utf-8") as f:
            wr = csv.DictWriter(f, fieldnames=["metric", "run", "value", "change", "relative_change"],
                                lineterminator="\n")
            wr.writeheader()
            wr.writerows(records)
    except OSError as e:
        br.fail(PROG, f"{e.filename or figdir}: {e.strerror}")

    print(" vs ".join(f"{r.label} = {r.path}" for r in runs))
    print()
    print(table)
    print()
    for path in w.written + [os.path.join(figdir, "compare.txt"), os.path.join(figdir, "compare.csv")]:
        print(path)
    reasons = {}
    for name, why in w.skipped:
        reasons.setdefault(why, []).append(name)
    for why, names in reasons.items():
        print(f"skipped {', '.join(names)}: {why}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
