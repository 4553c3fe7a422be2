"""Read a JSON file and check it against a small shape description.

A shape is NUM, INT, STR, BOOL, ANY, a list [shape] (an array of that
shape), a dict {key: shape} (an object; a key ending in "?" is optional,
"*" stands for every other key), or OneOf(shape, ...). Every problem raises
InputError naming the file (and the JSON pointer, or line:column).
"""

import json

from input_errors import InputError

NUM, INT, STR, BOOL, ANY = "number", "integer", "string", "boolean", "any"

# The scalar shapes: (accepts the value, what the message says was expected).
SCALARS = {
    NUM: (lambda v: not isinstance(v, bool) and isinstance(v, (int, float)), "a number"),
    INT: (lambda v: not isinstance(v, bool) and isinstance(v, int), "an integer"),
    STR: (lambda v: isinstance(v, str), "a string"),
    BOOL: (lambda v: isinstance(v, bool), "true or false"),
}


class OneOf:
    def __init__(self, *shapes):
        self.shapes = shapes


def found(v):
    """A value as JSON for a message, cut to about 60 characters."""
    text = json.dumps(v)
    return text if len(text) <= 60 else text[:57] + "..."


def check(value, shape, file, ptr=""):
    """Return value if it has the shape, else raise InputError naming the
    file and the JSON pointer. Objects keep only the keys of the shape."""
    where = f"{file}: {ptr or '/'}"
    if isinstance(shape, OneOf):
        for s in shape.shapes:
            try:
                return check(value, s, file, ptr)
            except InputError:
                pass
        raise InputError(f"{where}: unexpected value {found(value)}")
    if shape == ANY:
        return value
    if isinstance(shape, str) and shape in SCALARS:
        accepts, expected = SCALARS[shape]
        if not accepts(value):
            raise InputError(f"{where}: expected {expected}, found {found(value)}")
        return value
    if isinstance(shape, list):
        if not isinstance(value, list):
            raise InputError(f"{where}: expected an array, found {found(value)}")
        return [check(v, shape[0], file, f"{ptr}/{i}") for i, v in enumerate(value)]
    if isinstance(shape, dict):
        if not isinstance(value, dict):
            raise InputError(f"{where}: expected an object, found {found(value)}")
        return _check_object(value, shape, file, ptr, where)
    raise AssertionError(f"bad shape {shape!r}")


def _check_object(value, shape, file, ptr, where):
    out = {}
    for key, sub in shape.items():
        if key == "*":
            continue
        name = key.rstrip("?")
        if name in value:
            out[name] = check(value[name], sub, file, f"{ptr}/{name}")
        elif not key.endswith("?"):
            raise InputError(f"{where}: missing key \"{name}\"")
    if "*" in shape:
        for name, v in value.items():
            if name not in out and name + "?" not in shape:
                out[name] = check(v, shape["*"], file, f"{ptr}/{name}")
    return out


def read_json(path, what="file"):
    """Parse a JSON file; errors name the file (and line:column)."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except FileNotFoundError:
        raise InputError(f"{path}: no such {what}") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, expected a JSON {what}") from None
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"{path}: cannot read: {e}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(f"{path}:{e.lineno}:{e.colno}: invalid JSON: {e.msg}") from None
