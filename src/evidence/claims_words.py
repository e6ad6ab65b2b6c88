"""The verdict engine's words: what :mod:`evidence.claims` says to a reader or an editor.

No source id, row id, snake_case code or raw float leaves the engine in its words fields
(``claimed``, ``recomputed``, ``reason``, ``checked``, ``studies``, ``explanation``, ``correction``,
``certainty``, ``depth``): sources are named as people cite them ("Taylor et al. 2018"), codes go
through :func:`evidence.vocab.word` and numbers through :mod:`evidence.fmt`. The codes stay in
their own fields (``verdict``, ``rule``, ``claim_type``, ``source_ids``, ``recipe``).

This module imports only :mod:`evidence.fmt` and :mod:`evidence.vocab`.
"""
from __future__ import annotations

import re
from typing import Any, Mapping

from evidence import fmt, vocab

#: a sources.csv field in words, and how the engine says a study's value of it
FIELD_WORDS = {"journal": "journal", "year": "year of publication", "design": "design", "blinding": "blinding",
               "control": "control", "route": "route", "drug": "drug", "dose_mg_per_kg": "dose",
               "infusion_min": "infusion time", "sessions": "number of sessions", "diagnosis": "population",
               "population": "population", "n_randomized": "sample size", "n_analysed": "sample size",
               "publication_date": "date of publication", "kind": "kind of study"}
#: fields whose values are vocabulary codes
FIELD_KINDS = {"diagnosis": "diagnosis", "route": "route", "design": "design", "blinding": "blinding",
               "kind": "source_kind"}
#: zero-cell corrections in words
ZERO_CELLS = {"all_if_zero": "0.5 added to every cell of a table with a zero cell",
              "treatment_arm": "a treatment-arm continuity correction for zero cells",
              "exclude_double_zero": "tables with no events in either arm left out",
              "none": "no zero-cell correction"}
#: pooling methods in words
METHODS = {"IV": "inverse-variance", "MH": "Mantel-Haenszel", "Peto": "Peto", "DL": "random-effects (DerSimonian-Laird)",
           "REML": "random-effects (REML)", "PM": "random-effects (Paule-Mandel)", "ML": "random-effects (ML)"}
_NOT_GIVEN = re.compile(r"(?i)^\s*(n/?a|none)\s*(?:\((.*)\))?\s*$")


def get(row: Mapping, key: str) -> Any:
    """``row[key]``, or None when it is missing or blank (NaN)."""
    v = row.get(key) if hasattr(row, "get") else None
    if v is None:
        return None
    import pandas as pd      # here, not at the top: every command's parser imports this module (via verdicts)

    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    return v


def ids(s: str | None) -> list[str]:
    """``"a; b"`` -> ``["a", "b"]``."""
    return [x.strip() for x in (s or "").split(";") if x.strip()]


def field_value(field: str, value) -> str:
    """A sources.csv value in words: codes through the vocabulary, doses and times through fmt."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    if field in FIELD_KINDS:
        return vocab.word(FIELD_KINDS[field], text)
    if field == "dose_mg_per_kg":
        return " or ".join(f"{fmt.num(float(x))} mg/kg" for x in text.split(";") if isnum(x))
    if field == "infusion_min" and isnum(text):
        return fmt.duration(float(text), "minutes")
    return text


def isnum(x) -> bool:
    """Whether ``x`` reads as a number."""
    try:
        float(x)
        return True
    except (TypeError, ValueError):
        return False


def code_words(text: str | None) -> str:
    """Prose from the data with any stray ``snake_case`` or ``;``-joined codes turned into words."""
    t = str(text or "")
    t = re.sub(r"\b([A-Za-z]+(?:;[A-Za-z_]+)+)\b", lambda m: vocab.word("diagnosis", m.group(1)), t)
    return re.sub(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b", lambda m: m.group(0).replace("_", " "), t)


# ------------------------------------------------------------------ sources

def study_name(src: Mapping, journal: bool = True, year: bool = True) -> str:
    """'Taylor et al. 2018, Neuropsychopharmacology' from a sources.csv row ('van Dis et al. 2020':
    the surname is the first author's name without its initials); ``journal=False`` leaves the journal
    out, ``year=False`` the year."""
    authors = get(src, "authors") or str(get(src, "citation") or get(src, "source_id")).split(". ")[0]
    first = re.split(r"[,;]", str(authors))[0].strip()   # "U.S. Census Bureau" keeps its dots
    words = first.split()
    while len(words) > 1 and re.fullmatch(r"[A-Z]{1,3}", words[-1]):   # drop trailing initials ("JH")
        words = words[:-1]
    person = len(words) < len(first.split())          # initials were dropped: a person's name ("Davis K")
    surname = " ".join(words) if words else first
    many = "," in str(authors) or " et al" in str(authors)
    y = get(src, "year")
    who = f"{surname} et al." if many and get(src, "kind") not in ("web_page", "regulatory", "label") else (
        surname if person else first)
    parts = [who + (f" {int(float(y))}" if y is not None and year else "")]
    j = str(get(src, "journal") or "")
    if journal and j and j not in first and first not in j:   # "NIMH, National Institute of ... (NIMH)" once
        parts.append(j)
    return ", ".join(parts)


def name_of(db, sid: str, journal: bool = False) -> str:
    """A source id as people cite the source ("Taylor et al. 2018"); "a source" when it is unknown."""
    return study_name(db.sources.loc[sid], journal=journal) if sid in db.sources.index else "a source"


def source_words(src: Mapping) -> str:
    """'randomized crossover trial, n = 18, saline placebo, intravenous 0.5 mg/kg over 40 minutes; adults with SAD'"""
    design = get(src, "design") or ""
    parts = [vocab.word("design", design) if design and design != "other" else ""]
    n = get(src, "n_analysed") or get(src, "n_randomized")
    if n is not None:
        parts.append(fmt.n(n))
    control = given(get(src, "control"), none="no control group")
    if control:
        parts.append(control)
    elif get(src, "kind") in ("trial", "observational"):
        parts.append("no control group")
    route = get(src, "route")
    if route and route != "na":
        r = vocab.word("route", route)
        if get(src, "dose_mg_per_kg"):
            r += f" {field_value('dose_mg_per_kg', get(src, 'dose_mg_per_kg')).replace(' or ', '/')}"
        if get(src, "infusion_min"):
            r += f" over {field_value('infusion_min', get(src, 'infusion_min'))}"
        parts.append(r)
    s = ", ".join(p for p in parts if p)
    pop = given(get(src, "population"))
    if pop:
        s += ("; " if s else "") + pop
    return s


def given(value, none: str = "") -> str:
    """A curated cell in words: "n/a (evidence hierarchy)" -> "evidence hierarchy", "na" -> "",
    "none (users vs non-users)" -> ``none`` + " (users vs non-users)"."""
    if value is None:
        return ""
    m = _NOT_GIVEN.match(str(value))
    if not m:
        return code_words(value)
    inner = code_words(m.group(2) or "")
    if m.group(1).lower() == "none" and none:
        return f"{none} ({inner})" if inner else none
    return inner


def study_line(src: Mapping) -> str:
    """'Taylor et al. 2018: randomized crossover trial, n = 18, …' (the study named, then described)."""
    words = source_words(src)
    return f"{study_name(src, journal=False)}: {words}" if words else study_name(src, journal=False)


# ------------------------------------------------------------------ figures

def ci_words(value, low, high, measure: str | None = None, unit: str | None = None) -> str:
    """An estimate in words: ratios with their measure, percentages as percentages, RD in points."""
    if measure == "RD":
        pts = [None if v is None else 100 * float(v) for v in (value, low, high)]
        s = f"risk difference {fmt.num(pts[0], decimals=0)} percentage points"
        if pts[1] is not None and pts[2] is not None:
            s += f" (95% CI {fmt.num(pts[1], decimals=0)} to {fmt.num(pts[2], decimals=0)})"
        return s
    if unit == "%" or (measure and vocab.MEASURES.get(measure) and vocab.MEASURES[measure].scale == "percent"):
        return fmt.ci(value, low, high, percent=True)
    return fmt.ci(value, low, high, measure if measure in ("OR", "RR", "SMD", "MD", "NNT", "NNH") else None)


def arms_words(o: Mapping) -> str:
    """'16 of 18 (89%) on ketamine and 9 of 17 (53%) on saline placebo' from an outcomes.csv row."""
    s = f"{fmt.ratio_of(get(o, 'events_treat'), get(o, 'n_treat'))} on {get(o, 'arm_treat') or 'the drug'}"
    if get(o, "events_ctrl") is not None and get(o, "n_ctrl") is not None:
        s += f" and {fmt.ratio_of(get(o, 'events_ctrl'), get(o, 'n_ctrl'))} on {get(o, 'arm_ctrl') or 'the control'}"
    return s


def outcome_words(o: Mapping) -> str:
    """'VAS-Anxiety response (…), first 2 weeks following infusion' from an outcomes.csv row."""
    what = code_words(get(o, "outcome") or "the outcome")
    return what + (f", {code_words(get(o, 'timepoint'))}" if get(o, "timepoint") else "")


def join(parts) -> str:
    return vocab.join_words([p for p in parts if p])


def sentence(text: str) -> str:
    """Capitalised, ending with one full stop (or the quote or question mark it ends with)."""
    t = re.sub(r"\s+", " ", str(text or "")).strip()
    if not t:
        return ""
    t = t[0].upper() + t[1:]
    t = t.rstrip(" ;,")
    if t.endswith(("”", "’", "'", '"')) and len(t) > 1 and t[-2] in ".!?":
        return t
    return t if t.endswith((".", "!", "?")) else t + "."


# ------------------------------------------------------------------ certainty

def grade_words(level: int, reasons: list[str]) -> str:
    names = {4: "high", 3: "moderate", 2: "low", 1: "very low"}
    word = names[max(1, min(4, level))]
    return word + (f" ({'; '.join(reasons)})" if reasons else "")


def not_graded(kinds: list[str], n_sources: int) -> str:
    """Certainty for evidence that is not a study of an effect; a lone narrative review says so."""
    if kinds == ["narrative review"]:
        one = "a single narrative review" if n_sources == 1 else f"{n_sources} narrative reviews"
        return f"not graded: the only evidence is {one}, not a trial or a systematic review"
    return f"not graded ({join(kinds) or 'no study'})"


def quantity_words(value, unit: str | None) -> str:
    """A single figure with its unit in words: '2000' (a calendar year), '40 minutes', '18 participants', '30%'."""
    if value is None:
        return ""
    kind = vocab.unit_kind(unit) if unit else ""
    if kind == "calendar":
        return str(int(float(value))) if float(value).is_integer() else fmt.num(value)
    if unit == "%":
        return fmt.pct(value)
    if kind == "duration":
        return fmt.duration(value, unit)
    if kind in ("people", "count"):
        return fmt.count(value, unit)
    if unit:
        return f"{fmt.num(value, sig=4)} {vocab.unit_label(unit, value)}".strip()
    return fmt.num(value, sig=4)


_SENTENCE_END = re.compile(r"(?<=[a-z0-9%)”’'])[.;](?=\s+[A-Z“‘'(])")


def lead_and_detail(justification: str | None) -> tuple[str, str]:
    """A hand-set verdict's written justification as (its first sentence, the rest).

    The curated justification opens with a one-sentence plain lead (numbers as :mod:`evidence.fmt`
    prints them); the statistics that support it follow (tests/test_claims_words.py keeps it so)."""
    t = re.sub(r"\s+", " ", str(justification or "")).strip()
    m = _SENTENCE_END.search(t)
    if not m:
        return sentence(t), ""
    return sentence(t[:m.start()]), sentence(t[m.end():].strip())


def a_an(noun: str) -> str:
    """'an open-label study', 'a randomized crossover trial', 'an odds ratio'."""
    return ("an " if noun[:1].lower() in "aeio" else "a ") + noun if noun else noun


_SENTENCES = re.compile(r"(?<=[.!?])\s+(?=[A-Z“‘'(])|\s+\.\.\.\s+")


def key_sentences(text: str, value=None, limit: int = 300) -> str:
    """The part of a source's statement an editor needs: all of it when short, else the sentences that
    carry its figure (``value``), else its opening sentences (up to about 320 characters)."""
    t = re.sub(r"\s+", " ", str(text or "")).strip()
    if len(t) <= limit:
        return t
    parts = [p for p in _SENTENCES.split(t) if p]
    if value is not None:
        shown = fmt.num(value)
        hits = [p for p in parts if re.search(rf"(?<![\d.]){re.escape(shown)}(?![\d])", p)]
        if hits:
            return " ... ".join(hits)
    out = parts[0]                      # no figure to find: the opening sentences, about as long as a quote can be
    for part in parts[1:]:
        if len(out) + 1 + len(part) > 320:
            break
        out = f"{out} {part}"
    return out
