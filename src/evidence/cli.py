"""Command-line entry point: ``evidence <subcommand>``.

Each subcommand lives in its own module, which exposes ``register(subparsers)``
(adds its parser and sets ``func``). Modules are imported lazily so that
``evidence --help`` stays fast.
"""
from __future__ import annotations

import argparse
import importlib
import sys

from evidence import __version__

# (subcommand, module, one-line help)
SUBCOMMANDS = [
    ("report", "evidence.report.cli", "execute the notebooks and build the offline HTML report"),
    ("validate", "evidence.validate", "check every table in data/ against the schema and cross-table rules"),
    ("claims", "evidence.claims_cli", "recompute every curated claim and print its verdict"),
    ("meta", "evidence.stats.cli", "meta-analyse your own table of studies"),
    ("check", "evidence.check", "find and check the statistical claims in new copy"),
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="evidence",
        description=(
            "Fact-check the statistics in health articles: recompute each claim from "
            "curated study data and decide a verdict by documented rules."
        ),
    )
    parser.add_argument("--version", action="version", version=f"evidence {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module, help_ in SUBCOMMANDS:
        mod = importlib.import_module(module)
        mod.register(sub, name, help_)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except BrokenPipeError:  # e.g. `evidence claims | head`
        return 0
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
