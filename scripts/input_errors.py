"""How the scripts stop on bad input: InputError carries a message that
names the file and what is wrong; fail prints it and exits with status 2.

Standard library only, so that sweep.py runs without numpy or matplotlib.
"""

import sys


class InputError(Exception):
    """Bad or missing input; the message names the file and the problem."""


def fail(prog, err):
    """Print an InputError the way every script does and exit 2."""
    print(f"{prog}: error: {err}", file=sys.stderr)
    sys.exit(2)


def require_numpy_matplotlib(prog, need_matplotlib=True):
    """Stop with a clear message when this interpreter lacks numpy or
    matplotlib (the python3 first on PATH may be another interpreter)."""
    mods = ("numpy", "matplotlib") if need_matplotlib else ("numpy",)
    for mod in mods:
        try:
            __import__(mod)
        except ImportError:
            fail(prog, f"{sys.executable} has no {mod}: run the script as is (its interpreter is "
                       f"/usr/bin/python3) or with /usr/bin/python3, and install python3-matplotlib "
                       f"(apt-get install python3-matplotlib, or bash scripts/setup.sh)")
