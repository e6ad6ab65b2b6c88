"""``evidence validate``: check every table against the schema and the cross-table rules.

Per-cell rules (type, required, enum, minimum/maximum) come from
``datapackage.json`` and are applied while reading (:mod:`evidence.db`).
This module adds the rules that need more than one cell:

========================  ====================================================
rule                      what it checks
========================  ====================================================
``unique``                ids are unique within their table
``foreign-key``           every reference resolves (source_id, article_id,
                          claims.source_ids, ids inside ``recompute``)
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
``recompute``             the recompute spec parses and names existing rows
``analysis``              a pooled analysis has at least one outcome row
``override``              a hand-set verdict carries a written justification
``note-contradicts-row``  notes do not call a filled column blank
``reported-with-``        a ``reported`` row has no arithmetic and no note
``arithmetic``            saying one of its figures is inferred or assumed
``pct-whole-count``       a printed responder percentage is a whole count of
                          its ``n_participants`` (within the printed rounding)
``duplicate-figure``      no two rows of one source repeat the same figures
``evidence-status``       a claim marked ``found`` names its sources; one
                          marked otherwise says what was searched
========================  ====================================================

Every problem is reported at once, each naming file, line, column and rule.
"""
from __future__ import annotations

import json
import math
import re
import sys
from decimal import Decimal
from pathlib import Path

from evidence.db import Issue, Table, default_data_dir, read_tables
from evidence.spec import SpecError, parse_recompute, references

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
    raw = raw.strip()
    try:
        exp = Decimal(raw).as_tuple().exponent
    except Exception:
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


#: hosts that are copies of other people's material, never a source's canonical address
MIRROR_HOSTS = ("scribd.com", "docksci.com", "peeref.com", "fda.report", "maestrodatabase.com", "drugoffice.gov.hk",
                "lexichronic.com", "survivalistbriefing.com", "medworm.com", "xsmb2023.org", "6x2rp.group", "avyia.com",
                "citclinics.com", "dreamscapeketamine.com", "web.archive.org", "translate.google.com", "docslib.org",
                "studyres.com", "globalrph.com", "47.251.13.51")


def _host(url: str) -> str:
    m = re.match(r"^[a-z]+://([^/?#:]+)", url.strip().lower())
    return m.group(1) if m else ""


def citation_issues(t: Table, rec: dict, line: int, source_ids: set) -> list[Issue]:
    """``url`` is the canonical address (no mirror or proxy); ``stands_in_for`` names existing sources."""
    out = []
    host = _host(rec.get("url") or "")
    if host and (any(host == h or host.endswith("." + h) for h in MIRROR_HOSTS) or re.fullmatch(r"[\d.]+", host)):
        out.append(Issue(t.file, line, "url", "canonical-url",
                         f"url {rec['url']!r} is a mirror, proxy or copy; put it in read_via and give the DOI, "
                         "PubMed or official address (or leave url blank)"))
    for sid in filter(None, (s.strip() for s in (rec.get("stands_in_for") or "").split(";"))):
        if sid not in source_ids:
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
        col = f["name"]
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


def cross_table_issues(data_dir: Path, tables: dict[str, Table]) -> list[Issue]:
    """The rules that need more than one cell (see module docstring)."""
    issues: list[Issue] = []
    ids: dict[str, set] = {}

    for name, t in tables.items():
        seen: dict[str, int] = {}
        for rec, line in zip(t.records, t.lines):
            key = rec.get(t.key)
            if key is None:
                continue
            if key in seen:
                issues.append(Issue(t.file, line, t.key, "unique", f"id {key!r} already used on line {seen[key]}"))
            else:
                seen[key] = line
        ids[name] = set(seen)

    def each(name):
        t = tables.get(name)
        if t is None:
            return
        for rec, raw, line in zip(t.records, t.raw, t.lines):
            yield t, rec, raw, line

    # foreign keys to sources / articles
    for name in ("outcomes", "estimates", "prevalence", "facts"):
        for t, rec, raw, line in each(name):
            sid = rec.get("source_id")
            if sid and sid not in ids.get("sources", ()):
                issues.append(Issue(t.file, line, "source_id", "foreign-key", f"no source {sid!r} in sources.csv"))
    for t, rec, raw, line in each("claims"):
        aid = rec.get("article_id")
        if aid and aid not in ids.get("articles", ()):
            issues.append(Issue(t.file, line, "article_id", "foreign-key", f"no article {aid!r} in articles.csv"))
        for sid in filter(None, (s.strip() for s in (rec.get("source_ids") or "").split(";"))):
            if sid not in ids.get("sources", ()):
                issues.append(Issue(t.file, line, "source_ids", "foreign-key", f"no source {sid!r} in sources.csv"))

    # provenance: derived / inferred figures show their arithmetic
    for name in ("sources", "outcomes", "estimates", "prevalence", "facts"):
        for t, rec, raw, line in each(name):
            if rec.get("provenance") in ("derived", "inferred") and not (rec.get("arithmetic") or "").strip():
                issues.append(Issue(t.file, line, "arithmetic", "provenance",
                                    f"provenance is {rec['provenance']!r} but no arithmetic is given"))

    for t, rec, raw, line in each("sources"):
        if not any((rec.get(c) or "").strip() for c in ("doi", "pmid", "pmcid", "url", "read_via")):
            issues.append(Issue(t.file, line, "doi", "source-identifier", "no DOI, PMID, PMCID, URL or read_via"))
        issues += citation_issues(t, rec, line, ids.get("sources", set()))

    # bookkeeping (issue #14): notes that contradict the row, 'reported' figures that were computed,
    # percentages that are no whole count of their n, duplicate figures
    for name in FIGURE_COLUMNS:
        for t, rec, raw, line in each(name):
            issues += note_issues(t, rec, line)
    for t, rec, raw, line in each("estimates"):
        n, pct = rec.get("n_participants"), rec.get("estimate")
        if rec.get("measure") == "pct_responders" and n and pct is not None and not _whole_count_fits(pct, raw["estimate"], n):
            issues.append(Issue(t.file, line, "n_participants", "pct-whole-count",
                                f"{raw['estimate']}% is not a whole count of n = {n} (within the printed rounding); "
                                "fix n_participants or leave it blank and say why"))
    if tables.get("outcomes"):
        issues += duplicate_issues(tables["outcomes"], ("source_id", "outcome_type", "n_treat", "events_treat", "mean_treat",
                                                        "sd_treat", "n_ctrl", "events_ctrl", "mean_ctrl", "sd_ctrl"), "kind of outcome")
    if tables.get("estimates"):
        issues += duplicate_issues(tables["estimates"], ("source_id", "measure", "estimate", "ci_low", "ci_high", "timepoint",
                                                         "arm"), "measure, time point, arm")

    # arms: events <= n
    for t, rec, raw, line in each("outcomes"):
        for arm in ("treat", "ctrl"):
            e, n = rec.get(f"events_{arm}"), rec.get(f"n_{arm}")
            if e is not None and n is not None and e > n:
                issues.append(Issue(t.file, line, f"events_{arm}", "events-le-n", f"{e} events but n = {n}"))
            if e is not None and n is None:
                issues.append(Issue(t.file, line, f"n_{arm}", "events-le-n", f"events given ({e}) without n"))

    # estimates: CI order and log symmetry
    for t, rec, raw, line in each("estimates"):
        est, lo, hi = rec.get("estimate"), rec.get("ci_low"), rec.get("ci_high")
        if lo is not None and hi is not None:
            if not lo < hi:
                issues.append(Issue(t.file, line, "ci_low", "ci-order", f"lower limit {lo} is not below upper limit {hi}"))
            elif est is not None and not (lo <= est <= hi):
                issues.append(Issue(t.file, line, "estimate", "ci-order", f"estimate {est} lies outside its CI {lo} to {hi}"))
            elif (est is not None and rec.get("measure") in ("OR", "RR")
                  and "ci_not_log_symmetric" not in (rec.get("notes") or "")
                  and not log_symmetric(est, lo, hi, (raw["estimate"], raw["ci_low"], raw["ci_high"]))):
                centre = math.sqrt(lo * hi) if lo > 0 else float("nan")
                issues.append(Issue(t.file, line, "estimate", "ci-log-symmetry",
                                    f"{rec['measure']} {est} is not the geometric centre of its CI {lo} to {hi} "
                                    f"(centre {centre:.4g}); if the source's CI is not log-symmetric, say so in notes "
                                    "with 'ci_not_log_symmetric: <why>'"))

    # claims: quotes, recompute specs, overrides, evidence status
    texts: dict[str, str] = {}
    for t, rec, raw, line in each("articles"):
        path = Path(data_dir) / (rec.get("file") or "")
        if not path.is_file():
            issues.append(Issue(t.file, line, "file", "foreign-key", f"article text {rec.get('file')!r} not found"))
            continue
        try:
            texts[rec["article_id"]] = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            issues.append(Issue(t.file, line, "file", "encoding", f"{rec.get('file')} is not valid UTF-8"))

    outcomes = tables.get("outcomes")
    analyses: set[str] = set()
    if outcomes:
        for rec in outcomes.records:
            analyses |= {a.strip() for a in (rec.get("analysis_ids") or "").split(";") if a.strip()}

    for t, rec, raw, line in each("claims"):
        quote, aid = rec.get("quote"), rec.get("article_id")
        if quote and aid in texts and not quote_in_text(quote, texts[aid]):
            issues.append(Issue(t.file, line, "quote", "quote-verbatim",
                                f"quote not found in article {aid}: {quote[:60]!r}"))
        try:
            method, args = parse_recompute(rec.get("recompute"))
        except SpecError as exc:
            issues.append(Issue(t.file, line, "recompute", "recompute", str(exc)))
        else:
            for _arg, table_names, rid in references(method, args):
                if not any(rid in ids.get(tn, ()) for tn in table_names):
                    issues.append(Issue(t.file, line, "recompute", "recompute",
                                        f"{method}: no {' or '.join(table_names)} row {rid!r}"))
            if method == "pooled" and args["analysis"] not in analyses:
                issues.append(Issue(t.file, line, "recompute", "analysis",
                                    f"no outcomes.csv row is tagged with analysis {args['analysis']!r}"))
            if method == "attribute":
                src = tables.get("sources")
                if src and args["field"] not in [f["name"] for f in src.fields]:
                    issues.append(Issue(t.file, line, "recompute", "recompute", f"sources.csv has no column {args['field']!r}"))
        if rec.get("verdict_override") and not (rec.get("override_justification") or "").strip():
            issues.append(Issue(t.file, line, "override_justification", "override",
                                "a verdict set by hand needs a written justification"))
        status = rec.get("evidence_status")
        if status == "found" and not (rec.get("source_ids") or "").strip():
            issues.append(Issue(t.file, line, "source_ids", "evidence-status", "evidence_status is 'found' but no source is named"))
        if status in ("not_found", "unidentifiable") and not (rec.get("search_note") or "").strip():
            issues.append(Issue(t.file, line, "search_note", "evidence-status",
                                f"evidence_status is {status!r}: say what was searched"))
    return issues


def validate_data(data_dir: Path | str | None = None) -> list[Issue]:
    """Every issue in the evidence base, sorted by file and line (empty when clean)."""
    data_dir = Path(data_dir or default_data_dir())
    tables, issues = read_tables(data_dir)
    if tables:
        issues += cross_table_issues(data_dir, tables)
    return sorted(set(issues))


def register(sub, name, help_):
    p = sub.add_parser(name, help=help_, description=__doc__.split("\n\n")[0] + "\n\nExits 0 on clean data, 1 when any rule fails.")
    p.add_argument("--data", type=Path, default=None, help="data directory (default: the repository's data/)")
    p.add_argument("--format", choices=["text", "json"], default="text", help="output format (default: text)")
    p.set_defaults(func=run)
    return p


def run(args) -> int:
    data_dir = Path(args.data or default_data_dir())
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
