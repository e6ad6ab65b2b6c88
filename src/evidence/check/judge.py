"""Verdicts for linked claims, from the one verdict engine that ``evidence claims`` uses.

Every linked claim goes through :func:`evidence.claims.evaluate` (the same rules, the same recompute
methods, the same entry point as ``evidence claims``). A claim with no link gets the code :data:`NOT_CHECKABLE_CODE` ("Not checkable here") and the reason
in words in ``reason``; it is listed, never dropped. If the evidence base cannot be loaded, linked claims get
the same verdict with that reason.
"""
from __future__ import annotations

import re
import threading
from copy import copy
from dataclasses import fields as _fields_of
from functools import lru_cache
from operator import attrgetter
from pathlib import Path
from typing import Any

from evidence.check.words import matched_on

#: the verdict code of a claim the evidence base cannot settle here (the reason is in ``reason``)
NOT_CHECKABLE_CODE = "not_checkable"
NOT_CHECKABLE_LABEL = "Not checkable here"
NOT_CHECKABLE = NOT_CHECKABLE_CODE
NOT_EVALUATED = "linked_not_evaluated"

CLAIM_COLUMNS = ["claim_id", "article_id", "quote", "claim_type", "claimed_value", "claimed_low", "claimed_high",
                 "claimed_unit", "qualifier", "claimed_text", "named_source", "source_ids", "recompute",
                 "evidence_status", "search_note", "verdict_override", "override_justification"]

_DB_CACHE: dict[str, Any] = {}
_DB_LOCK = threading.Lock()
#: id(evidence base) -> (that base, {source ids: (names, addresses)}): the same sources are named for many claims
_REFS_MEMO: dict[int, tuple] = {}


def _source_refs(res: dict, sids, db) -> None:
    """``sources``: each source's address (its DOI, PubMed record or official page) or, without one, its name
    as people cite it; ``source_names``: the names, in the same order. Never a source id (those are in
    ``source_ids``)."""
    from evidence import claims as engine
    from evidence.claims_words import name_of
    if db is None:
        res["sources"], res["source_names"] = [], []
        return
    memo = _REFS_MEMO.get(id(db))
    if memo is None or memo[0] is not db:   # one memo per evidence base object (a new base gets a new memo)
        memo = _REFS_MEMO[id(db)] = (db, {})
        if len(_REFS_MEMO) > 8:
            _REFS_MEMO.clear()
            _REFS_MEMO[id(db)] = memo
    key = tuple(sids)
    hit = memo[1].get(key)
    if hit is None:   # a source's name and address, looked up once per evidence base (pandas .loc is slow per row)
        known = [sid for sid in sids if sid in db.sources.index]
        names = [name_of(db, sid, journal=True) for sid in known]
        links = [(engine.source_links(db, [sid]) or [""])[0] for sid in known]
        hit = memo[1][key] = (names, [url or name for url, name in zip(links, names)])
    res["source_names"] = list(hit[0])
    res["sources"] = list(hit[1])


def get_db(load_db, data_dir: str | Path | None, warnings: list[str]):
    """load_db once per data directory. A base that fails validation is loaded leniently, with a warning."""
    from evidence.check.link import _fingerprint, data_dir_of

    d = data_dir_of(data_dir)
    key = _fingerprint(d)
    with _DB_LOCK:
        if key in _DB_CACHE:
            db, warn = _DB_CACHE[key]
            if warn:
                warnings.append(warn)
            return db
        warn = ""
        try:
            db = load_db(d)
        except Exception as exc:  # noqa: BLE001 - DataError and friends
            try:
                db = load_db(d, strict=False)
                n = len(getattr(exc, "issues", []) or [])
                warn = (f"the evidence base in {d} has {n or 'some'} validation issue(s) (run `evidence validate`); "
                        "verdicts use the rows that could be read")
            except TypeError:
                db, warn = None, f"the evidence base in {d} could not be loaded: {exc}"
            except Exception as exc2:  # noqa: BLE001
                db, warn = None, f"the evidence base in {d} could not be loaded: {exc2}"
        _DB_CACHE.clear()
        _DB_CACHE[key] = (db, warn)
        if warn:
            warnings.append(warn)
        return db


_TIME_UNITS = frozenset({"seconds", "minutes", "hours", "days", "weeks", "months", "years"})


def year_words(value: float | None, low: float | None = None, high: float | None = None) -> str:
    """A year or a span of years as people write them: years never get a thousands separator, and a decade (or
    its early, middle or late part, as the detectors read "the early 1970s") reads as one: "1962", "the 1970s",
    "the early 1970s", "the mid-1960s", "1964–1970"."""
    if value is not None:
        return str(int(value))
    lo, hi = int(low), int(high)
    decade = lo // 10 * 10
    if lo == hi:
        return str(lo)
    if hi // 10 * 10 != decade:
        return f"{lo}–{hi}"
    if (lo, hi) == (decade, decade + 9):
        return f"the {decade}s"
    part = "early " if lo == decade else "late " if hi == decade + 9 else "mid-"
    return f"the {part}{decade}s"


def _as_written(unit: str, quote: str) -> str:
    """The unit with the capital the article gave it ("Americans", not the detector's folded "americans"; review11)."""
    m = re.search(rf"\b{re.escape(unit)}\b", quote, re.I) if unit and unit.isalpha() else None
    return m.group(0) if m and m.group(0)[:1].isupper() and m.group(0)[1:].islower() else unit


def claimed_display(d) -> str:
    """The claim's figure or words as a short string ('~18.1%', '70–80%', 'the majority', 'IV')."""
    unit = _as_written(d.unit or "", d.quote or "")
    u = unit if unit == "%" else (f" {unit}" if unit else "")
    prefix = {"approx": "~", "up_to": "up to ", "at_least": "at least "}.get(d.qualifier, "")

    def fmt(v: float | None, raw: str | None = None) -> str:
        from evidence import fmt as f

        if v is None:
            return ""
        if raw:
            return raw       # the figure as the article wrote it
        return f.pct(v).rstrip("%") if unit == "%" else f.num(v)

    raw = d.raw if isinstance(d.raw, dict) else {}
    if unit in ("$", "€", "£", "USD", "EUR", "GBP") and d.quote:
        return " ".join(d.quote.split())    # money as written ("$3.1 billion", not "3100 million $"; review11)
    if unit == "year" and (d.value is not None or (d.low is not None and d.high is not None)):
        return prefix + year_words(d.value, d.low, d.high)   # "the early 1970s", "1962": never "1,970–1,973 year"
    if d.negated and d.claim_type == "design" and d.kind != "sentence-claim":   # (a sentence says its own "not")
        return "not " + " ".join((d.quote or d.text or "").split())   # "not placebo-controlled", not "placebo"
    if d.qualifier == "majority":
        return "the majority" + (f" ({d.text})" if d.text and d.text != "majority" else "")
    if d.qualifier == "half":
        return "half"
    if d.low is not None and d.high is not None:
        return f"{fmt(d.low, raw.get('claimed_low'))}–{fmt(d.high, raw.get('claimed_high'))}{u}"
    if d.value is not None and unit in _TIME_UNITS:
        from evidence import fmt as f

        return prefix + f.duration(d.value, unit)          # "up to 1 hour", not "up to 1 hours"
    if d.kind == "p-value" and d.quote:
        return " ".join(d.quote.split())   # "p < 0.01" as printed, not "up to 0.01 p"
    if d.value is not None and d.kind == "times":
        return f"{prefix}{fmt(d.value, raw.get('claimed_value'))} times"   # "3 times", not "3 RR"
    if d.value is not None:
        s = f"{prefix}{fmt(d.value, raw.get('claimed_value'))}{u}"
        if d.text and d.kind == "n-in-m":
            s = f"{d.text} ({s})"
        return s
    return _code_in_words(d.text) or d.quote


def _code_in_words(text: str | None) -> str:
    """A detector's code ("crossover_rct", "SAD", "GAD;SAD") in words; other text as it is."""
    if not text:
        return ""
    return _code_words_of(text) if type(text) is str else _code_words_uncached(text)


@lru_cache(maxsize=4096)
def _code_words_of(text: str) -> str:
    return _code_words_uncached(text)   # memoized: the same codes come back for every claim of a kind


def _code_words_uncached(text) -> str:
    from evidence.check.words import code_words

    parts = [code_words(x) or x for x in str(text).split(";")]
    return " and ".join(parts) if all(parts) else str(text)


_STRUCTURED_KINDS = {"design", "blinding", "control", "route", "journal", "org", "cite-source", "cite-year",
                     "study-year", "population"}


def engine_text(d, link: dict) -> str | None:
    """The ``claimed_text`` handed to the verdict engine.

    Structured claims (design codes, routes, journals, years, diagnoses, regulatory status) always pass their
    normalized text: the engine compares it with a field or fact. For free-text facts a claim's wording is
    passed only when its words appear in the fact — a paraphrase is not a contradiction — else the engine
    judges the claim on its figures and the evidence's caveats alone.
    """
    if not d.text:
        return None
    method = (link.recompute or "").split(":", 1)[0]
    if method == "attribute":
        return d.text if d.kind in _STRUCTURED_KINDS or d.claim_type in ("design", "population", "attribution",
                                                                           "dose_route") else None
    if method == "fact" and (d.qualifier == "categorical" or d.claim_type == "regulatory_status"):
        fact = link.fact_text or ""
        for phrase in _phrases(d):
            if _phrase_in(phrase, fact):
                return phrase
    return None


def _phrases(d) -> list[str]:
    """The claim's wording, then shorter forms of it (a regulatory claim: 'not FDA approved', 'approved')."""
    from evidence.check.regulatory import indication

    out = [d.text]
    if d.claim_type == "regulatory_status" and d.kind in ("schedule", "controlled"):
        from evidence.check.regulatory import _schedule_of

        sched = _schedule_of(d.quote) or _schedule_of(d.text or "")
        return [p for p in dict.fromkeys([d.text, f"schedule {sched}" if sched else "", f"C{sched}" if sched else "",
                                          "controlled substance"]) if p]
    if d.claim_type == "regulatory_status":
        neg = d.text.startswith("not") or d.text.startswith("off-label")
        ind = indication(d) if d.kind == "approval" else ((d.raw.get("indication") if isinstance(d.raw, dict) else "")
                                                          or "")
        if neg:
            out += ["not FDA approved", "not approved", "not FDA-approved"]
        else:
            out += [f"approved for {ind}" if ind else "", f"approved for the treatment of {ind}" if ind else "",
                    "FDA approved", "approved", "approval"]
    return [p for p in dict.fromkeys(out) if p]


def _phrase_in(phrase: str, prose: str) -> bool:
    from evidence.verdicts import phrase_in

    return phrase_in(phrase, prose)


def claim_row(d, link: dict, n: int) -> tuple[dict, dict]:
    """A claims.csv-shaped row (and the printed figures) for one detected claim.

    When the claim is a known curated claim (same wording), the curated row's figures and text are used, so
    the verdict agrees with ``evidence claims``.
    """
    raw = d.raw if isinstance(d.raw, dict) else {}
    row = {
        "claim_id": f"check-{n:03d}", "article_id": "", "quote": d.quote, "claim_type": d.claim_type,
        "claimed_value": d.value, "claimed_low": d.low, "claimed_high": d.high, "claimed_unit": d.unit,
        "qualifier": d.qualifier or "none", "claimed_text": link.claimed_text or engine_text(d, link), "named_source": d.named_source,
        "source_ids": ";".join(link.source_ids) or None, "recompute": link.recompute or None,
        "evidence_status": link.evidence_status or None, "search_note": link.search_note or None,
        "verdict_override": None, "override_justification": None,
    }
    printed = {k: raw.get(k) for k in ("claimed_value", "claimed_low", "claimed_high") if raw.get(k)}
    tpl = link.template
    if tpl:
        for k in ("claim_type", "claimed_value", "claimed_low", "claimed_high", "claimed_unit", "qualifier",
                  "claimed_text", "named_source", "verdict_override", "override_justification"):
            v = tpl.get(k)
            row[k] = None if v is None or (isinstance(v, str) and not v.strip()) else v
        for k, v in tpl.items():   # every other curated column the engine reads (described_source, review_note …)
            if k not in row and k not in ("claim_id", "article_id", "quote"):
                row[k] = None if v is None or (isinstance(v, str) and not v.strip()) else v
        printed = {k: str(tpl[k]) for k in ("claimed_value", "claimed_low", "claimed_high")
                   if tpl.get(k) not in (None, "")}
        printed = {k: (v[:-2] if v.endswith(".0") else v) for k, v in printed.items()}
    elif link.word_claim:
        # "at least two antidepressants" against a definition ("… to at least two adequate treatment courses")
        row.update(claimed_value=None, claimed_low=None, claimed_high=None, claimed_unit=None, qualifier="categorical")
        printed = {}
    elif link.contradiction:
        row["verdict_override"] = link.rule_verdict or "contradicted"
        row["override_justification"] = link.contradiction
    elif d.claim_type == "regulatory_status" and link.claimed_year:
        # "approved in 1970" against a fact that is the year of approval: compare the years
        row.update(claimed_value=float(link.claimed_year), claimed_unit="year", qualifier="none", claimed_text=None)
        printed = {"claimed_value": link.claimed_year}
    elif d.claim_type == "regulatory_status" and link.fact_text:
        from evidence.check.link import negative_claim, negative_fact

        if negative_claim(d.text or "") != negative_fact(link.fact_text):
            row["verdict_override"] = "contradicted"
            row["override_justification"] = (
                f"the claim says {'not ' if negative_claim(d.text or '') else ''}approved; the linked source says "
                f"{'not ' if negative_fact(link.fact_text) else ''}approved (polarity check by evidence check)")
    return row, printed


#: what an editor can do, for reasons that say the figure is not a claim to correct on its own
_ADVICE = (
    ("this is the dose of ", "Nothing to correct on its own: the control drug's dose is part of the study's "
                             "description; if it matters, check it against the study's methods."),
    (" is not among its doses", "Check the dose against the study's methods (or the study the sentence means), and "
                                "name that study beside it."),
    ("this is the time over which the treatments were given", "Nothing to correct on its own: the schedule is part "
                                                              "of the study's description; the number of treatments "
                                                              "is checked against the study."),
    ("this is when the figure before it was measured", "Nothing to correct on its own: the timepoint is checked with "
                                                        "the figure it dates."),
    ("this is how long the participants had been ill", "Nothing to correct on its own: it describes who took part; "
                                                        "check it against the study's description of its "
                                                        "participants."),
    ("the sentence names an organisation", "Name the organisation's report or page (title, year, link) so readers "
                                           "can find it."),
    (" fit more than one study", "Say which report or study is meant (its title and year, or a link), so the claim "
                                 "can be checked against that one."),
    ("the source is not named", "Name the study (first author, year, journal) so readers can find it."),
)
#: an item that is only a date or a decade ("1970s", "in the mid-1980s", "during the late 1970s", "In 1962,"): a
#: date in a drug's history, not a study's figure (review9, editor run: "Name the study behind this figure … or
#: remove the figure" for a decade in a history page)
_RX_DATE_ONLY = re.compile(r"(?:(?:in|during|since|by|through|until|from|the|early|mid|late|around|about)[\s-]+)*"
                           r"(?:19|20)\d\d(?:s|['’]s)?\W*", re.I)
#: what an editor can do about a date in the drug's history (a synthesis, a patent, a first use, a decade)
HISTORY_ADVICE = ("Nothing to correct as a study figure: this is a date in the drug's history; if it matters, check "
                  "it against a history of the drug or the record it comes from (a patent, the label, a dated "
                  "report), and name that source.")
#: a whole sentence typed as a citation or an approval by one cue word ("at University Hospitals", "covered by
#: private insurance", "originally used as an anesthetic") gets that type's advice only when it names a publication
#: or an approval (review10: "Give a full citation" for a clinic's outpatient procedure, "Check it against the
#: product's FDA label" for what insurance covers)
_RX_ANY = re.compile(r"")
_RX_ADVICE_CUE = {
    "attribution": re.compile(r"\b(?:published|journal|stud(?:y|ies)|trials?|paper|report(?:ed|s)?|et\s+al|"
                              r"according\s+to|(?:19|20)\d\d)\b", re.I),
    "regulatory_status": re.compile(r"\b(?:FDA|approv\w*|label(?:ed|led|s)?|indicat\w*|REMS|restricted|prescri\w*|"
                                    r"controlled\s+substance|schedule\s+(?:I|II|III|IV|V)|DEA|EMA|licen[cs]\w*|"
                                    r"authori[sz]\w*|certified)\b", re.I),
}
_RX_COVERAGE = re.compile(r"\b(?:insurance|insurers?|Medicare|Medicaid|covered|coverage|reimburs\w*)\b", re.I)
COVERAGE_ADVICE = ("Check it against the insurer's or Medicare's current coverage policy, and give that policy and "
                   "its date; the evidence base records studies and approvals, not insurance cover.")
GENERAL_ADVICE = "Name the study or official source behind this statement, or soften it to what a cited source supports."


def _sentence_advice(text: str) -> str:
    """The advice for a whole-sentence word claim whose type's advice does not fit it: what insurance covers is
    checked against the coverage policy, anything else against the source it relies on."""
    return COVERAGE_ADVICE if _RX_COVERAGE.search(text) else GENERAL_ADVICE


_GENERIC_SOURCE = "an organisation or unnamed source is named; the figures it supports are checked on their own"


#: a source named by its proper name after "according to" / "reports": "The Washington Post", "STAT", "Johnson &
#: Johnson" (review9, editor run: "according to The Washington Post" was said to name no source)
_RX_PROPER_SOURCE = re.compile(r"\s+((?:the\s+)?[A-Z][\w.'’-]*(?:\s+(?:&\s+|of\s+|and\s+)?[A-Z][\w.'’-]*){0,5})")


def _named_after(d) -> str:
    """The proper name right after an unnamed-source attribution's words ("according to The Washington Post"), or
    ''."""
    s = getattr(d, "sentence", None)
    if d.kind != "generic-attrib" or s is None or (d.quote or "").lower().strip() != "according to":
        return ""
    m = _RX_PROPER_SOURCE.match(s.text, d.end - s.start)
    return m.group(1).rstrip(".,;:") if m else ""


def _journal_named(d) -> str:
    """The journal an unnamed-source attribution names in its own words ("The paper in Scientific Reports"), or ''
    (settle12: that attribution was said to name no source)."""
    from evidence.check.lexicon import RX_JOURNAL

    m = RX_JOURNAL.search(d.quote or "") if d.kind == "generic-attrib" else None
    return m.group("j") if m else ""


def in_editor_words(d, reason: str) -> str:
    """A reason made specific where the detectors' reason is generic: which organisation, or that no source is
    named (editor s6: "an organisation or unnamed source is named" did not say which)."""
    if reason != _GENERIC_SOURCE:
        return reason
    if d.kind == "org" and d.text and d.text != "unnamed source":
        return (f"the sentence names an organisation ({d.text}) as its source; the name alone is not a claim to "
                "check, and the figures it supports are checked on their own")
    named = _named_after(d) or _journal_named(d)
    if named:
        return (f"the sentence names its source ({named}), not a study the evidence base records; the name alone "
                "is not a claim to check, and the figures it supports are checked on their own")
    return "the source is not named; the figures it is said to support are checked on their own"


def _suggest_unlinked(d, reason: str = "", link=None) -> str:
    """What the editor can do about a claim that is not checkable here: what to add or where to look, read from the
    reason (editor s3: the suggestion was the same generic sentence for every abstention)."""
    import re as _re

    figure = d.value is not None or d.low is not None or d.high is not None
    what = "figure" if figure else "statement"
    if _RX_DATE_ONLY.fullmatch((d.quote or "").strip()) or d.kind == "years-ago" or "drug's history" in (reason or ""):
        return HISTORY_ADVICE
    for start, advice in _ADVICE:
        if (reason or "").startswith(start) or (start.startswith(" ") and start in (reason or "")):
            return advice
    m = _re.match(r"matched (.+?), which has no curated figure for (.+?)(?: \(|$)", reason or "")
    if m:
        return (f"Check the {what} against {m.group(1)} itself (its paper or abstract); if it reports {m.group(2)}, "
                "add that figure to the evidence base with its source.")
    m = _re.match(r"no study in the evidence base matches \(cues: (.+)\)", reason or "")
    if m:
        return (f"The study it cites ({m.group(1)}) is not in the evidence base: add it (sources.csv, with the "
                f"figure it reports), or give a full citation so readers can find it.")
    if (reason or "").startswith(("the cues point at different studies", "which study this passage is about is in "
                                                                         "doubt")):
        return ("Check the citation: its author, year and journal point at different papers; correct the one that "
                "is wrong so the claim can be checked against the right study.")
    if (reason or "").startswith("the sentence names no study"):
        return (f"Name the study behind this {what} (first author, year, journal) so it can be checked, or "
                + ("remove the figure." if figure else "soften it to what a cited study shows."))
    if "is close to" in (reason or "") and "near miss" in (reason or ""):
        return "Name the survey this figure comes from (and its year), or use the figure of the source named here."
    if d.kind == "sentence-claim" and not _RX_ADVICE_CUE.get(d.claim_type, _RX_ANY).search(d.quote or ""):
        return _sentence_advice(d.quote or "")
    if d.claim_type == "regulatory_status":
        return ("Check it against the product's FDA label or approval notice (Drugs@FDA, DailyMed), and name that "
                "source.")
    if d.claim_type in ("prevalence", "sample_size", "effect_size", "nnt", "nnh", "response_rate", "symptom_change"):
        return ("Cite the study or survey that reports this figure (with a link), or remove the figure." if figure else
                "Cite the study that shows this (with a link), or soften the claim to what a cited study shows.")
    if d.claim_type == "attribution":
        return "Give a full citation (authors, title, journal, year, DOI) so readers can find the source."
    return GENERAL_ADVICE


def _evidence_text(ev: dict) -> str:
    parts = []
    if ev.get("recomputed"):
        parts.append(str(ev["recomputed"]))
    elif ev.get("recomputed_text"):
        parts.append(str(ev["recomputed_text"]))
    if ev.get("certainty") and ev.get("certainty") != "no evidence":
        parts.append(f"certainty: {ev['certainty']}")
    return "; ".join(parts)


def _base(d, link, n: int) -> dict[str, Any]:
    """The fields every checked claim has, whatever its verdict (codes beside the words)."""
    from evidence import vocab

    s = d.sentence
    return {
        "id": n, "sentence": s.text, "sentence_start": s.start, "sentence_end": s.end,
        "quote": d.quote, "start": d.start, "end": d.end,
        "claim_type": d.claim_type, "claim_type_label": vocab.word("claim_type", d.claim_type), "detector": d.kind,
        "claimed": claimed_display(d), "claimed_value": d.value, "claimed_low": d.low, "claimed_high": d.high,
        "claimed_unit": d.unit, "qualifier": d.qualifier, "claimed_text": d.text, "named_source": d.named_source,
        "negated": d.negated,
        "recompute": link.recompute, "source_ids": list(link.source_ids), "evidence_status": link.evidence_status,
        "study": link.study, "study_label": link.study_label,
        "compared_with": "", "why_this_source": matched_on(link.basis), "link_basis": link.basis,
        "verdict": NOT_CHECKABLE_CODE, "verdict_label": NOT_CHECKABLE_LABEL, "holds": None, "rating": None,
        "checkable": False, "abstained": True, "reason": link.reason,
        "evidence": "", "explanation": "", "certainty": "", "sources": [], "source_names": [], "suggestion": "",
    }


def _invert(ev: dict, d) -> dict:
    """A negated design claim ("was not randomized") holds exactly when the positive one does not; the words say
    what the article says (the negation) and what the record says (editor s3 #4: a "Contradicted" that read "The
    claim says what the source says")."""
    ev = dict(ev)
    said = " ".join((d.quote or d.text or "").split())
    rec = str(ev.get("recomputed") or ev.get("recomputed_text") or "").strip().rstrip(".")
    record = f" ({rec})" if rec else ""
    if ev.get("holds"):
        why = f"The article says the study was not {said}; the source's record says it was{record}."
        ev.update(verdict="contradicted", verdict_label="Contradicted", holds=False, rating=1, reason=why,
                  explanation=why, correction=f"Say that the study was {said}{record}, or remove the sentence.")
    elif ev.get("verdict") == "misattributed":
        why = f"The article says the study was not {said}, and the source's record agrees{record}."
        ev.update(verdict="accurate", verdict_label="Accurate", holds=True, rating=5, reason=why, explanation=why,
                  correction="")
    return ev


#: word claims (no figure) that only name a topic — side effects, a mechanism, "most patients", "rapid",
#: a design word — are listed only when the evidence base could check them: unchecked they are noise to an editor
#: (measured on the corpus's dev split: together they were the only detection of one labelled claim of 96, and
#: 27 of the items outside any labelled claim)
UNLISTED_WHEN_UNCHECKED = frozenset({"safety", "mechanism", "majority", "onset-word", "design", "blinding", "control",
                                     "population"})   # unchecked routes: evidence.check.sift keeps only a list of them


def listed(c: dict) -> bool:
    """Is this claim shown (a checked claim, or a claim worth an editor's attention even unchecked)?"""
    return c["checkable"] or c["detector"] not in UNLISTED_WHEN_UNCHECKED


def judge_all(linked: list, *, data_dir=None, params: dict | None = None, evaluate: bool = True,
              labels: dict[str, str] | None = None) -> tuple[list[dict], list[str]]:
    """JSON-ready result dicts for every (detected claim, :class:`Link`) pair, in text order.

    Each linked claim goes through :func:`evidence.claims.evaluate`, the one entry point of the engine that
    ``evidence claims`` uses too; an unlinked one is "not checkable here" with the reason in words.
    """
    from evidence.db import load_db

    warnings: list[str] = []
    db = None
    if evaluate and any(link.linked for _, link in linked):
        db = get_db(load_db, data_dir, warnings)
        if db is None:
            warnings.append((warnings[-1] if warnings else "the evidence base could not be loaded")
                            + "; linked claims are listed without a verdict")
    cache: dict[tuple, dict] = {}
    memo: dict[str, tuple] = {}
    out: list[dict] = []
    for n, (d, link) in enumerate(linked, 1):
        # an item is judged from its claim, its sentence and its link alone: the same claim in the same sentence with
        # the same link (boilerplate repeated across a corpus) is judged once and placed at its own offsets
        key = _item_key(d, link)
        hit = memo.get(key)
        if hit is None:
            res = _judge_one(d, link, n, db, evaluate, params, labels, cache)
            # (the link kept alive: the key holds its id)
            memo[key] = (link, res, tuple(k for k, v in res.items() if isinstance(v, (list, dict))))
        else:
            res = _placed(hit[1], hit[2], d, n)
        out.append(res)
    return out, warnings


def _item_key(d, link) -> str:
    """Everything :func:`_judge_one` reads of an item but its place: every field of the claim (offsets relative to
    its sentence) and of its sentence but the sentence's offsets and index, and the link (by identity)."""
    s = d.sentence
    return repr((d.start - s.start, d.end - s.start, _getter(type(d), ("start", "end", "sentence"))(d),
                 _getter(type(s), ("start", "end", "index"))(s), id(link)))


@lru_cache(maxsize=64)
def _getter(cls, leave_out: tuple[str, ...]):
    """A function giving the tuple of a dataclass instance's fields, but those left out."""
    names = [f.name for f in _fields_of(cls) if f.name not in leave_out]
    get = attrgetter(*names)
    return get if len(names) > 1 else (lambda x: (get(x),))


#: the fields of a judged item that say where it is (set again when an item is placed at its own offsets)
_PLACE_FIELDS = ("id", "sentence_start", "sentence_end", "start", "end")


def _placed(res: dict, mutable: tuple[str, ...], d, n: int) -> dict:
    """A copy of a judged item for the same claim elsewhere: its id and offsets; its lists and dicts copied."""
    out = dict(res)
    for k in mutable:
        out[k] = copy(out[k])
    out.update(zip(_PLACE_FIELDS, (n, d.sentence.start, d.sentence.end, d.start, d.end)))
    return out


def _judge_one(d, link, n: int, db, evaluate: bool, params, labels, cache: dict) -> dict:
    """The JSON-ready result of one (detected claim, :class:`Link`) pair (``cache``: the engine's answers by row)."""
    from evidence import claims as engine

    res = _base(d, link, n)
    if not link.linked:
        res["reason"] = reason = in_editor_words(d, link.reason)
        res["explanation"] = "Not checkable here: " + (reason or "no source in the evidence base matches") + "."
        res["suggestion"] = _suggest_unlinked(d, reason, link)
        return res
    res["compared_with"] = link.label
    if not evaluate or db is None:
        res["verdict"] = NOT_EVALUATED if not evaluate else NOT_CHECKABLE_CODE
        res["verdict_label"] = "Linked (not evaluated)" if not evaluate else NOT_CHECKABLE_LABEL
        res["reason"] = "" if not evaluate else "the evidence base could not be loaded"
        res["explanation"] = f"Compared with {link.label}" + (f" ({matched_on(link.basis)})"
                                                              if matched_on(link.basis) else "") + "."
        _source_refs(res, link.source_ids, db)
        return res
    row, printed = claim_row(d, link, n)
    key = tuple((k, str(row[k])) for k in ("claim_type", "claimed_value", "claimed_low", "claimed_high",
                                             "claimed_unit", "qualifier", "claimed_text", "source_ids",
                                             "recompute", "evidence_status", "verdict_override",
                                             "override_justification")) \
        + tuple(sorted(printed.items()))
    ev = cache.get(key)
    if ev is None:
        try:
            fields = {k: v for k, v in row.items() if k not in ("recompute", "source_ids")}
            ev = engine.evaluate(engine.claimed_from_row(row, printed), row["recompute"], list(link.source_ids),
                                 db, params, **fields)
        except (ValueError, KeyError) as exc:  # a link naming a row the base lacks must not sink the report
            ev = {"verdict": NOT_CHECKABLE_CODE, "verdict_label": NOT_CHECKABLE_LABEL, "holds": None,
                  "explanation": f"The evidence named by the link could not be recomputed ({exc}).",
                  "correction": "", "sources": list(link.source_ids)}
        ev = cache[key] = _worded(ev, labels or {})
    if link.negate:
        ev = _invert(ev, d)
    if ev.get("rule") == "not-comparable" and link.origin != "template":
        # the engine found the linked evidence does not bear on the claim as worded: a weak link, not a verdict
        res["reason"] = ("the closest figure in the evidence base does not bear on the claim as worded "
                         f"({link.label})")
        res["explanation"] = "Not checkable here: " + res["reason"] + "."
        res["suggestion"] = ("The closest figure in the evidence base measures something else: check the claim "
                             "against the study itself, or name the figure's source.")
        return res
    grey = grey_zone(d, link, ev)
    if grey:
        res["reason"] = grey
        res["explanation"] = "Not checkable here: " + grey + "."
        res["suggestion"] = _suggest_unlinked(d, grey, link)
        return res
    _fill(res, ev, link)
    if link.contradiction and link.fact_text and not (link.rule_verdict == "accurate" and res["holds"]):
        # a rule's verdict against the claim: the suggestion is what the source says
        from evidence.check.words import shortened

        said = shortened(link.fact_text, 180).rstrip(".")
        res["suggestion"] = f"Say what the source says: “{said}{'' if said.endswith('…') else '.'}”"
    _source_refs(res, link.source_ids, db)
    _in_claim_units(res, ev, d)
    return res


def _in_claim_units(res: dict, ev: dict, d) -> None:
    """A duration the engine compared in hours is shown in the claim's own unit ("3 months", not "2,192 hours")."""
    from evidence import fmt, vocab

    rv = ev.get("recomputed_value")
    per = vocab.to_hours(1.0, d.unit) if d.unit in _TIME_UNITS else None
    if not per or not isinstance(rv, (int, float)) or not str(ev.get("recomputed") or "").endswith("hours"):
        return
    shown = fmt.duration(rv / per, d.unit)
    res["evidence"] = res["evidence"].replace(str(ev["recomputed"]), shown, 1)
    res["recomputed"] = shown


#: a survey figure is "close" when the claim is within this relative distance of it, although outside the tolerance
SURVEY_GREY_ZONE = 0.15


def grey_zone(d, link, ev: dict) -> str:
    """Why a near miss against a survey figure is not a verdict ('' when it is one).

    Population surveys of the same condition differ by method and year (NIMH 31.1% and Kessler 2005 28.8% for the
    lifetime prevalence of any anxiety disorder, both from the NCS-R). A claim that names no source and misses the
    curated figure by less than :data:`SURVEY_GREY_ZONE` (relative) may quote another survey: "close to X, not
    settled" is what the evidence supports, not "overstated". A named source, or a bigger miss, keeps the verdict.
    """
    if link.origin not in ("prevalence", "fact") or ev.get("verdict") not in ("overstated", "understated"):
        return ""
    if d.named_source or d.claim_type not in ("prevalence", "other") or d.value is None:
        return ""
    if "organisation " in (link.basis or ""):
        return ""   # "According to the NIMH, …": the sentence names the source it is compared with (editor s4 #8)
    if link.by_figures and (d.qualifier or "exact") in ("exact", "none"):
        return ""   # an exact figure of the source the passage's other figures identify: a wrong figure
    #               ("about one-third" of that source's 36.9% is a rounding, and stays in the grey zone)
    rv = ev.get("recomputed_value")
    if not isinstance(rv, (int, float)) or not rv:
        return ""
    if abs(d.value - rv) / abs(rv) > SURVEY_GREY_ZONE:
        return ""
    source = link.study_label or link.label.split(":")[0]
    return (f"the claim ({claimed_display(d)}) is close to {ev.get('recomputed') or link.label} ({source}), but outside "
            "the tolerance; surveys of the same condition differ by method and year, and the sentence names no source, "
            "so a near miss is not settled here")


def _worded(ev: dict, labels: dict[str, str]) -> dict:
    """The engine's prose with source ids and codes turned into words (the codes stay in their own fields)."""
    from evidence.check.words import in_words

    ev = dict(ev)
    for k in ("explanation", "reason", "correction", "certainty", "recomputed"):
        if isinstance(ev.get(k), str):
            ev[k] = _DETECTOR_CODE.sub(r"\1 a randomized controlled trial", in_words(ev[k], labels))
    return ev


#: the detectors' bare design code ("rct": any randomized trial) where the engine repeats the claim ("the article
#: says rct"): in words (editor s6)
_DETECTOR_CODE = re.compile(r"\b(says|said|claims)\s+rct\b")


def _fill(res: dict, ev: dict, link) -> None:
    res["verdict"] = ev.get("verdict", NOT_CHECKABLE_CODE)
    res["verdict_label"] = ev.get("verdict_label") or NOT_CHECKABLE_LABEL
    res["holds"] = ev.get("holds")
    res["rating"] = ev.get("rating")
    res["checkable"] = res["verdict"] != NOT_CHECKABLE_CODE
    res["abstained"] = not res["checkable"]
    res["evidence"] = _evidence_text(ev)
    res["certainty"] = ev.get("certainty") or ""
    reason = ev.get("reason") or (ev.get("explanation") or "").split(" Recomputed: ")[0]   # the engine's one sentence
    why = matched_on(link.basis)
    res["why_this_source"] = why
    label = _without_quote(link)
    res["explanation"] = (f"{res['verdict_label']}: compared with {label if why else label.rstrip('.')}"
                          + (f" ({why})" if why else "") + f". {reason}").strip()
    for k in ("recomputed", "recomputed_low", "recomputed_high", "recomputed_text"):
        if k in ev:
            res[k] = ev[k]
    res["suggestion"] = ev.get("correction") or ""
    if res["verdict"] == "unverifiable" and res["claim_type"] == "attribution":
        _unidentified_citation(res, link)


def _without_quote(link) -> str:
    """The link's label without the fact's text when a rule's justification quotes it already (editor s5/s6: the
    same quotation twice on one card)."""
    label, text = link.label or "", (link.fact_text or "").strip()
    if not (link.contradiction and text):
        return label
    at = label.find(text[:30])
    return label[:at].rstrip(" :,") if at > 0 else label


def _unidentified_citation(res: dict, link) -> None:
    """Review item 8: a citation no one could identify says so once, with what the curators found instead."""
    note = [x.strip() for x in re.split(r"(?<=[.;])\s+", str((link.template or {}).get("search_note") or ""))
            if x.strip() and not re.match(r"(?:Searched|Only\s+abstracts|only\s+abstracts)", x.strip())
            and "pages corpus" not in x and "names no" not in x]
    closest = link.label if link.source_ids else ""
    res["compared_with"] = closest
    res["why_this_source"] = "the closest source the curators found" if closest else ""
    res["explanation"] = ("Unverifiable: the cited source could not be identified."
                          + (" " + " ".join(note) if note else "")
                          + (f" The closest source in the evidence base is {closest}." if closest else
                             " No source in the evidence base reports it."))
    res["suggestion"] = (f"Replace the citation with one readers can find; check whether {closest} supports the "
                         "sentence and cite it if it does." if closest else
                         "Remove the claim or cite a source readers can find that reports it.")
