"""sweep.csv of a sweep folder (docs/sweeps.md): one row per run with the
columns run, the grid parameters, seed, status, then the headline metrics.
Written by sweep.py, read for the sweep figures."""

import csv
import os

from csv_input import csv_rows
from input_errors import InputError

TEXT_COLUMNS = ("run", "status")


class SweepTable:
    """sweep.csv: params (grid parameter columns: those between run and
    seed), columns, rows (dicts of column -> parsed value: float, or the
    text when it is not a number; None when empty)."""

    def __init__(self, path, params, columns, rows):
        self.path, self.params, self.columns, self.rows = path, params, columns, rows

    def numeric(self, column):
        return all(isinstance(r.get(column), float) for r in self.rows if r.get(column) is not None)


def parse_cell(text):
    if text == "":
        return None
    try:
        v = float(text)
    except ValueError:
        return text
    return v


def fmt_cell(v):
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        if v != v:
            return ""
        return repr(v)
    return str(v)


def load_sweep_csv(path):
    with csv_rows(path, ("run", "seed", "status")) as (header, lines):
        i_run, i_seed = header.index("run"), header.index("seed")
        if i_run != 0 or i_seed < i_run:
            raise InputError(f"{path}: line 1: expected the columns run, <grid parameters>, seed, status, ...")
        params = header[i_run + 1:i_seed]
        rows = [{c: (v if c in TEXT_COLUMNS else parse_cell(v)) for c, v in zip(header, row)}
                for _, row in lines]
    return SweepTable(path, params, header, rows)


def write_sweep_csv(path, header, rows):
    """Write the rows (dicts) under header; the file is replaced at once, so
    that a reader never sees half of it."""
    tmp = path + ".tmp"
    with open(tmp, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for row in rows:
            w.writerow([fmt_cell(row.get(c)) for c in header])
    os.replace(tmp, path)
