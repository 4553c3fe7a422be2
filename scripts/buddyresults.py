"""Read and check buddysim results folders and sweep folders.

Shared by plot.py, compare.py and sweep.py. Standard library and numpy only
(no matplotlib here, so sweep.py can run without it). Every problem with the
input raises InputError with a message that names the file and what is
wrong; the scripts print it and exit with status 2.

The layout of a results folder is described in docs/results.md, the layout
of a sweep folder in docs/sweeps.md.
"""

import csv
import json
import math
import os
import sys

# The allocation paths from the costliest to the cheapest: an allocation that
# took several paths is grouped under the first of these it took, as
# summary.json's latency_ns.alloc_by_path does.
PATH_ORDER = ("failed", "fallback_node", "fallback_zone", "steal", "claim",
              "highatomic", "buddy", "pcp_refill", "pcp_hit")
# Every alloc_paths counter, in the order figures and tables show them.
ALL_PATHS = ("pcp_hit", "pcp_refill", "buddy", "claim", "steal", "highatomic",
             "fallback_zone", "fallback_node", "slowpath", "cma", "failed")
HIST_KEYS = ("count", "mean", "p50", "p90", "p99", "p99.9", "max")
PERCENTILES = (("p50", 0.5), ("p90", 0.9), ("p99", 0.99), ("p99.9", 0.999))


class InputError(Exception):
    """Bad or missing input; the message names the file and the problem."""


def fail(prog, err):
    """Print an InputError the way every script does and exit 2."""
    print(f"{prog}: error: {err}", file=sys.stderr)
    sys.exit(2)


def require_numpy_matplotlib(prog, need_matplotlib=True):
    """Stop with a clear message when this interpreter lacks numpy or
    matplotlib (the python3 first on PATH may be another interpreter)."""
    mods = ("numpy", "matplotlib") if need_matplotlib else ("numpy",)
    for mod in mods:
        try:
            __import__(mod)
        except ImportError:
            fail(prog, f"{sys.executable} has no {mod}: run the script as is (its interpreter is "
                       f"/usr/bin/python3) or with /usr/bin/python3, and install python3-matplotlib "
                       f"(apt-get install python3-matplotlib, or bash scripts/setup.sh)")


# ---------------------------------------------------------------------------
# JSON checking against a small shape description
# ---------------------------------------------------------------------------
# A shape is NUM, INT, STR, BOOL, ANY, a list [shape] (an array of that
# shape), a dict {key: shape} (an object; a key ending in "?" is optional,
# "*" stands for every other key), or OneOf(shape, ...).

NUM, INT, STR, BOOL, ANY = "number", "integer", "string", "boolean", "any"


class OneOf:
    def __init__(self, *shapes):
        self.shapes = shapes


def _found(v):
    text = json.dumps(v)
    return text if len(text) <= 60 else text[:57] + "..."


def check(value, shape, file, ptr=""):
    """Return value if it has the shape, else raise InputError naming the
    file and the JSON pointer. Objects keep only the keys of the shape."""
    where = f"{file}: {ptr or '/'}"
    if isinstance(shape, OneOf):
        for s in shape.shapes:
            try:
                return check(value, s, file, ptr)
            except InputError:
                pass
        raise InputError(f"{where}: unexpected value {_found(value)}")
    if shape == ANY:
        return value
    if shape == NUM:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise InputError(f"{where}: expected a number, found {_found(value)}")
        return value
    if shape == INT:
        if isinstance(value, bool) or not isinstance(value, int):
            raise InputError(f"{where}: expected an integer, found {_found(value)}")
        return value
    if shape == STR:
        if not isinstance(value, str):
            raise InputError(f"{where}: expected a string, found {_found(value)}")
        return value
    if shape == BOOL:
        if not isinstance(value, bool):
            raise InputError(f"{where}: expected true or false, found {_found(value)}")
        return value
    if isinstance(shape, list):
        if not isinstance(value, list):
            raise InputError(f"{where}: expected an array, found {_found(value)}")
        return [check(v, shape[0], file, f"{ptr}/{i}") for i, v in enumerate(value)]
    if isinstance(shape, dict):
        if not isinstance(value, dict):
            raise InputError(f"{where}: expected an object, found {_found(value)}")
        out = {}
        for key, sub in shape.items():
            if key == "*":
                continue
            name = key.rstrip("?")
            if name in value:
                out[name] = check(value[name], sub, file, f"{ptr}/{name}")
            elif not key.endswith("?"):
                raise InputError(f"{where}: missing key \"{name}\"")
        if "*" in shape:
            for name, v in value.items():
                if name not in out and name + "?" not in shape:
                    out[name] = check(v, shape["*"], file, f"{ptr}/{name}")
        return out
    raise AssertionError(f"bad shape {shape!r}")


def read_json(path, what="file"):
    """Parse a JSON file; errors name the file (and line:column)."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except FileNotFoundError:
        raise InputError(f"{path}: no such {what}") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, expected a JSON {what}") from None
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"{path}: cannot read: {e}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(f"{path}:{e.lineno}:{e.colno}: invalid JSON: {e.msg}") from None


# ---------------------------------------------------------------------------
# summary.json
# ---------------------------------------------------------------------------

HIST = {k: NUM for k in HIST_KEYS}
MINMAX = {"min": NUM, "max": NUM, "total": NUM, "avg": NUM}
LOCK = {
    "class": STR, "instance?": STR, "instances?": INT,
    "acquisitions": NUM, "contentions": NUM, "contention_share?": NUM,
    "con_bounces?": NUM, "acq_bounces?": NUM,
    "waittime_ns": MINMAX, "holdtime_ns": MINMAX,
    "trylock_acquisitions?": NUM, "trylock_failures?": NUM,
    "line_transfers?": NUM, "transfer_time_ns?": NUM,
    "wait_histogram_log2_ns": [NUM],
}
DRAM_FIGURES = {
    "requests": NUM, "reads?": NUM, "writes?": NUM,
    "avg_read_latency_ns?": NUM, "avg_write_latency_ns?": NUM,
    "bandwidth_gbps": NUM, "row_hits": NUM, "row_misses": NUM,
    "row_conflicts": NUM, "row_hit_rate": NUM, "avg_queue_delay_ns?": NUM,
    "refreshes?": NUM,
}
SUMMARY = {
    "scenario": STR,
    "seed": INT,
    "simulated_ns": NUM,
    "operations": {"total": NUM, "allocs": NUM, "failures": NUM, "frees": NUM,
                   "skipped_frees?": NUM},
    "by_order": [{"order": INT, "allocs": NUM, "failures": NUM, "frees": NUM}],
    "by_class?": [{"class": STR, "gfp?": STR, "allocs": NUM, "failures": NUM,
                   "pages_allocated?": NUM}],
    "alloc_paths": {"*": NUM},
    "live_pages_at_end?": NUM,
    "zones": [{"node": INT, "zone": STR, "managed_pages": NUM, "free_pages": NUM,
               "nr_free": [NUM], "watermark_boost?": NUM,
               "nr_reserved_highatomic?": NUM}],
    "events?": {"*": NUM},
    "latency_ns?": {
        "alloc": HIST, "free": HIST,
        "alloc_by_order?": [dict(HIST, order=INT)],
        "free_by_order?": [dict(HIST, order=INT)],
        "alloc_by_path?": {"*": HIST},
        "by_cpu?": [dict(HIST, cpu=INT)],
        "by_node?": [dict(HIST, node=INT)],
    },
    "hardware?": {
        "cpus?": [{"cpu": INT, "node": INT, "busy_ns": NUM, "busy_share": NUM,
                   "work_ns?": NUM, "memory_stall_ns?": NUM, "spinning_ns": NUM,
                   "spinning_share": NUM, "touches?": NUM}],
        "locks?": {"classes": [LOCK], "instances?": [LOCK]},
        "dram?": [dict(DRAM_FIGURES, node=INT, **{"preset?": STR,
                                                 "channels?": [DRAM_FIGURES]})],
        "interconnect?": [{"from": INT, "to": INT, "transfers": NUM, "bytes": NUM,
                           "busy_share?": NUM, "avg_queue_delay_ns?": NUM,
                           "max_queue_delay_ns?": NUM}],
        "memory?": {"*": NUM},
    },
}
RUN_INFO = {"host_seconds?": NUM, "operations_per_host_second?": NUM,
            "simulated_seconds_per_host_second?": NUM, "buddysim_version?": STR,
            "finished_at?": STR}


# ---------------------------------------------------------------------------
# timeseries.csv
# ---------------------------------------------------------------------------

class Timeseries:
    """timeseries.csv, per zone: zones maps (node, zone) to a dict of numpy
    arrays: time_ns, free_pages, failures, nr_free / unusable / extfrag
    (samples x orders; NaN where a column is absent)."""

    def __init__(self, zones, orders):
        self.zones = zones
        self.orders = orders

    def __bool__(self):
        return bool(self.zones)


def _read_csv_header(path, f, required):
    reader = csv.reader(f)
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(f"{path}: the file is empty (expected a header line)") from None
    except csv.Error as e:
        raise InputError(f"{path}: line 1: {e}") from None
    missing = [c for c in required if c not in header]
    if missing:
        raise InputError(f"{path}: line 1: missing column{'s' if len(missing) > 1 else ''} "
                         f"{', '.join(missing)} (found: {','.join(header)[:200]})")
    return reader, header


def _number(path, lineno, column, text):
    try:
        return float(text)
    except ValueError:
        raise InputError(f"{path}: line {lineno}: column {column}: expected a number, "
                         f"found {text!r}") from None


def load_timeseries(path):
    import numpy as np
    try:
        f = open(path, newline="", encoding="utf-8")
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e.strerror}") from None
    with f:
        reader, header = _read_csv_header(path, f, ("time_ns", "node", "zone", "free_pages", "nr_free_0"))
        col = {name: i for i, name in enumerate(header)}
        orders = 0
        while f"nr_free_{orders}" in col:
            orders += 1
        per_zone = {}
        try:
            for row in reader:
                lineno = reader.line_num
                if not row:
                    continue
                if len(row) != len(header):
                    raise InputError(f"{path}: line {lineno}: {len(row)} fields, the header has {len(header)}")
                key = (int(_number(path, lineno, "node", row[col["node"]])), row[col["zone"]])
                z = per_zone.setdefault(key, {"time_ns": [], "free_pages": [], "failures": [],
                                              "nr_free": [], "unusable": [], "extfrag": []})
                z["time_ns"].append(_number(path, lineno, "time_ns", row[col["time_ns"]]))
                z["free_pages"].append(_number(path, lineno, "free_pages", row[col["free_pages"]]))
                z["failures"].append(_number(path, lineno, "failures", row[col["failures"]])
                                     if "failures" in col else math.nan)
                for name in ("nr_free", "unusable", "extfrag"):
                    values = []
                    for o in range(orders):
                        c = f"{name}_{o}"
                        values.append(_number(path, lineno, c, row[col[c]]) if c in col else math.nan)
                    z[name].append(values)
        except csv.Error as e:
            raise InputError(f"{path}: line {reader.line_num}: {e}") from None
    zones = {}
    for key, z in per_zone.items():
        order = np.argsort(np.array(z["time_ns"]), kind="stable")
        zones[key] = {k: np.array(v, dtype=float)[order] for k, v in z.items()}
    return Timeseries(zones, orders)


# ---------------------------------------------------------------------------
# ops.csv
# ---------------------------------------------------------------------------

def path_group(path):
    """The costliest path an allocation took ('' if none is known)."""
    names = path.split("+") if path else []
    for p in PATH_ORDER:
        if p in names:
            return p
    return names[0] if names else ""


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


def path_rank(p):
    return ALL_PATHS.index(p) if p in ALL_PATHS else len(ALL_PATHS)


def load_ops(path):
    import numpy as np
    from array import array
    try:
        f = open(path, newline="", encoding="utf-8")
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e.strerror}") from None
    with f:
        reader, header = _read_csv_header(path, f, ("time_ns", "op", "order", "result", "path", "latency_ns"))
        c_time, c_op, c_order, c_result, c_path, c_lat = (
            header.index(c) for c in ("time_ns", "op", "order", "result", "path", "latency_ns"))
        width = len(header)
        is_alloc, order, time_ns, latency, group, ok = (
            array("b"), array("i"), array("d"), array("d"), array("i"), array("b"))
        groups, group_of = [], {}
        try:
            for row in reader:
                if len(row) != width:
                    if not row:
                        continue
                    raise InputError(f"{path}: line {reader.line_num}: {len(row)} fields, "
                                     f"the header has {width}")
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
                    raise InputError(f"{path}: line {reader.line_num}: column op: expected alloc "
                                     f"or free, found {op!r}")
                try:
                    order.append(int(row[c_order]))
                except ValueError:
                    raise InputError(f"{path}: line {reader.line_num}: column order: expected an "
                                     f"integer, found {row[c_order]!r}") from None
                time_ns.append(_number(path, reader.line_num, "time_ns", row[c_time]))
                lat = row[c_lat]
                latency.append(_number(path, reader.line_num, "latency_ns", lat) if lat else math.nan)
                ok.append(1 if row[c_result] == "ok" else 0)
        except csv.Error as e:
            raise InputError(f"{path}: line {reader.line_num}: {e}") from None
    return Ops(is_alloc=np.array(is_alloc, dtype=np.int8).astype(bool),
               order=np.array(order, dtype=np.int32),
               time_ns=np.array(time_ns, dtype=float),
               latency_ns=np.array(latency, dtype=float),
               group=np.array(group, dtype=np.int32),
               ok=np.array(ok, dtype=np.int8).astype(bool),
               groups=groups)


# ---------------------------------------------------------------------------
# A results folder
# ---------------------------------------------------------------------------

class Run:
    """One results folder: summary (checked dict), run_info and config (dicts
    or None), and timeseries / ops loaded on first use (None if absent)."""

    def __init__(self, path, label=None):
        self.path = path
        self.label = label or os.path.basename(os.path.normpath(path)) or path
        if not os.path.exists(path):
            raise InputError(f"{path}: no such folder")
        if not os.path.isdir(path):
            raise InputError(f"{path}: not a folder (expected a buddysim results folder)")
        summary = os.path.join(path, "summary.json")
        if not os.path.isfile(summary):
            hint = ""
            if os.path.isfile(os.path.join(path, "sweep.csv")):
                hint = " (it is a sweep folder: plot.py draws it, compare.py needs results folders such as its runs/*)"
            elif os.path.isdir(os.path.join(path, "runs")):
                hint = " (it looks like a sweep folder without sweep.csv: run sweep.py SWEEP.json --gather-only)"
            raise InputError(f"{path}: not a buddysim results folder: summary.json is missing{hint}")
        self.summary = check(read_json(summary, "summary file"), SUMMARY, summary)
        info = os.path.join(path, "run-info.json")
        self.run_info = check(read_json(info), RUN_INFO, info) if os.path.isfile(info) else None
        config = os.path.join(path, "config.json")
        self.config = read_json(config) if os.path.isfile(config) else None
        self._timeseries = self._ops = False

    @property
    def functional(self):
        return "latency_ns" not in self.summary

    @property
    def latency(self):
        return self.summary.get("latency_ns")

    @property
    def hardware(self):
        return self.summary.get("hardware")

    @property
    def timeseries(self):
        if self._timeseries is False:
            p = os.path.join(self.path, "timeseries.csv")
            self._timeseries = load_timeseries(p) if os.path.isfile(p) else None
        return self._timeseries

    @property
    def ops(self):
        if self._ops is False:
            p = os.path.join(self.path, "ops.csv")
            self._ops = load_ops(p) if os.path.isfile(p) else None
        return self._ops

    def zone_lock(self):
        """The &zone->lock class figures, or None."""
        return lock_class(self.hardware, "&zone->lock")

    def cpu_count(self):
        """Total CPUs of the machine: from config.json, else the hardware or
        latency sections; None if unknown."""
        try:
            nodes = self.config["machine"]["nodes"]
            return sum(int(n.get("cpus", 1)) for n in nodes)
        except (TypeError, KeyError, ValueError, AttributeError):
            pass
        hw = self.hardware
        if hw and hw.get("cpus"):
            return len(hw["cpus"])
        return None

    def node_count(self):
        try:
            return len(self.config["machine"]["nodes"])
        except (TypeError, KeyError):
            return None


def lock_class(hardware, name):
    if not hardware or "locks" not in hardware:
        return None
    for c in hardware["locks"]["classes"]:
        if c["class"] == name:
            return c
    return None


# ---------------------------------------------------------------------------
# Headline metrics, flattened with dotted names (sweep.csv, compare.py)
# ---------------------------------------------------------------------------

def lock_prefix(name):
    special = {"&zone->lock": "zone_lock", "&pcp->lock": "pcp_lock"}
    if name in special:
        return special[name]
    return "".join(ch if ch.isalnum() else "_" for ch in name).strip("_") or "lock"


def flatten(run):
    """The headline figures of a run as an ordered {dotted name: number}."""
    s = run.summary
    m = {}
    m["simulated_s"] = s["simulated_ns"] / 1e9
    for k, v in s["operations"].items():
        m[f"operations.{k}"] = v
    paths = s["alloc_paths"]
    names = sorted(paths, key=path_rank)
    allocs = s["operations"]["allocs"]
    for p in names:
        m[f"alloc_paths.{p}"] = paths[p]
    for p in names:
        m[f"alloc_share.{p}"] = paths[p] / allocs if allocs else math.nan
    if "live_pages_at_end" in s:
        m["live_pages_at_end"] = s["live_pages_at_end"]
    m["free_pages"] = sum(z["free_pages"] for z in s["zones"])
    for z in s["zones"]:
        m[f"zones.node{z['node']}.{z['zone']}.free_pages"] = z["free_pages"]
    for k, v in s.get("events", {}).items():
        m[f"events.{k}"] = v
    lat = run.latency
    if lat:
        for op in ("alloc", "free"):
            for k in HIST_KEYS:
                m[f"latency_ns.{op}.{k}"] = lat[op][k]
        for p in sorted(lat.get("alloc_by_path", {}), key=path_rank):
            for k in HIST_KEYS:
                m[f"latency_ns.alloc_by_path.{p}.{k}"] = lat["alloc_by_path"][p][k]
        for key in ("alloc_by_order", "free_by_order"):
            for h in lat.get(key, []):
                for k in HIST_KEYS:
                    m[f"latency_ns.{key}.{h['order']}.{k}"] = h[k]
        for h in lat.get("by_node", []):
            for k in HIST_KEYS:
                m[f"latency_ns.by_node.{h['node']}.{k}"] = h[k]
    hw = run.hardware
    if hw:
        for c in hw.get("locks", {}).get("classes", []):
            pre = f"hardware.{lock_prefix(c['class'])}"
            for k in ("acquisitions", "contentions", "contention_share", "con_bounces",
                      "acq_bounces", "trylock_acquisitions", "trylock_failures",
                      "line_transfers", "transfer_time_ns"):
                if k in c:
                    m[f"{pre}.{k}"] = c[k]
            for what, src in (("wait", "waittime_ns"), ("hold", "holdtime_ns")):
                for k in ("total", "avg", "max", "min"):
                    m[f"{pre}.{what}_{k}_ns"] = c[src][k]
        cpus = hw.get("cpus", [])
        if cpus:
            for k in ("busy_share", "spinning_share"):
                vals = [c[k] for c in cpus]
                m[f"hardware.cpus.{k}_mean"] = sum(vals) / len(vals)
                m[f"hardware.cpus.{k}_max"] = max(vals)
            for k in ("busy_ns", "work_ns", "memory_stall_ns", "spinning_ns"):
                if all(k in c for c in cpus):
                    m[f"hardware.cpus.{k}_total"] = sum(c[k] for c in cpus)
        dram = hw.get("dram", [])
        if dram:
            req = sum(d["requests"] for d in dram)
            hits = sum(d["row_hits"] for d in dram)
            outcomes = sum(d["row_hits"] + d["row_misses"] + d["row_conflicts"] for d in dram)
            m["hardware.dram.requests"] = req
            m["hardware.dram.bandwidth_gbps"] = sum(d["bandwidth_gbps"] for d in dram)
            m["hardware.dram.row_hit_rate"] = hits / outcomes if outcomes else math.nan
            m["hardware.dram.row_hits"] = hits
            m["hardware.dram.row_misses"] = sum(d["row_misses"] for d in dram)
            m["hardware.dram.row_conflicts"] = sum(d["row_conflicts"] for d in dram)
            reads = [d.get("reads", d["requests"]) for d in dram]
            if sum(reads) and all("avg_read_latency_ns" in d for d in dram):
                m["hardware.dram.avg_read_latency_ns"] = (
                    sum(r * d["avg_read_latency_ns"] for r, d in zip(reads, dram)) / sum(reads))
            for d in dram:
                pre = f"hardware.dram.node{d['node']}"
                m[f"{pre}.bandwidth_gbps"] = d["bandwidth_gbps"]
                m[f"{pre}.row_hit_rate"] = d["row_hit_rate"]
        links = hw.get("interconnect", [])
        if links:
            m["hardware.interconnect.transfers"] = sum(l["transfers"] for l in links)
            m["hardware.interconnect.bytes"] = sum(l["bytes"] for l in links)
            if all("busy_share" in l for l in links):
                m["hardware.interconnect.busy_share_max"] = max(l["busy_share"] for l in links)
        for k, v in hw.get("memory", {}).items():
            m[f"hardware.memory.{k}"] = v
    cpus = run.cpu_count()
    if cpus is not None:
        m["machine.cpus"] = cpus
    nodes = run.node_count()
    if nodes is not None:
        m["machine.nodes"] = nodes
    if run.run_info:
        for k in ("host_seconds", "operations_per_host_second", "simulated_seconds_per_host_second"):
            if k in run.run_info:
                m[f"run.{k}"] = run.run_info[k]
    return m


# ---------------------------------------------------------------------------
# sweep.csv
# ---------------------------------------------------------------------------

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


def load_sweep_csv(path):
    try:
        f = open(path, newline="", encoding="utf-8")
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e.strerror}") from None
    with f:
        reader, header = _read_csv_header(path, f, ("run", "seed", "status"))
        i_run, i_seed = header.index("run"), header.index("seed")
        if i_run != 0 or i_seed < i_run:
            raise InputError(f"{path}: line 1: expected the columns run, <grid parameters>, seed, status, ...")
        params = header[i_run + 1:i_seed]
        rows = []
        try:
            for row in reader:
                if not row:
                    continue
                if len(row) != len(header):
                    raise InputError(f"{path}: line {reader.line_num}: {len(row)} fields, the header has {len(header)}")
                rows.append({c: (v if c in ("run", "status") else parse_cell(v)) for c, v in zip(header, row)})
        except csv.Error as e:
            raise InputError(f"{path}: line {reader.line_num}: {e}") from None
    return SweepTable(path, params, header, rows)
