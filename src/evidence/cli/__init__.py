"""Command-line entry point: ``evidence <subcommand>``.

Each subcommand lives in its own module, which exposes ``register(subparsers, name, help)`` (adds
its parser and sets ``func``). Modules are imported lazily so that ``evidence --help`` stays fast.

Shared by every command, in :mod:`evidence.cli.common` (re-exported here):

* :func:`add_data_option` / :func:`data_dir_of`: ``--data DIR``, else ``$EVIDENCE_DATA``, else the
  repository's ``data/`` (:func:`evidence.tables.find_data_dir`, the one place that finds it); a
  directory that does not exist is one line ("no such directory"), exit 1.
* :func:`open_output`: ``-o FILE`` that is a directory, or in a directory that does not exist, or
  not writable, is one line, exit 2, before any work is done.
* :data:`EXIT_CODES`: one table of exit codes (shown by ``evidence --help``).
* :class:`UsageError`: raise it anywhere in a command for "one clear line, exit 2".
"""
from __future__ import annotations

import argparse
import importlib
import sys

from evidence import __version__
from evidence.cli.common import (EXIT_CODES, EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE,  # noqa: F401
                                 UsageError, add_data_option, check_output, data_dir_of, exit_codes_epilog,
                                 open_output, resolve_data_dir)
from evidence.tables import DataDirError

# (subcommand, module, one-line help)
SUBCOMMANDS = [
    ("report", "evidence.report.cli", "execute the notebooks and build the offline HTML report"),
    ("validate", "evidence.validate", "check every table in data/ against the schema and cross-table rules"),
    ("claims", "evidence.claims_cli", "recompute every curated claim and print its verdict"),
    ("meta", "evidence.stats.cli", "meta-analyse your own table of studies"),
    ("check", "evidence.check", "find and check the statistical claims in new copy"),
]

# --------------------------------------------------------------------------- the parser

class OneLineParser(argparse.ArgumentParser):
    """A bad option or value is one line naming it, and exit 2 (the README's promise): "evidence check: argument
    --format: invalid choice: 'xml' (choose from …); see evidence check --help", never the usage block first
    (review12: an editor read six lines of usage before the one that said what was wrong)."""

    def error(self, message: str):
        self.exit(EXIT_USAGE, f"{self.prog}: {message}; see `{self.prog} --help`\n")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="evidence",
        description=(
            "Fact-check the statistics in health articles: recompute each claim from "
            "curated study data and decide a verdict by documented rules."
        ),
        epilog=exit_codes_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"evidence {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=OneLineParser)
    for name, module, help_ in SUBCOMMANDS:
        mod = importlib.import_module(module)
        mod.register(sub, name, help_)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    prog = f"evidence {args.command}"
    try:
        code = int(args.func(args) or 0)
    except UsageError as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except DataDirError as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except BrokenPipeError:  # e.g. `evidence claims | head`
        return EXIT_OK
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    if argv is None and args.command == "report":
        _exit_now(code)
    return code


def _exit_now(code: int) -> None:
    """End the program ``evidence report`` without tearing the interpreter down: the build has finished
    (its report swapped in, its kernels and threads ended, its lock released), and what is left is
    freeing the modules it imported (pandas, nbconvert, jupyter_client, zmq: 0.1-0.15 s of a 2-3 s
    edit rebuild, issue 13). The exit handlers still run and the output is flushed; only a call with
    ``argv=None`` (the program itself, not a caller in the same process) ends this way."""
    import atexit
    import os

    try:
        atexit._run_exitfuncs()
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):        # e.g. `evidence report | head` closed the pipe
        pass
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
