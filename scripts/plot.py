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
from input_errors import InputError, fail, require_numpy_matplotlib  # noqa: E402
from results_folder import Run  # noqa: E402
from sweep_csv import load_sweep_csv  # noqa: E402

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
    require_numpy_matplotlib(PROG)

    # The input is read before matplotlib is imported (slow), so that bad
    # input stops at once and before any figure is written.
    sweep_csv = os.path.join(args.results, "sweep.csv")
    try:
        if os.path.isdir(args.results) and os.path.isfile(sweep_csv):
            table = load_sweep_csv(sweep_csv)
            from figures_sweep import plot_sweep
            draw = lambda w: plot_sweep(table, w, f"sweep {sweep_name(args.results)}")  # noqa: E731
        else:
            run = Run(args.results)
            run.read_all()
            from figures_run import plot_run
            draw = lambda w: plot_run(run, w, args.orders)  # noqa: E731
        from figure_writer import Writer
        w = Writer(figdir)
        draw(w)
    except InputError as e:
        fail(PROG, e)
    except OSError as e:
        fail(PROG, f"{e.filename or figdir}: {e.strerror}")

    for path in w.written:
        print(path)
    for line in w.skipped_lines():
        print(line)
    if not w.written:
        print(f"{PROG}: no figures written", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
