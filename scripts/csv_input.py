"""Read a CSV file with a header line, checking it as it goes: every
problem raises InputError naming the file and the line."""

import contextlib
import csv

from input_errors import InputError


@contextlib.contextmanager
def csv_rows(path, required):
    """with csv_rows(path, required) as (header, rows): the header (which
    must hold every column of required) and an iterator of (line number,
    fields) over the non-empty lines, each with as many fields as the
    header."""
    try:
        f = open(path, newline="", encoding="utf-8")
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e.strerror}") from None
    with f:
        reader = csv.reader(f)
        header = _header(path, reader, required)
        yield header, _rows(path, reader, len(header))


def _header(path, reader, required):
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(f"{path}: the file is empty (expected a header line)") from None
    except csv.Error as e:
        raise InputError(f"{path}: line 1: {e}") from None
    missing = [c for c in required if c not in header]
    if missing:
        raise InputError(f"{path}: line 1: missing column{'s' if len(missing) > 1 else ''} "
                         f"{', '.join(missing)} (found: {','.join(header)[:200]})")
    return header


def _rows(path, reader, width):
    try:
        for row in reader:
            if not row:
                continue
            if len(row) != width:
                raise InputError(f"{path}: line {reader.line_num}: {len(row)} fields, the header has {width}")
            yield reader.line_num, row
    except csv.Error as e:
        raise InputError(f"{path}: line {reader.line_num}: {e}") from None


def number(path, lineno, column, text):
    """A field as a float, else InputError naming the line and column."""
    try:
        return float(text)
    except ValueError:
        raise InputError(f"{path}: line {lineno}: column {column}: expected a number, "
                         f"found {text!r}") from None
