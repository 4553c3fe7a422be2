"""Latency figures of one timed run: CDFs and histograms per allocation
path and per order, percentiles by path, order, CPU and node, and the
latency over simulated time (docs/plots.md)."""

import math

import matplotlib.pyplot as plt
import numpy as np

from alloc_paths import path_rank
from figure_axes import count_ticks, fmt_count, fmt_ns, legend_outside, no_data, ns_log_axis, time_unit
from figure_cdf import (NEEDS_OPS, SOURCE_OPS, SOURCE_SUMMARY, cdf_points, clip_latency, draw_cdf_pair,
                        draw_latency_hist, style_cdf_axes, summary_groups)
from figure_style import PCT_KEYS, PCT_STYLE, order_colors, path_color, run_title, suptitle


def plot_latency(run, ops, w):
    """Every latency figure of a timed run; ops is None without ops.csv
    latencies (CDFs then come from summary.json's percentiles)."""
    fig_latency_by_path(run, ops, w)
    fig_latency_by_order(run, ops, w)
    fig_latency_percentiles(run, w)
    if ops is not None:
        fig_latency_timeline(run, ops, w)
    else:
        w.skip("latency_timeline", NEEDS_OPS)


def fig_latency_by_path(run, ops, w):
    lat = run.latency
    if ops is not None:
        groups = {p: cdf_points(v) for p, v in ops.alloc_latency_by_group().items()}
        counts = {p: v.size for p, v in ops.alloc_latency_by_group().items()}
    else:
        by_path = lat.get("alloc_by_path", {})
        groups = summary_groups(by_path)
        counts = {p: by_path[p]["count"] for p in groups}
    groups = {p: groups[p] for p in sorted(groups, key=path_rank)}
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(12, 4.4))
    for p, pts in groups.items():
        draw_cdf_pair(a1, a2, f"{p} (n={counts[p]:,})", pts, path_color(p), ops is not None)
    style_cdf_axes(a1, a2, "allocations")
    if groups:
        legend_outside(a2, title="costliest path taken")
    suptitle(fig, "Allocation latency per path (each allocation under the costliest path it took)",
             f"{run_title(run)}\n{SOURCE_OPS if ops is not None else SOURCE_SUMMARY}")
    w.save(fig, "latency_cdf_by_path")

    if ops is None:
        w.skip("latency_hist_by_path", NEEDS_OPS)
        return
    data = ops.alloc_latency_by_group()
    fig, ax = plt.subplots(figsize=(10, 4.4))
    draw_latency_hist(ax, {p: data[p] for p in sorted(data, key=path_rank)}, path_color, str,
                      "allocations per bin (log scale)")
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
            pts = summary_groups(hs)
            counts = {o: hs[o]["count"] for o in pts}
        colors = order_colors(list(pts))
        for o in sorted(pts):
            draw_cdf_pair(a1, a2, f"order {o} (n={counts[o]:,})", pts[o], colors[o], ops is not None)
        style_cdf_axes(a1, a2, what)
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
        w.skip("latency_hist_by_order", NEEDS_OPS)
        return
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.2), sharey=True)
    for ax, alloc, what in ((axes[0], True, "allocations"), (axes[1], False, "frees")):
        data = ops.latency_by_order(alloc)
        if not data:
            no_data(ax, f"no {what}")
            continue
        colors = order_colors(list(data))
        draw_latency_hist(ax, {o: data[o] for o in sorted(data)}, colors.get, lambda o: f"order {o}",
                          "operations per bin (log scale)")
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


def _nonempty(hists, key):
    """The histograms with samples, sorted by key."""
    return sorted((h for h in hists if h["count"]), key=lambda h: h[key])


def fig_latency_percentiles(run, w):
    lat = run.latency
    fig, axes = plt.subplots(3, 2, figsize=(12, 11))
    ax = axes[0, 0]
    hists = [lat["alloc"], lat["free"]]
    _percentile_panel(ax, [f"alloc\nn={lat['alloc']['count']:,}", f"free\nn={lat['free']['count']:,}"],
                      hists, "all operations", "")
    by_path = lat.get("alloc_by_path", {})
    names = [p for p in sorted(by_path, key=path_rank) if by_path[p]["count"]]
    _percentile_panel(axes[0, 1], [f"{p}\nn={fmt_count(by_path[p]['count'])}" for p in names],
                      [by_path[p] for p in names], "allocations by costliest path", "")
    axes[0, 1].tick_params(axis="x", labelsize=7)
    for ax, key, what in ((axes[1, 0], "alloc_by_order", "allocations"),
                          (axes[1, 1], "free_by_order", "frees")):
        hs = _nonempty(lat.get(key, []), "order")
        _percentile_panel(ax, [str(h["order"]) for h in hs], hs, f"{what} by order", "order",
                          connect=True)
    hs = _nonempty(lat.get("by_cpu", []), "cpu")
    _percentile_panel(axes[2, 0], [str(h["cpu"]) for h in hs], hs,
                      "operations by CPU (allocations and frees)", "CPU", connect=True, max_labels=16)
    hs = _nonempty(lat.get("by_node", []), "node")
    _percentile_panel(axes[2, 1], [f"node {h['node']}\nn={fmt_count(h['count'])}" for h in hs], hs,
                      "operations by node of the page", "")
    legend_outside(axes[0, 1], title="statistic")
    suptitle(fig, "Latency percentiles (summary.json latency_ns)", run_title(run))
    w.save(fig, "latency_percentiles")


def _binned_stats(t, v, end, nbins):
    """Per time bin of [0, end): p50, p99 and max of v (NaN in empty bins)
    and the sample count."""
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
    return edges, stats, count


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
        edges, stats, count = _binned_stats(t, v, end, nbins)
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
        count_ticks(a2.yaxis)
        a1.set_xlim(0, end / scale)
    suptitle(fig, "Allocation latency over time (per time bin)", f"{run_title(run)}\n{SOURCE_OPS}")
    w.save(fig, "latency_timeline")
