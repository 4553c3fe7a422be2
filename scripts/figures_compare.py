"""Figures of several runs overlaid (compare.py): latency CDFs and
percentiles per allocation path, zone-lock contention, free pages,
allocation paths and DRAM, each run in its own colour (docs/plots.md)."""

import math

import matplotlib.pyplot as plt
import numpy as np
from matplotlib import ticker

from alloc_paths import ALL_PATHS, path_rank
from figure_axes import (count_log_axis, count_ticks, drop_spare_axes, fmt_count, fmt_ns, label_bars,
                         legend_outside, mem_unit, no_data, ns_log_axis, sample_marker, time_unit)
from figure_cdf import SOURCE_OPS, cdf_points, clip_latency, draw_cdf_pair, style_cdf_axes, summary_cdf_points
from figure_style import PCT_KEYS, compare_title, run_color, suptitle, zone_name
from figures_locks import WAIT_BUCKETS, draw_wait_hist, wait_hist_limits
from figures_memory import end_ns, one_sample_note

NO_LATENCY = "every run is functional: no latency figures"


def plot_compare(runs, w):
    """Every comparison figure of the runs (the first is the baseline)."""
    cmp_latency_cdf(runs, w)
    cmp_latency_percentiles(runs, w)
    cmp_zone_lock(runs, w)
    cmp_free_pages(runs, w)
    cmp_alloc_paths(runs, w)
    cmp_dram(runs, w)


def _offset(k, n, width):
    """The offset of the k-th of n bars side by side, each width wide."""
    return (k - (n - 1) / 2) * width


def _run_latency_groups(run):
    """{'all allocations': pts, 'frees': pts, path: pts} and whether they
    come from ops.csv. pts = (x, cdf, tail, n)."""
    out = {}
    ops = run.ops
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
    for name, h in _latency_hists(run.latency).items():
        out[name] = summary_cdf_points(h) + (h["count"],)
    return out, False


def _latency_hists(lat):
    """The non-empty summary histograms: all allocations, per path, frees."""
    h = {"all allocations": lat["alloc"]}
    h.update(lat.get("alloc_by_path", {}))
    h["frees"] = lat["free"]
    return {k: v for k, v in h.items() if v["count"]}


def _group_order(names):
    def rank(g):
        if g == "all allocations":
            return -1
        if g == "frees":
            return 100
        return path_rank(g)
    return sorted(names, key=rank)


def cmp_latency_cdf(runs, w):
    timed = [(i, r) for i, r in enumerate(runs) if not r.functional]
    if not timed:
        w.skip("latency_cdf", NO_LATENCY)
        return
    groups, sources = {}, {}
    for i, r in timed:
        groups[i], sources[i] = _run_latency_groups(r)
    names = _group_order({k for g in groups.values() for k in g})
    fig, axes = plt.subplots(len(names), 2, figsize=(12, 2.6 * len(names) + 1.2), squeeze=False,
                             sharex="all")
    for row, name in enumerate(names):
        a1, a2 = axes[row]
        for i, r in timed:
            if name in groups[i]:
                x, cdf, tail, n = groups[i][name]
                draw_cdf_pair(a1, a2, f"{r.label} (n={n:,})", (x, cdf, tail), run_color(i), sources[i])
        style_cdf_axes(a1, a2, "operations")
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
        w.skip("latency_percentiles", NO_LATENCY)
        return
    hists = {i: _latency_hists(r.latency) for i, r in timed}
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
    drop_spare_axes(axes, len(names))
    suptitle(fig, "Latency percentiles per allocation path (summary.json), all runs overlaid", compare_title(runs))
    w.save(fig, "latency_percentiles")


def _zone_lock_waits(ax, locks):
    drawn = False
    for i, r, l in locks:
        drawn |= draw_wait_hist(ax, l["wait_histogram_log2_ns"], run_color(i),
                                f"{r.label} ({int(l['contentions']):,} waits)", lw=1.8)
    if drawn:
        ns_log_axis(ax)
        wait_hist_limits(ax, [l["wait_histogram_log2_ns"] for _, _, l in locks])
        top = max(max(l["wait_histogram_log2_ns"][1:] or [1]) for _, _, l in locks)
        ax.set_ylim(top=top * (40 if ax.get_yscale() == "log" else 1.35))
        ax.legend(loc="upper left", fontsize=7, ncol=2 if len(locks) > 2 else 1)
    else:
        no_data(ax, "no zone-lock waits in any run")
    ax.set_xlabel(WAIT_BUCKETS)
    ax.set_ylabel("contended acquisitions per bucket")
    ax.set_title("zone-lock wait distribution")


def _zone_lock_counts(ax, locks, x, colors):
    width = 0.4
    acq = [l["acquisitions"] for _, _, l in locks]
    con = [l["contentions"] for _, _, l in locks]
    ax.bar(x - width / 2, acq, width, color=colors, alpha=0.45, edgecolor=colors, label="acquisitions")
    ax.bar(x + width / 2, con, width, color=colors, hatch="///", edgecolor="black", lw=0.5, label="contended")
    for xi, a, c in zip(x, acq, con):
        ax.text(xi - width / 2, a, fmt_count(a), ha="center", va="bottom", fontsize=7)
        ax.text(xi + width / 2, c, fmt_count(c), ha="center", va="bottom", fontsize=7)
    ax.set_yscale("symlog", linthresh=1)
    count_ticks(ax.yaxis)
    ax.set_ylim(0, max(acq + [1]) * 60)
    ax.set_ylabel("count (log scale)")
    ax.set_title("zone-lock acquisitions and contentions")
    ax.legend(loc="upper left", fontsize=7, ncol=2)


def _zone_lock_total_wait(ax, locks, x, colors):
    tot = [l["waittime_ns"]["total"] / 1e6 for _, _, l in locks]
    bars = ax.bar(x, tot, 0.6, color=colors)
    label_bars(ax, bars, [f"{fmt_ns(l['waittime_ns']['total'])}\navg {fmt_ns(l['waittime_ns']['avg'])}"
                          for _, _, l in locks])
    ax.set_ylim(0, max(tot + [1e-6]) * 1.3)
    ax.set_ylabel("total wait, all CPUs (ms)")
    ax.set_title("zone-lock total wait")


def cmp_zone_lock(runs, w):
    locks = [(i, r, r.zone_lock()) for i, r in enumerate(runs)]
    locks = [(i, r, l) for i, r, l in locks if l is not None]
    if not locks:
        w.skip("zone_lock", "no run has hardware.locks (functional runs)")
        return
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.4), gridspec_kw={"width_ratios": [1.6, 1, 1]})
    _zone_lock_waits(axes[0], locks)
    x = np.arange(len(locks))
    colors = [run_color(i) for i, _, _ in locks]
    _zone_lock_counts(axes[1], locks, x, colors)
    _zone_lock_total_wait(axes[2], locks, x, colors)
    for ax in axes[1:]:
        ax.set_xticks(x, [r.label for _, r, _ in locks], rotation=20 if len(x) > 3 else 0)
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
    if all(one_sample_note(t) for _, _, t in tss):
        return _free_pages_at_end(runs, tss, keys, w)
    end = max(end_ns(t) for _, _, t in tss)
    scale, unit = time_unit(end)
    ncol = 1 if len(keys) <= 2 else 2
    nrow = math.ceil(len(keys) / ncol)
    fig, axes = plt.subplots(nrow, ncol, figsize=(6 * ncol + 2, 2.8 * nrow + 1.2), squeeze=False)
    for ax, key in zip(axes.flat, keys):
        have = [(i, r, t.zones[key]) for i, r, t in tss if key in t.zones]
        per, mu = mem_unit(max(float(z["free_pages"].max()) for _, _, z in have))
        for i, r, z in have:
            ax.plot(z["time_ns"] / scale, z["free_pages"] / per, color=run_color(i), lw=1.5,
                    marker=sample_marker(z["time_ns"].size), ms=3, label=r.label)
        ax.set_title(zone_name(key))
        ax.set_ylabel(f"free memory ({mu})")
        ax.set_xlabel(f"simulated time ({unit})")
        ax.set_xlim(0, end / scale * 1.02)
        ax.legend(fontsize=7)
    drop_spare_axes(axes, len(keys))
    suptitle(fig, "Free pages per zone over time (timeseries.csv), all runs overlaid", compare_title(runs))
    w.save(fig, "free_pages")


def _free_pages_at_end(runs, tss, keys, w):
    """Every run has one sample: grouped bars per zone instead of lines."""
    fig, ax = plt.subplots(figsize=(11, 0.5 * len(keys) * len(tss) + 1.8))
    n = len(tss)
    h = 0.8 / n
    y = np.arange(len(keys))
    top = max(float(t.zones[k]["free_pages"][-1]) for _, _, t in tss for k in keys if k in t.zones)
    per, mu = mem_unit(top)
    for j, (i, r, t) in enumerate(tss):
        vals = [t.zones[k]["free_pages"][-1] if k in t.zones else np.nan for k in keys]
        off = _offset(j, n, h)
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


def _path_shares_axis(ax, runs, names):
    """A log axis of the share of each run's allocations, in per cent."""
    ax.set_yscale("log")
    shares = [100 * r.summary["alloc_paths"].get(p, 0) / (r.summary["operations"]["allocs"] or 1)
              for r in runs for p in names]
    shares = [v for v in shares if v > 0]
    if shares:
        ax.set_ylim(min(shares) / 2, max(max(shares) * 2, 100))
    ax.yaxis.set_major_locator(ticker.LogLocator(base=10, numticks=12))
    ax.yaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: f"{v:.3g}%"))
    ax.yaxis.set_minor_formatter(ticker.NullFormatter())
    ax.set_ylabel("share of allocations (log scale)")
    ax.set_title("the same as a share of each run's allocations")


def cmp_alloc_paths(runs, w):
    names = [p for p in ALL_PATHS if any(r.summary["alloc_paths"].get(p, 0) for r in runs)]
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
        off = _offset(i, len(runs), width)
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
    _path_shares_axis(axes[1], runs, names)
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
        off = _offset(k, len(have), width)
        for ax, value, fmt in ((axes[0], lambda d: 100 * d["row_hit_rate"], "{:.1f}"),
                               (axes[1], lambda d: d["bandwidth_gbps"], "{:.3g}")):
            vals = [value(by[n]) if n in by else np.nan for n in nodes]
            bars = ax.bar(x + off, vals, width, color=run_color(i), label=r.label)
            label_bars(ax, bars, [fmt.format(v) for v in vals])
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
