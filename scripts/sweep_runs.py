"""The runs of a sweep: every grid point and seed as one `buddysim run`
command with its own results folder, and the check of every grid point
with `buddysim validate` before anything runs."""

import itertools
import json
import os
import re
import shlex
import subprocess

from input_errors import InputError


class RunSpec:
    """One run: name, dir, params ({axis: value}), seed, sets (--set
    arguments), args (of buddysim), command (a shell line) and complete
    (its folder already holds summary.json)."""


def buddysim_env():
    """The environment buddysim runs in: without SystemC's banner."""
    return dict(os.environ, SYSTEMC_DISABLE_COPYRIGHT_MESSAGE="1")


def set_arg(key, value):
    """A --set argument; strings that would parse as JSON are quoted so
    that they stay strings."""
    if isinstance(value, str):
        try:
            json.loads(value)
        except ValueError:
            text = value
        else:
            text = json.dumps(value)
    else:
        text = json.dumps(value, separators=(",", ":"))
    return f"{key}={text}"


def value_text(v):
    """A parameter value as it appears in sweep.csv."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, str):
        return v
    return json.dumps(v, separators=(",", ":"))


def name_part(v, index):
    if isinstance(v, (dict, list)):
        return f"v{index}"
    text = re.sub(r"[^A-Za-z0-9.-]", "_", value_text(v))[:32]
    return text or f"v{index}"


def _run_name(s, combo, seed, number, names):
    """A unique folder name: short=value+...+seed=S."""
    parts = [f"{a.short}={name_part(p[0], i)}" for a, (i, p) in zip(s.axes, combo)]
    name = "+".join(parts + [f"seed={seed}"])
    if len(name) > 200:
        name = f"run{number:05d}+seed={seed}"
    base, k = name, 2
    while name in names:
        name = f"{base}~{k}"
        k += 1
    names.add(name)
    return name


def expand(s, buddysim, sweepdir):
    """Every run of the sweep, in grid order (the last axis and then the
    seed varying fastest)."""
    runs, names = [], set()
    combos = list(itertools.product(*[list(enumerate(a.points)) for a in s.axes]))
    for combo in combos:
        for seed in s.seeds:
            r = RunSpec()
            r.params = {a.name: p[0] for a, (_, p) in zip(s.axes, combo)}
            r.seed = seed
            r.name = _run_name(s, combo, seed, len(runs) + 1, names)
            r.dir = os.path.join(sweepdir, "runs", r.name)
            r.sets = [set_arg(k, v) for k, v in s.fixed.items()]
            for _, (_, point_sets) in combo:
                r.sets += [set_arg(k, v) for k, v in point_sets.items()]
            r.args = ["run", s.scenario] + _set_options(r.sets) + ["--seed", str(seed), "-o", r.dir, "-q"]
            if s.functional:
                r.args.append("--functional")
            r.command = " ".join(shlex.quote(x) for x in [buddysim] + r.args)
            r.complete = os.path.isfile(os.path.join(r.dir, "summary.json"))
            runs.append(r)
    return runs


def _set_options(sets):
    return [x for a in sets for x in ("--set", a)]


def validate_points(s, runs, buddysim):
    """buddysim validate every distinct grid point: a typo in a key stops
    the sweep before anything runs."""
    seen = set()
    for r in runs:
        key = tuple(r.sets)
        if key in seen:
            continue
        seen.add(key)
        cmd = [buddysim, "validate", s.scenario] + _set_options(r.sets)
        try:
            p = subprocess.run(cmd, capture_output=True, text=True, env=buddysim_env())
        except OSError as e:
            raise InputError(f"{buddysim}: cannot run: {e.strerror}") from None
        if p.returncode != 0:
            msg = (p.stderr.strip() or p.stdout.strip()).replace("buddysim: error: ", "")
            raise InputError(f"{s.file}: run {r.name}: {msg}")
