"""Free-memory figures of one run from timeseries.csv: buddyinfo over time
as a heatmap, the fragmentation indices (unusable, extfrag) per order, and
free pages per zone (docs/plots.md). A run with one sample (at its end)
gets bars and per-order lines instead of time series."""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib import colors as mcolors
from matplotlib import ticker

from figure_axes import count_ticks, fmt_count, legend_outside, mem_unit, sample_marker, time_unit
from figure_style import run_color, run_title, suptitle, zone_name

FRAGMENTATION_INDICES = (("unusable", "unusable free space index"), ("extfrag", "external fragmentation index"))
EXTFRAG_NOTE = "extfrag −1 (a free block of that order or larger exists) is not drawn"


def plot_memory(run, w, orders=None):
    ts = run.timeseries
    if ts:
        fig_buddyinfo_heatmap(run, ts, w)
        fig_fragmentation(run, ts, w, orders)
        fig_free_pages(run, ts, w)
    else:
        why = "timeseries.csv is missing or empty"
        for name in ("buddyinfo_heatmap", "fragmentation_index", "free_pages"):
            w.skip(name, why)


def end_ns(ts):
    """The time of the last sample of any zone."""
    return max(float(z["time_ns"].max()) for z in ts.zones.values())


def one_sample_note(ts):
    """'' for a time series, else a note (for a subtitle) on how to get one."""
    if max(z["time_ns"].size for z in ts.zones.values()) > 1:
        return ""
    return ("\none sample, at the end of the run: set record.interval (e.g. --set record.interval=10ms) "
            "for a time series")


def _time_edges(t):
    """Cell edges around sample times (midpoints between samples)."""
    if t.size == 1:
        half = max(t[0] * 0.05, 1.0)
        return np.array([t[0] - half, t[0] + half])
    mids = (t[:-1] + t[1:]) / 2
    first = max(t[0] - (mids[0] - t[0]), 0.0)
    last = t[-1] + (t[-1] - mids[-1])
    return np.concatenate([[first], mids, [last]])


def _label_cells(ax, edges, data, norm, orders):
    """The count in every cell wide enough for a label."""
    span = edges[-1] - edges[0]
    for j in range(data.shape[1]):
        if (edges[j + 1] - edges[j]) < 0.04 * span:
            continue  # too narrow for a label
        cx = (edges[j] + edges[j + 1]) / 2
        for o in range(orders):
            v = data[o, j]
            if np.isfinite(v):
                bright = v > 0 and norm(v) > 0.6
                ax.text(cx, o, fmt_count(v), ha="center", va="center", fontsize=6.5,
                        color="black" if bright else ("white" if v > 0 else "#999999"))


def fig_buddyinfo_heatmap(run, ts, w):
    keys = sorted(ts.zones)
    n = len(keys)
    scale, unit = time_unit(end_ns(ts))
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
        count_ticks(cb.ax.yaxis)
        cb.ax.yaxis.set_minor_formatter(ticker.NullFormatter())
        ax.set_yticks(range(ts.orders))
        ax.set_ylabel("order")
        ax.set_title(f"{zone_name(key)}: free blocks per order (buddyinfo)")
        ax.grid(False)
        if t.size <= 12:
            _label_cells(ax, edges, data, norm, ts.orders)
        ax.set_xlabel(f"simulated time ({unit})")
        if t.size == 1:
            ax.set_xticks([t[0] / scale])
    suptitle(fig, "Buddyinfo over time (timeseries.csv nr_free_*)", run_title(run) + one_sample_note(ts))
    w.save(fig, "buddyinfo_heatmap")


def _index_values(z, name):
    """A zone's samples x orders of an index; extfrag −1 (a block of this
    order is free) as NaN."""
    data = z[name].copy()
    if name == "extfrag":
        data[data < 0] = np.nan
    return data


def fig_fragmentation(run, ts, w, orders=None):
    if not one_sample_note(ts):
        return fig_fragmentation_over_time(run, ts, w, orders)
    keys = sorted(ts.zones)
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.2))
    x = np.arange(ts.orders)
    for i, key in enumerate(keys):
        for ax, (name, _) in zip(axes, FRAGMENTATION_INDICES):
            y = _index_values(ts.zones[key], name)[-1]
            ax.plot(x, y, marker="o", ms=4, lw=1.3, color=run_color(i), label=zone_name(key))
    for ax, (_, title) in zip(axes, FRAGMENTATION_INDICES):
        ax.set_xticks(x)
        ax.set_xlabel("order")
        ax.set_ylabel("index (0 to 1)")
        ax.set_ylim(-0.03, 1.03)
        ax.set_title(f"{title} at the end of the run")
    legend_outside(axes[1])
    suptitle(fig, "Fragmentation indices per order (debugfs unusable_index, extfrag_index)",
             f"{run_title(run)}\n{EXTFRAG_NOTE}" + one_sample_note(ts))
    w.save(fig, "fragmentation_index")


def fig_fragmentation_over_time(run, ts, w, orders=None):
    keys = sorted(ts.zones)
    n = len(keys)
    sel = [o for o in (orders if orders is not None else range(ts.orders)) if o < ts.orders]
    scale, unit = time_unit(end_ns(ts))
    fig, axes = plt.subplots(n, 2, figsize=(12, 2.5 * n + 1.2), squeeze=False, sharex=True)
    cmap = plt.get_cmap("viridis")
    norm = mcolors.BoundaryNorm(np.arange(-0.5, ts.orders + 0.5), cmap.N)
    for row, key in enumerate(keys):
        z = ts.zones[key]
        t = z["time_ns"] / scale
        few = t.size <= 30
        for col, (name, title) in enumerate(FRAGMENTATION_INDICES):
            ax = axes[row, col]
            data = _index_values(z, name)
            drawn = 0
            for o in sel:
                y = data[:, o]
                if np.all(np.isnan(y)):
                    continue
                ax.plot(t, y, color=cmap(norm(o)), lw=1.3, marker=sample_marker(t.size), ms=3)
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
             f"{run_title(run)}\n{EXTFRAG_NOTE}")
    w.save(fig, "fragmentation_index")


def fig_free_pages(run, ts, w):
    managed = {(z["node"], z["zone"]): z["managed_pages"] for z in run.summary["zones"]}
    if one_sample_note(ts):
        _free_pages_at_end(run, ts, managed, w)
    else:
        _free_pages_over_time(run, ts, managed, w)


def _free_pages_at_end(run, ts, managed, w):
    keys = sorted(ts.zones)
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


def _free_pages_over_time(run, ts, managed, w):
    keys = sorted(ts.zones)
    end = end_ns(ts)
    scale, unit = time_unit(end)
    any_fail = any(np.nansum(ts.zones[k]["failures"]) > 0 for k in keys)
    nrows = 3 if any_fail else 2
    per, mu = mem_unit(max(float(ts.zones[k]["free_pages"].max()) for k in keys))
    fig, axes = plt.subplots(nrows, 1, figsize=(11, 2.9 * nrows + 0.6), sharex=True)
    for i, key in enumerate(keys):
        z = ts.zones[key]
        t = z["time_ns"] / scale
        style = dict(color=run_color(i), lw=1.5, marker=sample_marker(t.size), ms=3, label=zone_name(key))
        axes[0].plot(t, z["free_pages"] / per, **style)
        m = managed.get(key)
        if m:
            axes[1].plot(t, 100 * z["free_pages"] / m, **style)

    axes[0].set_ylabel(f"free memory ({mu})")
    axes[0].set_title(f"free pages per zone (4 KiB pages, shown in {mu})")
    axes[1].set_ylabel("free (% of managed)")
    axes[1].set_ylim(-2, 102)
    axes[1].set_title("free pages as a share of the zone's managed pages")
    if any_fail:
        # failures counts the whole run's failed allocations: the same in every zone's row.
        z = ts.zones[keys[0]]
        axes[2].plot(z["time_ns"] / scale, z["failures"], color="#d62728", lw=1.5,
                     marker=sample_marker(z["time_ns"].size), ms=3)
        axes[2].set_ylabel("failed allocations\n(cumulative)")
        axes[2].set_title("allocation failures so far (whole run, all zones)")
    axes[-1].set_xlabel(f"simulated time ({unit})")
    for ax in axes:
        ax.set_xlim(0, end / scale * 1.02)
    legend_outside(axes[0])
    suptitle(fig, "Free pages over time (timeseries.csv)", run_title(run))
    w.save(fig, "free_pages")
