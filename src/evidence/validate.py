"""``evidence validate``: check every table against the schema and the cross-table rules.

The checks live in the data layer: per-cell rules in :mod:`evidence.tables`, cross-table rules in
:mod:`evidence.rules` (its docstring lists them). Every problem is reported at once, each naming
file, line, column and rule.
"""
from __future__ import annotations

import json
import sys

from evidence.db import validate_data
from evidence.rules import log_symmetric, normalize_text, quote_in_text
from evidence.tables import read_tables

__all__ = ["validate_data", "normalize_text", "quote_in_text", "log_symmetric", "register", "run"]


def register(sub, name, help_):
    from evidence.cli.common import add_data_option, exit_codes_epilog

    p = sub.add_parser(name, help=help_,
                       description=__doc__.split("\n\n")[0] + "\n\nExits 0 on clean data, 1 when any rule fails.",
                       epilog=exit_codes_epilog(), formatter_class=_raw())
    add_data_option(p)
    p.add_argument("--format", choices=["text", "json"], default="text", help="output format (default: text)")
    p.set_defaults(func=run)
    return p


def _raw():
    import argparse

    return argparse.RawDescriptionHelpFormatter


def run(args) -> int:
    from evidence.cli.common import data_dir_of

    data_dir = data_dir_of(args)
    issues = validate_data(data_dir)
    if args.format == "json":
        json.dump({"data_dir": str(data_dir), "ok": not issues, "issues": [i.to_dict() for i in issues]},
                  sys.stdout, indent=2)
        print()
    elif issues:
        for i in issues:
            print(i)
        print(f"{len(issues)} error(s) in {data_dir}", file=sys.stderr)
    else:
        tables, _ = read_tables(data_dir)
        counts = ", ".join(f"{len(t.records)} {n}" for n, t in tables.items())
        print(f"{data_dir}: OK ({counts})")
    return 1 if issues else 0
