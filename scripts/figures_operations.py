"""Operation-count figures of one run (summary.json, timed or functional):
allocations per path and operations per order (docs/plots.md)."""

import matplotlib.pyplot as plt
import numpy as np

from alloc_paths import path_rank
from figure_axes import count_log_axis, fmt_count, no_data
from figure_style import path_color, run_title, suptitle

OP_COLORS = (("allocs", "#1f77b4"), ("frees", "#2ca02c"), ("failures", "#d62728"))


def fig_alloc_paths(run, w):
    s = run.summary
    paths = s["alloc_paths"]
    names = sorted(paths, key=path_rank)
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
    rows = sorted(run.summary["by_order"], key=lambda r: r["order"])
    fig, ax = plt.subplots(figsize=(max(6, 0.7 * len(rows) + 3), 3.8))
    if not rows:
        no_data(ax, "no operations")
    else:
        x = np.arange(len(rows))
        width = 0.27
        for i, (key, color) in enumerate(OP_COLORS):
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
