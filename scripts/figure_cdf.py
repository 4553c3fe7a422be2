"""Latency distributions as CDF and tail (1 − CDF) curves, for one run's
figures and for runs overlaid: the points, from ops.csv samples or from
summary.json's percentiles, and the pair of axes they are drawn on."""

import math

import numpy as np

from figure_axes import count_log_axis, ns_log_axis, share_ticks
from summary_json import PERCENTILES

SOURCE_OPS = "distributions from ops.csv"
SOURCE_SUMMARY = ("percentile points (p50, p90, p99, p99.9, max) from summary.json; "
                  "run with --set record.ops=true for full distributions")
NEEDS_OPS = "needs ops.csv (run with --set record.ops=true)"


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
    for k, p in PERCENTILES:
        xs.append(h[k])
        cdf.append(p)
        tail.append(1 - p)
    xs.append(h["max"])
    cdf.append(1.0)
    tail.append(1.0 / h["count"] if h["count"] else 1.0)
    return clip_latency(np.array(xs, dtype=float)), np.array(cdf), np.array(tail)


def summary_groups(h_by_key):
    """{key: (x, cdf, tail)} for the non-empty summary histograms."""
    return {k: summary_cdf_points(h) for k, h in h_by_key.items() if h["count"]}


def log_bins(arrays, per_decade=10):
    lo = min(float(np.min(a)) for a in arrays if a.size)
    hi = max(float(np.max(a)) for a in arrays if a.size)
    lo = math.floor(math.log10(max(lo, 1.0)))
    hi = math.ceil(math.log10(max(hi, 1.0)) + 1e-9)
    if hi <= lo:
        hi = lo + 1
    return np.logspace(lo, hi, (hi - lo) * per_decade + 1)


def draw_cdf_pair(ax_cdf, ax_tail, label, pts, color, from_ops):
    """One distribution on both axes: steps for samples, dashed lines
    through the points for summary percentiles."""
    x, cdf, tail = pts
    if from_ops:
        ax_cdf.plot(x, cdf, color=color, label=label, lw=1.4, ls="-", drawstyle="steps-post")
        ax_tail.plot(x, tail, color=color, label=label, lw=1.4, ls="-", drawstyle="steps-pre")
    else:
        ax_cdf.plot(x, cdf, color=color, label=label, lw=1, ls="--", marker="o", ms=4)
        ax_tail.plot(x, tail, color=color, label=label, lw=1, ls="--", marker="o", ms=4)


def style_cdf_axes(ax_cdf, ax_tail, what):
    ns_log_axis(ax_cdf)
    ns_log_axis(ax_tail)
    ax_cdf.set_ylim(0, 1.02)
    ax_cdf.set_ylabel(f"share of {what} ≤ latency")
    ax_tail.set_yscale("log")
    ax_tail.set_ylabel(f"share of {what} ≥ latency (log)")
    share_ticks(ax_tail.yaxis)
    for ax in (ax_cdf, ax_tail):
        ax.set_xlabel("latency (log scale)")
    ax_cdf.set_title("CDF")
    ax_tail.set_title("tail: 1 − CDF")


def draw_latency_hist(ax, data, color_of, label_of, ylabel):
    """Step histograms of latency samples ({key: array}) on log bins, 10
    per decade, with log axes."""
    bins = log_bins([clip_latency(v) for v in data.values()])
    for k, v in data.items():
        v = clip_latency(v)
        ax.hist(v, bins=bins, histtype="step", lw=1.5, color=color_of(k), label=f"{label_of(k)} (n={v.size:,})")
    ns_log_axis(ax)
    count_log_axis(ax, "y")
    ax.set_xlabel("latency (log scale; 10 bins per decade)")
    ax.set_ylabel(ylabel)
