"""The headline figures of a run, flattened to {dotted name: number}: the
columns of sweep.csv and the rows of compare.py's table (docs/sweeps.md
lists the names)."""

import math

from alloc_paths import path_rank
from summary_json import HIST_KEYS

LOCK_FIGURES = ("acquisitions", "contentions", "contention_share", "con_bounces",
                "acq_bounces", "trylock_acquisitions", "trylock_failures",
                "line_transfers", "transfer_time_ns")
RUN_INFO_FIGURES = ("host_seconds", "host_cpu_seconds", "operations_per_host_second",
                    "operations_per_host_cpu_second", "simulated_seconds_per_host_second")


def lock_prefix(name):
    special = {"&zone->lock": "zone_lock", "&pcp->lock": "pcp_lock"}
    if name in special:
        return special[name]
    return "".join(ch if ch.isalnum() else "_" for ch in name).strip("_") or "lock"


def flatten(run):
    """The headline figures of a run as an ordered {dotted name: number}."""
    m = {}
    _operations(m, run.summary)
    if run.latency:
        _latency(m, run.latency)
    hw = run.hardware
    if hw:
        _locks(m, hw.get("locks", {}).get("classes", []))
        _cpus(m, hw.get("cpus", []))
        _dram(m, hw.get("dram", []))
        _interconnect(m, hw.get("interconnect", []))
        for k, v in hw.get("memory", {}).items():
            m[f"hardware.memory.{k}"] = v
    cpus = run.cpu_count()
    if cpus is not None:
        m["machine.cpus"] = cpus
    nodes = run.node_count()
    if nodes is not None:
        m["machine.nodes"] = nodes
    if run.run_info:
        for k in RUN_INFO_FIGURES:
            if k in run.run_info:
                m[f"run.{k}"] = run.run_info[k]
    return m


def _operations(m, s):
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


def _hist(m, prefix, h):
    for k in HIST_KEYS:
        m[f"{prefix}.{k}"] = h[k]


def _latency(m, lat):
    for op in ("alloc", "free"):
        _hist(m, f"latency_ns.{op}", lat[op])
    for p in sorted(lat.get("alloc_by_path", {}), key=path_rank):
        _hist(m, f"latency_ns.alloc_by_path.{p}", lat["alloc_by_path"][p])
    for key in ("alloc_by_order", "free_by_order"):
        for h in lat.get(key, []):
            _hist(m, f"latency_ns.{key}.{h['order']}", h)
    for h in lat.get("by_node", []):
        _hist(m, f"latency_ns.by_node.{h['node']}", h)


def _locks(m, classes):
    for c in classes:
        pre = f"hardware.{lock_prefix(c['class'])}"
        for k in LOCK_FIGURES:
            if k in c:
                m[f"{pre}.{k}"] = c[k]
        for what, src in (("wait", "waittime_ns"), ("hold", "holdtime_ns")):
            for k in ("total", "avg", "max", "min"):
                m[f"{pre}.{what}_{k}_ns"] = c[src][k]


def _cpus(m, cpus):
    if not cpus:
        return
    for k in ("busy_share", "spinning_share"):
        vals = [c[k] for c in cpus]
        m[f"hardware.cpus.{k}_mean"] = sum(vals) / len(vals)
        m[f"hardware.cpus.{k}_max"] = max(vals)
    for k in ("busy_ns", "work_ns", "memory_stall_ns", "spinning_ns"):
        if all(k in c for c in cpus):
            m[f"hardware.cpus.{k}_total"] = sum(c[k] for c in cpus)


def _dram(m, dram):
    if not dram:
        return
    hits = sum(d["row_hits"] for d in dram)
    outcomes = sum(d["row_hits"] + d["row_misses"] + d["row_conflicts"] for d in dram)
    m["hardware.dram.requests"] = sum(d["requests"] for d in dram)
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


def _interconnect(m, links):
    if not links:
        return
    m["hardware.interconnect.transfers"] = sum(l["transfers"] for l in links)
    m["hardware.interconnect.bytes"] = sum(l["bytes"] for l in links)
    if all("busy_share" in l for l in links):
        m["hardware.interconnect.busy_share_max"] = max(l["busy_share"] for l in links)
