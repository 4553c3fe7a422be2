"""Figures of a sweep from its sweep.csv: a metric against a grid
parameter, one line per combination of the other parameters, mean over
seeds with a min–max band (sweep.py --plot), and the standard sweep
figures that plot.py draws for a sweep folder (docs/plots.md)."""

import math

import matplotlib.pyplot as plt
import numpy as np
from matplotlib import ticker

from figure_axes import count_log_axis, count_ticks, drop_spare_axes, fmt_ns, no_data, ns_log_axis, share_ticks
from figure_style import run_color, suptitle
from file_names import safe_name

METRIC_LABELS = {
    "latency_ns.": "latency",
    "hardware.zone_lock.wait_total_ns": "zone-lock total wait",
    "hardware.zone_lock.wait_avg_ns": "zone-lock average wait",
    "hardware.zone_lock.contention_share": "zone-lock contended share",
    "alloc_share.pcp_hit": "share of allocations served by pcp_hit",
    "machine.cpus": "CPUs (total)",
}
# The standard figures: (name, title, metrics drawn when sweep.csv has them,
# why the figure is skipped when it has none, or None to skip silently).
STANDARD_FIGURES = (
    ("latency", "Allocation and free latency",
     ("latency_ns.alloc.p50", "latency_ns.alloc.p99", "latency_ns.alloc.p99.9", "latency_ns.free.p99"),
     "no latency columns (functional runs)"),
    ("zone_lock", "Zone-lock contention",
     ("hardware.zone_lock.wait_total_ns", "hardware.zone_lock.wait_avg_ns",
      "hardware.zone_lock.contention_share", "hardware.zone_lock.acquisitions",
      "hardware.cpus.spinning_share_mean"),
     "no hardware.zone_lock columns (functional runs)"),
    ("alloc_paths", "Allocation paths",
     ("alloc_share.pcp_hit", "alloc_share.pcp_refill", "alloc_share.buddy", "operations.failures"), None),
    ("run_speed", "Operations simulated and host time",
     ("operations.total", "run.host_seconds", "run.operations_per_host_second"), None),
)


def fmt_value(v):
    """A parameter value for a label: 4 rather than 4.0."""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _ok_rows(table):
    return [r for r in table.rows if r.get("status") == "ok"]


def _line_params(table, rows, xparam):
    """The grid parameters that tell the lines apart: those other than
    xparam that vary in rows and that xparam's value does not determine."""
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
    return others


def sweep_series(table, metric, xparam):
    """Group the rows for metric against xparam: returns (xs, numeric,
    series) with series = [(label, {x: [values over seeds]})]. Rows without
    a value are left out. Lines are per combination of the grid parameters
    other than xparam and those that xparam's value determines."""
    rows = [r for r in _ok_rows(table)
            if r.get(metric) is not None and r.get(xparam) is not None
            and isinstance(r.get(metric), float)]
    xs_all = [r[xparam] for r in rows]
    numeric = all(isinstance(x, float) for x in xs_all)
    others = _line_params(table, rows, xparam)
    series = {}
    for r in rows:
        key = tuple((p, r.get(p)) for p in others)
        series.setdefault(key, {}).setdefault(r[xparam], []).append(r[metric])
    out = []
    for key in series:
        label = ", ".join(f"{p}={fmt_value(v)}" for p, v in key) or metric
        out.append((label, series[key]))
    if numeric:
        xs = sorted(set(xs_all))
    else:
        xs = list(dict.fromkeys(xs_all))  # in the order of the rows
    return xs, numeric, out


def metric_is_ns(metric):
    return metric.endswith("_ns") or metric.startswith("latency_ns.") and not metric.endswith(".count")


def metric_is_share(metric):
    last = metric.rsplit(".", 1)[-1]
    return metric.startswith("alloc_share.") or "share" in last or last.endswith("rate")


def _y_axis(ax, metric, allv, log):
    if metric_is_ns(metric):
        if log:
            ns_log_axis(ax, "y")
        else:
            ax.yaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: fmt_ns(v)))
            ax.set_ylim(bottom=0)
    elif metric_is_share(metric):
        share_ticks(ax.yaxis)
        if allv.min() >= 0:
            ax.set_ylim(bottom=0)
    elif log:
        count_log_axis(ax, "y")
    else:
        count_ticks(ax.yaxis)
        if np.all(np.equal(np.mod(allv, 1), 0)):
            ax.yaxis.set_major_locator(ticker.MaxNLocator(integer=True))
        if allv.min() >= 0:
            ax.set_ylim(0, max(allv.max() * 1.08, 1))


def _x_axis(ax, xs, numeric):
    if numeric:
        vals = np.array(xs, float)
        if vals.size > 2 and vals.min() > 0 and vals.max() / vals.min() >= 8:
            ax.set_xscale("log", base=2)
            ax.xaxis.set_major_locator(ticker.FixedLocator(vals))
            ax.xaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: fmt_value(float(v))))
            ax.xaxis.set_minor_locator(ticker.NullLocator())
        elif vals.size <= 12:
            ax.set_xticks(vals, [fmt_value(v) for v in vals])
    else:
        ax.set_xticks(range(len(xs)), [fmt_value(x) for x in xs])
        ax.set_xlim(-0.5, len(xs) - 0.5)


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
    _y_axis(ax, metric, allv, log)
    _x_axis(ax, xs, numeric)
    ax.set_xlabel(METRIC_LABELS.get(xparam, xparam))
    ax.set_ylabel(METRIC_LABELS.get(metric, metric) + (" (log)" if log else ""), fontsize=8)
    ax.set_title(metric + ("\n(zero values not drawn on the log scale)" if dropped else ""), fontsize=9)
    if show_legend and (len(series) > 1 or multi_seed):
        ax.legend(fontsize=7, title="mean over seeds, band: min–max" if multi_seed else None,
                  title_fontsize=7)
    return True


def sweep_figure(table, metrics, xparam, w, name, title, subtitle):
    ncol = min(len(metrics), 3)
    nrow = math.ceil(len(metrics) / ncol)
    fig, axes = plt.subplots(nrow, ncol, figsize=(4.6 * ncol + 1, 3.6 * nrow + 1.3), squeeze=False)
    drawn = 0
    for ax, metric in zip(axes.flat, metrics):
        drawn += draw_sweep_metric(ax, table, metric, xparam)
    drop_spare_axes(axes, len(metrics))
    if len(metrics) == 1:
        axes[0, 0].set_title("")
    suptitle(fig, title, subtitle)
    if not drawn:
        plt.close(fig)
        w.skip(name, f"no values of {', '.join(metrics)} in {table.path}")
        return False
    w.save(fig, name)
    return True


def metric_figure(table, metric, xparam, w, subtitle):
    """One metric against one parameter (sweep.py --plot METRIC:PARAM)."""
    return sweep_figure(table, [metric], xparam, w, f"{safe_name(metric)}_vs_{safe_name(xparam)}",
                        f"{metric} against {xparam}", subtitle)


def sweep_x_param(table):
    """The x axis for the standard sweep figures: total CPUs if it varies,
    else the grid parameter with the most values (numeric ones first)."""
    ok = _ok_rows(table)

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
    """The standard sweep figures (plot.py on a sweep folder)."""
    x = sweep_x_param(table)
    if x is None:
        w.skip("sweep_*", "no parameter varies across the completed runs")
        return
    xl = "CPU count" if x == "machine.cpus" else x
    xn = "cpus" if x == "machine.cpus" else safe_name(x)
    sub = f"{sweep_label} · {len(_ok_rows(table))} runs · x: {x}"
    have = set(table.columns)
    for name, title, wanted, why_none in STANDARD_FIGURES:
        metrics = [m for m in wanted if m in have]
        if metrics:
            sweep_figure(table, metrics, x, w, f"sweep_{name}_vs_{xn}", f"{title} against {xl}", sub)
        elif why_none:
            w.skip(f"sweep_{name}_vs_{xn}", why_none)
