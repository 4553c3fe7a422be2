#!/usr/bin/python3
"""Write the ftrace excerpt replayed by the shipped `replay-ftrace` scenario.

The excerpt imitates `trace-cmd report` for `trace-cmd record -e 'kmem:mm_page*'`
on a 4-CPU x86-64 machine running a 6.x kernel: page allocations of orders
0-3 and 9 with the GFP masks real callers use, single frees (mm_page_free),
batched frees (mm_page_free followed by mm_page_free_batched for the same
page, as free_unref_folios() traces them), a failed THP attempt, a few
per-cpu list refills and drains (mm_page_alloc_zone_locked,
mm_page_pcpu_drain, which the replay ignores), and frees of pages allocated
before tracing began (kswapd reclaiming page cache).

Text layout, as trace-cmd prints it: "cpus=4", then per event the task
right-aligned in 16 columns, "-PID" left-aligned in 6, "[CPU]" in 3 digits,
the 5-character irq-flags column of kernels since 5.17 (irqs-off,
need-resched, hardirq/softirq, preempt depth, migrate-disable), the
timestamp in seconds with microseconds, the event name padded to 21
columns, and the fields in the order of the kernel's TP_printk. trace-cmd
evaluates the page pointer as vmemmap_base + pfn and prints a NULL page as
"(nil)".

Deterministic: the same seed writes the same bytes. Standard library only.
Usage: make-ftrace-excerpt.py [--seed N] [--events N] [OUT]
"""

import argparse
import os
import random
import sys

VMEMMAP_BASE = 0xFFFFEA0000000000
FIRST_PFN = 0x100000  # ZONE_NORMAL starts at 4 GiB on x86-64
LAST_PFN = 0x47FFFF  # a 16 GiB machine

# (gfp_flags as the kernel prints them, migratetype, order) per allocation
# site, with a relative weight. Orders and masks follow the callers:
# anonymous faults and page cache (movable), page tables, SLUB slabs (whose
# high-order first try drops reclaim and adds NOWARN|NORETRY|NOMEMALLOC),
# network page fragments (order 3, atomic), and THP faults (order 9).
SITES = [
    ("anon fault", "GFP_HIGHUSER_MOVABLE|__GFP_ZERO", 1, 0, 30),
    ("page cache", "GFP_HIGHUSER_MOVABLE", 1, 0, 12),
    ("readahead", "GFP_HIGHUSER_MOVABLE|__GFP_NOWARN|__GFP_NORETRY", 1, 0, 8),
    ("page table", "GFP_KERNEL_ACCOUNT|__GFP_ZERO", 0, 0, 8),
    ("slab order 0", "GFP_KERNEL", 0, 0, 5),
    ("slab order 1", "GFP_KERNEL|__GFP_COMP", 0, 1, 4),
    ("slab order 2", "__GFP_IO|__GFP_FS|__GFP_NOWARN|__GFP_NORETRY|__GFP_COMP|__GFP_NOMEMALLOC", 0, 2, 3),
    ("slab order 3", "__GFP_IO|__GFP_FS|__GFP_NOWARN|__GFP_NORETRY|__GFP_COMP|__GFP_NOMEMALLOC", 0, 3, 4),
    ("reclaimable slab", "GFP_NOFS|__GFP_RECLAIMABLE|__GFP_COMP", 2, 1, 3),
    ("net rx frag", "GFP_ATOMIC|__GFP_NOWARN|__GFP_NORETRY|__GFP_COMP|__GFP_NOMEMALLOC", 0, 3, 5),
    ("net rx page", "GFP_ATOMIC|__GFP_NOWARN", 0, 0, 4),
    ("thp fault", "GFP_TRANSHUGE_LIGHT", 1, 9, 1),
]

# Tasks per CPU: (comm, pid, kinds of site it uses). Names with spaces and
# dashes on purpose; the replay must take the CPU from the [NNN] column.
TASKS = [
    [("bash", 2281, "user"), ("kworker/0:1H", 212, "kernel"), ("gnome-shell", 1712, "user")],
    [("Web Content", 4410, "user"), ("ksoftirqd/1", 23, "net"), ("git", 5120, "user")],
    [("cc1", 6031, "user"), ("kworker/u8:2", 456, "kernel"), ("systemd-journal", 389, "kernel")],
    [("DOM Worker", 4417, "user"), ("irq/125-iwlwifi", 612, "net"), ("cc1", 6044, "user")],
]
SITES_BY_KIND = {
    "user": ["anon fault", "page cache", "readahead", "page table", "slab order 0", "thp fault"],
    "kernel": ["slab order 0", "slab order 1", "slab order 2", "slab order 3", "reclaimable slab", "page table"],
    "net": ["net rx frag", "net rx page", "slab order 0"],
}
SITE = {s[0]: s for s in SITES}


class Trace:
    """Collects the lines, keeps the clock and the live blocks."""

    def __init__(self, rng):
        self.rng = rng
        self.usec = 5_123_400_000  # 5123.400000 s after boot
        self.lines = ["cpus=4"]
        self.events = 0
        self.live = {}  # pfn -> (order, cpu)
        self.recently_freed = [[] for _ in TASKS]  # per-CPU order-0 pfns, LIFO like the pcp lists

    def tick(self, lo=1, hi=40):
        self.usec += self.rng.randint(lo, hi)

    def emit(self, cpu, task, flags, name, fields):
        comm, pid = task[0], task[1]
        secs, usecs = divmod(self.usec, 1_000_000)
        self.lines.append(f"{comm:>16}-{pid:<5} [{cpu:03d}] {flags} {secs:5d}.{usecs:06d}: {name + ':':<21} {fields}")
        self.events += 1

    def page(self, pfn):
        return f"page=0x{VMEMMAP_BASE + pfn:x} pfn=0x{pfn:x}"

    def overlaps(self, pfn, order):
        end = pfn + (1 << order)
        return any(p < end and pfn < p + (1 << o) for p, o in ((p, v[0]) for p, v in self.live.items()))

    def fresh_pfn(self, order):
        while True:
            pfn = self.rng.randrange(FIRST_PFN >> order, (LAST_PFN + 1) >> order) << order
            if not self.overlaps(pfn, order):
                return pfn


def flags_for(rng, kind):
    if kind == "net":
        return rng.choice(["..s1.", "..s2.", ".Ns1."])
    return rng.choice([".....", ".....", ".....", "...1.", "d..1."])


def alloc(trace, cpu, task):
    rng = trace.rng
    site = SITE[rng.choices(SITES_BY_KIND[task[2]], [SITE[s][4] for s in SITES_BY_KIND[task[2]]])[0]]
    _, gfp, migratetype, order, _ = site
    flags = flags_for(rng, task[2])
    if order == 9 and rng.random() < 0.3:
        # Fragmented memory: the THP attempt fails and the kernel prints pfn 0.
        trace.emit(cpu, task, flags, "mm_page_alloc", f"page=(nil) pfn=0x0 order=9 migratetype={migratetype} gfp_flags={gfp}")
        return
    reuse = trace.recently_freed[cpu]
    if order == 0 and reuse and rng.random() < 0.5:
        pfn = reuse.pop()
    else:
        if order == 0 and rng.random() < 0.08:
            refill_pcp(trace, cpu, task, migratetype)
        pfn = trace.fresh_pfn(order)
    trace.live[pfn] = (order, cpu)
    fields = f"{trace.page(pfn)} order={order} migratetype={migratetype} gfp_flags={gfp}"
    trace.emit(cpu, task, flags, "mm_page_alloc", fields)


def refill_pcp(trace, cpu, task, migratetype):
    """rmqueue_bulk() taking a few pages under the zone lock (ignored by the replay)."""
    for _ in range(trace.rng.randint(3, 6)):
        pfn = trace.fresh_pfn(0)
        trace.emit(cpu, task, "d..1.", "mm_page_alloc_zone_locked",
                   f"{trace.page(pfn)} order=0 migratetype={migratetype} percpu_refill=1")


def free_one(trace, cpu, task, pfn):
    order, _ = trace.live.pop(pfn)
    trace.emit(cpu, task, flags_for(trace.rng, task[2]), "mm_page_free", f"{trace.page(pfn)} order={order}")
    if order == 0:
        trace.recently_freed[cpu].append(pfn)


def free_batch(trace, cpu, task, pfns):
    """free_unref_folios(): mm_page_free per folio first, then mm_page_free_batched per folio."""
    for pfn in pfns:
        order = trace.live[pfn][0]
        trace.emit(cpu, task, ".....", "mm_page_free", f"{trace.page(pfn)} order={order}")
    trace.tick(1, 3)
    for pfn in pfns:
        order, _ = trace.live.pop(pfn)
        trace.emit(cpu, task, "...1.", "mm_page_free_batched", f"{trace.page(pfn)} order=0")
        if order == 0:
            trace.recently_freed[cpu].append(pfn)


def reclaim_old_pages(trace):
    """kswapd0 freeing page cache that was read in before tracing began."""
    task = ("kswapd0", 97, "kernel")
    pfns = [trace.fresh_pfn(0) for _ in range(trace.rng.randint(2, 4))]
    for pfn in pfns:
        trace.emit(2, task, ".....", "mm_page_free", f"{trace.page(pfn)} order=0")
    trace.tick(1, 3)
    for pfn in pfns:
        trace.emit(2, task, "...1.", "mm_page_free_batched", f"{trace.page(pfn)} order=0")


def drain_pcp(trace, cpu, task):
    """free_pcppages_bulk() returning a few pages to the buddy lists (ignored by the replay)."""
    for pfn in trace.recently_freed[cpu][:3]:
        trace.emit(cpu, task, "d..1.", "mm_page_pcpu_drain", f"{trace.page(pfn)} order=0 migratetype=1")
    del trace.recently_freed[cpu][:3]


def step(trace, cpu, task):
    rng = trace.rng
    mine = [p for p, (o, c) in trace.live.items() if c == cpu]
    roll = rng.random()
    if roll < 0.55 or len(mine) < 4:
        alloc(trace, cpu, task)
    elif roll < 0.80:
        free_one(trace, cpu, task, rng.choice(mine))
    elif roll < 0.93:
        batch = [p for p in mine if trace.live[p][0] <= 3]
        free_batch(trace, cpu, task, rng.sample(batch, min(len(batch), rng.randint(2, 6))))
    elif roll < 0.97:
        drain_pcp(trace, cpu, task)
    else:
        reclaim_old_pages(trace)


def generate(seed, events):
    rng = random.Random(seed)
    trace = Trace(rng)
    current = [tasks[0] for tasks in TASKS]
    while trace.events < events:
        cpu = rng.randrange(len(TASKS))
        if rng.random() < 0.1:
            current[cpu] = rng.choice(TASKS[cpu])  # context switch
        step(trace, cpu, current[cpu])
        trace.tick()
    return "\n".join(trace.lines) + "\n"


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_out = os.path.join(here, "..", "scenarios", "traces", "replay-ftrace.trace")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=618)
    parser.add_argument("--events", type=int, default=600)
    parser.add_argument("out", nargs="?", default=default_out)
    args = parser.parse_args()
    text = generate(args.seed, args.events)
    with open(args.out, "w", encoding="ascii", newline="\n") as out:
        out.write(text)
    print(f"wrote {text.count(chr(10)) - 1} events to {os.path.normpath(args.out)}", file=sys.stderr)


if __name__ == "__main__":
    main()
