"""The shapes of summary.json and run-info.json (docs/results.md), for
json_shape.check."""

from json_shape import INT, NUM, STR

HIST_KEYS = ("count", "mean", "p50", "p90", "p99", "p99.9", "max")
PERCENTILES = (("p50", 0.5), ("p90", 0.9), ("p99", 0.99), ("p99.9", 0.999))

HIST = {k: NUM for k in HIST_KEYS}
MINMAX = {"min": NUM, "max": NUM, "total": NUM, "avg": NUM}
LOCK = {
    "class": STR, "instance?": STR, "instances?": INT,
    "acquisitions": NUM, "contentions": NUM, "contention_share?": NUM,
    "con_bounces?": NUM, "acq_bounces?": NUM,
    "waittime_ns": MINMAX, "holdtime_ns": MINMAX,
    "trylock_acquisitions?": NUM, "trylock_failures?": NUM,
    "line_transfers?": NUM, "transfer_time_ns?": NUM,
    "wait_histogram_log2_ns": [NUM],
    "contention_points?": [{"site": STR, "count": NUM}],
    "contending_points?": [{"site": STR, "count": NUM}],
}
DRAM_FIGURES = {
    "requests": NUM, "reads?": NUM, "writes?": NUM,
    "avg_read_latency_ns?": NUM, "avg_write_latency_ns?": NUM,
    "bandwidth_gbps": NUM, "row_hits": NUM, "row_misses": NUM,
    "row_conflicts": NUM, "row_hit_rate": NUM, "avg_queue_delay_ns?": NUM,
    "refreshes?": NUM,
}
SUMMARY = {
    "scenario": STR,
    "seed": INT,
    "simulated_ns": NUM,
    "operations": {"total": NUM, "allocs": NUM, "failures": NUM, "frees": NUM,
                   "skipped_frees?": NUM},
    "by_order": [{"order": INT, "allocs": NUM, "failures": NUM, "frees": NUM}],
    "by_class?": [{"class": STR, "gfp?": STR, "allocs": NUM, "failures": NUM,
                   "pages_allocated?": NUM}],
    "alloc_paths": {"*": NUM},
    "live_pages_at_end?": NUM,
    "zones": [{"node": INT, "zone": STR, "managed_pages": NUM, "free_pages": NUM,
               "nr_free": [NUM], "watermark_boost?": NUM,
               "nr_reserved_highatomic?": NUM}],
    "events?": {"*": NUM},
    "latency_ns?": {
        "alloc": HIST, "free": HIST,
        "alloc_by_order?": [dict(HIST, order=INT)],
        "free_by_order?": [dict(HIST, order=INT)],
        "alloc_by_path?": {"*": HIST},
        "by_cpu?": [dict(HIST, cpu=INT)],
        "by_node?": [dict(HIST, node=INT)],
    },
    "hardware?": {
        "cpus?": [{"cpu": INT, "node": INT, "busy_ns": NUM, "busy_share": NUM,
                   "work_ns?": NUM, "memory_stall_ns?": NUM, "spinning_ns": NUM,
                   "spinning_share": NUM, "touches?": NUM}],
        "locks?": {"classes": [LOCK], "instances?": [LOCK]},
        "dram?": [dict(DRAM_FIGURES, node=INT, **{"preset?": STR,
                                                 "channels?": [DRAM_FIGURES]})],
        "interconnect?": [{"from": INT, "to": INT, "transfers": NUM, "bytes": NUM,
                           "busy_share?": NUM, "avg_queue_delay_ns?": NUM,
                           "max_queue_delay_ns?": NUM}],
        "memory?": {"*": NUM},
    },
}
RUN_INFO = {"host_seconds?": NUM, "operations_per_host_second?": NUM,
            "host_cpu_seconds?": NUM, "operations_per_host_cpu_second?": NUM,
            "simulated_seconds_per_host_second?": NUM, "buddysim_version?": STR,
            "finished_at?": STR}
