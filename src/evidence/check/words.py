"""What a claim was compared with, in words: no source ids, row ids or codes reach an editor.

:func:`describe` turns a linking candidate (a row of ``data/``) into a phrase such as
"Oliver et al. 2022 (Journal of Clinical Psychiatry): share who responded 72%"; :func:`in_words` rewrites
prose from the verdict engine (which names sources by id) with the sources' names and the codes' words,
all from :mod:`evidence.vocab` and :mod:`evidence.fmt`.
"""
from __future__ import annotations

import re

from evidence import fmt, vocab
from evidence.claims_words import FIELD_WORDS, field_value, isnum

_FIELD_WORDS = FIELD_WORDS   # the verdict engine's words for a source's fields
_CODE_KINDS = ("diagnosis", "design", "route", "blinding", "measure", "period", "sex", "claim_type", "verdict")


def code_words(code: str) -> str:
    """A code in words, from whichever vocabulary knows it ("" when none does)."""
    for kind in _CODE_KINDS:
        if code in vocab.KINDS[kind]:
            return vocab.word(kind, code)
    return ""


_field_value = field_value
_isnum = isnum


def _pct(v) -> str:
    return fmt.pct(float(v)) if _isnum(v) else ""


def describe(c, label_of) -> str:
    """The candidate ``c`` (see :class:`evidence.check.link.Candidate`) in words."""
    r = c.row or {}
    who = label_of(c.source_ids[0]) if c.source_ids else ""
    if c.origin == "source":
        if c.recompute.startswith("count:"):
            n = c.numbers[0] if c.numbers else None
            return f"{who}: sample size {fmt.n(n)}" if n is not None else f"{who}: sample size"
        field = c.field
        return f"{who}: {_FIELD_WORDS.get(field, field)} {_field_value(field, str(r.get(field) or ''))}".rstrip()
    if c.origin == "prevalence":
        parts = [vocab.word("diagnosis", r.get("condition")) or str(r.get("condition") or ""),
                 vocab.word("period", r.get("period")), str(r.get("population") or "")]
        sex = str(r.get("sex") or "")
        if sex and sex != "all":
            parts.append(vocab.word("sex", sex))
        value = (fmt.count(float(r["count"]), "people") if "field=count" in c.recompute and _isnum(r.get("count"))
                 else _pct(r.get("value_pct")))
        return f"{who}: {', '.join(p for p in parts if p)}: {value}".rstrip(": ")
    if c.origin == "estimate":
        m = str(r.get("measure") or "")
        est = r.get("estimate")
        value = _pct(est) if m.startswith("pct") else (fmt.num(float(est)) if _isnum(est) else "")
        ci = ""
        if _isnum(r.get("ci_low")) and _isnum(r.get("ci_high")):
            ci = f" (95% CI {fmt.num(float(r['ci_low']))} to {fmt.num(float(r['ci_high']))})"
        return f"{who}: {vocab.word('measure', m)} {value}{ci} for {r.get('outcome') or 'the outcome'}"
    if c.origin == "outcome":
        return (f"{who}: {r.get('outcome')} in the {r.get('arm_treat') or 'treatment'} arm "
                f"({fmt.ratio_of(r.get('events_treat'), r.get('n_treat'))}), {r.get('timepoint') or ''}").rstrip(", ")
    if c.origin == "fact":
        attr = str(r.get("attribute") or "").replace("_", " ")
        return f"{who}: {r.get('subject') or ''}, {attr}: {r.get('value_text') or ''}".strip()
    return who or "the evidence base"


_TOKEN = re.compile(r"\b[A-Za-z][\w]*(?:;[A-Za-z][\w]*)+\b|\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b|\b[a-z]+\d{4}[a-z]?\b")


def in_words(text: str, labels: dict[str, str]) -> str:
    """Engine prose with source ids replaced by the sources' names and codes by their words."""
    if not text:
        return text

    def sub(m: re.Match) -> str:
        tok = m.group(0)
        if tok in labels:
            return labels[tok]
        if ";" in tok:
            words = [code_words(x) or x for x in tok.split(";")]
            return vocab.join_words(words)
        return code_words(tok) or tok.replace("_", " ")

    return _TOKEN.sub(sub, text)
