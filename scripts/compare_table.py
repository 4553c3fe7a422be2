"""The table of compare.py: headline figures of several runs, with the
absolute and relative change of each against the first run."""

import math

from headline_metrics import flatten

# (metric in headline_metrics.flatten, label, kind)
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


def missing(v):
    return v is None or (isinstance(v, float) and math.isnan(v))


def fmt(v, kind, delta=False):
    """A value (or with delta, a change) of a kind: ns, share, count or
    number."""
    if missing(v):
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
    """The change from a to b relative to a (inf from 0), or None."""
    if missing(a) or missing(b):
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
    """(header, rows of [label, cells...], the csv records) of the runs."""
    flat = [flatten(r) for r in runs]
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
    """The table as aligned text, a rule under the header."""
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows)]
    lines = []
    for i, r in enumerate([header] + rows):
        cells = [str(c).ljust(w) if j == 0 else str(c).rjust(w) for j, (c, w) in enumerate(zip(r, widths))]
        lines.append("  ".join(cells).rstrip())
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)
