"""The allocation paths of summary.json's alloc_paths and of ops.csv, in
the orders that figures, tables and groupings use."""

# The allocation paths from the costliest to the cheapest: an allocation that
# took several paths is grouped under the first of these it took, as
# summary.json's latency_ns.alloc_by_path does.
PATH_ORDER = ("failed", "fallback_node", "fallback_zone", "steal", "claim",
              "highatomic", "buddy", "pcp_refill", "pcp_hit")
# Every alloc_paths counter, in the order figures and tables show them.
ALL_PATHS = ("pcp_hit", "pcp_refill", "buddy", "claim", "steal", "highatomic",
             "fallback_zone", "fallback_node", "slowpath", "cma", "failed")


def path_group(path):
    """The costliest path an allocation took ('' if none is known); path is
    ops.csv's path column, the paths joined by '+'."""
    names = path.split("+") if path else []
    for p in PATH_ORDER:
        if p in names:
            return p
    return names[0] if names else ""


def path_rank(p):
    """Sort key: the position of p in ALL_PATHS, unknown paths last."""
    return ALL_PATHS.index(p) if p in ALL_PATHS else len(ALL_PATHS)
