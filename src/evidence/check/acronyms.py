"""An acronym's expansion, written beside it, checked against the words of the record that defines it.

* :data:`ACRONYM_DETECTORS` — "a REMS (risk evaluation and mitigation system) certified center", "a Risk Evaluation
  and Mitigation Strategy (REMS)": the words in brackets, or before the bracketed acronym, are a claim of their own
  (what the acronym stands for), listed as an item of its own so that the sentence's other claim keeps its own
  verdict (:func:`evidence.check.detect.detect_sentence` cuts an item that would cover it);
* :func:`expansion_claim` — the rule: accurate when the words are the record's (a misspelt word, "Mitgation", is
  still the record's word), contradicted when a word differs, with the record's words as the justification.

The expansions are read from the FDA's own text in facts.csv (:data:`_EXPANSIONS`), never typed here.
"""
from __future__ import annotations

import re
from difflib import SequenceMatcher

from evidence.check.spans import _Ctx

#: acronym → (the fact whose text spells it out, the pattern that finds the expansion in that text)
_EXPANSIONS = {
    # FDA 2019 (facts.csv fda_esketamine_rems): "… a restricted distribution system, under a Risk Evaluation and
    # Mitigation Strategy (REMS)"
    "REMS": ("fda_esketamine_rems", re.compile(r"\bRisk\s+Evaluation\s+and\s+Mitigation\s+\w+", re.I)),
}
_ACRONYMS = "|".join(_EXPANSIONS)
_WORDS = r"[A-Za-z][\w-]*(?:\s+[A-Za-z][\w-]*){2,7}"
#: "REMS (risk evaluation and mitigation system)": the acronym, then its words in brackets
RX_AFTER = re.compile(rf"\b(?P<acr>{_ACRONYMS})\s*\((?P<words>{_WORDS})\)")
#: "Risk Evaluation and Mitigation Strategy (REMS)": its words, then the acronym in brackets; the words are the run
#: right before the bracket whose initials spell the acronym (the item is the words: "(REMS)" stays the setting's)
RX_BEFORE = re.compile(rf"(?P<words>{_WORDS})\s*\((?P<acr>{_ACRONYMS})\)")


def _initials_span(text: str, acr: str) -> str:
    """The last words of ``text`` whose initials (skipping "and", "of", "for") spell ``acr`` ('' when none do)."""
    words = text.split()
    for n in range(len(acr), len(acr) + 4):
        tail = words[-n:]
        if len(tail) == n and "".join(w[0].upper() for w in tail if w.lower() not in ("and", "of", "for", "the")) == acr:
            return " ".join(tail)
    return ""


def _d_expansion(c: _Ctx) -> None:
    """List an acronym's expansion written beside it, as a regulatory claim of its own (kind "expansion"); the other
    detectors' items are cut around it afterwards (:func:`evidence.check.detect._around_expansions`)."""
    t = c.t
    for m in RX_AFTER.finditer(t):
        a, b = m.start("words") - 1, m.end()
        c.add("regulatory_status", a, b, kind="expansion", text=" ".join(m.group("words").split()),
              raw={"acronym": m.group("acr")})
    for m in RX_BEFORE.finditer(t):
        words = _initials_span(m.group("words"), m.group("acr"))
        if not words:
            continue
        a = m.end("words") - len(words)
        if t[a:m.end("words")] != words:
            continue
        c.add("regulatory_status", a, m.end("words"), kind="expansion", text=" ".join(words.split()),
              raw={"acronym": m.group("acr")})


ACRONYM_DETECTORS = ((_d_expansion, re.compile(rf"\b(?:{_ACRONYMS})\b")),)


def _singular(w: str) -> str:
    """"strategies" → "strategy", "systems" → "system": a plural is the same word."""
    return w[:-3] + "y" if w.endswith("ies") else w[:-1] if w.endswith("s") and not w.endswith("ss") else w


def _same_word(a: str, b: str) -> bool:
    """One word of an expansion against the record's: equal, a plural of it ("Strategies"), or a misspelling of it
    ("Mitgation")."""
    a, b = _singular(a.lower()), _singular(b.lower())
    return a == b or (len(a) > 4 and SequenceMatcher(None, a, b).ratio() >= 0.85)


def expansion_claim(index, d):
    """An acronym's expansion against the words of the record that spells it out (hand-set verdict, from the FDA's
    text): accurate when every word is the record's, contradicted when one differs ("system" for "Strategy")."""
    if d.claim_type != "regulatory_status" or d.kind != "expansion":
        return None
    from evidence.check.gate import WEIGHTS, Link, abstain

    acr = str((d.raw or {}).get("acronym") or "")
    fid, rx = _EXPANSIONS.get(acr, ("", None))
    fact = next((c for c in index.candidates if c.origin == "fact" and str((c.row or {}).get("fact_id") or "") == fid),
                None)
    m = rx.search(fact.text or "") if fact is not None and rx is not None else None
    if m is None:
        return abstain(f"the evidence base holds no record that spells out {acr}")
    said, recorded = (d.text or "").split(), m.group(0).split()
    if len(said) == len(recorded) and all(_same_word(x, y) for x, y in zip(said, recorded)):
        return Link(fact.recompute, fact.source_ids, "found", "", index.describe(fact), f"the FDA's words for {acr}",
                    score=WEIGHTS["min_score"], origin=fact.origin, fact_text=fact.text, rule_verdict="accurate",
                    contradiction=f"the claim spells {acr} out as “{' '.join(said)}”, the FDA's own words: "
                                  f"“{' '.join(recorded)}”")
    return Link(fact.recompute, fact.source_ids, "found", "", index.describe(fact), f"the FDA's words for {acr}",
                score=WEIGHTS["min_score"], origin=fact.origin, fact_text=fact.text,
                contradiction=f"the claim spells {acr} out as “{' '.join(said)}”, but the FDA's words are "
                              f"“{' '.join(recorded)}”")
