"""manifest.json of a sweep folder: the arguments of every run, so that a
re-run with changed settings cannot mistake old results for new ones."""

import json
import os

from input_errors import InputError
from sweep_runs import value_text


def read_manifest(sweepdir):
    """{run name: record} from manifest.json ({} without one)."""
    path = os.path.join(sweepdir, "manifest.json")
    try:
        with open(path, encoding="utf-8") as f:
            runs = json.load(f).get("runs", {})
        return runs if isinstance(runs, dict) else {}
    except (OSError, ValueError, AttributeError):
        return {}


def check_manifest(sweepdir, s, runs):
    """A finished run made with other settings than the sweep file now
    gives (manifest.json records every run's arguments) must not pass for
    a result of this sweep."""
    old = read_manifest(sweepdir)
    for r in runs:
        prev = old.get(r.name)
        if r.complete and isinstance(prev, dict) and prev.get("args") != r.args[1:]:
            raise InputError(
                f"{r.dir}: this run was made with other settings than {s.file} now gives "
                f"(see {os.path.join(sweepdir, 'manifest.json')}); delete the folder to run it again, "
                "or give another -o")


def write_manifest(sweepdir, s, runs):
    """Record the sweep and the arguments of its runs, keeping the records
    of runs that the sweep file no longer gives."""
    path = os.path.join(sweepdir, "manifest.json")
    old = read_manifest(sweepdir)
    doc = {"sweep_file": os.path.abspath(s.file), "name": s.name, "scenario": s.scenario,
           "params": [a.name for a in s.axes], "seeds": s.seeds,
           "runs": {r.name: {"params": {k: value_text(v) for k, v in r.params.items()}, "seed": r.seed,
                             "args": r.args[1:]} for r in runs}}
    old.update(doc["runs"])
    doc["runs"] = old
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
