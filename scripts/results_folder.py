"""One buddysim results folder (docs/results.md): summary.json checked
against its shape, run-info.json and config.json when present, and
timeseries.csv and ops.csv read on first use."""

import os

from input_errors import InputError
from json_shape import check, read_json
from ops_csv import load_ops
from summary_json import RUN_INFO, SUMMARY
from timeseries_csv import load_timeseries


class Run:
    """One results folder: summary (checked dict), run_info and config (dicts
    or None), and timeseries / ops loaded on first use (None if absent)."""

    def __init__(self, path, label=None):
        self.path = path
        self.label = label or os.path.basename(os.path.normpath(path)) or path
        if not os.path.exists(path):
            raise InputError(f"{path}: no such folder")
        if not os.path.isdir(path):
            raise InputError(f"{path}: not a folder (expected a buddysim results folder)")
        summary = os.path.join(path, "summary.json")
        if not os.path.isfile(summary):
            hint = ""
            if os.path.isfile(os.path.join(path, "sweep.csv")):
                hint = " (it is a sweep folder: plot.py draws it, compare.py needs results folders such as its runs/*)"
            elif os.path.isdir(os.path.join(path, "runs")):
                hint = " (it looks like a sweep folder without sweep.csv: run sweep.py SWEEP.json --gather-only)"
            raise InputError(f"{path}: not a buddysim results folder: summary.json is missing{hint}")
        self.summary = check(read_json(summary, "summary file"), SUMMARY, summary)
        info = os.path.join(path, "run-info.json")
        self.run_info = check(read_json(info), RUN_INFO, info) if os.path.isfile(info) else None
        config = os.path.join(path, "config.json")
        self.config = read_json(config) if os.path.isfile(config) else None
        self._loaded = {}

    def read_all(self):
        """Read the optional files that figures use now, so that a malformed
        one stops a script before it writes anything."""
        self.timeseries
        if not self.functional:
            self.ops

    @property
    def functional(self):
        return "latency_ns" not in self.summary

    @property
    def latency(self):
        return self.summary.get("latency_ns")

    @property
    def hardware(self):
        return self.summary.get("hardware")

    @property
    def timeseries(self):
        return self._optional("timeseries.csv", load_timeseries)

    @property
    def ops(self):
        return self._optional("ops.csv", load_ops)

    def _optional(self, name, load):
        """The file name of the folder as load reads it (once), or None
        when the folder has no such file."""
        if name not in self._loaded:
            p = os.path.join(self.path, name)
            self._loaded[name] = load(p) if os.path.isfile(p) else None
        return self._loaded[name]

    def zone_lock(self):
        """The &zone->lock class figures, or None."""
        return lock_class(self.hardware, "&zone->lock")

    def cpu_count(self):
        """Total CPUs of the machine: from config.json, else the hardware or
        latency sections; None if unknown."""
        try:
            nodes = self.config["machine"]["nodes"]
            return sum(int(n.get("cpus", 1)) for n in nodes)
        except (TypeError, KeyError, ValueError, AttributeError):
            pass
        hw = self.hardware
        if hw and hw.get("cpus"):
            return len(hw["cpus"])
        return None

    def node_count(self):
        try:
            return len(self.config["machine"]["nodes"])
        except (TypeError, KeyError):
            return None


def lock_class(hardware, name):
    if not hardware or "locks" not in hardware:
        return None
    for c in hardware["locks"]["classes"]:
        if c["class"] == name:
            return c
    return None
