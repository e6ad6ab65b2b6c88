"""Verdicts for linked claims, from the project's verdict engine.

Contract (the lead's API):

* ``evidence.db.load_db(data_dir=None) -> db``
* ``evidence.claims.evaluate_claim(row: dict, db, params: dict | None = None) -> dict`` with keys
  verdict, holds, rating, recomputed, recomputed_low, recomputed_high, recomputed_text,
  certainty, explanation, correction, sources (``raw=`` with the figures as printed is
  passed when the function accepts it, for rounding-aware tolerance).

A claim that could not be linked to the evidence base gets :data:`NOT_CHECKABLE`
and is listed, never dropped. If the verdict engine or the evidence base is not
available, linked claims get the same verdict with the reason in ``explanation``.
"""
from __future__ import annotations

import inspect
import threading
from pathlib import Path
from typing import Any

NOT_CHECKABLE = "not checkable here: needs a source"
NOT_EVALUATED = "linked, not evaluated"

CLAIM_COLUMNS = ["claim_id", "article_id", "quote", "claim_type", "claimed_value", "claimed_low", "claimed_high",
                 "claimed_unit", "qualifier", "claimed_text", "named_source", "source_ids", "recompute",
                 "evidence_status", "search_note", "verdict_override", "override_justification"]

_DB_CACHE: dict[str, Any] = {}
_DB_LOCK = threading.Lock()


def get_engine():
    """(evaluate_claim, load_db, problem): the lead's functions, or None and the reason they are missing."""
    try:
        from evidence.claims import evaluate_claim
    except Exception as exc:  # noqa: BLE001 - missing or broken module: degrade, do not crash
        return None, None, f"the verdict engine (evidence.claims.evaluate_claim) is not available: {exc}"
    try:
        from evidence.db import load_db
    except Exception as exc:  # noqa: BLE001
        return None, None, f"the evidence loader (evidence.db.load_db) is not available: {exc}"
    return evaluate_claim, load_db, ""


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


def _accepts_raw(fn) -> bool:
    try:
        return "raw" in inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False


def claimed_display(d) -> str:
    """The claim's figure or words as a short string ('~18.1%', '70–80%', 'the majority', 'IV')."""
    unit = d.unit or ""
    u = unit if unit == "%" else (f" {unit}" if unit else "")
    prefix = {"approx": "~", "up_to": "up to ", "at_least": "at least "}.get(d.qualifier, "")

    def fmt(v: float | None, raw: str | None = None) -> str:
        if v is None:
            return ""
        if raw:
            return raw
        if abs(v) >= 10000:
            return f"{v:,.0f}"
        return f"{v:g}"

    raw = d.raw if isinstance(d.raw, dict) else {}
    if d.qualifier == "majority":
        return "the majority" + (f" ({d.text})" if d.text and d.text != "majority" else "")
    if d.qualifier == "half":
        return "half"
    if d.low is not None and d.high is not None:
        return f"{fmt(d.low, raw.get('claimed_low'))}–{fmt(d.high, raw.get('claimed_high'))}{u}"
    if d.value is not None:
        s = f"{prefix}{fmt(d.value, raw.get('claimed_value'))}{u}"
        if d.text and d.kind == "n-in-m":
            s = f"{d.text} ({s})"
        return s
    return d.text or d.quote


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
    method = (link.get("recompute") or "").split(":", 1)[0]
    if method == "attribute":
        return d.text if d.kind in _STRUCTURED_KINDS or d.claim_type in ("design", "population", "attribution",
                                                                           "dose_route") else None
    if method == "fact" and (d.qualifier == "categorical" or d.claim_type == "regulatory_status"):
        fact = link.get("fact_text") or ""
        for phrase in _phrases(d):
            if _phrase_in(phrase, fact):
                return phrase
    return None


def _phrases(d) -> list[str]:
    """The claim's wording, then shorter forms of it (a regulatory claim: 'not FDA approved', 'approved')."""
    out = [d.text]
    if d.claim_type == "regulatory_status":
        neg = d.text.startswith("not") or d.text.startswith("off-label")
        ind = (d.raw.get("indication") if isinstance(d.raw, dict) else "") or ""
        if neg:
            out += ["not FDA approved", "not approved", "not FDA-approved"]
        else:
            out += [f"approved for {ind}" if ind else "", f"approved for the treatment of {ind}" if ind else "",
                    "FDA approved", "approved"]
    return [p for p in dict.fromkeys(out) if p]


def _phrase_in(phrase: str, prose: str) -> bool:
    try:
        from evidence.verdicts import phrase_in
    except Exception:  # noqa: BLE001 - older engine: token containment
        from evidence.check.link import tokens

        return bool(tokens(phrase)) and tokens(phrase) <= tokens(prose)
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
        "qualifier": d.qualifier or "none", "claimed_text": engine_text(d, link), "named_source": d.named_source,
        "source_ids": link.get("source_ids") or None, "recompute": link.get("recompute") or None,
        "evidence_status": link.get("evidence_status") or None, "search_note": link.get("search_note") or None,
        "verdict_override": None, "override_justification": None,
    }
    printed = {k: raw.get(k) for k in ("claimed_value", "claimed_low", "claimed_high") if raw.get(k)}
    tpl = link.get("template")
    if tpl:
        for k in ("claim_type", "claimed_value", "claimed_low", "claimed_high", "claimed_unit", "qualifier",
                  "claimed_text", "named_source", "verdict_override", "override_justification"):
            v = tpl.get(k)
            row[k] = None if v is None or (isinstance(v, str) and not v.strip()) else v
        printed = {k: str(tpl[k]) for k in ("claimed_value", "claimed_low", "claimed_high")
                   if tpl.get(k) not in (None, "")}
        printed = {k: (v[:-2] if v.endswith(".0") else v) for k, v in printed.items()}
    elif d.claim_type == "regulatory_status" and link.get("fact_text"):
        from evidence.check.link import negative_claim, negative_fact

        if negative_claim(d.text or "") != negative_fact(link["fact_text"]):
            row["verdict_override"] = "contradicted"
            row["override_justification"] = (
                f"the claim says {'not ' if negative_claim(d.text or '') else ''}approved; the linked source says "
                f"{'not ' if negative_fact(link['fact_text']) else ''}approved (polarity check by evidence check)")
    return row, printed


def _suggest_unlinked(d) -> str:
    if d.claim_type in ("prevalence", "sample_size", "effect_size", "nnt", "nnh", "response_rate", "symptom_change"):
        return "Cite the study or survey that reports this figure (with a link), or remove the figure."
    if d.claim_type == "attribution":
        return "Give a full citation (authors, title, journal, year, DOI) so readers can find the source."
    return "Name the study or official source behind this statement, or soften it to what a cited source supports."


def _evidence_text(ev: dict) -> str:
    parts = []
    if ev.get("recomputed"):
        parts.append(str(ev["recomputed"]))
    elif ev.get("recomputed_text"):
        parts.append(str(ev["recomputed_text"]))
    if ev.get("certainty") and ev.get("certainty") != "no evidence":
        parts.append(f"certainty: {ev['certainty']}")
    return "; ".join(parts)


def evaluate_all(linked: list, *, data_dir=None, params: dict | None = None, evaluate: bool = True
                 ) -> tuple[list[dict], list[str]]:
    """JSON-ready result dicts for every (detected claim, link) pair, in text order."""
    warnings: list[str] = []
    fn = load_db = None
    problem = ""
    db = None
    if evaluate and any(link.get("recompute") or link.get("evidence_status") in ("not_found", "unidentifiable")
                        for _, link in linked):
        fn, load_db, problem = get_engine()
        if fn is not None:
            db = get_db(load_db, data_dir, warnings)
            if db is None:
                problem = warnings[-1] if warnings else "the evidence base could not be loaded"
                fn = None
        if problem:
            warnings.append(problem + "; linked claims are listed without a verdict")
    accepts_raw = fn is not None and _accepts_raw(fn)
    cache: dict[tuple, dict] = {}
    out: list[dict] = []
    for n, (d, link) in enumerate(linked, 1):
        row, printed = claim_row(d, link, n)
        linked_ok = bool(link.get("recompute")) or link.get("evidence_status") in ("not_found", "unidentifiable")
        res: dict[str, Any] = {
            "id": n, "sentence": d.sentence.text, "quote": d.quote, "start": d.start, "end": d.end,
            "claim_type": d.claim_type, "claimed": claimed_display(d),
            "claimed_value": d.value, "claimed_low": d.low, "claimed_high": d.high, "claimed_unit": d.unit,
            "qualifier": d.qualifier, "claimed_text": d.text, "named_source": d.named_source,
            "recompute": row["recompute"] or "", "source_ids": [s for s in (row["source_ids"] or "").split(";") if s],
            "evidence_status": row["evidence_status"] or "", "link_basis": link.get("link_basis", ""),
            "verdict": NOT_CHECKABLE, "verdict_label": "Not checkable here", "holds": None, "rating": None,
            "evidence": "", "explanation": "", "certainty": "", "sources": [], "suggestion": "",
        }
        if not linked_ok:
            res["explanation"] = "No source in the evidence base matches this claim's study, population and measure."
            res["suggestion"] = _suggest_unlinked(d)
            out.append(res)
            continue
        if not evaluate or fn is None:
            res["verdict"] = NOT_EVALUATED if not evaluate else NOT_CHECKABLE
            res["verdict_label"] = "Linked (not evaluated)" if not evaluate else "Not checkable here"
            res["explanation"] = (f"Linked to {link.get('link') or row['recompute']}"
                                  + (f" ({link['link_basis']})" if link.get("link_basis") else "")
                                  + ("" if not evaluate else f"; {problem}") + ".")
            res["sources"] = list(res["source_ids"])
            out.append(res)
            continue
        key = tuple((k, str(row[k])) for k in ("claim_type", "claimed_value", "claimed_low", "claimed_high",
                                                 "claimed_unit", "qualifier", "claimed_text", "source_ids",
                                                 "recompute", "evidence_status")) + tuple(sorted(printed.items()))
        ev = cache.get(key)
        if ev is None:
            try:
                ev = fn(row, db, params, raw=printed) if accepts_raw else fn(row, db, params)
            except Exception as exc:  # noqa: BLE001 - one bad link must not sink the report
                ev = {"verdict": NOT_CHECKABLE, "verdict_label": "Not checkable here", "holds": None,
                      "explanation": f"The evidence named by the link could not be recomputed ({exc}).",
                      "correction": "", "sources": list(res["source_ids"])}
            cache[key] = ev
        res["verdict"] = ev.get("verdict", NOT_CHECKABLE)
        res["verdict_label"] = ev.get("verdict_label") or str(res["verdict"]).replace("_", " ").capitalize()
        res["holds"] = ev.get("holds")
        res["rating"] = ev.get("rating")
        res["evidence"] = _evidence_text(ev)
        res["certainty"] = ev.get("certainty") or ""
        res["explanation"] = ev.get("explanation") or ""
        res["sources"] = list(ev.get("sources") or res["source_ids"])
        for k in ("recomputed", "recomputed_low", "recomputed_high", "recomputed_text"):
            if k in ev:
                res[k] = ev[k]
        res["suggestion"] = ev.get("correction") or ""
        out.append(res)
    return out, warnings
