#!/usr/bin/python3
"""Run a buddysim scenario over a grid of parameters and seeds, and gather
the headline figures of every run into one CSV.

    sweep.py SWEEP.json [-o SWEEPDIR] [-j N] [--dry-run] [--gather-only]
             [--slurm OUT.sh] [--sshloginfile FILE] [--plot METRIC:PARAM]...

SWEEP.json names a scenario, seeds, fixed --set overrides and a grid
(docs/sweeps.md). Every grid point and seed becomes one run

    build/buddysim run SCENARIO --set k=v ... --seed S -o SWEEPDIR/runs/<run> -q

with its own results folder. The runs go into SWEEPDIR/commands.txt, one
command a line, and run locally with GNU parallel (-j N at a time), or, with
--slurm, as a Slurm job array (one array task per line), or, with
--sshloginfile, across hosts with GNU parallel. Runs whose folder already
holds summary.json are skipped, so an interrupted sweep resumes where it
stopped. Then every run's summary.json and run-info.json are gathered into
SWEEPDIR/sweep.csv (one row per run: run, the grid parameters, seed, status,
then the headline metrics with dotted names), and each --plot METRIC:PARAM
draws METRIC against PARAM into SWEEPDIR/figures/.

SWEEPDIR defaults to results/sweeps/<name> (relative to the current folder).

Exit status: 0 every run has results; 1 some run failed or has no results
(after running them); 2 bad input (sweep file, options, missing tools).
"""

import argparse
import os
import shlex
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from input_errors import InputError, fail, require_numpy_matplotlib  # noqa: E402
from sweep_file import DERIVED_PARAMS, load_sweep, suggest  # noqa: E402
from sweep_gather import gather  # noqa: E402
from sweep_csv import load_sweep_csv  # noqa: E402
from sweep_launch import find_parallel, run_local, write_commands, write_slurm, write_ssh_script  # noqa: E402
from sweep_manifest import check_manifest, write_manifest  # noqa: E402
from sweep_runs import expand, validate_points  # noqa: E402

PROG = "sweep.py"
REPO = os.path.dirname(HERE)
PLOT_FORM = "expected METRIC:PARAM, e.g. latency_ns.alloc.p99:cpus_per_node"


def parse_plot(text, params):
    if ":" not in text:
        raise InputError(f"--plot {text}: {PLOT_FORM}")
    metric, param = text.rsplit(":", 1)
    if not metric or not param:
        raise InputError(f"--plot {text}: {PLOT_FORM}")
    choices = list(params) + list(DERIVED_PARAMS)
    if param not in choices:
        raise InputError(f"--plot {text}: {param} is not a grid parameter of the sweep (parameters: "
                         f"{', '.join(choices)}){suggest(param, choices)}")
    return metric, param


def parse_args(argv):
    ap = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="The sweep file format is described in docs/sweeps.md.")
    ap.add_argument("sweep", metavar="SWEEP.json", help="the sweep file")
    ap.add_argument("-o", "--output", metavar="SWEEPDIR", help="sweep folder (default results/sweeps/<name>)")
    ap.add_argument("-j", "--jobs", type=int, metavar="N",
                    help="runs at a time (default: the number of CPUs; with --slurm: array tasks at a time, "
                         "default unlimited; with --sshloginfile: per host)")
    ap.add_argument("--dry-run", action="store_true", help="print the runs and commands; run and write nothing")
    ap.add_argument("--gather-only", action="store_true", help="run nothing; gather the finished runs into sweep.csv")
    ap.add_argument("--slurm", metavar="OUT.sh", help="write a Slurm job-array script for the pending runs instead of running them")
    ap.add_argument("--sshloginfile", metavar="FILE",
                    help="write (SWEEPDIR/run-ssh.sh) and print the GNU parallel command that runs the pending runs on "
                         "the hosts of FILE, instead of running them")
    ap.add_argument("--plot", action="append", default=[], metavar="METRIC:PARAM",
                    help="after gathering, draw METRIC against PARAM into SWEEPDIR/figures (repeatable)")
    ap.add_argument("--buddysim", metavar="PATH",
                    help="the buddysim binary (default $BUDDYSIM_BUILD_DIR/buddysim, else build/buddysim of this repository)")
    args = ap.parse_args(argv)
    if args.jobs is not None and args.jobs < 1:
        fail(PROG, f"-j {args.jobs}: expected at least 1")
    if args.dry_run and args.gather_only:
        fail(PROG, "--dry-run and --gather-only exclude each other")
    return args


def buddysim_path(args):
    if args.buddysim:
        return os.path.abspath(args.buddysim)
    bdir = os.environ.get("BUDDYSIM_BUILD_DIR", "build")
    return os.path.join(bdir if os.path.isabs(bdir) else os.path.join(REPO, bdir), "buddysim")


def check_binary(args, s, buddysim, pending):
    """Validate the pending grid points with buddysim, which must exist
    unless nothing is to run (a dry run only notes its absence)."""
    if args.gather_only:
        return
    if not (os.path.isfile(buddysim) and os.access(buddysim, os.X_OK)):
        if args.dry_run:
            print(f"note: {buddysim} not found: the grid points are not validated", file=sys.stderr)
            return
        raise InputError(f"{buddysim}: no buddysim binary: build it with bash scripts/setup.sh, "
                         "or give --buddysim PATH")
    if pending:
        validate_points(s, pending, buddysim)


def plural(n, word):
    return f"{n} {word}{'s' if n != 1 else ''}"


def hand_over(args, s, sweepdir, commands, pending):
    """--slurm and --sshloginfile: write what runs the pending runs
    elsewhere and say how to gather them."""
    if not pending:
        print("every run is complete: nothing to submit")
    if args.slurm and pending:
        try:
            write_slurm(os.path.abspath(args.slurm), s, sweepdir, commands, len(pending), args.jobs)
        except OSError as e:
            fail(PROG, f"{e.filename or args.slurm}: {e.strerror}")
        print(f"wrote {args.slurm}: a job array of {len(pending)} tasks, one per line of {commands}")
        print(f"submit it with:  sbatch {args.slurm}")
    if args.sshloginfile and pending:
        if not os.path.isfile(args.sshloginfile):
            fail(PROG, f"{args.sshloginfile}: no such file (GNU parallel's --sshloginfile: one host a line)")
        script, cmd = write_ssh_script(sweepdir, s, commands, args.sshloginfile, args.jobs)
        print(f"wrote {script}; it runs:")
        print(f"  {cmd}")
    print(f"when the runs are done, gather them with:  {sys.argv[0]} {args.sweep}"
          f"{' -o ' + shlex.quote(args.output) if args.output else ''} --gather-only")


def report(path, header, rows, problems, sweepdir, local):
    """Say what sweep.csv holds and warn of runs without results."""
    ok = sum(1 for r in rows if r["status"] == "ok")
    missing = [r["run"] for r in rows if r["status"] != "ok"]
    nfailed = sum(1 for r in rows if r["status"] == "failed")
    print(f"wrote {path}: {len(rows)} rows ({ok} with results), {len(header)} columns")
    for p in problems:
        print(f"{PROG}: warning: {p}", file=sys.stderr)
    if missing:
        print(f"{PROG}: warning: {len(missing)} of {len(rows)} runs have no results"
              f"{f' ({nfailed} failed)' if nfailed else ''}: "
              f"{', '.join(missing[:5])}{' ...' if len(missing) > 5 else ''}"
              + (f" (see {os.path.join(sweepdir, 'joblog.txt')})" if local else ""), file=sys.stderr)
    return ok, missing


def draw_plots(plots, path, s, ok, sweepdir):
    """--plot METRIC:PARAM figures into SWEEPDIR/figures."""
    require_numpy_matplotlib(PROG)
    try:
        table = load_sweep_csv(path)
        for metric, _ in plots:
            if metric not in table.columns:
                raise InputError(f"--plot {metric}: no such column in {path}{suggest(metric, table.columns)}")
        from figure_writer import Writer
        from figures_sweep import metric_figure
    except InputError as e:
        fail(PROG, e)
    except ImportError as e:
        fail(PROG, f"cannot draw figures: {e} (apt-get install python3-matplotlib; run with /usr/bin/python3)")
    w = Writer(os.path.join(sweepdir, "figures"))
    for metric, param in plots:
        metric_figure(table, metric, param, w, f"sweep {s.name} · {ok} runs · {sweepdir}")
    for f in w.written:
        print(f)
    for line in w.skipped_lines():
        print(line)


def main(argv=None):
    args = parse_args(argv)
    try:
        s = load_sweep(args.sweep)
        plots = [parse_plot(p, [a.name for a in s.axes]) for p in args.plot]
        sweepdir = os.path.abspath(args.output or os.path.join("results", "sweeps", s.name))
        buddysim = buddysim_path(args)
        runs = expand(s, buddysim, sweepdir)
        check_manifest(sweepdir, s, runs)
        pending = [r for r in runs if not r.complete]
        local = not (args.dry_run or args.gather_only or args.slurm or args.sshloginfile)
        check_binary(args, s, buddysim, pending)
        parallel = find_parallel() if local and pending else None
    except InputError as e:
        fail(PROG, e)

    print(f"sweep {s.name}: {len(runs)} runs ({plural(len(s.axes), 'parameter')}, "
          f"{plural(len(s.seeds), 'seed')}), {len(runs) - len(pending)} "
          f"{'complete' if args.gather_only else 'already complete'}, {len(pending)} "
          f"{'without results' if args.gather_only else 'to run'}; folder {sweepdir}")
    if args.dry_run:
        for r in runs:
            print(("# complete: " if r.complete else "") + r.command)
        return 0

    try:
        os.makedirs(os.path.join(sweepdir, "runs"), exist_ok=True)
        if not args.gather_only:
            write_manifest(sweepdir, s, runs)
            shutil.copyfile(s.file, os.path.join(sweepdir, "sweep.json"))
            commands = write_commands(sweepdir, pending)
    except OSError as e:
        fail(PROG, f"{e.filename or sweepdir}: {e.strerror}")

    if args.slurm or args.sshloginfile:
        hand_over(args, s, sweepdir, commands, pending)
        return 0

    failed_run = False
    if local and pending:
        try:
            rc = run_local(parallel, sweepdir, commands, len(pending), args.jobs or os.cpu_count() or 1)
        except KeyboardInterrupt:
            print(f"\n{PROG}: interrupted; run the same command again to resume", file=sys.stderr)
            return 130
        failed_run = rc != 0

    try:
        path, header, rows, problems = gather(s, runs, sweepdir)
    except OSError as e:
        fail(PROG, f"{e.filename or sweepdir}: {e.strerror}")
    ok, missing = report(path, header, rows, problems, sweepdir, local)
    if plots:
        draw_plots(plots, path, s, ok, sweepdir)
    print(f"standard figures: {os.path.join(HERE, 'plot.py')} {sweepdir}")
    if (failed_run or problems or missing) and not args.gather_only:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
