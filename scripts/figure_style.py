"""The look shared by every figure: matplotlib settings (headless, Agg),
colours of paths, percentiles, runs and orders, and the titles.

Importing this module selects the Agg backend: every figure module imports
it before drawing.
"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

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


def run_title(run):
    s = run.summary
    mode = "functional" if run.functional else "timed"
    return (f"{s['scenario']} · seed {s['seed']} · {s['simulated_ns'] / 1e9:.4g} s simulated · "
            f"{mode} · {run.path}")


def compare_title(runs):
    return " vs ".join(f"{r.label} ({r.path})" for r in runs)


def suptitle(fig, title, subtitle):
    fig.suptitle(f"{title}\n{subtitle}", fontsize=11)


def zone_name(key):
    node, zone = key
    return f"node {node} {zone}"
