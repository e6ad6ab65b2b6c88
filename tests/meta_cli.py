"""Shared by the `evidence meta` tests: run the subcommand on a fresh parser, and write dat.bcg as its input.

``run`` exercises ``evidence meta`` through its own ``register``, so those tests do not depend on the other
subcommands. ``bcg_csv`` writes metafor's dat.bcg (tests/golden/dat_bcg.csv) as a table of arm counts,
with the moderators ``ablat`` and ``alloc`` when asked.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from evidence.stats import cli as meta_cli

GOLDEN = Path(__file__).parent / "golden"


def run(argv, capsys):
    """(exit status, standard output, standard error) of ``evidence meta ARGV``."""
    parser = argparse.ArgumentParser(prog="evidence")
    sub = parser.add_subparsers(dest="command")
    meta_cli.register(sub, "meta", "meta-analyse your own table of studies")
    args = parser.parse_args(["meta", *argv])
    rc = args.func(args)
    cap = capsys.readouterr()
    return rc, cap.out, cap.err


def bcg_csv(tmp_path: Path, moderators: bool = False) -> Path:
    """dat.bcg as bcg.csv (study, events_treat, n_treat, events_ctrl, n_ctrl[, ablat, alloc])."""
    d = pd.read_csv(GOLDEN / "dat_bcg.csv")
    t = pd.DataFrame({"study": d.author + " " + d.year.astype(str), "events_treat": d.tpos,
                      "n_treat": d.tpos + d.tneg, "events_ctrl": d.cpos, "n_ctrl": d.cpos + d.cneg})
    if moderators:
        t["ablat"], t["alloc"] = d.ablat, d.alloc
    p = tmp_path / "bcg.csv"
    t.to_csv(p, index=False)
    return p
