#!/usr/bin/python3
"""Draw every figure of a buddysim results folder, or of a sweep folder.

    plot.py RESULTS_DIR [-o FIGDIR] [--orders 0,3,9]

RESULTS_DIR is a folder written by `buddysim run` (summary.json,
timeseries.csv, optional ops.csv; see docs/results.md), or a sweep folder
written by sweep.py (it holds sweep.csv; see docs/sweeps.md). Figures go to
FIGDIR (default RESULTS_DIR/figures) as PNG and SVG; the files written are
listed on stdout, and figures that do not apply to the run (functional runs
have no latency or hardware figures; histograms need ops.csv) are named
with the reason. docs/plots.md describes every figure.

Exit status: 0 figures written, 2 bad input (missing or malformed folder).
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import buddyresults as br  # noqa: E402

PROG = "plot.py"


def parse_orders(text):
    try:
        orders = sorted({int(t) for t in text.split(",") if t.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected orders such as 0,3,9, found {text!r}") from None
    if not orders or min(orders) < 0:
        raise argparse.ArgumentTypeError(f"expected orders such as 0,3,9, found {text!r}")
    return orders


def sweep_name(folder):
    """The sweep's name from its manifest.json, else the folder name."""
    try:
        with open(os.path.join(folder, "manifest.json"), encoding="utf-8") as f:
            name = json.load(f)["name"]
        if isinstance(name, str) and name:
            return name
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return os.path.basename(os.path.normpath(folder))


def skipped_lines(skipped):
    """One line per reason: "skipped a, b, c: reason"."""
    reasons = {}
    for name, why in skipped:
        reasons.setdefault(why, []).append(name)
    return [f"skipped {', '.join(names)}: {why}" for why, names in reasons.items()]


def main(argv=None):
    ap = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="Figures are described in docs/plots.md.")
    ap.add_argument("results", metavar="RESULTS_DIR",
                    help="a buddysim results folder, or a sweep folder (with sweep.csv)")
    ap.add_argument("-o", "--output", metavar="FIGDIR", help="where to write figures (default RESULTS_DIR/figures)")
    ap.add_argument("--orders", type=parse_orders, metavar="LIST",
                    help="orders drawn in fragmentation_index, e.g. 0,3,9 (default: all)")
    args = ap.parse_args(argv)
    figdir = args.output or os.path.join(args.results, "figures")
    br.require_numpy_matplotlib(PROG)

    try:
        if os.path.isdir(args.results) and os.path.isfile(os.path.join(args.results, "sweep.csv")):
            table = br.load_sweep_csv(os.path.join(args.results, "sweep.csv"))
            import buddyfigures as bf
            w = bf.Writer(figdir)
            bf.plot_sweep(table, w, f"sweep {sweep_name(args.results)}")
        else:
            run = br.Run(args.results)
            # Read the optional files first, so a malformed one stops us
            # before any figure is written.
            run.timeseries
            if not run.functional:
                run.ops
            import buddyfigures as bf
            w = bf.Writer(figdir)
            bf.plot_run(run, w, args.orders)
    except br.InputError as e:
        br.fail(PROG, e)
    except OSError as e:
        br.fail(PROG, f"{e.filename or figdir}: {e.strerror}")

    for path in w.written:
        print(path)
    for line in skipped_lines(w.skipped):
        print(line)
    if not w.written:
        print(f"{PROG}: no figures written", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
