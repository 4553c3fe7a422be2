#!/usr/bin/python3
"""Run a buddysim scenario over a grid of parameters and seeds, and gather
the headline figures of every run into one CSV.

    sweep.py SWEEP.json [-o SWEEPDIR] [-j N] [--dry-run] [--gather-only]
             [--slurm OUT.sh] [--sshloginfile FILE] [--plot METRIC:PARAM]...

SWEEP.json names a scenario, seeds, fixed --set overrides and a grid
(docs/sweeps.md). Every grid point and seed becomes one run

    build/buddysim run SCENARIO --set k=v ... --seed S -o SWEEPDIR/runs/<run> -q

with its own results folder. The runs go into SWEEPDIR/commands.txt, one
command a line, and run locally with GNU parallel (-j N at a time), or, with
--slurm, as a Slurm job array (one array task per line), or, with
--sshloginfile, across hosts with GNU parallel. Runs whose folder already
holds summary.json are skipped, so an interrupted sweep resumes where it
stopped. Then every run's summary.json and run-info.json are gathered into
SWEEPDIR/sweep.csv (one row per run: run, the grid parameters, seed, status,
then the headline metrics with dotted names), and each --plot METRIC:PARAM
draws METRIC against PARAM into SWEEPDIR/figures/.

SWEEPDIR defaults to results/sweeps/<name> (relative to the current folder).

Exit status: 0 every run has results; 1 some run failed or has no results
(after running them); 2 bad input (sweep file, options, missing tools).
"""

import argparse
import csv
import difflib
import itertools
import json
import os
import re
import shlex
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import buddyresults as br  # noqa: E402

PROG = "sweep.py"
REPO = os.path.dirname(HERE)
NAME_RE = re.compile(r"^[A-Za-z0-9._-]+$")
RESERVED_COLUMNS = ("run", "seed", "status")
TOP_KEYS = ("name", "description", "scenario", "seed", "seeds", "repeats", "functional", "set", "grid")
DERIVED_PARAMS = ("machine.cpus", "machine.nodes", "seed")


class Axis:
    """One grid dimension: a name (the CSV column), and points, each a
    (value for the CSV and the run name, {key: value} to --set)."""

    def __init__(self, name, points, short):
        self.name = name
        self.points = points
        self.short = short


class Sweep:
    pass


def suggest(word, choices):
    close = difflib.get_close_matches(word, choices, n=1)
    return f"; did you mean \"{close[0]}\"?" if close else ""


def found(v):
    text = json.dumps(v)
    return text if len(text) <= 60 else text[:57] + "..."


def check_key_path(path, where):
    if not isinstance(path, str) or not re.match(r"^[A-Za-z_$][A-Za-z0-9_$-]*(\[\d+\])*(\.[A-Za-z_$][A-Za-z0-9_$-]*(\[\d+\])*)*$", path):
        raise br.InputError(f"{where}: expected a --set key such as machine.nodes[0].cpus, found {found(path)}")


def short_name(key):
    """allocator.pcp -> pcp, machine.nodes[0].cpus -> cpus."""
    return re.sub(r"\[\d+\]", "", key.split(".")[-1])


def load_sweep(path):
    """Read and check a sweep file; errors name the file and the JSON pointer."""
    doc = br.read_json(path, "sweep file")
    where = lambda ptr: f"{path}: {ptr}"  # noqa: E731
    if not isinstance(doc, dict):
        raise br.InputError(f"{path}: expected a JSON object with scenario, set and grid, found {found(doc)}")
    for k in doc:
        if k not in TOP_KEYS:
            raise br.InputError(f"{where('/' + k)}: unknown key \"{k}\"{suggest(k, TOP_KEYS)}")
    s = Sweep()
    s.file = path
    base = os.path.dirname(os.path.abspath(path))
    stem = os.path.splitext(os.path.basename(path))[0]
    s.name = doc.get("name", stem)
    if not isinstance(s.name, str) or not NAME_RE.match(s.name):
        raise br.InputError(f"{where('/name')}: expected letters, digits, '.', '_' or '-', found {found(s.name)}")
    s.description = doc.get("description", "")
    if not isinstance(s.description, str):
        raise br.InputError(f"{where('/description')}: expected a string, found {found(s.description)}")
    if "scenario" not in doc:
        raise br.InputError(f"{where('/')}: missing key \"scenario\" (the scenario file, relative to the sweep file)")
    scen = doc["scenario"]
    if not isinstance(scen, str) or not scen:
        raise br.InputError(f"{where('/scenario')}: expected a file name, found {found(scen)}")
    s.scenario = os.path.normpath(os.path.join(base, scen))
    if not os.path.isfile(s.scenario):
        raise br.InputError(f"{where('/scenario')}: no such file {scen} (looked for {s.scenario})")
    s.functional = doc.get("functional", False)
    if not isinstance(s.functional, bool):
        raise br.InputError(f"{where('/functional')}: expected true or false, found {found(s.functional)}")

    def seed_ok(v):
        return isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 2**64
    if "seeds" in doc and ("seed" in doc or "repeats" in doc):
        raise br.InputError(f"{where('/seeds')}: give either \"seeds\" (a list) or \"seed\" with optional \"repeats\", not both")
    if "seeds" in doc:
        seeds = doc["seeds"]
        if not isinstance(seeds, list) or not seeds or not all(seed_ok(v) for v in seeds):
            raise br.InputError(f"{where('/seeds')}: expected a non-empty list of integers from 0 to 2^64-1, found {found(seeds)}")
        if len(set(seeds)) != len(seeds):
            raise br.InputError(f"{where('/seeds')}: a seed is listed twice: {found(seeds)}")
        s.seeds = list(seeds)
    else:
        repeats = doc.get("repeats", 1)
        if not isinstance(repeats, int) or isinstance(repeats, bool) or repeats < 1:
            raise br.InputError(f"{where('/repeats')}: expected an integer of at least 1, found {found(repeats)}")
        if "seed" in doc:
            seed = doc["seed"]
            if not seed_ok(seed):
                raise br.InputError(f"{where('/seed')}: expected an integer from 0 to 2^64-1, found {found(seed)}")
        else:
            try:
                seed = json.load(open(s.scenario, encoding="utf-8")).get("seed", 1)
            except (OSError, ValueError, AttributeError):
                seed = 1  # buddysim validate reports a broken scenario
            if not seed_ok(seed):
                seed = 1
        s.seeds = [seed + i for i in range(repeats)]

    fixed = doc.get("set", {})
    if not isinstance(fixed, dict):
        raise br.InputError(f"{where('/set')}: expected an object of --set keys and values, found {found(fixed)}")
    for k in fixed:
        check_key_path(k, where(f"/set/{k}"))
        if k == "seed":
            raise br.InputError(f"{where('/set/seed')}: give seeds with the sweep's \"seed\" or \"seeds\", not as an override")
    s.fixed = dict(fixed)

    grid = doc.get("grid", {})
    if not isinstance(grid, dict):
        raise br.InputError(f"{where('/grid')}: expected an object of axes, found {found(grid)}")
    s.axes = []
    owner = {}
    for name, spec in grid.items():
        ptr = f"/grid/{name}"
        if name in RESERVED_COLUMNS or name in DERIVED_PARAMS:
            raise br.InputError(f"{where(ptr)}: \"{name}\" is a column of sweep.csv; name the axis otherwise")
        if isinstance(spec, list):
            # A plain --set key with its values.
            check_key_path(name, where(ptr))
            if not spec:
                raise br.InputError(f"{where(ptr)}: expected at least one value")
            points = [(v, {name: v}) for v in spec]
            keys, short = [name], short_name(name)
        elif isinstance(spec, dict):
            if not NAME_RE.match(name):
                raise br.InputError(f"{where(ptr)}: an axis name takes letters, digits, '.', '_' or '-'")
            for k in spec:
                if k not in ("set", "values", "points"):
                    raise br.InputError(f"{where(ptr + '/' + k)}: unknown key \"{k}\"{suggest(k, ('set', 'values', 'points'))}")
            if "points" in spec:
                if "set" in spec or "values" in spec:
                    raise br.InputError(f"{where(ptr)}: give either \"points\" or \"set\" with \"values\", not both")
                pts = spec["points"]
                if not isinstance(pts, dict) or not pts:
                    raise br.InputError(f"{where(ptr + '/points')}: expected an object of labelled points, "
                                        f"e.g. {{\"small\": {{\"key.path\": 1}}}}, found {found(pts)}")
                points, keys = [], []
                for label, sets in pts.items():
                    lp = f"{ptr}/points/{label}"
                    if not NAME_RE.match(label):
                        raise br.InputError(f"{where(lp)}: a point label takes letters, digits, '.', '_' or '-'")
                    if not isinstance(sets, dict) or not sets:
                        raise br.InputError(f"{where(lp)}: expected an object of --set keys and values, found {found(sets)}")
                    for k in sets:
                        check_key_path(k, where(f"{lp}/{k}"))
                        if k not in keys:
                            keys.append(k)
                    points.append((label, dict(sets)))
            else:
                if "set" not in spec or "values" not in spec:
                    raise br.InputError(f"{where(ptr)}: a named axis needs \"set\" (a key or a list of keys) and "
                                        f"\"values\", or \"points\"")
                keys = spec["set"]
                if isinstance(keys, str):
                    keys = [keys]
                if not isinstance(keys, list) or not keys:
                    raise br.InputError(f"{where(ptr + '/set')}: expected a key or a list of keys, found {found(keys)}")
                for i, k in enumerate(keys):
                    check_key_path(k, where(f"{ptr}/set/{i}"))
                values = spec["values"]
                if not isinstance(values, list) or not values:
                    raise br.InputError(f"{where(ptr + '/values')}: expected a non-empty list, found {found(values)}")
                points = [(v, {k: v for k in keys}) for v in values]
            short = name
        else:
            raise br.InputError(f"{where(ptr)}: expected a list of values (a plain --set key), or an object with "
                                f"\"set\" and \"values\" or with \"points\", found {found(spec)}")
        labels = [json.dumps(p[0], sort_keys=True) for p in points]
        dup = [l for l in labels if labels.count(l) > 1]
        if dup:
            raise br.InputError(f"{where(ptr)}: the value {dup[0]} is listed twice")
        for k in keys:
            if k in s.fixed:
                raise br.InputError(f"{where(ptr)}: {k} is also in \"set\"; a key is either fixed or swept")
            if k in owner:
                raise br.InputError(f"{where(ptr)}: {k} is already swept by axis \"{owner[k]}\"")
            owner[k] = name
        s.axes.append(Axis(name, points, short))
    shorts = [a.short for a in s.axes]
    for a in s.axes:
        if shorts.count(a.short) > 1:
            a.short = re.sub(r"[^A-Za-z0-9._-]", "_", a.name)
    return s


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


class RunSpec:
    pass


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
            parts = [f"{a.short}={name_part(p[0], i)}" for a, (i, p) in zip(s.axes, combo)]
            name = "+".join(parts + [f"seed={seed}"])
            if len(name) > 200:
                name = f"run{len(runs) + 1:05d}+seed={seed}"
            base, k = name, 2
            while name in names:
                name = f"{base}~{k}"
                k += 1
            names.add(name)
            r.name = name
            r.dir = os.path.join(sweepdir, "runs", name)
            sets = [set_arg(k, v) for k, v in s.fixed.items()]
            for _, (_, point_sets) in combo:
                sets += [set_arg(k, v) for k, v in point_sets.items()]
            r.sets = sets
            args = ["run", s.scenario]
            for a in sets:
                args += ["--set", a]
            args += ["--seed", str(seed), "-o", r.dir, "-q"]
            if s.functional:
                args.append("--functional")
            r.args = args
            r.command = " ".join(shlex.quote(x) for x in [buddysim] + args)
            r.complete = os.path.isfile(os.path.join(r.dir, "summary.json"))
            runs.append(r)
    return runs


def validate_points(s, runs, buddysim):
    """buddysim validate every distinct grid point: a typo in a key stops
    the sweep before anything runs."""
    seen = set()
    for r in runs:
        key = tuple(r.sets)
        if key in seen:
            continue
        seen.add(key)
        cmd = [buddysim, "validate", s.scenario]
        for a in r.sets:
            cmd += ["--set", a]
        try:
            p = subprocess.run(cmd, capture_output=True, text=True, env=dict(os.environ, SYSTEMC_DISABLE_COPYRIGHT_MESSAGE="1"))
        except OSError as e:
            raise br.InputError(f"{buddysim}: cannot run: {e.strerror}") from None
        if p.returncode != 0:
            msg = (p.stderr.strip() or p.stdout.strip()).replace("buddysim: error: ", "")
            raise br.InputError(f"{s.file}: run {r.name}: {msg}")


def find_parallel():
    exe = shutil.which("parallel")
    if exe:
        try:
            out = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=30).stdout
        except (OSError, subprocess.SubprocessError):
            out = ""
        if "GNU parallel" in out:
            return exe
        raise br.InputError(f"{exe} is not GNU parallel (moreutils ships another 'parallel'): "
                            "install GNU parallel with apt-get install parallel")
    raise br.InputError("GNU parallel is not installed: install it with apt-get install parallel "
                        "(or bash scripts/setup.sh), or use --slurm / --dry-run")


def read_manifest(sweepdir):
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
            raise br.InputError(
                f"{r.dir}: this run was made with other settings than {s.file} now gives "
                f"(see {os.path.join(sweepdir, 'manifest.json')}); delete the folder to run it again, "
                "or give another -o")


def write_manifest(sweepdir, s, runs):
    """manifest.json records the arguments of every run, so that a re-run
    with changed settings cannot mistake old results for new ones."""
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


def write_commands(sweepdir, pending):
    path = os.path.join(sweepdir, "commands.txt")
    with open(path, "w", encoding="utf-8") as f:
        for r in pending:
            f.write(r.command + "\n")
    return path


def write_slurm(out, s, sweepdir, commands, n, jobs):
    logs = os.path.join(sweepdir, "slurm-logs")
    os.makedirs(logs, exist_ok=True)
    throttle = f"%{jobs}" if jobs else ""
    q = shlex.quote
    text = f"""#!/bin/bash
# buddysim sweep {s.name}: {n} runs, one Slurm array task per line of
# {commands}
# Submit:  sbatch {out}
# Gather:  {os.path.join(HERE, 'sweep.py')} {os.path.abspath(s.file)} -o {sweepdir} --gather-only
# Every node must see these paths (a shared file system) and run the same build.
# Running sweep.py again rewrites the command file: do not while this job is queued.
#SBATCH --job-name=buddysim-{s.name}
#SBATCH --array=1-{n}{throttle}
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=1
#SBATCH --output={logs}/%A_%a.out
set -euo pipefail
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
line=$(sed -n "${{SLURM_ARRAY_TASK_ID}}p" {q(commands)})
if [ -z "$line" ]; then
  echo "no line $SLURM_ARRAY_TASK_ID in {commands}" >&2
  exit 1
fi
exec bash -c "$line"
"""
    with open(out, "w", encoding="utf-8") as f:
        f.write(text)
    os.chmod(out, 0o755)


def ssh_command(sweepdir, commands, loginfile, jobs):
    q = shlex.quote
    cmd = ["parallel", "--sshloginfile", os.path.abspath(loginfile)]
    if jobs:
        cmd += ["-j", str(jobs)]
    cmd += ["--joblog", os.path.join(sweepdir, "joblog.txt"), "::::", commands]
    return " ".join(q(x) for x in cmd)


def read_joblog(path):
    """{command: exit status} from GNU parallel's --joblog (tab-separated,
    Exitval in column 7, the command last)."""
    out = {}
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            next(f, None)
            for line in f:
                cols = line.rstrip("\n").split("\t")
                if len(cols) >= 9:
                    try:
                        out[cols[8]] = int(cols[6])
                    except ValueError:
                        pass
    except OSError:
        pass
    return out


def gather(s, runs, sweepdir):
    """Write sweep.csv; return (rows, columns, problems)."""
    rows, columns, problems = [], [], []
    seen = set()
    failed = read_joblog(os.path.join(sweepdir, "joblog.txt"))
    for r in runs:
        row = {"run": r.name, "seed": r.seed}
        for k, v in r.params.items():
            row[k] = value_text(v)
        if not os.path.isfile(os.path.join(r.dir, "summary.json")):
            row["status"] = "failed" if failed.get(r.command, 0) != 0 else "missing"
        else:
            try:
                run = br.Run(r.dir, r.name)
                metrics = br.flatten(run)
                row["status"] = "ok"
                for k, v in metrics.items():
                    if k not in seen:
                        seen.add(k)
                        columns.append(k)
                    row[k] = v
            except br.InputError as e:
                row["status"] = "unreadable"
                problems.append(str(e))
        rows.append(row)
    header = ["run"] + [a.name for a in s.axes] + ["seed", "status"] + columns
    path = os.path.join(sweepdir, "sweep.csv")
    tmp = path + ".tmp"
    with open(tmp, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for row in rows:
            w.writerow([fmt_cell(row.get(c)) for c in header])
    os.replace(tmp, path)
    return path, header, rows, problems


def fmt_cell(v):
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        if v != v:
            return ""
        return repr(v)
    return str(v)


def parse_plot(text, params):
    if ":" not in text:
        raise br.InputError(f"--plot {text}: expected METRIC:PARAM, e.g. latency_ns.alloc.p99:cpus_per_node")
    metric, param = text.rsplit(":", 1)
    if not metric or not param:
        raise br.InputError(f"--plot {text}: expected METRIC:PARAM, e.g. latency_ns.alloc.p99:cpus_per_node")
    choices = list(params) + list(DERIVED_PARAMS)
    if param not in choices:
        raise br.InputError(f"--plot {text}: {param} is not a grid parameter of the sweep (parameters: "
                            f"{', '.join(choices)}){suggest(param, choices)}")
    return metric, param


def main(argv=None):
    ap = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="The sweep file format is described in docs/sweeps.md.")
    ap.add_argument("sweep", metavar="SWEEP.json", help="the sweep file")
    ap.add_argument("-o", "--output", metavar="SWEEPDIR", help="sweep folder (default results/sweeps/<name>)")
    ap.add_argument("-j", "--jobs", type=int, metavar="N",
                    help="runs at a time (default: the number of CPUs; with --slurm: array tasks at a time, "
                         "default unlimited; with --sshloginfile: per host)")
    ap.add_argument("--dry-run", action="store_true", help="print the runs and commands; run and write nothing")
    ap.add_argument("--gather-only", action="store_true", help="run nothing; gather the finished runs into sweep.csv")
    ap.add_argument("--slurm", metavar="OUT.sh", help="write a Slurm job-array script for the pending runs instead of running them")
    ap.add_argument("--sshloginfile", metavar="FILE",
                    help="write (SWEEPDIR/run-ssh.sh) and print the GNU parallel command that runs the pending runs on "
                         "the hosts of FILE, instead of running them")
    ap.add_argument("--plot", action="append", default=[], metavar="METRIC:PARAM",
                    help="after gathering, draw METRIC against PARAM into SWEEPDIR/figures (repeatable)")
    ap.add_argument("--buddysim", metavar="PATH",
                    help="the buddysim binary (default $BUDDYSIM_BUILD_DIR/buddysim, else build/buddysim of this repository)")
    args = ap.parse_args(argv)
    if args.jobs is not None and args.jobs < 1:
        br.fail(PROG, f"-j {args.jobs}: expected at least 1")
    if args.dry_run and args.gather_only:
        br.fail(PROG, "--dry-run and --gather-only exclude each other")

    try:
        s = load_sweep(args.sweep)
        plots = [parse_plot(p, [a.name for a in s.axes]) for p in args.plot]
        sweepdir = os.path.abspath(args.output or os.path.join("results", "sweeps", s.name))
        if args.buddysim:
            buddysim = os.path.abspath(args.buddysim)
        else:
            bdir = os.environ.get("BUDDYSIM_BUILD_DIR", "build")
            buddysim = os.path.join(bdir if os.path.isabs(bdir) else os.path.join(REPO, bdir), "buddysim")
        runs = expand(s, buddysim, sweepdir)
        check_manifest(sweepdir, s, runs)
        pending = [r for r in runs if not r.complete]
        local = not (args.dry_run or args.gather_only or args.slurm or args.sshloginfile)
        need_binary = not args.gather_only
        if need_binary and not (os.path.isfile(buddysim) and os.access(buddysim, os.X_OK)):
            if args.dry_run:
                print(f"note: {buddysim} not found: the grid points are not validated", file=sys.stderr)
                need_binary = False
            else:
                raise br.InputError(f"{buddysim}: no buddysim binary: build it with bash scripts/setup.sh, "
                                    "or give --buddysim PATH")
        if need_binary and pending:
            validate_points(s, pending, buddysim)
        parallel = find_parallel() if local and pending else None
    except br.InputError as e:
        br.fail(PROG, e)

    print(f"sweep {s.name}: {len(runs)} runs ({len(s.axes)} parameter{'s' if len(s.axes) != 1 else ''}, "
          f"{len(s.seeds)} seed{'s' if len(s.seeds) != 1 else ''}), {len(runs) - len(pending)} "
          f"{'complete' if args.gather_only else 'already complete'}, {len(pending)} "
          f"{'without results' if args.gather_only else 'to run'}; folder {sweepdir}")
    if args.dry_run:
        for r in runs:
            print(("# complete: " if r.complete else "") + r.command)
        return 0

    try:
        os.makedirs(os.path.join(sweepdir, "runs"), exist_ok=True)
        if not args.gather_only:
            write_manifest(sweepdir, s, runs)
            shutil.copyfile(s.file, os.path.join(sweepdir, "sweep.json"))
            commands = write_commands(sweepdir, pending)
    except br.InputError as e:
        br.fail(PROG, e)
    except OSError as e:
        br.fail(PROG, f"{e.filename or sweepdir}: {e.strerror}")

    if args.slurm or args.sshloginfile:
        if not pending:
            print("every run is complete: nothing to submit")
        if args.slurm and pending:
            try:
                write_slurm(os.path.abspath(args.slurm), s, sweepdir, commands, len(pending), args.jobs)
            except OSError as e:
                br.fail(PROG, f"{e.filename or args.slurm}: {e.strerror}")
            print(f"wrote {args.slurm}: a job array of {len(pending)} tasks, one per line of {commands}")
            print(f"submit it with:  sbatch {args.slurm}")
        if args.sshloginfile and pending:
            if not os.path.isfile(args.sshloginfile):
                br.fail(PROG, f"{args.sshloginfile}: no such file (GNU parallel's --sshloginfile: one host a line)")
            cmd = ssh_command(sweepdir, commands, args.sshloginfile, args.jobs)
            script = os.path.join(sweepdir, "run-ssh.sh")
            with open(script, "w", encoding="utf-8") as f:
                f.write("#!/bin/sh\n# Runs the pending runs of sweep %s on the hosts of %s with GNU parallel.\n"
                        "# Every host must see the same paths (a shared file system) and run the same build.\n"
                        "exec %s\n" % (s.name, os.path.abspath(args.sshloginfile), cmd))
            os.chmod(script, 0o755)
            print(f"wrote {script}; it runs:")
            print(f"  {cmd}")
        print(f"when the runs are done, gather them with:  {sys.argv[0]} {args.sweep}"
              f"{' -o ' + shlex.quote(args.output) if args.output else ''} --gather-only")
        return 0

    failed_run = False
    if local and pending:
        jobs = args.jobs or os.cpu_count() or 1
        cmd = [parallel, "-j", str(jobs), "--joblog", os.path.join(sweepdir, "joblog.txt")]
        if sys.stderr.isatty():
            cmd.append("--bar")
        cmd += ["::::", commands]
        print(f"running {len(pending)} runs, {jobs} at a time: {' '.join(shlex.quote(c) for c in cmd)}", flush=True)
        env = dict(os.environ, SYSTEMC_DISABLE_COPYRIGHT_MESSAGE="1")
        try:
            rc = subprocess.run(cmd, env=env).returncode
        except KeyboardInterrupt:
            print(f"\n{PROG}: interrupted; run the same command again to resume", file=sys.stderr)
            return 130
        failed_run = rc != 0

    try:
        path, header, rows, problems = gather(s, runs, sweepdir)
    except OSError as e:
        br.fail(PROG, f"{e.filename or sweepdir}: {e.strerror}")
    ok = sum(1 for r in rows if r["status"] == "ok")
    missing = [r["run"] for r in rows if r["status"] != "ok"]
    nfailed = sum(1 for r in rows if r["status"] == "failed")
    print(f"wrote {path}: {len(rows)} rows ({ok} with results), {len(header)} columns")
    for p in problems:
        print(f"{PROG}: warning: {p}", file=sys.stderr)
    if missing:
        print(f"{PROG}: warning: {len(missing)} of {len(rows)} runs have no results"
              f"{f' ({nfailed} failed)' if nfailed else ''}: "
              f"{', '.join(missing[:5])}{' ...' if len(missing) > 5 else ''}"
              + (f" (see {os.path.join(sweepdir, 'joblog.txt')})" if local else ""), file=sys.stderr)

    if plots:
        br.require_numpy_matplotlib(PROG)
        try:
            table = br.load_sweep_csv(path)
            for metric, _ in plots:
                if metric not in table.columns:
                    raise br.InputError(f"--plot {metric}: no such column in {path}"
                                        f"{suggest(metric, table.columns)}")
            import buddyfigures as bf
        except br.InputError as e:
            br.fail(PROG, e)
        except ImportError as e:
            br.fail(PROG, f"cannot draw figures: {e} (apt-get install python3-matplotlib; run with /usr/bin/python3)")
        w = bf.Writer(os.path.join(sweepdir, "figures"))
        for metric, param in plots:
            bf.sweep_figure(table, [metric], param, w, f"{bf.safe_name(metric)}_vs_{bf.safe_name(param)}",
                            f"{metric} against {param}", f"sweep {s.name} · {ok} runs · {sweepdir}")
        for f in w.written:
            print(f)
        for name, why in w.skipped:
            print(f"skipped {name}: {why}")
    print(f"standard figures: {os.path.join(HERE, 'plot.py')} {sweepdir}")
    if (failed_run or problems or missing) and not args.gather_only:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
