"""Read ops.csv of a results folder (docs/results.md; written with --set
record.ops=true): one row per allocation or free, as numpy arrays."""

import math
from array import array

from alloc_paths import path_group, path_rank
from csv_input import csv_rows, number
from input_errors import InputError

COLUMNS = ("time_ns", "op", "order", "result", "path", "latency_ns")


class Ops:
    """ops.csv as numpy arrays: is_alloc (bool), order (int), time_ns,
    latency_ns (NaN when absent), group (index into groups: the costliest
    allocation path; -1 for frees), ok (bool)."""

    def __init__(self, **arrays):
        self.__dict__.update(arrays)

    @property
    def has_latency(self):
        import numpy as np
        return bool(np.isfinite(self.latency_ns).any())

    def alloc_latency_by_group(self):
        import numpy as np
        sel = self.is_alloc & np.isfinite(self.latency_ns)
        out = {}
        for i, g in enumerate(self.groups):
            v = self.latency_ns[sel & (self.group == i)]
            if v.size:
                out[g] = v
        return {g: out[g] for g in sorted(out, key=path_rank)}

    def latency_by_order(self, alloc):
        import numpy as np
        sel = (self.is_alloc if alloc else ~self.is_alloc) & np.isfinite(self.latency_ns)
        out = {}
        for o in np.unique(self.order[sel]):
            out[int(o)] = self.latency_ns[sel & (self.order == o)]
        return out


def load_ops(path):
    import numpy as np
    is_alloc, order, time_ns, latency, group, ok = (
        array("b"), array("i"), array("d"), array("d"), array("i"), array("b"))
    groups, group_of = [], {}
    with csv_rows(path, COLUMNS) as (header, rows):
        c_time, c_op, c_order, c_result, c_path, c_lat = (header.index(c) for c in COLUMNS)
        for lineno, row in rows:
            op = row[c_op]
            if op == "alloc":
                is_alloc.append(1)
                p = row[c_path]
                g = group_of.get(p)
                if g is None:
                    name = path_group(p)
                    if name not in groups:
                        groups.append(name)
                    g = group_of[p] = groups.index(name)
                group.append(g)
            elif op == "free":
                is_alloc.append(0)
                group.append(-1)
            else:
                raise InputError(f"{path}: line {lineno}: column op: expected alloc or free, found {op!r}")
            try:
                order.append(int(row[c_order]))
            except ValueError:
                raise InputError(f"{path}: line {lineno}: column order: expected an "
                                 f"integer, found {row[c_order]!r}") from None
            time_ns.append(number(path, lineno, "time_ns", row[c_time]))
            lat = row[c_lat]
            latency.append(number(path, lineno, "latency_ns", lat) if lat else math.nan)
            ok.append(1 if row[c_result] == "ok" else 0)
    return Ops(is_alloc=np.array(is_alloc, dtype=np.int8).astype(bool),
               order=np.array(order, dtype=np.int32),
               time_ns=np.array(time_ns, dtype=float),
               latency_ns=np.array(latency, dtype=float),
               group=np.array(group, dtype=np.int32),
               ok=np.array(ok, dtype=np.int8).astype(bool),
               groups=groups)
