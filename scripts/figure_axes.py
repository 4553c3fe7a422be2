"""Axis helpers shared by the figures: number and duration labels, log
axes that stay readable, units for memory and time axes, and small
annotations (no-data notes, legends beside the axes, labels on bars)."""

import math

from matplotlib import ticker


def fmt_ns(v):
    """A duration in ns as a short label: 28 ns, 6.7 µs, 1.2 ms, 3 s."""
    if v == 0:
        return "0"
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if abs(v) >= scale:
            return f"{v / scale:.3g} {unit}"
    return f"{v:.3g} ns"


def fmt_count(v):
    """A count as a short label: 12, 3.4k, 5.6M, 7.8G."""
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


def count_ticks(axis):
    """Label an axis's major ticks as counts (fmt_count)."""
    axis.set_major_formatter(ticker.FuncFormatter(lambda v, _: fmt_count(v)))


def share_ticks(axis):
    """Label an axis of shares (0 to 1) in per cent."""
    axis.set_major_formatter(ticker.FuncFormatter(lambda v, _: f"{100 * v:.3g}%"))


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


def ns_log_axis(ax, axis="x"):
    """Log scale with duration labels (ns, µs, ms, s) at decades."""
    a = ax.xaxis if axis == "x" else ax.yaxis
    (ax.set_xscale if axis == "x" else ax.set_yscale)("log")
    a.set_major_locator(ticker.LogLocator(base=10, numticks=12))
    a.set_major_formatter(ticker.FuncFormatter(lambda v, _: fmt_ns(v)))
    a.set_minor_formatter(ticker.NullFormatter())


def count_log_axis(ax, axis="y"):
    """Log scale with count labels (fmt_count)."""
    a = ax.yaxis if axis == "y" else ax.xaxis
    (ax.set_yscale if axis == "y" else ax.set_xscale)("log")
    count_ticks(a)
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


def sample_marker(n):
    """Markers on a line of n samples when they are few enough to see."""
    return "o" if n <= 30 else None


def no_data(ax, text):
    ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center",
            fontsize=9, color="#666666", wrap=True)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)


def legend_outside(ax, **kw):
    return ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0, **kw)


def label_bars(ax, bars, texts, fontsize=7):
    """Write each text centred above its bar."""
    for b, text in zip(bars, texts):
        ax.text(b.get_x() + b.get_width() / 2, b.get_height(), text, ha="center", va="bottom",
                fontsize=fontsize)


def drop_spare_axes(axes, used):
    """Hide the axes of a grid beyond the first used ones."""
    for ax in list(axes.flat)[used:]:
        ax.axis("off")
