"""Read and check a sweep file (SWEEP.json, docs/sweeps.md): the scenario,
the seeds, the fixed --set overrides and the grid axes. Every problem
raises InputError naming the file and the JSON pointer."""

import difflib
import json
import os
import re

from file_names import safe_name
from input_errors import InputError
from json_shape import found, read_json

NAME_RE = re.compile(r"^[A-Za-z0-9._-]+$")
KEY_PATH_RE = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$-]*(\[\d+\])*(\.[A-Za-z_$][A-Za-z0-9_$-]*(\[\d+\])*)*$")
RESERVED_COLUMNS = ("run", "seed", "status")
TOP_KEYS = ("name", "description", "scenario", "seed", "seeds", "repeats", "functional", "set", "grid")
AXIS_KEYS = ("set", "values", "points")
# Columns of sweep.csv that --plot takes as a parameter besides the axes.
DERIVED_PARAMS = ("machine.cpus", "machine.nodes", "seed")


class Axis:
    """One grid dimension: a name (the CSV column), and points, each a
    (value for the CSV and the run name, {key: value} to --set)."""

    def __init__(self, name, points, short):
        self.name = name
        self.points = points
        self.short = short


class Sweep:
    """A checked sweep file: file, name, description, scenario (a path),
    functional, seeds, fixed ({key: value}) and axes."""


def suggest(word, choices):
    close = difflib.get_close_matches(word, choices, n=1)
    return f"; did you mean \"{close[0]}\"?" if close else ""


def check_key_path(path, where):
    if not isinstance(path, str) or not KEY_PATH_RE.match(path):
        raise InputError(f"{where}: expected a --set key such as machine.nodes[0].cpus, found {found(path)}")


def short_name(key):
    """allocator.pcp -> pcp, machine.nodes[0].cpus -> cpus."""
    return re.sub(r"\[\d+\]", "", key.split(".")[-1])


def load_sweep(path):
    """Read and check a sweep file; errors name the file and the JSON pointer."""
    doc = read_json(path, "sweep file")
    where = lambda ptr: f"{path}: {ptr}"  # noqa: E731
    if not isinstance(doc, dict):
        raise InputError(f"{path}: expected a JSON object with scenario, set and grid, found {found(doc)}")
    for k in doc:
        if k not in TOP_KEYS:
            raise InputError(f"{where('/' + k)}: unknown key \"{k}\"{suggest(k, TOP_KEYS)}")
    s = Sweep()
    s.file = path
    stem = os.path.splitext(os.path.basename(path))[0]
    s.name = doc.get("name", stem)
    if not isinstance(s.name, str) or not NAME_RE.match(s.name):
        raise InputError(f"{where('/name')}: expected letters, digits, '.', '_' or '-', found {found(s.name)}")
    s.description = doc.get("description", "")
    if not isinstance(s.description, str):
        raise InputError(f"{where('/description')}: expected a string, found {found(s.description)}")
    s.scenario = _scenario(doc, path, where)
    s.functional = doc.get("functional", False)
    if not isinstance(s.functional, bool):
        raise InputError(f"{where('/functional')}: expected true or false, found {found(s.functional)}")
    s.seeds = _seeds(doc, s.scenario, where)
    s.fixed = _fixed(doc, where)
    s.axes = _axes(doc, s.fixed, where)
    return s


def _scenario(doc, path, where):
    if "scenario" not in doc:
        raise InputError(f"{where('/')}: missing key \"scenario\" (the scenario file, relative to the sweep file)")
    scen = doc["scenario"]
    if not isinstance(scen, str) or not scen:
        raise InputError(f"{where('/scenario')}: expected a file name, found {found(scen)}")
    scenario = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(path)), scen))
    if not os.path.isfile(scenario):
        raise InputError(f"{where('/scenario')}: no such file {scen} (looked for {scenario})")
    return scenario


def _seed_ok(v):
    return isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 2**64


def _seeds(doc, scenario, where):
    """"seeds" as listed, or "repeats" seeds from "seed" (default: the
    scenario's seed)."""
    if "seeds" in doc and ("seed" in doc or "repeats" in doc):
        raise InputError(f"{where('/seeds')}: give either \"seeds\" (a list) or \"seed\" with optional \"repeats\", not both")
    if "seeds" in doc:
        seeds = doc["seeds"]
        if not isinstance(seeds, list) or not seeds or not all(_seed_ok(v) for v in seeds):
            raise InputError(f"{where('/seeds')}: expected a non-empty list of integers from 0 to 2^64-1, found {found(seeds)}")
        if len(set(seeds)) != len(seeds):
            raise InputError(f"{where('/seeds')}: a seed is listed twice: {found(seeds)}")
        return list(seeds)
    repeats = doc.get("repeats", 1)
    if not isinstance(repeats, int) or isinstance(repeats, bool) or repeats < 1:
        raise InputError(f"{where('/repeats')}: expected an integer of at least 1, found {found(repeats)}")
    if "seed" in doc:
        seed = doc["seed"]
        if not _seed_ok(seed):
            raise InputError(f"{where('/seed')}: expected an integer from 0 to 2^64-1, found {found(seed)}")
    else:
        try:
            with open(scenario, encoding="utf-8") as f:
                seed = json.load(f).get("seed", 1)
        except (OSError, ValueError, AttributeError):
            seed = 1  # buddysim validate reports a broken scenario
        if not _seed_ok(seed):
            seed = 1
    return [seed + i for i in range(repeats)]


def _fixed(doc, where):
    fixed = doc.get("set", {})
    if not isinstance(fixed, dict):
        raise InputError(f"{where('/set')}: expected an object of --set keys and values, found {found(fixed)}")
    for k in fixed:
        check_key_path(k, where(f"/set/{k}"))
        if k == "seed":
            raise InputError(f"{where('/set/seed')}: give seeds with the sweep's \"seed\" or \"seeds\", not as an override")
    return dict(fixed)


def _axes(doc, fixed, where):
    grid = doc.get("grid", {})
    if not isinstance(grid, dict):
        raise InputError(f"{where('/grid')}: expected an object of axes, found {found(grid)}")
    axes = []
    owner = {}
    for name, spec in grid.items():
        ptr = f"/grid/{name}"
        if name in RESERVED_COLUMNS or name in DERIVED_PARAMS:
            raise InputError(f"{where(ptr)}: \"{name}\" is a column of sweep.csv; name the axis otherwise")
        if isinstance(spec, list):
            # A plain --set key with its values.
            check_key_path(name, where(ptr))
            if not spec:
                raise InputError(f"{where(ptr)}: expected at least one value")
            points = [(v, {name: v}) for v in spec]
            keys, short = [name], short_name(name)
        elif isinstance(spec, dict):
            points, keys = _named_axis(name, spec, ptr, where)
            short = name
        else:
            raise InputError(f"{where(ptr)}: expected a list of values (a plain --set key), or an object with "
                             f"\"set\" and \"values\" or with \"points\", found {found(spec)}")
        labels = [json.dumps(p[0], sort_keys=True) for p in points]
        dup = [l for l in labels if labels.count(l) > 1]
        if dup:
            raise InputError(f"{where(ptr)}: the value {dup[0]} is listed twice")
        for k in keys:
            if k in fixed:
                raise InputError(f"{where(ptr)}: {k} is also in \"set\"; a key is either fixed or swept")
            if k in owner:
                raise InputError(f"{where(ptr)}: {k} is already swept by axis \"{owner[k]}\"")
            owner[k] = name
        axes.append(Axis(name, points, short))
    shorts = [a.short for a in axes]
    for a in axes:
        if shorts.count(a.short) > 1:
            a.short = safe_name(a.name)
    return axes


def _named_axis(name, spec, ptr, where):
    """(points, keys) of an axis given as {"set": keys, "values": [...]} or
    {"points": {label: {key: value}}}."""
    if not NAME_RE.match(name):
        raise InputError(f"{where(ptr)}: an axis name takes letters, digits, '.', '_' or '-'")
    for k in spec:
        if k not in AXIS_KEYS:
            raise InputError(f"{where(ptr + '/' + k)}: unknown key \"{k}\"{suggest(k, AXIS_KEYS)}")
    if "points" in spec:
        if "set" in spec or "values" in spec:
            raise InputError(f"{where(ptr)}: give either \"points\" or \"set\" with \"values\", not both")
        return _labelled_points(spec["points"], ptr, where)
    if "set" not in spec or "values" not in spec:
        raise InputError(f"{where(ptr)}: a named axis needs \"set\" (a key or a list of keys) and "
                         f"\"values\", or \"points\"")
    keys = spec["set"]
    if isinstance(keys, str):
        keys = [keys]
    if not isinstance(keys, list) or not keys:
        raise InputError(f"{where(ptr + '/set')}: expected a key or a list of keys, found {found(keys)}")
    for i, k in enumerate(keys):
        check_key_path(k, where(f"{ptr}/set/{i}"))
    values = spec["values"]
    if not isinstance(values, list) or not values:
        raise InputError(f"{where(ptr + '/values')}: expected a non-empty list, found {found(values)}")
    return [(v, {k: v for k in keys}) for v in values], keys


def _labelled_points(pts, ptr, where):
    if not isinstance(pts, dict) or not pts:
        raise InputError(f"{where(ptr + '/points')}: expected an object of labelled points, "
                         f"e.g. {{\"small\": {{\"key.path\": 1}}}}, found {found(pts)}")
    points, keys = [], []
    for label, sets in pts.items():
        lp = f"{ptr}/points/{label}"
        if not NAME_RE.match(label):
            raise InputError(f"{where(lp)}: a point label takes letters, digits, '.', '_' or '-'")
        if not isinstance(sets, dict) or not sets:
            raise InputError(f"{where(lp)}: expected an object of --set keys and values, found {found(sets)}")
        for k in sets:
            check_key_path(k, where(f"{lp}/{k}"))
            if k not in keys:
                keys.append(k)
        points.append((label, dict(sets)))
    return points, keys
