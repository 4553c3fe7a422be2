"""Starting the pending runs of a sweep: the command file (one run a
line), GNU parallel on this machine or across hosts over ssh, or a Slurm
job-array script (docs/sweeps.md)."""

import os
import shlex
import shutil
import subprocess
import sys

from input_errors import InputError
from sweep_runs import buddysim_env

HERE = os.path.dirname(os.path.abspath(__file__))


def find_parallel():
    """The GNU parallel executable, else InputError saying how to get it."""
    exe = shutil.which("parallel")
    if exe:
        try:
            out = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=30).stdout
        except (OSError, subprocess.SubprocessError):
            out = ""
        if "GNU parallel" in out:
            return exe
        raise InputError(f"{exe} is not GNU parallel (moreutils ships another 'parallel'): "
                         "install GNU parallel with apt-get install parallel")
    raise InputError("GNU parallel is not installed: install it with apt-get install parallel "
                     "(or bash scripts/setup.sh), or use --slurm / --dry-run")


def write_commands(sweepdir, pending):
    """SWEEPDIR/commands.txt: the command of every pending run, one a line."""
    path = os.path.join(sweepdir, "commands.txt")
    with open(path, "w", encoding="utf-8") as f:
        for r in pending:
            f.write(r.command + "\n")
    return path


def run_local(parallel, sweepdir, commands, n, jobs):
    """Run the commands with GNU parallel, jobs at a time; its exit status.
    KeyboardInterrupt goes to the caller."""
    cmd = [parallel, "-j", str(jobs), "--joblog", os.path.join(sweepdir, "joblog.txt")]
    if sys.stderr.isatty():
        cmd.append("--bar")
    cmd += ["::::", commands]
    print(f"running {n} runs, {jobs} at a time: {' '.join(shlex.quote(c) for c in cmd)}", flush=True)
    return subprocess.run(cmd, env=buddysim_env()).returncode


def write_slurm(out, s, sweepdir, commands, n, jobs):
    """A Slurm job-array script at out: one array task per line of
    commands, jobs tasks at a time (None: no limit)."""
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


def write_ssh_script(sweepdir, s, commands, loginfile, jobs):
    """SWEEPDIR/run-ssh.sh, which runs the commands on the hosts of
    loginfile with GNU parallel; returns (the script, its command)."""
    cmd = ssh_command(sweepdir, commands, loginfile, jobs)
    script = os.path.join(sweepdir, "run-ssh.sh")
    with open(script, "w", encoding="utf-8") as f:
        f.write("#!/bin/sh\n# Runs the pending runs of sweep %s on the hosts of %s with GNU parallel.\n"
                "# Every host must see the same paths (a shared file system) and run the same build.\n"
                "exec %s\n" % (s.name, os.path.abspath(loginfile), cmd))
    os.chmod(script, 0o755)
    return script, cmd
