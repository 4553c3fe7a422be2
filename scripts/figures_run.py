"""Every figure of one results folder (plot.py): which figures apply to the
run, and why the others are skipped (docs/plots.md)."""

from figures_hardware import plot_hardware
from figures_latency import plot_latency
from figures_locks import plot_locks
from figures_memory import plot_memory
from figures_operations import fig_alloc_paths, fig_ops_by_order

TIMED_ONLY = ("latency_cdf_by_path", "latency_hist_by_path", "latency_cdf_by_order",
              "latency_hist_by_order", "latency_percentiles", "latency_timeline",
              "lock_times", "lock_wait_histogram", "lock_contention_points", "dram", "cpus", "interconnect")


def plot_run(run, w, orders=None):
    """Every figure for one results folder; orders limits the orders drawn
    in fragmentation_index."""
    fig_alloc_paths(run, w)
    fig_ops_by_order(run, w)
    if run.functional:
        for name in TIMED_ONLY:
            w.skip(name, "no latency_ns or hardware in summary.json (a functional run, --functional)")
    else:
        ops = run.ops
        if ops is not None and not ops.has_latency:
            ops = None
        plot_latency(run, ops, w)
        plot_locks(run, w)
        plot_hardware(run, w)
    plot_memory(run, w, orders)
