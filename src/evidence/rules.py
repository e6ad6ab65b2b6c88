"""The cross-table rules: what needs more than one cell. Each is a small function in :data:`RULES`.

Per-cell rules (type, required, enum, minimum/maximum, identifiers, dates) come from
``datapackage.json`` and are applied while reading (:mod:`evidence.tables`). Uniqueness and
foreign keys are read from the schema (``primaryKey``, ``unique``, ``foreignKeys``), not re-coded.

========================  ====================================================
rule                      what it checks
========================  ====================================================
``unique``                primary keys and ``unique`` columns, after the ids
                          are normalised (a trailing space makes no new id)
``foreign-key``           every reference in ``foreignKeys`` resolves; a broken
                          one is reported once, at the first row that refers to
                          it, with the count of rows that do
``events-le-n``           events ≤ n in every arm
``ci-order``              CI lower ≤ estimate ≤ upper, lower < upper
``ci-log-symmetry``       a printed OR/RR sits at the geometric centre of its
                          CI, allowing for the printed rounding
``quote-verbatim``        every quote is found in its article (whitespace and
                          typographic quotes normalized)
``provenance``            a derived/inferred figure shows its arithmetic
``source-identifier``     every source has a DOI, PMID, PMCID or URL
``recompute``             the recompute spec parses and names existing rows
``analysis``              a pooled analysis has at least one outcome row
``override``              a hand-set verdict carries a written justification
``evidence-status``       a claim marked ``found`` names its sources; one
                          marked otherwise says what was searched
========================  ====================================================

To add a rule: write ``def my_rule(ctx: Context) -> Iterator[Issue]`` below and append it to
:data:`RULES`; ``tests/test_validate.py`` gets a broken fixture row that it must catch.
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from evidence.spec import SpecError, parse_recompute, references
from evidence.tables import Issue, Table

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
                         "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
                         "\u2010": "-", "\u2011": "-", "\u00a0": " "})
_WS = re.compile(r"\s+")


def normalize_text(text: str) -> str:
    """Fold typographic quotes and collapse whitespace, for verbatim-quote checks."""
    return _WS.sub(" ", text.translate(_QUOTES)).strip()


def quote_in_text(quote: str, text: str) -> bool:
    return quote in text or normalize_text(quote) in normalize_text(text)


def _decimals(raw: str) -> int:
    try:
        exp = Decimal(raw.strip()).as_tuple().exponent
    except (InvalidOperation, ValueError, AttributeError):
        return 0
    return max(0, -int(exp))


def log_symmetric(est: float, lo: float, hi: float, raw: tuple[str, str, str]) -> bool:
    """Can a ratio printed as ``est (lo, hi)`` be the centre of its CI on the log scale?

    Each printed number stands for an interval of half a unit in its last digit;
    the check passes when some values in those intervals are exactly symmetric.
    """
    if min(est, lo, hi) <= 0:
        return False
    half = [0.5 * 10 ** -_decimals(r) for r in raw]
    lo_min, lo_max = max(lo - half[1], 1e-300), lo + half[1]
    hi_min, hi_max = hi - half[2], hi + half[2]
    centre_min = math.sqrt(lo_min * max(hi_min, 1e-300))
    centre_max = math.sqrt(lo_max * hi_max)
    return centre_min <= est + half[0] and est - half[0] <= centre_max


@dataclass
class Context:
    """What the rules see: the tables as read, the data directory, and the keys of each table."""

    data_dir: Path
    tables: dict[str, Table]
    keys: dict[str, set] = field(default_factory=dict)      # table -> its primary-key values
    texts: dict[str, str] = field(default_factory=dict)     # article_id -> text (filled by article_texts)

    def each(self, name: str) -> Iterator[tuple[Table, dict, dict, int]]:
        t = self.tables.get(name)
        if t is None:
            return
        for rec, raw, line in zip(t.records, t.raw, t.lines):
            yield t, rec, raw, line


Rule = Callable[[Context], Iterator[Issue]]


def _items(value, delimiter: str | None) -> list[str]:
    if value is None:
        return []
    if delimiter:
        return [x.strip() for x in str(value).split(delimiter) if x.strip()]
    return [value]


# --------------------------------------------------------------------------- keys

def unique(ctx: Context) -> Iterator[Issue]:
    """Primary keys and ``unique`` columns (values already normalised by :mod:`evidence.tables`)."""
    for name, t in ctx.tables.items():
        cols = t.resource.unique if t.resource is not None else [t.key]
        for col in cols:
            seen: dict = {}
            for rec, raw, line in zip(t.records, t.raw, t.lines):
                key = rec.get(col)
                if key is None:
                    continue
                if key in seen:
                    first_line, first_raw = seen[key]
                    same = "" if raw.get(col) == first_raw else f" (as {first_raw!r}: the same id once spaces and invisible characters are removed)"
                    yield Issue(t.file, line, col, "unique", f"id {key!r} already used on line {first_line}{same}")
                else:
                    seen[key] = (line, raw.get(col))
            if col == t.key:
                ctx.keys[name] = set(seen)


def foreign_keys(ctx: Context) -> Iterator[Issue]:
    """Every ``foreignKeys`` reference resolves. A missing key is reported once, at the first row that
    refers to it, with how many rows do; an id that is defined with stray characters is reported at
    the defining row (by :mod:`evidence.tables`), with the count of the rows that refer to it."""
    refs: dict[tuple[str, str, object], list[tuple[Table, int, str]]] = {}
    for name, t in ctx.tables.items():
        if t.resource is None:
            continue
        for fk in t.resource.foreign_keys:
            f = t.resource.field(fk.field)
            for rec, line in zip(t.records, t.lines):
                for v in _items(rec.get(fk.field), f.delimiter if f else None):
                    refs.setdefault((fk.resource, fk.reference, v), []).append((t, line, fk.field))
    parents_values: dict[tuple[str, str], set] = {}
    for (res, col, v), where in refs.items():
        parent = ctx.tables.get(res)
        values = parents_values.get((res, col))
        if values is None:
            values = {r.get(col) for r in parent.records} if parent is not None else set()
            parents_values[(res, col)] = values
        if v in values:
            continue
        t, line, column = where[0]
        pfile = parent.file if parent is not None else f"{res}.csv"
        noun = res[:-1] if res.endswith("s") else res
        others = _count(where)
        yield Issue(t.file, line, column, "foreign-key",
                    f"no {noun} {v!r} in {pfile}" + (f"; {others}" if len(where) > 1 else ""))
    # ids defined with stray characters: say how many rows depend on them, at the defining row
    for name, t in ctx.tables.items():
        key = t.key
        for rec, raw, line in zip(t.records, t.raw, t.lines):
            if rec.get(key) is not None and raw.get(key) != rec.get(key):
                where = [w for (res, col, v), ws in refs.items() if res == name and col == key and v == rec[key]
                         for w in ws]
                if where:
                    yield Issue(t.file, line, key, "foreign-key",
                                f"{_count(where).replace(' to it', f' to {rec[key]!r}')}; this row defines it as {raw[key]!r}")


def _count(where: list[tuple[Table, int, str]]) -> str:
    """'3 rows refer to it (2 in outcomes.csv, 1 in claims.csv)'."""
    by_file: dict[str, int] = {}
    for t, _, _ in where:
        by_file[t.file] = by_file.get(t.file, 0) + 1
    n = len(where)
    verb = "row refers" if n == 1 else "rows refer"
    return f"{n} {verb} to it: " + ", ".join(f"{v} in {k}" for k, v in by_file.items())


# --------------------------------------------------------------------------- figures

def provenance(ctx: Context) -> Iterator[Issue]:
    """A derived or inferred figure shows its arithmetic."""
    for name in ("sources", "outcomes", "estimates", "prevalence", "facts"):
        for t, rec, raw, line in ctx.each(name):
            if rec.get("provenance") in ("derived", "inferred") and not (rec.get("arithmetic") or "").strip():
                yield Issue(t.file, line, "arithmetic", "provenance",
                            f"provenance is {rec['provenance']!r} but no arithmetic is given")


def source_identifier(ctx: Context) -> Iterator[Issue]:
    for t, rec, raw, line in ctx.each("sources"):
        if not any((rec.get(c) or "").strip() for c in ("doi", "pmid", "pmcid", "url")):
            yield Issue(t.file, line, "doi", "source-identifier", "no DOI, PMID, PMCID or URL")


def events_le_n(ctx: Context) -> Iterator[Issue]:
    for t, rec, raw, line in ctx.each("outcomes"):
        for arm in ("treat", "ctrl"):
            e, n = rec.get(f"events_{arm}"), rec.get(f"n_{arm}")
            if e is not None and n is not None and e > n:
                yield Issue(t.file, line, f"events_{arm}", "events-le-n", f"{e} events but n = {n}")
            if e is not None and n is None:
                yield Issue(t.file, line, f"n_{arm}", "events-le-n", f"events given ({e}) without n")


def ci_order(ctx: Context) -> Iterator[Issue]:
    """CI order, and a printed OR/RR at the geometric centre of its CI."""
    for t, rec, raw, line in ctx.each("estimates"):
        est, lo, hi = rec.get("estimate"), rec.get("ci_low"), rec.get("ci_high")
        if lo is None or hi is None:
            continue
        if not lo < hi:
            yield Issue(t.file, line, "ci_low", "ci-order", f"lower limit {lo} is not below upper limit {hi}")
        elif est is not None and not (lo <= est <= hi):
            yield Issue(t.file, line, "estimate", "ci-order", f"estimate {est} lies outside its CI {lo} to {hi}")
        elif (est is not None and rec.get("measure") in ("OR", "RR")
              and "ci_not_log_symmetric" not in (rec.get("notes") or "")
              and not log_symmetric(est, lo, hi, (raw["estimate"], raw["ci_low"], raw["ci_high"]))):
            centre = math.sqrt(lo * hi) if lo > 0 else float("nan")
            yield Issue(t.file, line, "estimate", "ci-log-symmetry",
                        f"{rec['measure']} {est} is not the geometric centre of its CI {lo} to {hi} "
                        f"(centre {centre:.4g}); if the source's CI is not log-symmetric, say so in notes "
                        "with 'ci_not_log_symmetric: <why>'")


# --------------------------------------------------------------------------- articles and claims

def article_texts(ctx: Context) -> Iterator[Issue]:
    """Every article row names a readable UTF-8 text (kept in ``ctx.texts`` for the quote rule)."""
    for t, rec, raw, line in ctx.each("articles"):
        path = Path(ctx.data_dir) / (rec.get("file") or "")
        if not path.is_file():
            yield Issue(t.file, line, "file", "foreign-key", f"article text {rec.get('file')!r} not found")
            continue
        try:
            ctx.texts[rec["article_id"]] = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            yield Issue(t.file, line, "file", "encoding", f"{rec.get('file')} is not valid UTF-8")


def quotes(ctx: Context) -> Iterator[Issue]:
    for t, rec, raw, line in ctx.each("claims"):
        quote, aid = rec.get("quote"), rec.get("article_id")
        if quote and aid in ctx.texts and not quote_in_text(quote, ctx.texts[aid]):
            yield Issue(t.file, line, "quote", "quote-verbatim", f"quote not found in article {aid}: {quote[:60]!r}")


def recompute(ctx: Context) -> Iterator[Issue]:
    """The recompute spec parses and names rows (and columns) that exist."""
    analyses: set[str] = set()
    for _, rec, _, _ in ctx.each("outcomes"):
        analyses |= {a.strip() for a in (rec.get("analysis_ids") or "").split(";") if a.strip()}
    sources = ctx.tables.get("sources")
    for t, rec, raw, line in ctx.each("claims"):
        try:
            method, args = parse_recompute(rec.get("recompute"))
        except SpecError as exc:
            yield Issue(t.file, line, "recompute", "recompute", str(exc))
            continue
        for _arg, table_names, rid in references(method, args):
            if not any(rid in ctx.keys.get(tn, ()) for tn in table_names):
                yield Issue(t.file, line, "recompute", "recompute",
                            f"{method}: no {' or '.join(table_names)} row {rid!r}")
        if method == "pooled" and args["analysis"] not in analyses:
            yield Issue(t.file, line, "recompute", "analysis",
                        f"no outcomes.csv row is tagged with analysis {args['analysis']!r}")
        if method == "attribute" and sources and args["field"] not in sources.columns:
            yield Issue(t.file, line, "recompute", "recompute", f"sources.csv has no column {args['field']!r}")


def override(ctx: Context) -> Iterator[Issue]:
    for t, rec, raw, line in ctx.each("claims"):
        if rec.get("verdict_override") and not (rec.get("override_justification") or "").strip():
            yield Issue(t.file, line, "override_justification", "override",
                        "a verdict set by hand needs a written justification")


def evidence_status(ctx: Context) -> Iterator[Issue]:
    for t, rec, raw, line in ctx.each("claims"):
        status = rec.get("evidence_status")
        if status == "found" and not (rec.get("source_ids") or "").strip():
            yield Issue(t.file, line, "source_ids", "evidence-status", "evidence_status is 'found' but no source is named")
        if status in ("not_found", "unidentifiable") and not (rec.get("search_note") or "").strip():
            yield Issue(t.file, line, "search_note", "evidence-status",
                        f"evidence_status is {status!r}: say what was searched")


#: every cross-table rule, in the order they run (``unique`` first: it collects the keys)
RULES: list[Rule] = [unique, foreign_keys, provenance, source_identifier, events_le_n, ci_order,
                     article_texts, quotes, recompute, override, evidence_status]


def cross_table_issues(data_dir: Path, tables: dict[str, Table]) -> list[Issue]:
    """Run :data:`RULES` over the tables as read."""
    ctx = Context(Path(data_dir), tables)
    issues: list[Issue] = []
    for rule in RULES:
        issues.extend(rule(ctx))
    return issues
