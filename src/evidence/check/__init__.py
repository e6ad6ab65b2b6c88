"""``evidence check``: find the statistical claims in new copy and check them.

Pipeline (each step its own module):

1. :mod:`~evidence.check.textprep` — decode bytes, detect HTML/Markdown/text (hidden elements, navigation
   and cookie banners dropped), refuse copy in another language, split into sentences.
2. :mod:`~evidence.check.detect` — mask what is not a claim (:mod:`~evidence.check.patterns`: prices,
   ratings, phone numbers …), then find claims with the figure and word detectors
   (:mod:`~evidence.check.figures`, :mod:`~evidence.check.wordclaims`, patterns in
   :mod:`~evidence.check.lexicon`).
3. :mod:`~evidence.check.link` — resolve each sentence to a study (:mod:`~evidence.check.resolve`), compare
   each claim only with that study's (or topic's) figures of a comparable kind (:mod:`~evidence.check.gate`),
   or abstain with the reason in words.
4. :mod:`~evidence.check.judge` — the verdict from :func:`evidence.claims.evaluate`, the engine
   ``evidence claims`` uses; what it was compared with, in words (:mod:`~evidence.check.words`).
5. :mod:`~evidence.check.render` — terminal table, JSON or a standalone HTML page;
   :mod:`~evidence.check.batch` — several files or a directory as JSON lines, in parallel.

Exit codes: 0 the input was checked (whatever the verdicts); 2 bad input
(missing/unreadable file, empty, binary, too large) or bad arguments;
1 the evidence base could not be read.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from evidence.check.pipeline import (Analysis, CheckReport, DataDirError, InputError, analyse, check, check_text,
                                     read_input)
from evidence.check.textprep import DEFAULT_MAX_BYTES, DEFAULT_MAX_CHARS

MIN_WIDTH = 40   # evidence.check.render.MIN_WIDTH (the narrowest table), here so the CLI need not import render

_read_input = read_input   # the name the command line used before the pipeline had its own module

__all__ = ["analyse", "check", "check_text", "register", "run", "InputError", "Analysis", "CheckReport"]

EXIT_OK, EXIT_DATA, EXIT_INPUT = 0, 1, 2


# ------------------------------------------------------------------- CLI

def register(sub, name, help_):
    MB, MC = DEFAULT_MAX_BYTES, DEFAULT_MAX_CHARS

    p = sub.add_parser(
        name, help=help_,
        description=("Find the statistical claims in an article (plain text, Markdown or HTML), link each to "
                     "the evidence base in data/ and give its verdict. Claims that cannot be linked are listed "
                     "as 'not checkable here: needs a source'."),
        epilog=("Exit codes: 0 checked (whatever the verdicts); 1 the evidence base could not be read, or "
                "does not validate (without --lenient); "
                "2 bad input (missing, empty, binary or too-large file) or bad arguments. "
                "Non-UTF-8 bytes are replaced (U+FFFD) with a warning on stderr."),
    )
    p.add_argument("file", metavar="FILE", nargs="+",
                   help="the article to check ('-' reads standard input); several files or a directory check each "
                        "and write one JSON line per claim")
    p.add_argument("--format", choices=["table", "json", "jsonl", "html"], default=None,
                   help="table (terminal, default for one file), json (a list of claims), jsonl (one JSON line per "
                        "claim, with its file; the default and the only choice for several files) or html")
    p.add_argument("--jobs", "-j", type=int, default=1, help="check this many files in parallel (default 1)")
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="a progress bar on standard error when checking several files (default: if it is a terminal)")
    p.add_argument("--input-format", choices=["auto", "text", "markdown", "html"], default="auto",
                   help="how to read FILE (default: from the extension, else sniffed from the content)")
    p.add_argument("--data", type=Path, default=None, help="data directory (default: the repository's data/)")
    p.add_argument("-o", "--output", type=Path, help="write to this file instead of standard output")
    p.add_argument("-p", "--param", action="append", metavar="NAME=VALUE",
                   help="override a verdict parameter (as in `evidence claims`)")
    p.add_argument("--no-verdicts", action="store_true", help="detect and link only; do not call the verdict engine")
    p.add_argument("--lenient", action="store_true",
                   help="if the data in --data do not validate, check against what could be read (with a "
                        "warning) instead of refusing with exit 1")
    p.add_argument("--width", type=int, default=None, help="table width (default: the terminal's)")
    p.add_argument("--max-bytes", type=int, default=MB, help=f"refuse larger input files (default {MB:,} bytes)")
    p.add_argument("--max-chars", type=int, default=MC,
                   help=f"refuse inputs whose extracted text is longer (default {MC:,} characters)")
    p.set_defaults(func=run)
    return p


def _parse_params(pairs):
    if not pairs:
        return None
    from evidence.params import parse

    try:
        return parse(pairs, "check")
    except ValueError as exc:
        raise InputError(str(exc)) from None


def run(args) -> int:
    from evidence.check.render import render

    prog = "evidence check"
    where = ""   # "FILE: " once the file is read: what is wrong with it is said with its name, as in DIR mode
    try:
        params = _parse_params(args.param)
        if args.max_bytes <= 0 or args.max_chars <= 0:
            raise InputError("--max-bytes and --max-chars must be positive")
        if args.jobs < 1:
            raise InputError("--jobs must be at least 1")
        if args.width is not None and args.width < MIN_WIDTH:
            raise InputError(f"--width must be at least {MIN_WIDTH} (the table's narrowest layout)")
        if args.data is not None or os.environ.get("EVIDENCE_DATA"):
            _data_dir_or_raise(_find_data_dir(args.data))     # one named that is not there: exit 1, always
        if not args.no_verdicts and _refuse_invalid_data(prog, args):
            return EXIT_DATA
        several = len(args.file) > 1 or (args.file[0] != "-" and Path(args.file[0]).is_dir())
        if several or args.format == "jsonl":
            if args.format not in (None, "jsonl"):
                raise InputError(f"--format {args.format} takes one file; several files or a directory give jsonl")
            return _run_batch(args, params)
        data, name = _read_input(args.file[0])
        where = f"{args.file[0] if args.file[0] != '-' else 'standard input'}: "
        if len(data) > args.max_bytes:
            raise InputError(f"input is {len(data):,} bytes, more than the limit of {args.max_bytes:,} (see --max-bytes)")
        result = check(data, filename=name, fmt=args.input_format, data_dir=args.data, params=params,
                       evaluate=not args.no_verdicts, max_bytes=args.max_bytes, max_chars=args.max_chars)
    except (InputError, DataDirError) as exc:   # one clear line; the exit code says which
        print(f"{prog}: {where}{exc}", file=sys.stderr)
        return EXIT_INPUT if isinstance(exc, InputError) else EXIT_DATA
    for w in result.warnings:
        print(f"{prog}: {where}warning: {w}", file=sys.stderr)
    out_text = render(result, args.format or "table", width=args.width, title=name or "standard input")
    if args.output:
        try:
            args.output.write_text(out_text, encoding="utf-8")
        except OSError as exc:
            print(f"{prog}: cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr)
            return EXIT_INPUT
    else:
        sys.stdout.write(out_text)
        if not out_text.endswith("\n"):
            sys.stdout.write("\n")
    return EXIT_OK


def _find_data_dir(explicit):
    from evidence.tables import find_data_dir

    return find_data_dir(explicit)


def _data_dir_or_raise(data_dir) -> Path:
    """``data_dir``, or :class:`DataDirError` in the words every command uses
    ("data directory X: no such directory", "... not a directory")."""
    from evidence import tables

    try:
        return tables.check_data_dir(data_dir)
    except tables.DataDirError as exc:
        raise DataDirError(str(exc)) from None


def _refuse_invalid_data(prog: str, args) -> bool:
    """As `evidence claims` and `evidence report` do: invalid data are refused (True), or with
    ``--lenient`` used as far as they could be read, with a warning (False)."""
    from evidence.db import validate_data
    from evidence.tables import find_data_dir

    data_dir = _data_dir_or_raise(find_data_dir(args.data))
    issues = validate_data(data_dir)
    if not issues:
        return False
    first = f"{len(issues)} issue(s); first: {issues[0]}"
    if not args.lenient:
        print(f"{prog}: the data in {data_dir} do not validate ({first}); run `evidence validate`, "
              "or pass --lenient to check against what could be read", file=sys.stderr)
        return True
    print(f"{prog}: warning: --lenient: the data in {data_dir} do not validate ({first}); "
          "checking against what could be read", file=sys.stderr)
    return False


def _run_batch(args, params) -> int:
    from evidence.check.batch import run_batch

    if args.data is not None:
        _data_dir_or_raise(args.data)
    opts = {"input_format": args.input_format, "data_dir": args.data, "params": params,
            "evaluate": not args.no_verdicts, "max_bytes": args.max_bytes, "max_chars": args.max_chars}
    if args.output:
        try:
            with open(args.output, "w", encoding="utf-8") as out:
                return run_batch(args.file, opts, out, jobs=args.jobs, progress=args.progress)
        except OSError as exc:
            raise InputError(f"cannot write {args.output}: {exc.strerror or exc}") from None
    return run_batch(args.file, opts, sys.stdout, jobs=args.jobs, progress=args.progress)


