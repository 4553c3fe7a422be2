"""Figures of buddysim results: one run (plot.py), several runs overlaid
(compare.py) and sweeps (sweep.py --plot, plot.py on a sweep folder).

Every figure is saved as PNG and SVG by a Writer, which also collects the
notes on figures that were skipped. matplotlib runs headless (Agg).
"""

import math
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib import colors as mcolors  # noqa: E402
from matplotlib import ticker  # noqa: E402

import buddyresults as br  # noqa: E402

plt.rcParams.update({
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.labelsize": 9,
    "legend.fontsize": 8,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "figure.titlesize": 12,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "grid.linewidth": 0.6,
    "svg.fonttype": "none",
    "savefig.dpi": 120,
    "figure.constrained_layout.use": True,
})

PATH_COLORS = {
    "pcp_hit": "#2ca02c", "pcp_refill": "#1f77b4", "buddy": "#17becf",
    "claim": "#ff7f0e", "steal": "#8c564b", "highatomic": "#e377c2",
    "fallback_zone": "#9467bd", "fallback_node": "#bcbd22", "slowpath": "#7f7f7f",
    "cma": "#000000", "failed": "#d62728",
}
PCT_KEYS = ("p50", "p90", "p99", "p99.9", "max")
PCT_STYLE = {"p50": ("o", "#9ecae1"), "p90": ("s", "#4292c6"), "p99": ("^", "#2171b5"),
             "p99.9": ("v", "#08519c"), "max": ("x", "#d62728"), "mean": ("_", "#333333")}
RUN_COLORS = plt.rcParams["axes.prop_cycle"].by_key()["color"]


def run_color(i):
    return RUN_COLORS[i % len(RUN_COLORS)]


def path_color(p):
    return PATH_COLORS.get(p, "#555555")


def order_colors(orders):
    """Colours for the orders present, spread over the whole colormap (low
    orders dark, high orders light) so that a few orders stay distinct."""
    cmap = plt.get_cmap("viridis")
    orders = sorted(orders)
    n = len(orders)
    return {o: cmap(0.85 * i / (n - 1) if n > 1 else 0.0) for i, o in enumerate(orders)}


# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------

class Writer:
    """Saves figures as NAME.png and NAME.svg in outdir; keeps the list of
    files written and of figures skipped (with the reason)."""

    def __init__(self, outdir, prefix=""):
        self.outdir = outdir
        self.prefix = prefix
        self.written = []
        self.skipped = []
        os.makedirs(outdir, exist_ok=True)

    def save(self, fig, name):
        refine_log_ticks(fig)
        # Lay the figure out once (constrained layout makes room for titles,
        # labels and legends outside the axes), then save both formats
        # with that layout.
        fig.draw_without_rendering()
        fig.set_layout_engine("none")
        for ext in ("png", "svg"):
            path = os.path.join(self.outdir, f"{self.prefix}{name}.{ext}")
            fig.savefig(path)
            self.written.append(path)
        plt.close(fig)

    def skip(self, name, why):
        self.skipped.append((f"{self.prefix}{name}", why))


# ---------------------------------------------------------------------------
# Formatting
# ---------------------------------------------------------------------------

def fmt_ns(v):
    """A duration in ns as a short label: 28 ns, 6.7 µs, 1.2 ms, 3 s."""
    if v == 0:
        return "0"
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if abs(v) >= scale:
            return f"{v / scale:.3g} {unit}"
    return f"{v:.3g} ns"


def refine_log_ticks(fig):
    """Log axes spanning less than about two decades get ticks at 1, 2, 5
    (or every integer) times a power of ten, so they never show a single
    label."""
    for ax in fig.axes:
        for axis, lim in ((ax.xaxis, ax.get_xlim), (ax.yaxis, ax.get_ylim)):
            if axis.get_scale() != "log":
                continue
            if not isinstance(axis.get_major_locator(), ticker.LogLocator):
                continue
            lo, hi = sorted(lim())
            if lo <= 0 or hi <= 0:
                continue
            decades = math.log10(hi / lo)
            if decades < 0.7:
                axis.set_major_locator(ticker.LogLocator(base=10, subs=tuple(range(1, 10)), numticks=20))
            elif decades < 2.6:
                axis.set_major_locator(ticker.LogLocator(base=10, subs=(1.0, 2.0, 5.0), numticks=20))


def fmt_count(v):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    a = abs(v)
    if a >= 1e9:
        return f"{v / 1e9:.3g}G"
    if a >= 1e6:
        return f"{v / 1e6:.3g}M"
    if a >= 1e4:
        return f"{v / 1e3:.3g}k"
    if float(v).is_integer():
        return f"{int(v)}"
    return f"{v:.3g}"


def ns_log_axis(ax, axis="x"):
    """Log scale with duration labels (ns, µs, ms, s) at decades."""
    a = ax.xaxis if axis == "x" else ax.yaxis
    (ax.set_xscale if axis == "x" else ax.set_yscale)("log")
    a.set_major_locator(ticker.LogLocator(base=10, numticks=12))
    a.set_major_formatter(ticker.FuncFormatter(lambda v, _: fmt_ns(v)))
    a.set_minor_formatter(ticker.NullFormatter())


def count_log_axis(ax, axis="y"):
    a = ax.yaxis if axis == "y" else ax.xaxis
    (ax.set_yscale if axis == "y" else ax.set_xscale)("log")
    a.set_major_formatter(ticker.FuncFormatter(lambda v, _: fmt_count(v)))
    a.set_minor_formatter(ticker.NullFormatter())


def mem_unit(max_pages):
    """(pages per unit, unit) for an axis of 4 KiB pages reaching max_pages."""
    if max_pages * 4096 >= 2 * 2**30:
        return 2**30 / 4096, "GiB"
    return 2**20 / 4096, "MiB"


def time_unit(max_ns):
    """(divisor, unit) for a simulated-time axis reaching max_ns."""
    if max_ns >= 2e9:
        return 1e9, "s"
    if max_ns >= 2e6:
        return 1e6, "ms"
    if max_ns >= 2e3:
        return 1e3, "µs"
    return 1.0, "ns"


def run_title(run):
    s = run.summary
    mode = "functional" if run.functional else "timed"
    return (f"{s['scenario']} · seed {s['seed']} · {s['simulated_ns'] / 1e9:.4g} s simulated · "
            f"{mode} · {run.path}")


def suptitle(fig, title, subtitle):
    fig.suptitle(f"{title}\n{subtitle}", fontsize=11)


def zone_name(key):
    node, zone = key
    return f"node {node} {zone}"


def clip_latency(v):
    """Latencies for a log axis: a 0 ns sample is drawn at 1 ns."""
    return np.maximum(v, 1.0)


def cdf_points(values):
    """(x, cdf, tail) for a sample: cdf = P(X <= x), tail = P(X >= x); at
    most about 3000 points (every point for small samples, dense in the
    tail for large ones)."""
    v = np.sort(clip_latency(np.asarray(values, dtype=float)))
    n = v.size
    if n > 3000:
        idx = np.concatenate([np.linspace(0, n - 1, 2000),
                              n - np.logspace(0, math.log10(n), 1000)])
        idx = np.unique(np.clip(np.round(idx).astype(np.int64), 0, n - 1))
    else:
        idx = np.arange(n)
    # For ties, P(X <= x) is the last index of the value and P(X >= x) the first.
    last = np.searchsorted(v, v[idx], side="right")
    first = np.searchsorted(v, v[idx], side="left")
    return v[idx], last / n, (n - first) / n


def summary_cdf_points(h):
    """The percentile points of a summary histogram as (x, cdf, tail)."""
    xs, cdf, tail = [], [], []
    for k, p in br.PERCENTILES:
        xs.append(h[k])
        cdf.append(p)
        tail.append(1 - p)
    xs.append(h["max"])
    cdf.append(1.0)
    tail.append(1.0 / h["count"] if h["count"] else 1.0)
    return clip_latency(np.array(xs, dtype=float)), np.array(cdf), np.array(tail)


def log_bins(arrays, per_decade=10):
    lo = min(float(np.min(a)) for a in arrays if a.size)
    hi = max(float(np.max(a)) for a in arrays if a.size)
    lo = math.floor(math.log10(max(lo, 1.0)))
    hi = math.ceil(math.log10(max(hi, 1.0)) + 1e-9)
    if hi <= lo:
        hi = lo + 1
    return np.logspace(lo, hi, (hi - lo) * per_decade + 1)


def no_data(ax, text):
    ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center",
            fontsize=9, color="#666666", wrap=True)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)


def legend_outside(ax, **kw):
    return ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0, **kw)


# ---------------------------------------------------------------------------
# One run
# ---------------------------------------------------------------------------

def plot_run(run, w, orders=None):
    """Every figure for one results folder."""
    fig_alloc_paths(run, w)
    fig_ops_by_order(run, w)
    if run.functional:
        for name in ("latency_cdf_by_path", "latency_hist_by_path", "latency_cdf_by_order",
                     "latency_hist_by_order", "latency_percentiles", "latency_timeline",
                     "lock_times", "lock_wait_histogram", "dram", "cpus", "interconnect"):
            w.skip(name, "no latency_ns or hardware in summary.json (a functional run, --functional)")
    else:
        ops = run.ops
        if ops is not None and not ops.has_latency:
            ops = None
        fig_latency_by_path(run, ops, w)
        fig_latency_by_order(run, ops, w)
        fig_latency_percentiles(run, w)
        if ops is not None:
            fig_latency_timeline(run, ops, w)
        else:
            w.skip("latency_timeline", "needs ops.csv (run with --set record.ops=true)")
        hw = run.hardware
        if hw and hw.get("locks"):
            fig_lock_times(run, w)
            fig_lock_wait_histogram(run, w)
        else:
            w.skip("lock_times", "no hardware.locks in summary.json")
            w.skip("lock_wait_histogram", "no hardware.locks in summary.json")
        if hw and hw.get("dram"):
            fig_dram(run, w)
        else:
            w.skip("dram", "no hardware.dram in summary.json")
        if hw and hw.get("cpus"):
            fig_cpus(run, w)
        else:
            w.skip("cpus", "no hardware.cpus in summary.json")
        links = (hw or {}).get("interconnect", [])
        if links and any(l["transfers"] for l in links):
            fig_interconnect(run, w)
        else:
            w.skip("interconnect", "no interconnect transfers in this run"
                   if links else "single node: no interconnect")
    ts = run.timeseries
    if ts:
        fig_buddyinfo_heatmap(run, ts, w)
        fig_fragmentation(run, ts, w, orders)
        fig_free_pages(run, ts, w)
    else:
        why = "timeseries.csv is missing or empty"
        for name in ("buddyinfo_heatmap", "fragmentation_index", "free_pages"):
            w.skip(name, why)


def fig_alloc_paths(run, w):
    s = run.summary
    paths = s["alloc_paths"]
    names = sorted(paths, key=br.path_rank)
    allocs = s["operations"]["allocs"]
    fig, ax = plt.subplots(figsize=(8, 0.32 * len(names) + 1.6))
    y = np.arange(len(names))
    vals = np.array([paths[p] for p in names], dtype=float)
    ax.barh(y, np.where(vals > 0, vals, np.nan), color=[path_color(p) for p in names])
    ax.set_yticks(y, names)
    ax.set_ylim(len(names) - 0.5, -0.5)
    count_log_axis(ax, "x")
    top = max(vals.max(), 1)
    ax.set_xlim(0.8, top * 30)
    for yi, v in zip(y, vals):
        share = f" ({100 * v / allocs:.3g}% of allocations)" if allocs and v else ""
        ax.text(max(v, 1) * 1.15, yi, f"{int(v):,}{share}", va="center", fontsize=8)
    ax.set_xlabel("allocations that took the path (log scale)")
    ax.grid(axis="y", visible=False)
    suptitle(fig, f"Allocation paths ({int(allocs):,} allocations; one allocation may take several paths)",
             run_title(run))
    w.save(fig, "alloc_paths")


def fig_ops_by_order(run, w):
    s = run.summary
    rows = sorted(s["by_order"], key=lambda r: r["order"])
    fig, ax = plt.subplots(figsize=(max(6, 0.7 * len(rows) + 3), 3.8))
    if not rows:
        no_data(ax, "no operations")
    else:
        x = np.arange(len(rows))
        width = 0.27
        for i, (key, color) in enumerate((("allocs", "#1f77b4"), ("frees", "#2ca02c"),
                                          ("failures", "#d62728"))):
            vals = np.array([r[key] for r in rows], dtype=float)
            bars = ax.bar(x + (i - 1) * width, np.where(vals > 0, vals, np.nan), width,
                          label=key if vals.any() else f"{key} (none)", color=color)
            for b, v in zip(bars, vals):
                if v > 0:
                    ax.text(b.get_x() + b.get_width() / 2, v * 1.1, fmt_count(v), ha="center",
                            va="bottom", fontsize=7)
        ax.set_xticks(x, [str(r["order"]) for r in rows])
        count_log_axis(ax, "y")
        top = max(max(r["allocs"], r["frees"], r["failures"]) for r in rows)
        ax.set_ylim(0.8, max(top, 1) * 4)
        ax.legend(loc="upper right")
    ax.set_xlabel("order (block of 2^order pages)")
    ax.set_ylabel("operations (log scale)")
    suptitle(fig, "Operations per order", run_title(run))
    w.save(fig, "ops_by_order")


def _latency_groups_from_summary(h_by_key):
    return {k: summary_cdf_points(h) for k, h in h_by_key.items() if h["count"]}


def _draw_cdf_pair(ax_cdf, ax_tail, label, pts, color, from_ops, lw=1.4, ls="-"):
    x, cdf, tail = pts
    if from_ops:
        ax_cdf.plot(x, cdf, color=color, label=label, lw=lw, ls=ls, drawstyle="steps-post")
        ax_tail.plot(x, tail, color=color, label=label, lw=lw, ls=ls, drawstyle="steps-pre")
    else:
        ax_cdf.plot(x, cdf, color=color, label=label, lw=1, ls="--", marker="o", ms=4)
        ax_tail.plot(x, tail, color=color, label=label, lw=1, ls="--", marker="o", ms=4)


def _style_cdf_axes(ax_cdf, ax_tail, what):
    ns_log_axis(ax_cdf)
    ns_log_axis(ax_tail)
    ax_cdf.set_ylim(0, 1.02)
    ax_cdf.set_ylabel(f"share of {what} ≤ latency")
    ax_tail.set_yscale("log")
    ax_tail.set_ylabel(f"share of {what} ≥ latency (log)")
    ax_tail.yaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: f"{100 * v:.3g}%"))
    for ax in (ax_cdf, ax_tail):
        ax.set_xlabel("latency (log scale)")
    ax_cdf.set_title("CDF")
    ax_tail.set_title("tail: 1 − CDF")


SOURCE_OPS = "distributions from ops.csv"
SOURCE_SUMMARY = ("percentile points (p50, p90, p99, p99.9, max) from summary.json; "
                  "run with --set record.ops=true for full distributions")


def fig_latency_by_path(run, ops, w):
    lat = run.latency
    if ops is not None:
        groups = {p: cdf_points(v) for p, v in ops.alloc_latency_by_group().items()}
        counts = {p: v.size for p, v in ops.alloc_latency_by_group().items()}
    else:
        by_path = lat.get("alloc_by_path", {})
        groups = _latency_groups_from_summary(by_path)
        counts = {p: by_path[p]["count"] for p in groups}
    groups = {p: groups[p] for p in sorted(groups, key=br.path_rank)}
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(12, 4.4))
    for p, pts in groups.items():
        _draw_cdf_pair(a1, a2, f"{p} (n={counts[p]:,})", pts, path_color(p), ops is not None)
    _style_cdf_axes(a1, a2, "allocations")
    if groups:
        legend_outside(a2, title="costliest path taken")
    suptitle(fig, "Allocation latency per path (each allocation under the costliest path it took)",
             f"{run_title(run)}\n{SOURCE_OPS if ops is not None else SOURCE_SUMMARY}")
    w.save(fig, "latency_cdf_by_path")

    if ops is None:
        w.skip("latency_hist_by_path", "needs ops.csv (run with --set record.ops=true)")
        return
    data = ops.alloc_latency_by_group()
    fig, ax = plt.subplots(figsize=(10, 4.4))
    arrays = [clip_latency(v) for v in data.values()]
    bins = log_bins(arrays)
    for p in sorted(data, key=br.path_rank):
        v = clip_latency(data[p])
        ax.hist(v, bins=bins, histtype="step", lw=1.5, color=path_color(p),
                label=f"{p} (n={v.size:,})")
    ns_log_axis(ax)
    count_log_axis(ax, "y")
    ax.set_xlabel("latency (log scale; 10 bins per decade)")
    ax.set_ylabel("allocations per bin (log scale)")
    legend_outside(ax, title="costliest path taken")
    suptitle(fig, "Allocation latency histogram per path", f"{run_title(run)}\n{SOURCE_OPS}")
    w.save(fig, "latency_hist_by_path")


def fig_latency_by_order(run, ops, w):
    lat = run.latency
    fig, axes = plt.subplots(2, 2, figsize=(12, 7.5))
    for row, (alloc, key, what) in enumerate(((True, "alloc_by_order", "allocations"),
                                              (False, "free_by_order", "frees"))):
        a1, a2 = axes[row]
        if ops is not None:
            data = ops.latency_by_order(alloc)
            pts = {o: cdf_points(v) for o, v in data.items()}
            counts = {o: v.size for o, v in data.items()}
        else:
            hs = {h["order"]: h for h in lat.get(key, [])}
            pts = _latency_groups_from_summary(hs)
            counts = {o: hs[o]["count"] for o in pts}
        colors = order_colors(list(pts))
        for o in sorted(pts):
            _draw_cdf_pair(a1, a2, f"order {o} (n={counts[o]:,})", pts[o], colors[o], ops is not None)
        _style_cdf_axes(a1, a2, what)
        a1.set_title(f"{what}: CDF")
        a2.set_title(f"{what}: tail (1 − CDF)")
        if pts:
            legend_outside(a2)
        else:
            no_data(a1, f"no {what}")
            no_data(a2, f"no {what}")
    suptitle(fig, "Latency per order", f"{run_title(run)}\n{SOURCE_OPS if ops is not None else SOURCE_SUMMARY}")
    w.save(fig, "latency_cdf_by_order")

    if ops is None:
        w.skip("latency_hist_by_order", "needs ops.csv (run with --set record.ops=true)")
        return
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.2), sharey=True)
    for ax, alloc, what in ((axes[0], True, "allocations"), (axes[1], False, "frees")):
        data = ops.latency_by_order(alloc)
        if not data:
            no_data(ax, f"no {what}")
            continue
        bins = log_bins([clip_latency(v) for v in data.values()])
        colors = order_colors(list(data))
        for o in sorted(data):
            ax.hist(clip_latency(data[o]), bins=bins, histtype="step", lw=1.5, color=colors[o],
                    label=f"order {o} (n={data[o].size:,})")
        ns_log_axis(ax)
        count_log_axis(ax, "y")
        ax.set_xlabel("latency (log scale; 10 bins per decade)")
        ax.set_ylabel("operations per bin (log scale)")
        ax.yaxis.set_tick_params(labelleft=True)
        ax.set_title(what)
        ax.legend(loc="upper right")
    suptitle(fig, "Latency histogram per order", f"{run_title(run)}\n{SOURCE_OPS}")
    w.save(fig, "latency_hist_by_order")


def _percentile_panel(ax, labels, hists, title, xlabel, connect=False, max_labels=24):
    if not hists:
        no_data(ax, "no operations")
        ax.set_title(title)
        return
    x = np.arange(len(labels))
    # Markers side by side, so equal percentiles (p50 = p90) stay visible.
    spread = 0.3 if len(labels) <= 12 else 0.0
    offsets = {k: spread * (i / (len(PCT_KEYS) - 1) - 0.5) for i, k in enumerate(PCT_KEYS)}
    offsets["mean"] = 0.0
    for k in PCT_KEYS + ("mean",):
        marker, color = PCT_STYLE[k]
        y = np.array([h[k] for h in hists], dtype=float)
        ax.plot(x + offsets[k], clip_latency(y), marker=marker, color=color, ls="-" if connect else "none",
                lw=0.8, ms=5 if k != "mean" else 14, mew=1.5 if k in ("max", "mean") else 1, label=k)
    step = max(1, math.ceil(len(labels) / max_labels))
    ax.set_xticks(x[::step], [labels[i] for i in range(0, len(labels), step)])
    ax.set_xlim(-0.6, len(labels) - 0.4)
    ns_log_axis(ax, "y")
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("latency (log scale)")


def fig_latency_percentiles(run, w):
    lat = run.latency
    fig, axes = plt.subplots(3, 2, figsize=(12, 11))
    ax = axes[0, 0]
    hists = [lat["alloc"], lat["free"]]
    _percentile_panel(ax, [f"alloc\nn={lat['alloc']['count']:,}", f"free\nn={lat['free']['count']:,}"],
                      hists, "all operations", "")
    by_path = lat.get("alloc_by_path", {})
    names = [p for p in sorted(by_path, key=br.path_rank) if by_path[p]["count"]]
    _percentile_panel(axes[0, 1], [f"{p}\nn={fmt_count(by_path[p]['count'])}" for p in names],
                      [by_path[p] for p in names], "allocations by costliest path", "")
    axes[0, 1].tick_params(axis="x", labelsize=7)
    for ax, key, what in ((axes[1, 0], "alloc_by_order", "allocations"),
                          (axes[1, 1], "free_by_order", "frees")):
        hs = sorted((h for h in lat.get(key, []) if h["count"]), key=lambda h: h["order"])
        _percentile_panel(ax, [str(h["order"]) for h in hs], hs, f"{what} by order", "order",
                          connect=True)
    hs = sorted((h for h in lat.get("by_cpu", []) if h["count"]), key=lambda h: h["cpu"])
    _percentile_panel(axes[2, 0], [str(h["cpu"]) for h in hs], hs,
                      "operations by CPU (allocations and frees)", "CPU", connect=True, max_labels=16)
    hs = sorted((h for h in lat.get("by_node", []) if h["count"]), key=lambda h: h["node"])
    _percentile_panel(axes[2, 1], [f"node {h['node']}\nn={fmt_count(h['count'])}" for h in hs], hs,
                      "operations by node of the page", "")
    legend_outside(axes[0, 1], title="statistic")
    suptitle(fig, "Latency percentiles (summary.json latency_ns)", run_title(run))
    w.save(fig, "latency_percentiles")


def fig_latency_timeline(run, ops, w):
    sel = ops.is_alloc & np.isfinite(ops.latency_ns)
    t, v = ops.time_ns[sel], clip_latency(ops.latency_ns[sel])
    fig, (a1, a2) = plt.subplots(2, 1, figsize=(11, 6.5), sharex=True,
                                 gridspec_kw={"height_ratios": [2, 1]})
    if t.size == 0:
        no_data(a1, "no allocations")
    else:
        end = max(float(t.max()), run.summary["simulated_ns"], 1.0)
        scale, unit = time_unit(end)
        nbins = int(min(200, max(10, t.size // 2000)))
        edges = np.linspace(0, end, nbins + 1)
        idx = np.clip(np.searchsorted(edges, t, side="right") - 1, 0, nbins - 1)
        order = np.argsort(idx, kind="stable")
        idx_sorted, v_sorted = idx[order], v[order]
        bounds = np.searchsorted(idx_sorted, np.arange(nbins + 1))
        stats = {k: np.full(nbins, np.nan) for k in ("p50", "p99", "max")}
        count = np.zeros(nbins)
        for b in range(nbins):
            chunk = v_sorted[bounds[b]:bounds[b + 1]]
            count[b] = chunk.size
            if chunk.size:
                stats["p50"][b], stats["p99"][b] = np.percentile(chunk, [50, 99])
                stats["max"][b] = chunk.max()
        mid = (edges[:-1] + edges[1:]) / 2 / scale
        for k in ("max", "p99", "p50"):
            marker, color = PCT_STYLE[k]
            a1.plot(mid, stats[k], color=color, lw=1.2, label=k, marker="." if nbins <= 40 else None)
        ns_log_axis(a1, "y")
        a1.set_ylabel("allocation latency (log scale)")
        a1.legend(loc="upper right", ncol=3)
        width_ns = end / nbins
        a2.bar(mid, count / (width_ns / 1e6), width=(edges[1] - edges[0]) / scale, color="#1f77b4")
        a2.set_ylabel("allocations per ms\n(simulated)")
        a2.set_xlabel(f"simulated time ({unit}); {nbins} bins of {fmt_ns(width_ns)}")
        a2.yaxis.set_major_formatter(ticker.FuncFormatter(lambda x, _: fmt_count(x)))
        a1.set_xlim(0, end / scale)
    suptitle(fig, "Allocation latency over time (per time bin)", f"{run_title(run)}\n{SOURCE_OPS}")
    w.save(fig, "latency_timeline")


def _lock_rows(hw, limit=12):
    """(label, lock) rows: every class, then its busiest instances."""
    locks = hw["locks"]
    rows = []
    for c in locks["classes"]:
        inst = c.get("instances")
        rows.append((f"{c['class']}" + (f" (all {inst})" if inst else ""), c, True))
        members = [i for i in locks.get("instances", []) if i["class"] == c["class"]]
        members.sort(key=lambda i: (i["waittime_ns"]["total"], i["acquisitions"]), reverse=True)
        for i in members[:limit]:
            rows.append((f"  {i.get('instance', '?')}", i, False))
        if len(members) > limit:
            rows.append((f"  (+{len(members) - limit} more instances)", None, False))
    return rows


def fig_lock_times(run, w):
    hw = run.hardware
    rows = _lock_rows(hw)
    n = len(rows)
    fig, axes = plt.subplots(1, 3, figsize=(15, 0.42 * n + 2.2), sharey=True,
                             gridspec_kw={"width_ratios": [1, 1, 1]})
    y = np.arange(n)
    labels = []
    for label, lock, is_class in rows:
        if lock is None:
            labels.append(label)
            continue
        acq, con = lock["acquisitions"], lock["contentions"]
        share = f" ({100 * con / acq:.2g}%)" if acq else ""
        labels.append(f"{label}\n{fmt_count(acq)} acq · {fmt_count(con)} contended{share}")
    for ax, key, title in ((axes[0], "waittime_ns", "wait per contended acquisition"),
                           (axes[1], "holdtime_ns", "hold time per acquisition")):
        for yi, (label, lock, is_class) in zip(y, rows):
            if lock is None:
                continue
            t = lock[key]
            color = "#d62728" if key == "waittime_ns" else "#1f77b4"
            if t["max"] <= 0:
                ax.text(1.2, yi, "none", va="center", fontsize=7, color="#666666")
                continue
            lo = max(t["min"], 1.0)
            ax.plot([lo, t["max"]], [yi, yi], color=color, lw=4 if is_class else 2.5,
                    alpha=0.35, solid_capstyle="butt")
            ax.plot([lo], [yi], "|", color=color, ms=10)
            ax.plot([t["max"]], [yi], "|", color=color, ms=10)
            ax.plot([max(t["avg"], 1.0)], [yi], "o", color=color, ms=6 if is_class else 4.5)
        ns_log_axis(ax)
        ax.set_xlim(left=1)
        ax.set_title(f"{title}\n(bar: min to max, dot: average)")
        ax.set_xlabel("time (log scale)")
    ax = axes[2]
    h = 0.38
    for yi, (label, lock, is_class) in zip(y, rows):
        if lock is None:
            continue
        for off, key, color, lab in ((-h / 2, "waittime_ns", "#d62728", "total wait"),
                                     (h / 2, "holdtime_ns", "#1f77b4", "total hold")):
            v = lock[key]["total"]
            if v > 0:
                ax.barh(yi + off, v, h, color=color, label=lab if yi == 0 else None)
                ax.text(v * 1.15, yi + off, fmt_ns(v), va="center", fontsize=7)
    ns_log_axis(ax)
    ax.set_xlim(left=1)
    xmax = max([lock[k]["total"] for _, lock, _ in rows if lock for k in ("waittime_ns", "holdtime_ns")]
               + [10])
    ax.set_xlim(1, xmax * 20)
    ax.set_title("total wait and hold time\n(summed over all CPUs)")
    ax.set_xlabel("time (log scale)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12 * 5 / (0.42 * n + 2.2)), ncol=2)
    axes[0].set_yticks(y, labels)
    axes[0].invert_yaxis()
    for ax in axes:
        ax.grid(axis="y", visible=False)
    axes[0].tick_params(axis="y", labelsize=7.5)
    suptitle(fig, "Lock wait and hold times (summary.json hardware.locks; classes and their busiest instances)",
             run_title(run))
    w.save(fig, "lock_times")


def _draw_wait_hist(ax, hist, color, label, filled=False, lw=1.5):
    hist = list(hist)
    if len(hist) < 2:
        return False
    counts = np.array(hist[1:], dtype=float)
    edges = np.array([2.0 ** (b - 1) for b in range(1, len(hist))] + [2.0 ** (len(hist) - 1)])
    zero = hist[0]
    if zero:
        label += f"; {int(zero)} waits of 0 ns not drawn"
    if filled:
        ax.stairs(counts, edges, fill=True, color=color, alpha=0.25, label=label)
        ax.stairs(counts, edges, color=color, lw=lw)
    else:
        ax.stairs(counts, edges, color=color, lw=lw, label=label)
    return True


def wait_hist_limits(ax, hists):
    """x limits around the non-empty buckets; a log y axis when the
    histograms differ by more than 20x in size."""
    nonzero = [b for h in hists for b, c in enumerate(h) if b >= 1 and c > 0]
    if nonzero:
        ax.set_xlim(2.0 ** (min(nonzero) - 1) / 1.5, 2.0 ** max(nonzero) * 1.5)
    totals = [sum(h[1:]) for h in hists if sum(h[1:]) > 0]
    if totals and max(totals) > 20 * min(totals):
        ax.set_yscale("log")
        ax.set_ylim(bottom=0.7)
        ax.yaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: fmt_count(v)))
        ax.yaxis.set_minor_formatter(ticker.NullFormatter())
    else:
        ax.set_ylim(bottom=0)
        ax.yaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: fmt_count(v)))


def fig_lock_wait_histogram(run, w):
    locks = run.hardware["locks"]
    classes = [c for c in locks["classes"] if sum(c["wait_histogram_log2_ns"]) > 0]
    if not classes:
        w.skip("lock_wait_histogram", "no lock ever waited in this run")
        return
    fig, axes = plt.subplots(len(classes), 1, figsize=(11, 3.6 * len(classes)), squeeze=False)
    for ax, c in zip(axes[:, 0], classes):
        hist = c["wait_histogram_log2_ns"]
        _draw_wait_hist(ax, hist, "#555555",
                        f"{c['class']}: all instances ({int(sum(hist)):,} waits)", filled=True)
        members = [i for i in locks.get("instances", [])
                   if i["class"] == c["class"] and sum(i["wait_histogram_log2_ns"]) > 0]
        members.sort(key=lambda i: sum(i["wait_histogram_log2_ns"]), reverse=True)
        for k, i in enumerate(members[:8]):
            _draw_wait_hist(ax, i["wait_histogram_log2_ns"], run_color(k),
                            f"{i.get('instance', '?')} ({int(sum(i['wait_histogram_log2_ns'])):,} waits)")
        ns_log_axis(ax)
        wait_hist_limits(ax, [hist] + [i["wait_histogram_log2_ns"] for i in members[:8]])
        ax.set_xlabel("wait time (log scale; buckets [2^(b−1), 2^b) ns)")
        ax.set_ylabel("contended acquisitions\nper bucket" + (" (log)" if ax.get_yscale() == "log" else ""))
        ax.set_title(f"{c['class']}: {int(c['contentions']):,} contended of {int(c['acquisitions']):,} "
                     f"acquisitions, average wait {fmt_ns(c['waittime_ns']['avg'])}")
        legend_outside(ax)
    suptitle(fig, "Lock wait-time distribution (wait_histogram_log2_ns)", run_title(run))
    w.save(fig, "lock_wait_histogram")


def _time_edges(t):
    """Cell edges around sample times (midpoints between samples)."""
    if t.size == 1:
        half = max(t[0] * 0.05, 1.0)
        return np.array([t[0] - half, t[0] + half])
    mids = (t[:-1] + t[1:]) / 2
    first = max(t[0] - (mids[0] - t[0]), 0.0)
    last = t[-1] + (t[-1] - mids[-1])
    return np.concatenate([[first], mids, [last]])


def fig_buddyinfo_heatmap(run, ts, w):
    keys = sorted(ts.zones)
    n = len(keys)
    end = max(float(ts.zones[k]["time_ns"].max()) for k in keys)
    scale, unit = time_unit(end)
    fig, axes = plt.subplots(n, 1, figsize=(11, 2.6 * n + 1.0), squeeze=False)
    cmap = plt.get_cmap("viridis").copy()
    cmap.set_bad("#e8e8e8")
    for ax, key in zip(axes[:, 0], keys):
        z = ts.zones[key]
        t = z["time_ns"]
        data = z["nr_free"].T  # orders x samples
        masked = np.ma.masked_less_equal(data, 0)
        vmax = max(float(np.nanmax(data)) if data.size else 1, 1)
        norm = mcolors.LogNorm(vmin=1, vmax=max(vmax, 10))
        edges = _time_edges(t) / scale
        mesh = ax.pcolormesh(edges, np.arange(ts.orders + 1) - 0.5, masked, cmap=cmap, norm=norm,
                             shading="flat", rasterized=data.size > 2000)  # keep big SVGs small
        cb = fig.colorbar(mesh, ax=ax, pad=0.01)
        cb.set_label("free blocks (log;\ngrey = none)")
        cb.ax.yaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: fmt_count(v)))
        cb.ax.yaxis.set_minor_formatter(ticker.NullFormatter())
        ax.set_yticks(range(ts.orders))
        ax.set_ylabel("order")
        ax.set_title(f"{zone_name(key)}: free blocks per order (buddyinfo)")
        ax.grid(False)
        if t.size <= 12:
            span = edges[-1] - edges[0]
            for j in range(t.size):
                if (edges[j + 1] - edges[j]) < 0.04 * span:
                    continue  # too narrow for a label
                cx = (edges[j] + edges[j + 1]) / 2
                for o in range(ts.orders):
                    v = data[o, j]
                    if np.isfinite(v):
                        bright = v > 0 and norm(v) > 0.6
                        ax.text(cx, o, fmt_count(v), ha="center", va="center", fontsize=6.5,
                                color="black" if bright else ("white" if v > 0 else "#999999"))
        ax.set_xlabel(f"simulated time ({unit})")
        if t.size == 1:
            ax.set_xticks([t[0] / scale])
    suptitle(fig, "Buddyinfo over time (timeseries.csv nr_free_*)", run_title(run) + one_sample_note(ts))
    w.save(fig, "buddyinfo_heatmap")


def one_sample_note(ts):
    if max(z["time_ns"].size for z in ts.zones.values()) > 1:
        return ""
    return ("\none sample, at the end of the run: set record.interval (e.g. --set record.interval=10ms) "
            "for a time series")


def fig_fragmentation(run, ts, w, orders=None):
    if not one_sample_note(ts):
        return fig_fragmentation_over_time(run, ts, w, orders)
    keys = sorted(ts.zones)
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.2))
    x = np.arange(ts.orders)
    for i, key in enumerate(keys):
        z = ts.zones[key]
        for ax, name in ((axes[0], "unusable"), (axes[1], "extfrag")):
            y = z[name][-1].copy()
            if name == "extfrag":
                y[y < 0] = np.nan
            ax.plot(x, y, marker="o", ms=4, lw=1.3, color=run_color(i), label=zone_name(key))
    for ax, title in ((axes[0], "unusable free space index"), (axes[1], "external fragmentation index")):
        ax.set_xticks(x)
        ax.set_xlabel("order")
        ax.set_ylabel("index (0 to 1)")
        ax.set_ylim(-0.03, 1.03)
        ax.set_title(f"{title} at the end of the run")
    legend_outside(axes[1])
    suptitle(fig, "Fragmentation indices per order (debugfs unusable_index, extfrag_index)",
             f"{run_title(run)}\nextfrag −1 (a free block of that order or larger exists) is not drawn" + one_sample_note(ts))
    w.save(fig, "fragmentation_index")


def fig_fragmentation_over_time(run, ts, w, orders=None):
    keys = sorted(ts.zones)
    n = len(keys)
    sel = [o for o in (orders if orders is not None else range(ts.orders)) if o < ts.orders]
    end = max(float(ts.zones[k]["time_ns"].max()) for k in keys)
    scale, unit = time_unit(end)
    fig, axes = plt.subplots(n, 2, figsize=(12, 2.5 * n + 1.2), squeeze=False, sharex=True)
    cmap = plt.get_cmap("viridis")
    norm = mcolors.BoundaryNorm(np.arange(-0.5, ts.orders + 0.5), cmap.N)
    for row, key in enumerate(keys):
        z = ts.zones[key]
        t = z["time_ns"] / scale
        few = t.size <= 30
        for col, (name, title) in enumerate((("unusable", "unusable free space index"),
                                             ("extfrag", "external fragmentation index"))):
            ax = axes[row, col]
            data = z[name].copy()
            if name == "extfrag":
                data[data < 0] = np.nan  # -1: a block of this order is free
            drawn = 0
            for o in sel:
                y = data[:, o]
                if np.all(np.isnan(y)):
                    continue
                ax.plot(t, y, color=cmap(norm(o)), lw=1.3, marker="o" if few else None, ms=3)
                drawn += 1
            ax.set_ylim(-0.03, 1.03)
            ax.set_title(f"{zone_name(key)}: {title}", fontsize=9)
            ax.set_ylabel("index (0 to 1)")
            if not drawn:
                msg = ("extfrag index −1 for every order at every sample:\na free block of that order or larger exists"
                       if name == "extfrag" else "no data")
                ax.text(0.5, 0.5, msg, transform=ax.transAxes, ha="center", va="center",
                        fontsize=8, color="#666666")
            if row == n - 1:
                ax.set_xlabel(f"simulated time ({unit})")
            if few and t.size:
                ax.set_xlim(min(0, t.min()), max(t.max() * 1.05, 1e-9))
    sm = plt.cm.ScalarMappable(cmap=cmap, norm=norm)
    cb = fig.colorbar(sm, ax=axes, pad=0.01, fraction=0.03, aspect=40)
    cb.set_label("order")
    cb.set_ticks(sel if len(sel) <= 11 else range(ts.orders))
    suptitle(fig, "Fragmentation indices over time per order (debugfs unusable_index, extfrag_index)",
             f"{run_title(run)}\nextfrag −1 (a free block of that order or larger exists) is not drawn")
    w.save(fig, "fragmentation_index")


def fig_free_pages(run, ts, w):
    keys = sorted(ts.zones)
    managed = {(z["node"], z["zone"]): z["managed_pages"] for z in run.summary["zones"]}
    if one_sample_note(ts):
        fig, axes = plt.subplots(1, 2, figsize=(11, 0.45 * len(keys) + 2.2), sharey=True)
        y = np.arange(len(keys))
        free = [ts.zones[k]["free_pages"][-1] for k in keys]
        per, mu = mem_unit(max(free))
        gib = [f / per for f in free]
        pct = [100 * f / managed[k] if managed.get(k) else np.nan for f, k in zip(free, keys)]
        colors = [run_color(i) for i in range(len(keys))]
        axes[0].barh(y, gib, color=colors)
        axes[1].barh(y, pct, color=colors)
        for yi, g, f, p in zip(y, gib, free, pct):
            axes[0].text(g, yi, f" {g:.3g} {mu} ({int(f):,} pages)", va="center", fontsize=7.5)
            axes[1].text(p, yi, f" {p:.3g}%", va="center", fontsize=7.5)
        axes[0].set_xlim(0, max(gib + [1e-9]) * 1.5)
        axes[1].set_xlim(0, 115)
        axes[0].set_yticks(y, [zone_name(k) for k in keys])
        axes[0].set_ylim(len(keys) - 0.5, -0.5)
        axes[0].set_xlabel(f"free memory ({mu})")
        axes[1].set_xlabel("free (% of the zone's managed pages)")
        for ax in axes:
            ax.grid(axis="y", visible=False)
        suptitle(fig, "Free pages per zone (timeseries.csv)", run_title(run) + one_sample_note(ts))
        w.save(fig, "free_pages")
        return
    end = max(float(ts.zones[k]["time_ns"].max()) for k in keys)
    scale, unit = time_unit(end)
    any_fail = any(np.nansum(ts.zones[k]["failures"]) > 0 for k in keys)
    nrows = 3 if any_fail else 2
    per, mu = mem_unit(max(float(ts.zones[k]["free_pages"].max()) for k in keys))
    fig, axes = plt.subplots(nrows, 1, figsize=(11, 2.9 * nrows + 0.6), sharex=True)
    for i, key in enumerate(keys):
        z = ts.zones[key]
        t = z["time_ns"] / scale
        few = t.size <= 30
        color = run_color(i)
        axes[0].plot(t, z["free_pages"] / per, color=color, lw=1.5,
                     marker="o" if few else None, ms=3, label=zone_name(key))
        m = managed.get(key)
        if m:
            axes[1].plot(t, 100 * z["free_pages"] / m, color=color, lw=1.5,
                         marker="o" if few else None, ms=3, label=zone_name(key))

    axes[0].set_ylabel(f"free memory ({mu})")
    axes[0].set_title(f"free pages per zone (4 KiB pages, shown in {mu})")
    axes[1].set_ylabel("free (% of managed)")
    axes[1].set_ylim(-2, 102)
    axes[1].set_title("free pages as a share of the zone's managed pages")
    if any_fail:
        # failures counts the whole run's failed allocations: the same in every zone's row.
        z = ts.zones[keys[0]]
        axes[2].plot(z["time_ns"] / scale, z["failures"], color="#d62728", lw=1.5,
                     marker="o" if z["time_ns"].size <= 30 else None, ms=3)
        axes[2].set_ylabel("failed allocations\n(cumulative)")
        axes[2].set_title("allocation failures so far (whole run, all zones)")
    axes[-1].set_xlabel(f"simulated time ({unit})")
    for ax in axes:
        ax.set_xlim(0, end / scale * 1.02)
    legend_outside(axes[0])
    suptitle(fig, "Free pages over time (timeseries.csv)", run_title(run))
    w.save(fig, "free_pages")


def _dram_entities(dram):
    ents = []
    for d in sorted(dram, key=lambda d: d["node"]):
        ents.append((f"node {d['node']}", d, True))
        chans = d.get("channels", [])
        if len(chans) > 1:
            for c, ch in enumerate(chans):
                ents.append((f"n{d['node']} ch{c}", ch, False))
    return ents


def fig_dram(run, w):
    dram = run.hardware["dram"]
    ents = _dram_entities(dram)
    x = np.arange(len(ents))
    labels = [e[0] for e in ents]
    fig, axes = plt.subplots(1, 3, figsize=(max(12, 1.0 * len(ents) * 3), 4.2))
    ax = axes[0]
    bw = [e[1]["bandwidth_gbps"] for e in ents]
    bars = ax.bar(x, bw, color=["#1f77b4" if e[2] else "#9ecae1" for e in ents])
    for b, v in zip(bars, bw):
        ax.text(b.get_x() + b.get_width() / 2, v, f"{v:.3g}", ha="center", va="bottom", fontsize=7)
    ax.set_ylabel("bandwidth (GB/s, run average)")
    ax.set_title("DRAM bandwidth")
    ax.set_ylim(0, max(bw + [1e-9]) * 1.15)
    ax = axes[1]
    bottom = np.zeros(len(ents))
    for key, color, lab in (("row_hits", "#2ca02c", "row hit"), ("row_misses", "#ff7f0e", "row miss (bank closed)"),
                            ("row_conflicts", "#d62728", "row conflict")):
        tot = np.array([e[1]["row_hits"] + e[1]["row_misses"] + e[1]["row_conflicts"] for e in ents], float)
        share = np.divide([e[1][key] for e in ents], tot, out=np.zeros(len(ents)), where=tot > 0) * 100
        ax.bar(x, share, bottom=bottom, color=color, label=lab)
        bottom += share
    for xi, e in zip(x, ents):
        ax.text(xi, 101, f"{100 * e[1]['row_hit_rate']:.1f}%", ha="center", va="bottom", fontsize=7)
    ax.set_ylim(0, 112)
    ax.set_ylabel("share of requests (%)")
    ax.set_title("row-buffer outcomes (label: row-hit rate)")
    ax.legend(loc="lower right", fontsize=7, framealpha=0.9)
    ax = axes[2]
    width = 0.38
    rl = [e[1].get("avg_read_latency_ns", np.nan) for e in ents]
    qd = [e[1].get("avg_queue_delay_ns", np.nan) for e in ents]
    ax.bar(x - width / 2, rl, width, color="#1f77b4", label="read latency")
    ax.bar(x + width / 2, qd, width, color="#ff7f0e", label="queueing delay")
    ax.set_ylabel("average per request (ns)")
    ax.set_title("DRAM read latency and queueing delay")
    ax.legend(loc="upper right", fontsize=7)
    ax.set_ylim(0, np.nanmax(rl + qd + [1]) * 1.25)
    for ax in axes:
        ax.set_xticks(x, labels, rotation=30 if len(ents) > 4 else 0, ha="right" if len(ents) > 4 else "center")
        ax.grid(axis="x", visible=False)
        ax.set_xlim(-0.5 - 0.5 * (len(ents) < 3), len(ents) - 0.5 + 0.5 * (len(ents) < 3))
    reqs = ", ".join(f"node {d['node']}: {fmt_count(d['requests'])} requests ({d.get('preset', '?')})"
                     for d in sorted(dram, key=lambda d: d["node"]))
    suptitle(fig, "DRAM per node and channel (summary.json hardware.dram)", f"{run_title(run)}\n{reqs}")
    w.save(fig, "dram")


def fig_cpus(run, w):
    cpus = sorted(run.hardware["cpus"], key=lambda c: c["cpu"])
    sim = run.summary["simulated_ns"] or 1
    n = len(cpus)
    x = np.arange(n)
    fig, ax = plt.subplots(figsize=(min(max(8, 0.22 * n + 3), 18), 4.4))
    parts = [("work_ns", "instruction work", "#1f77b4"), ("memory_stall_ns", "memory stalls", "#ff7f0e"),
             ("spinning_ns", "spinning on a lock", "#d62728")]
    bottom = np.zeros(n)
    for key, lab, color in parts:
        v = np.array([c.get(key, 0.0) for c in cpus]) / sim * 100
        ax.bar(x, v, bottom=bottom, color=color, label=lab, width=0.8)
        bottom += v
    busy = np.array([c["busy_share"] for c in cpus]) * 100
    other = np.clip(busy - bottom, 0, None)
    if other.max() > 0.01 * max(busy.max(), 1e-9):
        ax.bar(x, other, bottom=bottom, color="#bbbbbb", label="other busy time", width=0.8)
    ax.plot(x, busy, "_", color="black", ms=10, mew=1.5, label="busy share")
    step = max(1, math.ceil(n / 32))
    ax.set_xticks(x[::step], [str(c["cpu"]) for c in cpus][::step])
    ax.set_xlim(-0.7, n - 0.3)
    nodes = [c["node"] for c in cpus]
    for i in range(1, n):
        if nodes[i] != nodes[i - 1]:
            ax.axvline(i - 0.5, color="#444444", lw=1, ls="--")
    top = max(busy.max(), 1e-9)
    ax.set_ylim(0, top * 1.25)
    for node in sorted(set(nodes)):
        idx = [i for i in range(n) if nodes[i] == node]
        ax.text((idx[0] + idx[-1]) / 2, top * 1.15, f"node {node}", ha="center", fontsize=8)
    ax.set_xlabel("CPU")
    ax.set_ylabel("share of simulated time (%)")
    ax.grid(axis="x", visible=False)
    legend_outside(ax)
    mean_busy = busy.mean()
    mean_spin = np.mean([c["spinning_share"] for c in cpus]) * 100
    suptitle(fig, f"Time CPUs spent in the allocator (mean busy {mean_busy:.3g}%, spinning {mean_spin:.3g}%)",
             run_title(run))
    w.save(fig, "cpus")


def fig_interconnect(run, w):
    links = run.hardware["interconnect"]
    labels = [f"{l['from']}→{l['to']}" for l in links]
    x = np.arange(len(links))
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.8))
    axes[0].bar(x, [l["bytes"] / 2**20 for l in links], color="#1f77b4")
    axes[0].set_ylabel("data carried (MiB)")
    axes[0].set_title("bytes per link")
    axes[1].bar(x, [100 * l.get("busy_share", np.nan) for l in links], color="#ff7f0e")
    axes[1].set_ylabel("busy (% of simulated time)")
    axes[1].set_title("link utilisation")
    axes[2].bar(x, [l.get("avg_queue_delay_ns", np.nan) for l in links], color="#d62728")
    axes[2].set_ylabel("average queueing delay (ns)")
    axes[2].set_title("queueing delay per transfer")
    for ax in axes:
        ax.set_xticks(x, labels)
        ax.set_xlabel("link (node → node)")
        ax.grid(axis="x", visible=False)
    suptitle(fig, "Interconnect links (summary.json hardware.interconnect)", run_title(run))
    w.save(fig, "interconnect")


# ---------------------------------------------------------------------------
# Several runs overlaid (compare.py)
# ---------------------------------------------------------------------------

def compare_title(runs):
    return " vs ".join(f"{r.label} ({r.path})" for r in runs)


def _run_latency_groups(run, use_ops=True):
    """{'all allocations': pts, 'frees': pts, path: pts} and whether they
    come from ops.csv. pts = (x, cdf, tail, n)."""
    out = {}
    ops = run.ops if use_ops else None
    if ops is not None and ops.has_latency:
        sel = ops.is_alloc & np.isfinite(ops.latency_ns)
        fsel = ~ops.is_alloc & np.isfinite(ops.latency_ns)
        if sel.any():
            out["all allocations"] = cdf_points(ops.latency_ns[sel]) + (int(sel.sum()),)
        for p, v in ops.alloc_latency_by_group().items():
            out[p] = cdf_points(v) + (v.size,)
        if fsel.any():
            out["frees"] = cdf_points(ops.latency_ns[fsel]) + (int(fsel.sum()),)
        return out, True
    lat = run.latency
    if lat["alloc"]["count"]:
        out["all allocations"] = summary_cdf_points(lat["alloc"]) + (lat["alloc"]["count"],)
    for p, h in lat.get("alloc_by_path", {}).items():
        if h["count"]:
            out[p] = summary_cdf_points(h) + (h["count"],)
    if lat["free"]["count"]:
        out["frees"] = summary_cdf_points(lat["free"]) + (lat["free"]["count"],)
    return out, False


def _group_order(names):
    def rank(g):
        if g == "all allocations":
            return -1
        if g == "frees":
            return 100
        return br.path_rank(g)
    return sorted(names, key=rank)


def cmp_latency_cdf(runs, w):
    timed = [(i, r) for i, r in enumerate(runs) if not r.functional]
    if not timed:
        w.skip("latency_cdf", "every run is functional: no latency figures")
        return
    groups, sources = {}, {}
    for i, r in timed:
        g, from_ops = _run_latency_groups(r)
        groups[i] = g
        sources[i] = from_ops
    names = _group_order({k for g in groups.values() for k in g})
    fig, axes = plt.subplots(len(names), 2, figsize=(12, 2.6 * len(names) + 1.2), squeeze=False,
                             sharex="all")
    for row, name in enumerate(names):
        a1, a2 = axes[row]
        for i, r in timed:
            if name in groups[i]:
                x, cdf, tail, n = groups[i][name]
                _draw_cdf_pair(a1, a2, f"{r.label} (n={n:,})", (x, cdf, tail), run_color(i), sources[i])
        _style_cdf_axes(a1, a2, "operations")
        a1.set_title(f"{name}: CDF", fontsize=9)
        a2.set_title(f"{name}: tail (1 − CDF)", fontsize=9)
        legend_outside(a2, fontsize=7)
        a1.tick_params(labelbottom=True)
        a2.tick_params(labelbottom=True)
        if row != len(names) - 1:
            a1.set_xlabel("")
            a2.set_xlabel("")
    notes = [f"{r.label}: {SOURCE_OPS if sources[i] else 'percentile points from summary.json'}"
             for i, r in timed]
    skipped = [r.label for r in runs if r.functional]
    if skipped:
        notes.append("functional, no latency: " + ", ".join(skipped))
    suptitle(fig, "Latency CDF per allocation path (costliest path taken), all runs overlaid",
             compare_title(runs) + "\n" + "; ".join(notes))
    w.save(fig, "latency_cdf")


def cmp_latency_percentiles(runs, w):
    timed = [(i, r) for i, r in enumerate(runs) if not r.functional]
    if not timed:
        w.skip("latency_percentiles", "every run is functional: no latency figures")
        return
    hists = {}
    for i, r in timed:
        lat = r.latency
        h = {"all allocations": lat["alloc"], "frees": lat["free"]}
        h.update(lat.get("alloc_by_path", {}))
        hists[i] = {k: v for k, v in h.items() if v["count"]}
    names = _group_order({k for h in hists.values() for k in h})
    ncol = min(3, len(names))
    nrow = math.ceil(len(names) / ncol)
    fig, axes = plt.subplots(nrow, ncol, figsize=(4.2 * ncol + 1.5, 3.2 * nrow + 1.2), squeeze=False)
    xk = np.arange(len(PCT_KEYS))
    for ax, name in zip(axes.flat, names):
        for i, r in timed:
            if name not in hists[i]:
                continue
            h = hists[i][name]
            ys = [h[k] for k in PCT_KEYS]
            ax.plot(xk, clip_latency(np.array(ys, float)), marker="o", ms=4, lw=1.3, color=run_color(i),
                    label=f"{r.label} (n={fmt_count(h['count'])})")
            ax.plot([-1.2], clip_latency(np.array([h["mean"]], float)), marker="D", ms=5, ls="none",
                    mfc="none", mew=1.3, color=run_color(i))
        ax.axvline(-0.6, color="#999999", lw=0.8)
        ax.set_xticks([-1.2] + list(xk), ("mean",) + PCT_KEYS)
        ax.set_xlim(-1.7, len(PCT_KEYS) - 0.5)
        ns_log_axis(ax, "y")
        ax.set_title(name)
        ax.set_ylabel("latency (log scale)")
        ax.legend(fontsize=7, loc="upper left")
    for ax in list(axes.flat)[len(names):]:
        ax.axis("off")
    suptitle(fig, "Latency percentiles per allocation path (summary.json), all runs overlaid", compare_title(runs))
    w.save(fig, "latency_percentiles")


def cmp_zone_lock(runs, w):
    locks = [(i, r, r.zone_lock()) for i, r in enumerate(runs)]
    locks = [(i, r, l) for i, r, l in locks if l is not None]
    if not locks:
        w.skip("zone_lock", "no run has hardware.locks (functional runs)")
        return
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.4), gridspec_kw={"width_ratios": [1.6, 1, 1]})
    ax = axes[0]
    drawn = False
    for i, r, l in locks:
        drawn |= _draw_wait_hist(ax, l["wait_histogram_log2_ns"], run_color(i),
                                 f"{r.label} ({int(l['contentions']):,} waits)", lw=1.8)
    if drawn:
        ns_log_axis(ax)
        wait_hist_limits(ax, [l["wait_histogram_log2_ns"] for _, _, l in locks])
        top = max(max(l["wait_histogram_log2_ns"][1:] or [1]) for _, _, l in locks)
        ax.set_ylim(top=top * (40 if ax.get_yscale() == "log" else 1.35))
        ax.legend(loc="upper left", fontsize=7, ncol=2 if len(locks) > 2 else 1)
    else:
        no_data(ax, "no zone-lock waits in any run")
    ax.set_xlabel("wait time (log scale; buckets [2^(b−1), 2^b) ns)")
    ax.set_ylabel("contended acquisitions per bucket")
    ax.set_title("zone-lock wait distribution")
    x = np.arange(len(locks))
    labels = [r.label for _, r, _ in locks]
    colors = [run_color(i) for i, _, _ in locks]
    ax = axes[1]
    width = 0.4
    acq = [l["acquisitions"] for _, _, l in locks]
    con = [l["contentions"] for _, _, l in locks]
    ax.bar(x - width / 2, acq, width, color=colors, alpha=0.45, edgecolor=colors, label="acquisitions")
    ax.bar(x + width / 2, con, width, color=colors, hatch="///", edgecolor="black", lw=0.5, label="contended")
    for xi, a, c in zip(x, acq, con):
        ax.text(xi - width / 2, a, fmt_count(a), ha="center", va="bottom", fontsize=7)
        ax.text(xi + width / 2, c, fmt_count(c), ha="center", va="bottom", fontsize=7)
    ax.set_yscale("symlog", linthresh=1)
    ax.yaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: fmt_count(v)))
    ax.set_ylim(0, max(acq + [1]) * 60)
    ax.set_ylabel("count (log scale)")
    ax.set_title("zone-lock acquisitions and contentions")
    ax.legend(loc="upper left", fontsize=7, ncol=2)
    ax = axes[2]
    tot = [l["waittime_ns"]["total"] / 1e6 for _, _, l in locks]
    bars = ax.bar(x, tot, 0.6, color=colors)
    for b, l in zip(bars, [l for _, _, l in locks]):
        ax.text(b.get_x() + b.get_width() / 2, b.get_height(),
                f"{fmt_ns(l['waittime_ns']['total'])}\navg {fmt_ns(l['waittime_ns']['avg'])}",
                ha="center", va="bottom", fontsize=7)
    ax.set_ylim(0, max(tot + [1e-6]) * 1.3)
    ax.set_ylabel("total wait, all CPUs (ms)")
    ax.set_title("zone-lock total wait")
    for ax in axes[1:]:
        ax.set_xticks(x, labels, rotation=20 if len(x) > 3 else 0)
        ax.grid(axis="x", visible=False)
    suptitle(fig, "Zone lock (&zone->lock, all zones) compared", compare_title(runs))
    w.save(fig, "zone_lock")


def cmp_free_pages(runs, w):
    tss = [(i, r, r.timeseries) for i, r in enumerate(runs)]
    tss = [(i, r, t) for i, r, t in tss if t]
    if not tss:
        w.skip("free_pages", "no run has a timeseries.csv with rows")
        return
    keys = sorted({k for _, _, t in tss for k in t.zones})
    end = max(float(t.zones[k]["time_ns"].max()) for _, _, t in tss for k in t.zones)
    scale, unit = time_unit(end)
    if all(one_sample_note(t) for _, _, t in tss):
        return cmp_free_pages_at_end(runs, tss, keys, w)
    ncol = 1 if len(keys) <= 2 else 2
    nrow = math.ceil(len(keys) / ncol)
    fig, axes = plt.subplots(nrow, ncol, figsize=(6 * ncol + 2, 2.8 * nrow + 1.2), squeeze=False)
    for ax, key in zip(axes.flat, keys):
        for i, r, t in tss:
            if key not in t.zones:
                continue
            z = t.zones[key]
            few = z["time_ns"].size <= 30
            per, mu = mem_unit(max(float(t2.zones[key]["free_pages"].max()) for _, _, t2 in tss
                                   if key in t2.zones))
            ax.plot(z["time_ns"] / scale, z["free_pages"] / per, color=run_color(i), lw=1.5,
                    marker="o" if few else None, ms=3, label=r.label)
        ax.set_title(zone_name(key))
        ax.set_ylabel(f"free memory ({mu})")
        ax.set_xlabel(f"simulated time ({unit})")
        ax.set_xlim(0, end / scale * 1.02)
        ax.legend(fontsize=7)
    for ax in list(axes.flat)[len(keys):]:
        ax.axis("off")
    suptitle(fig, "Free pages per zone over time (timeseries.csv), all runs overlaid", compare_title(runs))
    w.save(fig, "free_pages")


def cmp_free_pages_at_end(runs, tss, keys, w):
    """Every run has one sample: grouped bars per zone instead of lines."""
    fig, ax = plt.subplots(figsize=(11, 0.5 * len(keys) * len(tss) + 1.8))
    n = len(tss)
    h = 0.8 / n
    y = np.arange(len(keys))
    top = max(float(t.zones[k]["free_pages"][-1]) for _, _, t in tss for k in keys if k in t.zones)
    per, mu = mem_unit(top)
    for j, (i, r, t) in enumerate(tss):
        vals = [t.zones[k]["free_pages"][-1] if k in t.zones else np.nan for k in keys]
        off = (j - (n - 1) / 2) * h
        ax.barh(y + off, [v / per for v in vals], h, color=run_color(i), label=r.label)
        for yi, v in zip(y, vals):
            if np.isfinite(v):
                ax.text(v / per, yi + off, f" {v / per:.4g} {mu} ({int(v):,} pages)", va="center", fontsize=7)
    ax.set_yticks(y, [zone_name(k) for k in keys])
    ax.set_ylim(len(keys) - 0.5, -0.5)
    ax.set_xlim(0, top / per * 1.45)
    ax.set_xlabel(f"free memory at the end of the run ({mu})")
    ax.grid(axis="y", visible=False)
    legend_outside(ax)
    suptitle(fig, "Free pages per zone at the end of each run (timeseries.csv)",
             compare_title(runs) + "\none sample per run: set record.interval for a time series")
    w.save(fig, "free_pages")


def cmp_alloc_paths(runs, w):
    names = [p for p in br.ALL_PATHS if any(r.summary["alloc_paths"].get(p, 0) for r in runs)]
    names += sorted({p for r in runs for p, v in r.summary["alloc_paths"].items()
                     if v and p not in names})
    fig, axes = plt.subplots(2, 1, figsize=(max(8, 1.3 * len(names) * max(1, len(runs) / 2) + 3), 7.5),
                             sharex=True)
    if not names:
        no_data(axes[0], "no allocations")
    x = np.arange(len(names))
    width = 0.8 / len(runs)
    for i, r in enumerate(runs):
        paths = r.summary["alloc_paths"]
        allocs = r.summary["operations"]["allocs"] or 1
        v = np.array([paths.get(p, 0) for p in names], float)
        off = (i - (len(runs) - 1) / 2) * width
        axes[0].bar(x + off, np.where(v > 0, v, np.nan), width, color=run_color(i), label=r.label)
        axes[1].bar(x + off, np.where(v > 0, 100 * v / allocs, np.nan), width, color=run_color(i),
                    label=r.label)
        for xi, vi in zip(x, v):
            if vi > 0:
                axes[0].text(xi + off, vi * 1.1, fmt_count(vi), ha="center", va="bottom", fontsize=6.5,
                             rotation=90 if len(runs) > 2 else 0)
    count_log_axis(axes[0], "y")
    top = max([r.summary["alloc_paths"].get(p, 0) for r in runs for p in names] + [1])
    axes[0].set_ylim(0.8, top * 8)
    axes[0].set_ylabel("allocations (log scale)")
    axes[0].set_title("allocations that took each path (one allocation may take several)")
    axes[1].set_yscale("log")
    shares = [100 * r.summary["alloc_paths"].get(p, 0) / (r.summary["operations"]["allocs"] or 1)
              for r in runs for p in names]
    shares = [v for v in shares if v > 0]
    if shares:
        axes[1].set_ylim(min(shares) / 2, max(max(shares) * 2, 100))
    axes[1].yaxis.set_major_locator(ticker.LogLocator(base=10, numticks=12))
    axes[1].yaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: f"{v:.3g}%"))
    axes[1].yaxis.set_minor_formatter(ticker.NullFormatter())
    axes[1].set_ylabel("share of allocations (log scale)")
    axes[1].set_title("the same as a share of each run's allocations")
    axes[1].set_xticks(x, names)
    for ax in axes:
        ax.grid(axis="x", visible=False)
    legend_outside(axes[0])
    suptitle(fig, "Allocation paths compared (summary.json alloc_paths)", compare_title(runs))
    w.save(fig, "alloc_paths")


def cmp_dram(runs, w):
    have = [(i, r) for i, r in enumerate(runs) if r.hardware and r.hardware.get("dram")]
    if not have:
        w.skip("dram", "no run has hardware.dram (functional runs)")
        return
    nodes = sorted({d["node"] for _, r in have for d in r.hardware["dram"]})
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.8))
    x = np.arange(len(nodes))
    width = 0.8 / len(have)
    for k, (i, r) in enumerate(have):
        by = {d["node"]: d for d in r.hardware["dram"]}
        off = (k - (len(have) - 1) / 2) * width
        hit = [100 * by[n]["row_hit_rate"] if n in by else np.nan for n in nodes]
        bw = [by[n]["bandwidth_gbps"] if n in by else np.nan for n in nodes]
        b = axes[0].bar(x + off, hit, width, color=run_color(i), label=r.label)
        for bar, v in zip(b, hit):
            axes[0].text(bar.get_x() + bar.get_width() / 2, v, f"{v:.1f}", ha="center", va="bottom", fontsize=7)
        b = axes[1].bar(x + off, bw, width, color=run_color(i), label=r.label)
        for bar, v in zip(b, bw):
            axes[1].text(bar.get_x() + bar.get_width() / 2, v, f"{v:.3g}", ha="center", va="bottom", fontsize=7)
    axes[0].set_ylabel("row-hit rate (%)")
    axes[0].set_ylim(0, 110)
    axes[0].set_title("DRAM row-hit rate per node")
    axes[1].set_ylabel("bandwidth (GB/s, run average)")
    axes[1].set_title("DRAM bandwidth per node")
    axes[1].set_ylim(0, axes[1].get_ylim()[1] * 1.15)
    for ax in axes:
        ax.set_xticks(x, [f"node {n}" for n in nodes])
        ax.grid(axis="x", visible=False)
    legend_outside(axes[1])
    suptitle(fig, "DRAM compared (summary.json hardware.dram)", compare_title(runs))
    w.save(fig, "dram")


# ---------------------------------------------------------------------------
# Sweeps
# ---------------------------------------------------------------------------

def _fmt_value(v):
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def sweep_series(table, metric, xparam):
    """Group the rows for metric against xparam: returns (xs, numeric,
    series) with series = [(label, {x: [values over seeds]})]. Rows without
    a value are left out. Lines are per combination of the grid parameters
    other than xparam and those that xparam's value determines."""
    rows = [r for r in table.rows if r.get("status") == "ok"
            and r.get(metric) is not None and r.get(xparam) is not None
            and isinstance(r.get(metric), float)]
    xs_all = [r[xparam] for r in rows]
    numeric = all(isinstance(x, float) for x in xs_all)
    others = []
    for p in table.params:
        if p == xparam:
            continue
        mapping = {}
        for r in rows:
            mapping.setdefault(r.get(p), set()).add(r.get(xparam))
        if all(len(s) == 1 for s in mapping.values()) and len(mapping) > 1 and xparam not in table.params:
            continue  # p decides x (e.g. cpus_per_node decides machine.cpus)
        if len({r.get(p) for r in rows}) <= 1:
            continue  # constant in these rows: nothing to tell apart
        others.append(p)
    series = {}
    for r in rows:
        key = tuple((p, r.get(p)) for p in others)
        series.setdefault(key, {}).setdefault(r[xparam], []).append(r[metric])
    out = []
    for key in series:
        label = ", ".join(f"{p}={_fmt_value(v)}" for p, v in key) or metric
        out.append((label, series[key]))
    xs = sorted(set(xs_all), key=lambda v: (not isinstance(v, float), v if isinstance(v, float) else str(v)))
    if not numeric:
        seen = []
        for x in xs_all:
            if x not in seen:
                seen.append(x)
        xs = seen
    return xs, numeric, out


METRIC_LABELS = {
    "latency_ns.": "latency",
    "hardware.zone_lock.wait_total_ns": "zone-lock total wait",
    "hardware.zone_lock.wait_avg_ns": "zone-lock average wait",
    "hardware.zone_lock.contention_share": "zone-lock contended share",
    "alloc_share.pcp_hit": "share of allocations served by pcp_hit",
    "machine.cpus": "CPUs (total)",
}


def metric_is_ns(metric):
    return metric.endswith("_ns") or metric.startswith("latency_ns.") and not metric.endswith(".count")


def metric_is_share(metric):
    last = metric.rsplit(".", 1)[-1]
    return metric.startswith("alloc_share.") or "share" in last or last.endswith("rate")


def draw_sweep_metric(ax, table, metric, xparam, show_legend=True):
    xs, numeric, series = sweep_series(table, metric, xparam)
    if not series:
        no_data(ax, f"no values of {metric}")
        ax.set_title(metric, fontsize=9)
        return False
    pos = {x: (x if numeric else i) for i, x in enumerate(xs)}
    stats = []
    multi_seed = False
    for label, pts in series:
        px = sorted(pts, key=lambda x: pos[x])
        stats.append((label,
                      np.array([pos[x] for x in px], float),
                      np.array([np.mean(pts[x]) for x in px]),
                      np.array([np.min(pts[x]) for x in px]),
                      np.array([np.max(pts[x]) for x in px])))
        multi_seed |= any(len(pts[x]) > 1 for x in px)
    allv = np.concatenate([np.concatenate([st[3], st[4]]) for st in stats])
    positive = allv[allv > 0]
    # A log axis when the values span more than 1.5 decades (zeros cannot
    # be drawn there and are left out, with a note).
    log = (positive.size >= 2 and not metric_is_share(metric)
           and positive.max() / positive.min() > 30)
    dropped = log and positive.size < allv.size
    for k, (label, xv, mean, lo, hi) in enumerate(stats):
        y = np.where(mean > 0, mean, np.nan) if log else mean
        ax.plot(xv, y, marker="o", ms=4, lw=1.5, color=run_color(k), label=label)
        if multi_seed:
            ax.fill_between(xv, np.where(lo > 0, lo, np.nan) if log else lo,
                            np.where(hi > 0, hi, np.nan) if log else hi,
                            color=run_color(k), alpha=0.15, lw=0)
    if metric_is_ns(metric):
        if log:
            ns_log_axis(ax, "y")
        else:
            ax.yaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: fmt_ns(v)))
            ax.set_ylim(bottom=0)
    elif metric_is_share(metric):
        ax.yaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: f"{100 * v:.3g}%"))
        if allv.min() >= 0:
            ax.set_ylim(bottom=0)
    elif log:
        count_log_axis(ax, "y")
    else:
        ax.yaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: fmt_count(v)))
        if np.all(np.equal(np.mod(allv, 1), 0)):
            ax.yaxis.set_major_locator(ticker.MaxNLocator(integer=True))
        if allv.min() >= 0:
            ax.set_ylim(0, max(allv.max() * 1.08, 1))
    if numeric:
        vals = np.array(xs, float)
        if vals.size > 2 and vals.min() > 0 and vals.max() / vals.min() >= 8:
            ax.set_xscale("log", base=2)
            ax.xaxis.set_major_locator(ticker.FixedLocator(vals))
            ax.xaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: _fmt_value(float(v))))
            ax.xaxis.set_minor_locator(ticker.NullLocator())
        elif vals.size <= 12:
            ax.set_xticks(vals, [_fmt_value(v) for v in vals])
    else:
        ax.set_xticks(range(len(xs)), [_fmt_value(x) for x in xs])
        ax.set_xlim(-0.5, len(xs) - 0.5)
    ax.set_xlabel(METRIC_LABELS.get(xparam, xparam))
    ax.set_ylabel(METRIC_LABELS.get(metric, metric) + (" (log)" if log else ""), fontsize=8)
    ax.set_title(metric + ("\n(zero values not drawn on the log scale)" if dropped else ""), fontsize=9)
    if show_legend and (len(series) > 1 or multi_seed):
        ax.legend(fontsize=7, title="mean over seeds, band: min–max" if multi_seed else None,
                  title_fontsize=7)
    return True


def safe_name(text):
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in text)


def sweep_figure(table, metrics, xparam, w, name, title, subtitle):
    ncol = min(len(metrics), 3)
    nrow = math.ceil(len(metrics) / ncol)
    fig, axes = plt.subplots(nrow, ncol, figsize=(4.6 * ncol + 1, 3.6 * nrow + 1.3), squeeze=False)
    drawn = 0
    for ax, metric in zip(axes.flat, metrics):
        drawn += draw_sweep_metric(ax, table, metric, xparam)
    for ax in list(axes.flat)[len(metrics):]:
        ax.axis("off")
    if len(metrics) == 1:
        axes[0, 0].set_title("")
    suptitle(fig, title, subtitle)
    if not drawn:
        plt.close(fig)
        w.skip(name, f"no values of {', '.join(metrics)} in {table.path}")
        return False
    w.save(fig, name)
    return True


def sweep_x_param(table):
    """The x axis for the standard sweep figures: total CPUs if it varies,
    else the grid parameter with the most values (numeric ones first)."""
    ok = [r for r in table.rows if r.get("status") == "ok"]

    def varies(c):
        return len({r.get(c) for r in ok if r.get(c) is not None}) > 1
    if "machine.cpus" in table.columns and varies("machine.cpus"):
        return "machine.cpus"
    cands = [p for p in table.params if varies(p)]
    num = [p for p in cands if table.numeric(p)]
    pool = num or cands
    if not pool:
        return None
    # The parameter with the most values makes the x axis; the others the lines.
    return max(pool, key=lambda p: (len({r.get(p) for r in ok}), -pool.index(p)))


def plot_sweep(table, w, sweep_label):
    x = sweep_x_param(table)
    if x is None:
        w.skip("sweep_*", "no parameter varies across the completed runs")
        return
    xl = "CPU count" if x == "machine.cpus" else x
    xn = "cpus" if x == "machine.cpus" else safe_name(x)
    nok = sum(1 for r in table.rows if r.get("status") == "ok")
    sub = f"{sweep_label} · {nok} runs · x: {x}"
    have = set(table.columns)
    lat = [m for m in ("latency_ns.alloc.p50", "latency_ns.alloc.p99", "latency_ns.alloc.p99.9",
                       "latency_ns.free.p99") if m in have]
    if lat:
        sweep_figure(table, lat, x, w, f"sweep_latency_vs_{xn}",
                     f"Allocation and free latency against {xl}", sub)
    else:
        w.skip(f"sweep_latency_vs_{xn}", "no latency columns (functional runs)")
    lock = [m for m in ("hardware.zone_lock.wait_total_ns", "hardware.zone_lock.wait_avg_ns",
                        "hardware.zone_lock.contention_share", "hardware.zone_lock.acquisitions",
                        "hardware.cpus.spinning_share_mean") if m in have]
    if lock:
        sweep_figure(table, lock, x, w, f"sweep_zone_lock_vs_{xn}",
                     f"Zone-lock contention against {xl}", sub)
    else:
        w.skip(f"sweep_zone_lock_vs_{xn}", "no hardware.zone_lock columns (functional runs)")
    paths = [m for m in ("alloc_share.pcp_hit", "alloc_share.pcp_refill", "alloc_share.buddy",
                         "operations.failures") if m in have]
    if paths:
        sweep_figure(table, paths, x, w, f"sweep_alloc_paths_vs_{xn}",
                     f"Allocation paths against {xl}", sub)
    speed = [m for m in ("operations.total", "run.host_seconds", "run.operations_per_host_second")
             if m in have]
    if speed:
        sweep_figure(table, speed, x, w, f"sweep_run_speed_vs_{xn}",
                     f"Operations simulated and host time against {xl}", sub)
