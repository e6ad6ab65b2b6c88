"""Placeholder: this subcommand is being built (see the open issues)."""
from __future__ import annotations

import sys


def register(sub, name, help_):
    p = sub.add_parser(name, help=help_, description=help_)
    p.set_defaults(func=run)
    return p


def run(args) -> int:
    print(f"evidence {args.command}: not implemented yet", file=sys.stderr)
    return 2
