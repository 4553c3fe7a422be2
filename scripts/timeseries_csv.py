"""Read timeseries.csv of a results folder (docs/results.md): per zone, the
free pages, failures and per-order buddyinfo and fragmentation indices at
every sample."""

import math

from csv_input import csv_rows, number

ORDER_COLUMNS = ("nr_free", "unusable", "extfrag")


class Timeseries:
    """timeseries.csv, per zone: zones maps (node, zone) to a dict of numpy
    arrays: time_ns, free_pages, failures, nr_free / unusable / extfrag
    (samples x orders; NaN where a column is absent)."""

    def __init__(self, zones, orders):
        self.zones = zones
        self.orders = orders

    def __bool__(self):
        return bool(self.zones)


def load_timeseries(path):
    import numpy as np
    with csv_rows(path, ("time_ns", "node", "zone", "free_pages", "nr_free_0")) as (header, rows):
        col = {name: i for i, name in enumerate(header)}
        orders = 0
        while f"nr_free_{orders}" in col:
            orders += 1
        per_zone = {}
        for lineno, row in rows:
            def field(c):
                return number(path, lineno, c, row[col[c]]) if c in col else math.nan
            key = (int(field("node")), row[col["zone"]])
            z = per_zone.setdefault(key, {"time_ns": [], "free_pages": [], "failures": [],
                                          **{name: [] for name in ORDER_COLUMNS}})
            for c in ("time_ns", "free_pages", "failures"):
                z[c].append(field(c))
            for name in ORDER_COLUMNS:
                z[name].append([field(f"{name}_{o}") for o in range(orders)])
    zones = {}
    for key, z in per_zone.items():
        order = np.argsort(np.array(z["time_ns"]), kind="stable")
        zones[key] = {k: np.array(v, dtype=float)[order] for k, v in z.items()}
    return Timeseries(zones, orders)
