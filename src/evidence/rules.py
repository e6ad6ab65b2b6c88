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
``source-identifier``     every source has a DOI, PMID, PMCID, URL or read_via
``canonical-url``         a source's ``url`` is not a mirror, proxy or copy
                          (those belong in ``read_via``)
``note-contradicts-row``  notes do not call a filled column blank
``reported-with-``        a ``reported`` row has no arithmetic and no note
``arithmetic``            saying one of its figures is inferred or assumed
``pct-whole-count``       a printed responder percentage is a whole count of
                          its ``n_participants`` (within the printed rounding)
``duplicate-figure``      no two rows of one source repeat the same figures
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
    missing: set = field(default_factory=set)               # (table, id) referred to but not defined (reported once)

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


def _references(ctx: Context) -> dict[tuple[str, str, object], list[tuple[Table, int, str]]]:
    """Every reference to a key, ``(table, key column, id) -> [(table, line, column), ...]``: the
    schema's ``foreignKeys``, and the ids a recompute spec or ``stands_in_for`` names (one table each)."""
    refs: dict[tuple[str, str, object], list[tuple[Table, int, str]]] = {}
    for name, t in ctx.tables.items():
        if t.resource is None:
            continue
        for fk in t.resource.foreign_keys:
            f = t.resource.field(fk.field)
            for rec, line in zip(t.records, t.lines):
                for v in _items(rec.get(fk.field), f.delimiter if f else None):
                    refs.setdefault((fk.resource, fk.reference, v), []).append((t, line, fk.field))
    for t, rec, _raw, line in ctx.each("sources"):
        for sid in _items(rec.get("stands_in_for"), ";"):
            refs.setdefault(("sources", "source_id", sid), []).append((t, line, "stands_in_for"))
    for t, rec, _raw, line in ctx.each("claims"):
        try:
            method, args = parse_recompute(rec.get("recompute"))
        except SpecError:
            continue
        for _arg, table_names, rid in references(method, args):
            parent = ctx.tables.get(table_names[0]) if len(table_names) == 1 else None
            if parent is not None:
                refs.setdefault((table_names[0], parent.key, rid), []).append((t, line, "recompute"))
    return refs


def _typo_of(missing: object, parent: Table, referenced: set) -> tuple[int, str] | None:
    """The row of ``parent`` that defines a key nobody refers to and that is one slip away from
    ``missing`` (a mistyped, doubled or dropped character): ``(line, key)``, or None."""
    import difflib

    if not isinstance(missing, str):
        return None
    best: tuple[float, int, str] | None = None
    for rec, line in zip(parent.records, parent.lines):
        k = rec.get(parent.key)
        if not isinstance(k, str) or k in referenced or k == missing:
            continue
        ratio = difflib.SequenceMatcher(None, missing.casefold(), k.casefold()).ratio()
        if ratio >= 0.8 and (best is None or ratio > best[0]):
            best = (ratio, line, k)
    return None if best is None else (best[1], best[2])


def foreign_keys(ctx: Context) -> Iterator[Issue]:
    """Every reference resolves (``foreignKeys``, recompute specs, ``stands_in_for``). A missing key
    is reported once, with how many rows refer to it: at the row that defines a near spelling of it
    that no row refers to when several rows agree on the spelling (a typo where the key is defined),
    else at the first row that refers to it (with the near spelling, if there is one).
    An id defined with stray characters is reported at the defining row (by :mod:`evidence.tables`),
    with the count of the rows that refer to it."""
    refs = _references(ctx)
    parents_values: dict[tuple[str, str], set] = {}
    referenced: dict[str, set] = {}
    for (res, _col, v) in refs:
        referenced.setdefault(res, set()).add(v)
    for (res, col, v), where in refs.items():
        parent = ctx.tables.get(res)
        values = parents_values.get((res, col))
        if values is None:
            values = {r.get(col) for r in parent.records} if parent is not None else set()
            parents_values[(res, col)] = values
        if v in values:
            continue
        ctx.missing.add((res, v))
        if parent is not None and col == parent.key and v in parent.unread:
            continue        # its defining row could not be read: reported there (row-length)
        t, line, column = where[0]
        pfile = parent.file if parent is not None else f"{res}.csv"
        noun = res[:-1] if res.endswith("s") else res
        typo = _typo_of(v, parent, referenced.get(res, set())) if parent is not None and col == parent.key else None
        nrows = len({(t_.file, ln) for t_, ln, _ in where})
        if typo is not None and nrows == 1:   # one row against one definition: the referring row is the odd one
            yield Issue(t.file, line, column, "recompute" if column == "recompute" else "foreign-key",
                        f"no {noun} {v!r} in {pfile}; did you mean {typo[1]!r} ({pfile}:{typo[0]})?")
            continue
        if typo is not None:                  # several rows agree on the spelling: the definition is the typo
            yield Issue(parent.file, typo[0], col, "foreign-key",
                        f"no {noun} {v!r} in {pfile}, but this row defines {typo[1]!r}, which no row refers to: "
                        f"a typo? {_count(where).replace(' to it', f' to {v!r}')}")
            continue
        yield Issue(t.file, line, column, "recompute" if column == "recompute" else "foreign-key",
                    f"no {noun} {v!r} in {pfile}" + (f"; {_count(where)}" if len(where) > 1 else ""))
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
    rows = {(t.file, line): t.file for t, line, _ in where}       # a row that refers twice counts once
    for file in rows.values():
        by_file[file] = by_file.get(file, 0) + 1
    n = len(rows)
    verb = "row refers" if n == 1 else "rows refer"
    return f"{n} {verb} to it: " + ", ".join(f"{v} in {k}" for k, v in by_file.items())


# --------------------------------------------------------------------------- citations and bookkeeping (curation's)

#: hosts that are copies of other people's material, never a source's canonical address
MIRROR_HOSTS = ("scribd.com", "docksci.com", "peeref.com", "fda.report", "maestrodatabase.com", "drugoffice.gov.hk",
                "lexichronic.com", "survivalistbriefing.com", "medworm.com", "xsmb2023.org", "6x2rp.group", "avyia.com",
                "citclinics.com", "dreamscapeketamine.com", "web.archive.org", "translate.google.com", "docslib.org",
                "studyres.com", "globalrph.com", "47.251.13.51")


def _host(url: str) -> str:
    m = re.match(r"^[a-z]+://([^/?#:]+)", url.strip().lower())
    return m.group(1) if m else ""


def citation_issues(t: Table, rec: dict, line: int, source_ids: set, reported: set = frozenset()) -> list[Issue]:
    """``url`` is the canonical address (no mirror or proxy); ``stands_in_for`` names existing sources
    (a missing one already in ``reported``, by :func:`foreign_keys`, is not repeated)."""
    out = []
    host = _host(rec.get("url") or "")
    if host and (any(host == h or host.endswith("." + h) for h in MIRROR_HOSTS) or re.fullmatch(r"[\d.]+", host)):
        out.append(Issue(t.file, line, "url", "canonical-url",
                         f"url {rec['url']!r} is a mirror, proxy or copy; put it in read_via and give the DOI, "
                         "PubMed or official address (or leave url blank)"))
    for sid in filter(None, (s.strip() for s in (rec.get("stands_in_for") or "").split(";"))):
        if sid not in source_ids:
            if sid in reported:
                continue
            out.append(Issue(t.file, line, "stands_in_for", "foreign-key", f"no source {sid!r} in sources.csv"))
        elif sid == rec.get("source_id"):
            out.append(Issue(t.file, line, "stands_in_for", "foreign-key", "a source cannot stand in for itself"))
    return out


#: per table: the columns that hold figures (what provenance speaks for)
FIGURE_COLUMNS = {
    "sources": ("n_randomized", "n_analysed", "dose_mg_per_kg", "infusion_min"),
    "outcomes": ("n_treat", "events_treat", "mean_treat", "sd_treat", "n_ctrl", "events_ctrl", "mean_ctrl", "sd_ctrl"),
    "estimates": ("estimate", "ci_low", "ci_high", "p_value", "k_studies", "n_participants"),
    "prevalence": ("value_pct", "count", "period", "data_years"),
    "facts": ("value_num",),
}
_SAYS_BLANK = r"\b{col}\b (?:is |was |are )?(?:left )?blank"
_SAYS_INFERRED = (r"\b{col}\b\s*(?:=\s*\S+\s*)?(?:[^.]|\.(?=\d))*?\b(?:assumes?|assumed|is inferred|inferred from|implied|not printed)\b"
                  r"|\b(?:prints no|not printed)\b(?:[^.]|\.(?=\d))*?\b{col}\b"
                  r"|\b{col}\s*=\s*\d+(?:[^.]|\.(?=\d))*?\d\s*(?:%\s*(?:of|=)\s*\d|/\s*\d)")


def note_issues(t: Table, rec: dict, line: int) -> list[Issue]:
    """Bookkeeping that contradicts itself within one row (issue #14):

    * ``note-contradicts-row``: the notes say a column is blank while it is filled;
    * ``reported-with-arithmetic``: a row marked ``reported`` carries arithmetic, or its notes say
      one of its figures is inferred or assumed (then it is ``inferred``, with the arithmetic).
    """
    out = []
    notes = rec.get("notes") or ""
    for f in t.fields:
        col = f.name
        if col == "notes" or rec.get(col) in (None, ""):
            continue
        if re.search(_SAYS_BLANK.format(col=re.escape(col)), notes):
            out.append(Issue(t.file, line, col, "note-contradicts-row",
                             f"notes say {col} is blank but it holds {rec[col]!r}; make the row and the note agree"))
    if rec.get("provenance") == "reported":
        if (rec.get("arithmetic") or "").strip():
            out.append(Issue(t.file, line, "provenance", "reported-with-arithmetic",
                             "provenance is 'reported' but arithmetic is given; a computed figure is 'derived' or 'inferred'"))
        for col in FIGURE_COLUMNS.get(t.name, ()):
            if rec.get(col) not in (None, "") and re.search(_SAYS_INFERRED.format(col=re.escape(col)), notes, re.I):
                out.append(Issue(t.file, line, "provenance", "reported-with-arithmetic",
                                 f"notes say {col} is inferred or assumed, but provenance is 'reported'; "
                                 "mark the row 'inferred' and put the reasoning in arithmetic"))
    return out


def _whole_count_fits(pct: float, raw: str, n: int) -> bool:
    """Is ``pct`` (printed as ``raw``) k/n x 100 for some whole k, within the printed rounding?"""
    half = 0.5 * 10 ** -_decimals(raw) + 1e-9
    k = round(pct * n / 100)
    return any(0 <= j <= n and abs(100 * j / n - pct) <= half for j in (k - 1, k, k + 1))


def duplicate_issues(t: Table, key_cols: tuple[str, ...], what: str) -> list[Issue]:
    """``duplicate-figure``: two rows of one source carry the same figures (same measure, same numbers).

    A genuine repeat (two arms that happen to print the same value) says so with ``not_duplicate: <why>`` in notes.
    """
    out, seen = [], {}
    for rec, line in zip(t.records, t.lines):
        nums = tuple(rec.get(c) for c in key_cols)
        if all(v in (None, "") for v in nums[2:]) or "not_duplicate" in (rec.get("notes") or ""):
            continue
        if nums in seen:
            out.append(Issue(t.file, line, t.key, "duplicate-figure",
                             f"same source, {what} and figures as {seen[nums][0]!r} on line {seen[nums][1]}; keep one row "
                             "(or say 'not_duplicate: <why>' in notes)"))
        else:
            seen[nums] = (rec.get(t.key), line)
    return out



# --------------------------------------------------------------------------- figures

def provenance(ctx: Context) -> Iterator[Issue]:
    """A derived or inferred figure shows its arithmetic."""
    for name in ("sources", "outcomes", "estimates", "prevalence", "facts"):
        for t, rec, raw, line in ctx.each(name):
            if rec.get("provenance") in ("derived", "inferred") and not (rec.get("arithmetic") or "").strip():
                yield Issue(t.file, line, "arithmetic", "provenance",
                            f"provenance is {rec['provenance']!r} but no arithmetic is given")


def source_identifier(ctx: Context) -> Iterator[Issue]:
    """Every source has a DOI, PMID, PMCID, URL or read_via; its url is canonical; stands_in_for resolves."""
    for t, rec, raw, line in ctx.each("sources"):
        if not any((rec.get(c) or "").strip() for c in ("doi", "pmid", "pmcid", "url", "read_via")):
            yield Issue(t.file, line, "doi", "source-identifier", "no DOI, PMID, PMCID, URL or read_via")
        yield from citation_issues(t, rec, line, ctx.keys.get("sources", set()),
                                   {v for res, v in ctx.missing if res == "sources"})


def bookkeeping(ctx: Context) -> Iterator[Issue]:
    """Notes that contradict the row, 'reported' figures that were computed, percentages that are no
    whole count of their n, duplicate figures (issue #14)."""
    for name in FIGURE_COLUMNS:
        for t, rec, raw, line in ctx.each(name):
            yield from note_issues(t, rec, line)
    for t, rec, raw, line in ctx.each("estimates"):
        n, pct = rec.get("n_participants"), rec.get("estimate")
        if rec.get("measure") == "pct_responders" and n and pct is not None and not _whole_count_fits(pct, raw["estimate"], n):
            yield Issue(t.file, line, "n_participants", "pct-whole-count",
                        f"{raw['estimate']}% is not a whole count of n = {n} (within the printed rounding); "
                        "fix n_participants or leave it blank and say why")
    if ctx.tables.get("outcomes"):
        yield from duplicate_issues(ctx.tables["outcomes"], ("source_id", "outcome_type", "n_treat", "events_treat",
                                                             "mean_treat", "sd_treat", "n_ctrl", "events_ctrl",
                                                             "mean_ctrl", "sd_ctrl"), "kind of outcome")
    if ctx.tables.get("estimates"):
        yield from duplicate_issues(ctx.tables["estimates"], ("source_id", "measure", "estimate", "ci_low", "ci_high",
                                                              "timepoint", "arm"), "measure, time point, arm")


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
                if len(table_names) == 1 and (table_names[0], rid) in ctx.missing:
                    continue        # reported once, with its count, by foreign_keys
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
RULES: list[Rule] = [unique, foreign_keys, provenance, source_identifier, bookkeeping, events_le_n, ci_order,
                     article_texts, quotes, recompute, override, evidence_status]


def cross_table_issues(data_dir: Path, tables: dict[str, Table]) -> list[Issue]:
    """Run :data:`RULES` over the tables as read."""
    ctx = Context(Path(data_dir), tables)
    issues: list[Issue] = []
    for rule in RULES:
        issues.extend(rule(ctx))
    return issues
