"""Lock figures of one timed run (summary.json hardware.locks): wait and
hold times per lock class and busiest instances, the wait-time
distribution, and lockdep's call sites of the contentions (docs/plots.md). The wait histograms are drawn the same way
when runs are compared."""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib import ticker

from figure_axes import count_ticks, fmt_count, fmt_ns, legend_outside, ns_log_axis
from figure_style import run_color, run_title, suptitle

WAIT_BUCKETS = "wait time (log scale; buckets [2^(b−1), 2^b) ns)"


def plot_locks(run, w):
    hw = run.hardware
    if hw and hw.get("locks"):
        fig_lock_times(run, w)
        fig_lock_wait_histogram(run, w)
        fig_lock_contention_points(run, w)
    else:
        for name in ("lock_times", "lock_wait_histogram", "lock_contention_points"):
            w.skip(name, "no hardware.locks in summary.json")


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


def _row_label(label, lock):
    if lock is None:
        return label
    acq, con = lock["acquisitions"], lock["contentions"]
    share = f" ({100 * con / acq:.2g}%)" if acq else ""
    return f"{label}\n{fmt_count(acq)} acq · {fmt_count(con)} contended{share}"


def _draw_time_ranges(ax, rows, key, title):
    """Per row a bar from min to max with the average as a dot."""
    color = "#d62728" if key == "waittime_ns" else "#1f77b4"
    for yi, (label, lock, is_class) in enumerate(rows):
        if lock is None:
            continue
        t = lock[key]
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


def _draw_totals(ax, rows, height):
    h = 0.38
    for yi, (label, lock, is_class) in enumerate(rows):
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
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12 * 5 / height), ncol=2)


def fig_lock_times(run, w):
    rows = _lock_rows(run.hardware)
    n = len(rows)
    height = 0.42 * n + 2.2
    fig, axes = plt.subplots(1, 3, figsize=(15, height), sharey=True,
                             gridspec_kw={"width_ratios": [1, 1, 1]})
    _draw_time_ranges(axes[0], rows, "waittime_ns", "wait per contended acquisition")
    _draw_time_ranges(axes[1], rows, "holdtime_ns", "hold time per acquisition")
    _draw_totals(axes[2], rows, height)
    axes[0].set_yticks(np.arange(n), [_row_label(label, lock) for label, lock, _ in rows])
    axes[0].invert_yaxis()
    for ax in axes:
        ax.grid(axis="y", visible=False)
    axes[0].tick_params(axis="y", labelsize=7.5)
    suptitle(fig, "Lock wait and hold times (summary.json hardware.locks; classes and their busiest instances)",
             run_title(run))
    w.save(fig, "lock_times")


def draw_wait_hist(ax, hist, color, label, filled=False, lw=1.5):
    """A wait_histogram_log2_ns as steps on a duration axis; False when it
    has no buckets to draw."""
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
        count_ticks(ax.yaxis)
        ax.yaxis.set_minor_formatter(ticker.NullFormatter())
    else:
        ax.set_ylim(bottom=0)
        count_ticks(ax.yaxis)


def fig_lock_wait_histogram(run, w):
    locks = run.hardware["locks"]
    classes = [c for c in locks["classes"] if sum(c["wait_histogram_log2_ns"]) > 0]
    if not classes:
        w.skip("lock_wait_histogram", "no lock ever waited in this run")
        return
    fig, axes = plt.subplots(len(classes), 1, figsize=(11, 3.6 * len(classes)), squeeze=False)
    for ax, c in zip(axes[:, 0], classes):
        hist = c["wait_histogram_log2_ns"]
        draw_wait_hist(ax, hist, "#555555",
                       f"{c['class']}: all instances ({int(sum(hist)):,} waits)", filled=True)
        members = [i for i in locks.get("instances", [])
                   if i["class"] == c["class"] and sum(i["wait_histogram_log2_ns"]) > 0]
        members.sort(key=lambda i: sum(i["wait_histogram_log2_ns"]), reverse=True)
        for k, i in enumerate(members[:8]):
            draw_wait_hist(ax, i["wait_histogram_log2_ns"], run_color(k),
                           f"{i.get('instance', '?')} ({int(sum(i['wait_histogram_log2_ns'])):,} waits)")
        ns_log_axis(ax)
        wait_hist_limits(ax, [hist] + [i["wait_histogram_log2_ns"] for i in members[:8]])
        ax.set_xlabel(WAIT_BUCKETS)
        ax.set_ylabel("contended acquisitions\nper bucket" + (" (log)" if ax.get_yscale() == "log" else ""))
        ax.set_title(f"{c['class']}: {int(c['contentions']):,} contended of {int(c['acquisitions']):,} "
                     f"acquisitions, average wait {fmt_ns(c['waittime_ns']['avg'])}")
        legend_outside(ax)
    suptitle(fig, "Lock wait-time distribution (wait_histogram_log2_ns)", run_title(run))
    w.save(fig, "lock_wait_histogram")


def _draw_points(ax, points, total, color, title):
    """Horizontal bars, one per call site, labelled with count and share."""
    sites = [p["site"] for p in points]
    counts = [p["count"] for p in points]
    y = np.arange(len(points))
    ax.barh(y, counts, 0.6, color=color)
    for yi, v in zip(y, counts):
        ax.text(v, yi, f" {fmt_count(v)} ({100 * v / total:.3g}%)" if total else f" {fmt_count(v)}",
                va="center", fontsize=8)
    ax.set_yticks(y, sites)
    ax.invert_yaxis()
    ax.set_xlim(0, max(counts) * 1.35)
    ax.xaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: fmt_count(v)))
    ax.set_xlabel("contentions")
    ax.set_title(title)
    ax.grid(axis="y", visible=False)


def fig_lock_contention_points(run, w):
    """Per contended class: where CPUs waited, and who held the lock then."""
    classes = [c for c in run.hardware["locks"]["classes"] if c.get("contention_points")]
    if not classes:
        w.skip("lock_contention_points", "no lock was contended, or summary.json has no contention_points")
        return
    rows = max(max(len(c["contention_points"]), len(c.get("contending_points", []))) for c in classes)
    fig, axes = plt.subplots(len(classes), 2, figsize=(13, (0.5 * rows + 2.2) * len(classes)), squeeze=False)
    for (left, right), c in zip(axes, classes):
        total = c["contentions"]
        _draw_points(left, c["contention_points"], total, "#d62728",
                     f"{c['class']}: where CPUs waited (contention points)")
        held = c.get("contending_points", [])
        unnamed = total - sum(p["count"] for p in held)
        note = (f"\n({fmt_count(unnamed)} came before the lock's first acquisition had arrived: no holder site)"
                if unnamed > 0 else "")
        if held:
            _draw_points(right, held, total, "#1f77b4",
                         f"{c['class']}: where the holder took the lock (contending points){note}")
        else:
            right.axis("off")
            right.text(0.5, 0.5, "no contending points", ha="center", va="center")
    suptitle(fig, f"Lock contention call sites (lockdep's contention and contending points; shares of "
             f"contentions)", run_title(run))
    w.save(fig, "lock_contention_points")
