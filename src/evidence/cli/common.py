"""What every ``evidence`` subcommand shares: ``--data``, ``-o``, the exit codes, one-line usage errors.

Imports nothing of the package but :mod:`evidence.tables` (where the data directory is found), so any
subcommand module can import it.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import IO

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

#: the exit codes of every command
EXIT_CODES = [
    (EXIT_OK, "success (for claims and check: whatever the verdicts)"),
    (EXIT_FAILED, "the data cannot be used: no such data directory, or the data do not validate "
                  "(validate, claims, report; check unless --lenient); or a page failed to build (report)"),
    (EXIT_USAGE, "bad usage: an unknown option or -p parameter, a bad value, a missing or unreadable input "
                 "file, an output path that is a directory or cannot be written"),
    (EXIT_INTERRUPTED, "interrupted (Ctrl-C)"),
]


class UsageError(Exception):
    """A problem with what the user asked for: printed as one line, exit code 2."""


def exit_codes_epilog() -> str:
    import textwrap

    return "exit codes:\n" + "\n".join(textwrap.fill(what, 88, initial_indent=f"  {code:<4} ", subsequent_indent=" " * 7)
                                        for code, what in EXIT_CODES)


# --------------------------------------------------------------------------- --data

def add_data_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=Path, default=None, metavar="DIR",
                        help="data directory (default: $EVIDENCE_DATA, else the repository's data/)")


def resolve_data_dir(explicit: str | Path | None = None) -> Path:
    """The data directory a command uses (see :func:`evidence.tables.find_data_dir`);
    :class:`evidence.tables.DataDirError` ("no such directory", exit 1) when it is not one."""
    from evidence.tables import check_data_dir, find_data_dir

    return check_data_dir(find_data_dir(explicit))


def data_dir_of(args: argparse.Namespace) -> Path:
    return resolve_data_dir(getattr(args, "data", None))


# --------------------------------------------------------------------------- -o

def check_output(path: str | Path) -> Path:
    """Refuse an output path that cannot be written, before any work is done (UsageError)."""
    p = Path(path)
    if p.is_dir():
        raise UsageError(f"-o {p}: is a directory; give a file name")
    parent = p.parent if str(p.parent) else Path(".")
    if parent.exists() and not parent.is_dir():
        raise UsageError(f"-o {p}: {parent} is not a directory")
    if not parent.is_dir():
        raise UsageError(f"-o {p}: no such directory {parent}")
    if p.exists() and not os.access(p, os.W_OK) or not p.exists() and not os.access(parent, os.W_OK | os.X_OK):
        raise UsageError(f"-o {p}: permission denied")
    return p


def open_output(path: str | Path | None) -> IO[str]:
    """The file to write to (standard output when ``path`` is None); UsageError when it cannot be opened."""
    if path is None:
        return sys.stdout
    p = check_output(path)
    try:
        return open(p, "w", encoding="utf-8", newline="")
    except OSError as exc:
        raise UsageError(f"-o {p}: {exc.strerror or exc}") from None
