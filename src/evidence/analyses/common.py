"""Shared by every page: loading, parameters, source labels and citations, results as JSON."""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, ClassVar, Iterable, Mapping, Sequence

import pandas as pd

from evidence.verdicts import DEFAULT_PARAMS, HOLDS, SCALE, decimals_of  # noqa: F401 - HOLDS, SCALE, decimals_of re-exported for the pages

from evidence import fmt, vocab
from evidence.vocab import (  # noqa: F401 - re-exported: the pages use the vocabulary's groups
    ANXIETY_CODES, CONTROLLED_DESIGNS, DEPRESSION_CODES, STUDY_DESIGNS, SYNTHESIS_DESIGNS, UNCONTROLLED_DESIGNS,
)

CONTROL_WORDS = re.compile(r"placebo|saline|midazolam|control|sham|vehicle", re.I)
#: hours per duration unit, from the vocabulary (a bare "year" is a calendar year there, not a duration)
TIME_TO_HOURS = {u.code: u.hours for u in vocab.UNITS.values() if u.hours is not None}


# =========================================================================== #
# Loading, parameters, small helpers
# =========================================================================== #
def load(data_dir: str | Path | None = None):
    """Load the evidence base; fall back to a non-strict load while data are being curated.

    Returns the :class:`~evidence.db.EvidenceDB`. When the strict load fails
    the problems are kept as ``db.load_issues`` (a list of
    :class:`~evidence.db.Issue`) so that the notebook can say so.
    """
    from evidence.db import DataError, load_db

    try:
        db = load_db(data_dir)
        db.load_issues = []
    except DataError as exc:
        db = load_db(data_dir, strict=False)
        db.load_issues = list(exc.issues)
    return db


def merge_params(overrides: Mapping[str, Any] | None = None, **kw) -> dict[str, Any]:
    """``DEFAULT_PARAMS`` updated with the given values (unknown names are an error).

    ``None`` is a legitimate value for ``pooled_method``/``correction`` ("do not
    override"); for the numeric tolerances ``None`` keeps the default.
    """
    from evidence.params import ALIASES, normalise

    given = dict(overrides or {})
    given.update(kw)
    # an old name and its new one both given (a notebook declares both): the one that is set wins
    for old, new in ALIASES.items():
        if old in given and new in given:
            if given[new] is None:
                given[new] = given[old]
            del given[old]
    given = normalise(given)  # deprecated names (correction -> zero_cell_correction)
    unknown = set(given) - set(DEFAULT_PARAMS)
    if unknown:
        raise ValueError(f"unknown parameter(s): {', '.join(sorted(unknown))} (known: {', '.join(DEFAULT_PARAMS)})")
    out = dict(DEFAULT_PARAMS)
    for k, v in given.items():
        if v is None and DEFAULT_PARAMS[k] is not None:
            continue
        out[k] = v
    return out


def _get(row: Mapping, key: str) -> Any:
    try:
        v = row[key]
    except (KeyError, IndexError, TypeError):
        return None
    try:
        if v is None or pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    return v


def _num(v) -> float | None:
    try:
        if v is None or pd.isna(v):
            return None
        return float(v)
    except (TypeError, ValueError):
        return None


def _ids(s) -> list[str]:
    return [x.strip() for x in str(s or "").split(";") if x.strip()]


def _frame(db, name: str) -> pd.DataFrame:
    df = getattr(db, name, None)
    return df if isinstance(df, pd.DataFrame) else pd.DataFrame()


_AUTHOR = re.compile(r"\s*((?:(?:[Vv]an|[Vv]on|[Dd]e|[Dd]en|[Dd]er|[Dd]i|[Dd]a|[Ll]e|[Ll]a|[Dd]u)\s+)*[^\W\d_][\w'\-]+"
                     r"(?:\s+[a-z]{1,3}\s+[^\W\d_][\w'\-]+)?)\s+[A-Z]{1,4}(?=[,.\s])")
_ACRONYM = re.compile(r"\(([A-Z][A-Za-z]{1,9})\)")


def study_label(db, source_id: str) -> str:
    """'Taylor 2018' from the citation's first author and the year; for an organisation's page its
    short name and year ('NIMH', 'WHO 2023'). Never the internal id, except for an id not in sources."""
    src = _frame(db, "sources")
    if source_id not in src.index:
        return str(source_id)
    s = src.loc[source_id]
    cit = str(_get(s, "citation") or "")
    year = _num(_get(s, "year"))
    suffix = re.search(r"\d{4}([a-z])$", str(source_id))
    when = f" {int(year)}{suffix.group(1) if suffix else ''}" if year is not None else ""
    m = _AUTHOR.match(cit)
    kind = _get(s, "kind")
    if m and (kind not in ("web_page", "regulatory", "label") or re.match(r"[^,.]+\s[A-Z]{1,4}[,.]", cit)):
        name = m.group(1)
        return f"{name[0].upper()}{name[1:]}{when}"
    org = str(_get(s, "journal") or "").strip()
    acro = _ACRONYM.search(org)
    if acro:
        org = acro.group(1)
    else:
        org = re.sub(r"\s*\(.*?\)", "", org).strip()
    if not org:
        org = re.split(r"[.]\s", cit, maxsplit=1)[0].strip() or str(source_id)
    return f"{org}{when}"


def cite(db, source_ids: Iterable[str], prefix: str = "Source: ", max_items: int | None = 8) -> str:
    """A caption line naming each source with its identifier: 'Source: Taylor 2018 (doi:…); …'."""
    src = _frame(db, "sources")
    parts = []
    for sid in dict.fromkeys(x for x in source_ids if x):
        if sid not in src.index:
            parts.append(str(sid))
            continue
        s = src.loc[sid]
        label = study_label(db, sid)
        if label == sid and _get(s, "journal"):
            label = f"{_get(s, 'journal')} ({sid})"
        ident = (f"doi:{s['doi']}" if _get(s, "doi") else f"PMID {s['pmid']}" if _get(s, "pmid")
                 else f"{s['pmcid']}" if _get(s, "pmcid") else str(_get(s, "url") or ""))
        parts.append(f"{label} ({ident})" if ident else label)
    if max_items and len(parts) > max_items:
        parts = parts[:max_items] + [f"and {len(parts) - max_items} more (see the tables)"]
    return prefix + "; ".join(parts) if parts else prefix.rstrip(": ")


def wilson(x: float, n: float, level: float = 0.95) -> tuple[float, float]:
    """Wilson score interval of x/n (fractions)."""
    from evidence.stats.effects import wilson_ci

    lo, hi = wilson_ci(x, n, level)
    return float(lo), float(hi)


def to_hours(value: float | None, unit: str | None) -> float | None:
    """A duration in hours (None when the unit is not a time unit)."""
    return vocab.to_hours(value, unit)


def population_group(diagnosis: str | None) -> str:
    """anxiety disorder / depression / mixed / other / general population / not stated."""
    dx = set(_ids(diagnosis))
    if not dx:
        return "not stated"
    if "general_population" in dx:
        return "general population"
    groups = vocab.diagnosis_groups(sorted(dx))
    anx, dep = bool(groups & vocab.ANXIETY_GROUPS), "depression" in groups
    if anx and not dep:
        return "anxiety disorder"
    if dep and not anx:
        return "depression"
    return "mixed / other"


def population_words(diagnosis: str | None) -> str:
    """A study's population in a few words: one diagnosis by name ("social anxiety disorder"), several
    by their group ("anxiety disorders", "depression", "anxiety disorders and depression")."""
    codes = _ids(diagnosis)
    if len(codes) == 1:
        return vocab.word("diagnosis", codes[0])
    groups = vocab.diagnosis_groups(codes)
    anx, dep = bool(groups & vocab.ANXIETY_GROUPS), "depression" in groups
    return ("anxiety disorders and depression" if anx and dep else "anxiety disorders" if anx
            else "depression" if dep else vocab.word("diagnosis", diagnosis))


def is_registry(row: Mapping) -> bool:
    """A trial-registry record (ClinicalTrials.gov, ANZCTR…): it describes a trial listed elsewhere."""
    sid = str(_get(row, "source_id") or "")
    text = " ".join(str(_get(row, c) or "") for c in ("url", "citation", "journal"))
    return bool(re.match(r"^(nct\d{8}|actrn\d+|isrctn\d+)$", sid, re.I)
                or re.search(r"clinicaltrials\.gov|anzctr\.org\.au|isrctn\.com", text, re.I))


def sample_size(row: Mapping) -> float | None:
    """n analysed, else n randomized."""
    return _num(_get(row, "n_analysed")) or _num(_get(row, "n_randomized"))



def _claims_table(db):
    """(records, raw) of claims.csv when the db keeps them, for rounding-aware claimed values."""
    try:
        t = db.table("claims")
        return {r["claim_id"]: (r, raw) for r, raw in zip(t.records, t.raw)}
    except (AttributeError, KeyError):  # a frame-only db (tests) has no typed tables
        claims = _frame(db, "claims")
        return {cid: (row.to_dict(), {}) for cid, row in claims.iterrows()}


def arm_rates(db, outcomes: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """Long frame: one row per arm of each binary outcome, with % and Wilson CI (percent)."""
    rows = []
    for oid, o in outcomes.iterrows():
        src = study_label(db, o["source_id"])
        label = f"{src}: {o['outcome']}" + (f" ({bracketed(o['timepoint'])})" if _get(o, "timepoint") else "")
        label = label.replace(">=", "≥").replace("<=", "≤")
        for arm in ("treat", "ctrl"):
            x, n = _num(_get(o, f"events_{arm}")), _num(_get(o, f"n_{arm}"))
            if x is None or n is None or n <= 0:
                continue
            lo, hi = wilson(x, n, level)
            rows.append({"outcome_id": oid, "source_id": o["source_id"], "label": label, "arm": arm,
                         "arm_label": str(_get(o, f"arm_{arm}") or arm), "events": int(x), "n": int(n),
                         "pct": 100 * x / n, "low": 100 * lo, "high": 100 * hi,
                         "paired": bool(_get(o, "paired") or False)})
    cols = ["outcome_id", "source_id", "label", "arm", "arm_label", "events", "n", "pct", "low", "high", "paired"]
    return pd.DataFrame(rows, columns=cols)


def is_ketamine(row: Mapping) -> bool:
    """A source about ketamine or esketamine (its ``drug`` names one of them)."""
    return "ketamine" in str(_get(row, "drug") or "").lower()


def display_frame(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> pd.DataFrame:
    """A table for readers: the given column headings (in words), every cell already text."""
    return pd.DataFrame([{c: ("" if r.get(c) is None else str(r.get(c))) for c in columns} for r in rows],
                        columns=list(columns))


def bracketed(text) -> str:
    """Text to be set inside parentheses, its own parentheses made brackets ("saline placebo [normal
    saline]"), so that a sentence never ends in "))"."""
    return str(text).replace("(", "[").replace(")", "]")


def size_words(n) -> str:
    """'n = 18', or 'size not reported'."""
    return fmt.n(n) if _num(n) else "size not reported"


class Page:
    """A page's result: what the notebook shows and ``to_json()``, its results JSON.

    Subclasses are dataclasses; ``to_json()`` keeps every field that is not a
    display table (``DataFrame`` fields become lists of records) and always has
    ``summary``. ``write(path)`` writes it where the pipeline asked
    (``results_path``)."""

    #: fields left out of the JSON (display-only tables, charts' frames); subclasses set it
    display_only: ClassVar[tuple[str, ...]] = ()

    def to_json(self) -> dict[str, Any]:
        from dataclasses import fields

        out = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in self.display_only}
        out["summary"] = self.summary
        return jsonable(out)

    def write(self, path: str | Path | None) -> dict[str, Any]:
        return write_results(path, self.to_json())


# =========================================================================== #
# Results
# =========================================================================== #
def jsonable(value: Any) -> Any:
    """JSON-safe copy: numpy scalars to Python, NaN/inf to None, frames to records."""
    from evidence.stats._common import clean

    if isinstance(value, pd.DataFrame):
        return clean(value.to_dict(orient="records"))
    if isinstance(value, pd.Series):
        return clean(value.to_dict())
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return clean(value)


def write_results(path: str | Path | None, results: Mapping[str, Any]) -> dict[str, Any]:
    """Write the notebook's key results as JSON (strict: no NaN); returns what was written."""
    data = jsonable(results)
    if path:
        p = Path(path)
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n", encoding="utf-8")
    return data
