"""``evidence claims``: every curated claim, recomputed, with its verdict."""
from __future__ import annotations

import json
import os
import sys
import textwrap
from datetime import datetime, timezone
from pathlib import Path

from evidence.verdicts import DEFAULT_PARAMS


def parse_params(pairs: list[str] | None) -> dict:
    """``-p NAME=VALUE`` overrides of the verdict parameters (see :mod:`evidence.params`)."""
    from evidence.params import parse

    try:
        return parse(pairs, "claims")
    except ValueError as exc:  # one line naming the option, exit status 2 (usage)
        print(f"evidence claims: {exc}", file=sys.stderr)
        raise UsageExit(str(exc)) from None


class UsageExit(SystemExit):
    """Exit status 2 (usage error); ``str()`` is the message, already printed on standard error."""

    def __init__(self, message: str):
        super().__init__(2)
        self.message = message

    def __str__(self) -> str:
        return self.message


def build_date() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch else datetime.now(timezone.utc)
    return when.date().isoformat()


def register(sub, name, help_):
    import argparse

    from evidence.cli.common import add_data_option, exit_codes_epilog

    p = sub.add_parser(
        name, help=help_,
        description="Recompute every curated claim from data/ and print it with its verdict, the recomputed "
                    "figure, the certainty, the reason, how it was checked, the studies and a suggested wording, "
                    "all in words. csv and json keep the codes beside the words: verdict, claim_type, rule, "
                    "source_ids and recipe (the recomputation with its row ids).",
        epilog="Parameters (-p): " + ", ".join(f"{k}={v}" for k, v in DEFAULT_PARAMS.items())
               + "\n\n" + exit_codes_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--article", metavar="ID", help="only the claims of this article: its number (2 or 002) or its id")
    p.add_argument("--format", choices=["table", "csv", "json", "jsonld"], default="table",
                   help="table (terminal), csv, json, or jsonld (one schema.org ClaimReview per claim)")
    add_data_option(p)
    p.add_argument("-p", "--param", action="append", metavar="NAME=VALUE", help="override a tolerance or method parameter")
    p.add_argument("-o", "--output", type=Path, help="write to this file instead of standard output")
    p.set_defaults(func=run)
    return p


def run(args) -> int:
    import io

    from evidence.claims import EXPORT_COLUMNS, evaluate_all, to_claimreview
    from evidence.cli.common import EXIT_FAILED, check_output, data_dir_of, open_output
    from evidence.db import DataError, load_db

    params = parse_params(args.param)
    if args.output is not None:
        check_output(args.output)          # before any work: a bad -o costs nothing
    data_dir = data_dir_of(args)
    try:
        db = load_db(data_dir)
    except DataError as exc:
        print(f"evidence claims: the data do not validate; run `evidence validate`.\n{exc}", file=sys.stderr)
        return EXIT_FAILED
    if args.article:
        args.article = _article_id(args.article, list(db.articles.index))
    df = evaluate_all(db, params, article=args.article)
    buf = io.StringIO(newline="")
    if args.format == "csv":
        flat = df[EXPORT_COLUMNS].copy()
        flat["sources"] = flat["sources"].apply(lambda s: " ".join(s))
        flat["source_ids"] = flat["source_ids"].apply(lambda s: ";".join(s))
        flat.to_csv(buf, index=False)
    elif args.format == "json":
        json.dump(df[EXPORT_COLUMNS + ["reason_detail", "hand_set", "statements", "studies", "recomputed_value",
                                       "recomputed_low", "recomputed_high"]]
                  .astype(object).where(df.notna(), None).to_dict(orient="records"),
                  buf, indent=2, ensure_ascii=False, default=str)
        buf.write("\n")
    elif args.format == "jsonld":
        json.dump(to_claimreview(df, db, build_date()), buf, indent=2, ensure_ascii=False)
        buf.write("\n")
    else:
        _table(df, buf)
    out = open_output(args.output)   # written only once everything is computed
    try:
        out.write(buf.getvalue())
    finally:
        if args.output:
            out.close()
    return 0


def _table(df, out) -> None:
    """Each claim in words: verdict, quote, what was claimed against what the evidence gives, the reason,
    how it was checked, the studies (one a line) and the suggested wording; no codes, ids or raw floats."""
    from evidence import vocab

    width = 100

    def para(text, first="    ", rest="    "):
        if text:
            out.write(textwrap.fill(text, width, initial_indent=first, subsequent_indent=rest) + "\n")

    for _, r in df.iterrows():
        mark = "✔" if r["holds"] else "✘"
        kind = vocab.word("claim_type", r["claim_type"])
        out.write(f"{mark} {r['claim_id']}  {r['verdict_label'].upper()}  ({kind})  certainty: {r['certainty']}\n")
        para(f"“{r['quote']}”")
        para(f"claimed: {r['claimed'] or '—'}    evidence: {r['recomputed'] or '—'}", "    ", "      ")
        para(("Set by hand: " if r.get("hand_set") else "") + str(r["reason"]))
        para(r.get("reason_detail") or "")
        statements = list(r.get("statements") or [])
        if statements:
            para("How it was checked: weighed statement by statement.")
            for st in statements:
                para(st, "      • ", "        ")
        else:
            para(r.get("checked") or "")
        if r.get("studies"):
            para("Evidence:")
            for st in r["studies"]:
                para(st, "      • ", "        ")
        para(("→ Suggested wording: " + r["correction"]) if r["correction"] else "", "    ", "      ")
        out.write("\n")
    counts = df["verdict_label"].value_counts()
    out.write("  ".join(f"{k}: {v}" for k, v in counts.items()) + f"   ({len(df)} claims)\n")


def _article_id(given: str, known: list[str]) -> str:
    """The article id ``--article`` names: the id itself, a prefix of exactly one ("002"), or its number ("2",
    editor s3 #38: "2" was refused although the README says "its number")."""
    from evidence.cli.common import UsageError

    given = given.strip()
    if given in known:
        return given
    matches = [a for a in known if a.startswith(given)]
    if not matches and given.isdigit():
        matches = [a for a in known if a.split("_", 1)[0].isdigit() and int(a.split("_", 1)[0]) == int(given)]
    if len(matches) == 1:
        return matches[0]
    numbers = [a.split("_", 1)[0] for a in (matches or known)]
    what = "matches several articles" if matches else "is no article"
    raise UsageError(f"--article {given!r} {what} (known: {', '.join(numbers)})")
