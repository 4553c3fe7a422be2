"""Hardware figures of one timed run (summary.json hardware): DRAM per node
and channel, time the CPUs spent in the allocator, and interconnect links
(docs/plots.md)."""

import math

import matplotlib.pyplot as plt
import numpy as np

from figure_axes import fmt_count, label_bars, legend_outside
from figure_style import run_title, suptitle

ROW_OUTCOMES = (("row_hits", "#2ca02c", "row hit"), ("row_misses", "#ff7f0e", "row miss (bank closed)"),
                ("row_conflicts", "#d62728", "row conflict"))
CPU_TIME = (("work_ns", "instruction work", "#1f77b4"), ("memory_stall_ns", "memory stalls", "#ff7f0e"),
            ("spinning_ns", "spinning on a lock", "#d62728"))


def plot_hardware(run, w):
    hw = run.hardware
    if hw and hw.get("dram"):
        fig_dram(run, w)
    else:
        w.skip("dram", "no hardware.dram in summary.json")
    if hw and hw.get("cpus"):
        fig_cpus(run, w)
    else:
        w.skip("cpus", "no hardware.cpus in summary.json")
    links = (hw or {}).get("interconnect", [])
    if links and any(l["transfers"] for l in links):
        fig_interconnect(run, w)
    else:
        w.skip("interconnect", "no interconnect transfers in this run"
               if links else "single node: no interconnect")


def _dram_entities(dram):
    """(label, figures, is_node) for every node and, where a node has
    several, its channels."""
    ents = []
    for d in sorted(dram, key=lambda d: d["node"]):
        ents.append((f"node {d['node']}", d, True))
        chans = d.get("channels", [])
        if len(chans) > 1:
            for c, ch in enumerate(chans):
                ents.append((f"n{d['node']} ch{c}", ch, False))
    return ents


def _dram_bandwidth(ax, ents, x):
    bw = [e[1]["bandwidth_gbps"] for e in ents]
    bars = ax.bar(x, bw, color=["#1f77b4" if e[2] else "#9ecae1" for e in ents])
    label_bars(ax, bars, [f"{v:.3g}" for v in bw])
    ax.set_ylabel("bandwidth (GB/s, run average)")
    ax.set_title("DRAM bandwidth")
    ax.set_ylim(0, max(bw + [1e-9]) * 1.15)


def _dram_row_outcomes(ax, ents, x):
    bottom = np.zeros(len(ents))
    for key, color, lab in ROW_OUTCOMES:
        tot = np.array([e[1]["row_hits"] + e[1]["row_misses"] + e[1]["row_conflicts"] for e in ents], float)
        share = np.divide([e[1][key] for e in ents], tot, out=np.zeros(len(ents)), where=tot > 0) * 100
        ax.bar(x, share, bottom=bottom, color=color, label=lab)
        bottom += share
    for xi, e in zip(x, ents):
        ax.text(xi, 101, f"{100 * e[1]['row_hit_rate']:.1f}%", ha="center", va="bottom", fontsize=7)
    ax.set_ylim(0, 112)
    ax.set_ylabel("share of requests (%)")
    ax.set_title("row-buffer outcomes (label: row-hit rate)")
    ax.legend(loc="lower right", fontsize=7, framealpha=0.9)


def _dram_delays(ax, ents, x):
    width = 0.38
    rl = [e[1].get("avg_read_latency_ns", np.nan) for e in ents]
    qd = [e[1].get("avg_queue_delay_ns", np.nan) for e in ents]
    ax.bar(x - width / 2, rl, width, color="#1f77b4", label="read latency")
    ax.bar(x + width / 2, qd, width, color="#ff7f0e", label="queueing delay")
    ax.set_ylabel("average per request (ns)")
    ax.set_title("DRAM read latency and queueing delay")
    ax.legend(loc="upper right", fontsize=7)
    ax.set_ylim(0, np.nanmax(rl + qd + [1]) * 1.25)


def fig_dram(run, w):
    dram = run.hardware["dram"]
    ents = _dram_entities(dram)
    x = np.arange(len(ents))
    labels = [e[0] for e in ents]
    fig, axes = plt.subplots(1, 3, figsize=(max(12, 1.0 * len(ents) * 3), 4.2))
    _dram_bandwidth(axes[0], ents, x)
    _dram_row_outcomes(axes[1], ents, x)
    _dram_delays(axes[2], ents, x)
    for ax in axes:
        ax.set_xticks(x, labels, rotation=30 if len(ents) > 4 else 0, ha="right" if len(ents) > 4 else "center")
        ax.grid(axis="x", visible=False)
        ax.set_xlim(-0.5 - 0.5 * (len(ents) < 3), len(ents) - 0.5 + 0.5 * (len(ents) < 3))
    reqs = ", ".join(f"node {d['node']}: {fmt_count(d['requests'])} requests ({d.get('preset', '?')})"
                     for d in sorted(dram, key=lambda d: d["node"]))
    suptitle(fig, "DRAM per node and channel (summary.json hardware.dram)", f"{run_title(run)}\n{reqs}")
    w.save(fig, "dram")


def fig_cpus(run, w):
    cpus = sorted(run.hardware["cpus"], key=lambda c: c["cpu"])
    sim = run.summary["simulated_ns"] or 1
    n = len(cpus)
    x = np.arange(n)
    fig, ax = plt.subplots(figsize=(min(max(8, 0.22 * n + 3), 18), 4.4))
    bottom = np.zeros(n)
    for key, lab, color in CPU_TIME:
        v = np.array([c.get(key, 0.0) for c in cpus]) / sim * 100
        ax.bar(x, v, bottom=bottom, color=color, label=lab, width=0.8)
        bottom += v
    busy = np.array([c["busy_share"] for c in cpus]) * 100
    other = np.clip(busy - bottom, 0, None)
    if other.max() > 0.01 * max(busy.max(), 1e-9):
        ax.bar(x, other, bottom=bottom, color="#bbbbbb", label="other busy time", width=0.8)
    ax.plot(x, busy, "_", color="black", ms=10, mew=1.5, label="busy share")
    step = max(1, math.ceil(n / 32))
    ax.set_xticks(x[::step], [str(c["cpu"]) for c in cpus][::step])
    ax.set_xlim(-0.7, n - 0.3)
    nodes = [c["node"] for c in cpus]
    for i in range(1, n):
        if nodes[i] != nodes[i - 1]:
            ax.axvline(i - 0.5, color="#444444", lw=1, ls="--")
    top = max(busy.max(), 1e-9)
    ax.set_ylim(0, top * 1.25)
    for node in sorted(set(nodes)):
        idx = [i for i in range(n) if nodes[i] == node]
        ax.text((idx[0] + idx[-1]) / 2, top * 1.15, f"node {node}", ha="center", fontsize=8)
    ax.set_xlabel("CPU")
    ax.set_ylabel("share of simulated time (%)")
    ax.grid(axis="x", visible=False)
    legend_outside(ax)
    mean_busy = busy.mean()
    mean_spin = np.mean([c["spinning_share"] for c in cpus]) * 100
    suptitle(fig, f"Time CPUs spent in the allocator (mean busy {mean_busy:.3g}%, spinning {mean_spin:.3g}%)",
             run_title(run))
    w.save(fig, "cpus")


def fig_interconnect(run, w):
    links = run.hardware["interconnect"]
    labels = [f"{l['from']}→{l['to']}" for l in links]
    x = np.arange(len(links))
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.8))
    axes[0].bar(x, [l["bytes"] / 2**20 for l in links], color="#1f77b4")
    axes[0].set_ylabel("data carried (MiB)")
    axes[0].set_title("bytes per link")
    axes[1].bar(x, [100 * l.get("busy_share", np.nan) for l in links], color="#ff7f0e")
    axes[1].set_ylabel("busy (% of simulated time)")
    axes[1].set_title("link utilisation")
    axes[2].bar(x, [l.get("avg_queue_delay_ns", np.nan) for l in links], color="#d62728")
    axes[2].set_ylabel("average queueing delay (ns)")
    axes[2].set_title("queueing delay per transfer")
    for ax in axes:
        ax.set_xticks(x, labels)
        ax.set_xlabel("link (node → node)")
        ax.grid(axis="x", visible=False)
    suptitle(fig, "Interconnect links (summary.json hardware.interconnect)", run_title(run))
    w.save(fig, "interconnect")
