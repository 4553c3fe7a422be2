"""Gathering a sweep: every run's headline figures (or why it has none)
into one row of SWEEPDIR/sweep.csv."""

import os

from headline_metrics import flatten
from input_errors import InputError
from results_folder import Run
from sweep_csv import write_sweep_csv
from sweep_runs import value_text


def read_joblog(path):
    """{command: exit status} from GNU parallel's --joblog (tab-separated,
    Exitval in column 7, the command last)."""
    out = {}
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            next(f, None)
            for line in f:
                cols = line.rstrip("\n").split("\t")
                if len(cols) >= 9:
                    try:
                        out[cols[8]] = int(cols[6])
                    except ValueError:
                        pass
    except OSError:
        pass
    return out


def gather(s, runs, sweepdir):
    """Write sweep.csv; return (its path, header, rows, problems). A row's
    status is ok, failed (GNU parallel saw it fail), missing (no results
    yet) or unreadable (a problem, listed in problems)."""
    rows, columns, problems = [], [], []
    seen = set()
    failed = read_joblog(os.path.join(sweepdir, "joblog.txt"))
    for r in runs:
        row = {"run": r.name, "seed": r.seed}
        for k, v in r.params.items():
            row[k] = value_text(v)
        if not os.path.isfile(os.path.join(r.dir, "summary.json")):
            row["status"] = "failed" if failed.get(r.command, 0) != 0 else "missing"
        else:
            try:
                metrics = flatten(Run(r.dir, r.name))
                row["status"] = "ok"
                for k, v in metrics.items():
                    if k not in seen:
                        seen.add(k)
                        columns.append(k)
                    row[k] = v
            except InputError as e:
                row["status"] = "unreadable"
                problems.append(str(e))
        rows.append(row)
    header = ["run"] + [a.name for a in s.axes] + ["seed", "status"] + columns
    path = os.path.join(sweepdir, "sweep.csv")
    write_sweep_csv(path, header, rows)
    return path, header, rows, problems
