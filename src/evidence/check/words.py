"""What a claim was compared with, in words: no source ids, row ids or codes reach an editor.

:func:`describe` turns a linking candidate (a row of ``data/``) into a phrase such as
"Oliver et al. 2022 (Journal of Clinical Psychiatry): share who responded 72%"; :func:`in_words` rewrites
prose from the verdict engine (which names sources by id) with the sources' names and the codes' words,
all from :mod:`evidence.vocab` and :mod:`evidence.fmt`.
"""
from __future__ import annotations

import re
from functools import lru_cache

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
    return plain(_describe(c, label_of))


def _describe(c, label_of) -> str:
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
        measure = vocab.word('measure', m)
        if m == "pct_responders" and re.search(r"\bremission|\bremitt", str(r.get("outcome") or ""), re.I):
            measure = "share in remission"   # "share who responded 38% for … remission rate" (editor s4 #13)
        return f"{who}: {measure} {value}{ci} for {r.get('outcome') or 'the outcome'}"
    if c.origin == "outcome":
        return (f"{who}: {r.get('outcome')} in the {r.get('arm_treat') or 'treatment'} arm "
                f"({fmt.ratio_of(r.get('events_treat'), r.get('n_treat'))}), {r.get('timepoint') or ''}").rstrip(", ")
    if c.origin == "fact":
        attr = attribute_words(str(r.get("attribute") or ""))
        return f"{who}: {r.get('subject') or ''}, {attr}: {shortened(r.get('value_text') or '')}".strip()
    return who or "the evidence base"


#: how a link's reasons read to an editor: only the cues that identify the source ("matched on the author, the
#: journal and the year"); the matching details (condition, drug, the number itself …) stay in ``link_basis``
_CUE_WORDS = (("author ", "the author"), ("journal ", "the journal"), ("n = ", "the sample size"),
              ("year ", "the year"), ("the title of the study", "the page's title"),
              ("the page is headed by its title", "the page's title"),
              ("the study this passage is about", "the study the passage is about"),
              ("the study the next sentence names", "the study the next sentence names"),
              ("the citation heading the section", "the citation heading the section"),
              ("organisation ", "the organisation"), ("described as ", "the study's description"),
              ("the same wording as a claim curated", "the wording of a curated claim"),
              ("the passage's figures ", "the passage's other figures, which are this source's"),
              ("the figure of this survey: ", "the figure, which is this survey's"),
              # a label or FDA fact is chosen by the drug the sentence names (review12: those verdicts said no why)
              ("drug ", "the drug the sentence names"), ("the drug's label", "the drug's label"),
              ("the drug's restricted programme", "the drug's restricted programme"),
              ("the FDA's words for ", "the FDA's own words for the acronym"))


@lru_cache(maxsize=4096)
def matched_on(basis: str) -> str:
    """A link's reasons ("author Glue; journal …; n = 12; year 2017; condition …") as "matched on the author, the
    journal, the sample size and the year" ("" when none identifies the source)."""
    found = []
    for part in (basis or "").split("; "):
        for head, words in _CUE_WORDS:
            if part.startswith(head) and words not in found:
                if head == "the figure of this survey: ":   # which other survey gives what: the editor's choice
                    words += " — " + part[len(head):]
                found.append(words)
    return f"matched on {vocab.join_words(found)}" if found else ""


_ACRONYMS = {"fda": "FDA", "us": "U.S.", "n": "number of", "k": "number of", "pct": "share", "cadss": "CADSS",
             "si": "suicidal ideation", "gps": "GPs", "dsm5": "DSM-5", "rcts": "RCTs", "ocd": "OCD", "ptsd": "PTSD",
             "sad": "SAD", "gad": "GAD", "nnt": "NNT", "nnh": "NNH"}


def attribute_words(attr: str) -> str:
    """A fact's attribute ("fda_approved_indication", "n_patients") in words ("FDA approved indication")."""
    return " ".join(_ACRONYMS.get(w.lower(), w) for w in str(attr or "").split("_") if w)


def shortened(text: str, limit: int = 200) -> str:
    """``text`` cut at a word boundary before ``limit`` characters, with an ellipsis when cut."""
    text = " ".join(str(text or "").split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:-–")
    return cut + " …"


def _route_words(m: re.Match) -> str:
    return vocab.word("route", m.group(m.lastindex)).lower() or m.group(0)


def _bound_words(m: re.Match) -> str:
    bound = {"≤": "at most ", "<": "fewer than ", "≥": "at least ", ">": "more than "}[m.group(1)]
    return f"{bound}{m.group(2)} participants"


def _dx_words(m: re.Match) -> str:
    a, b = (vocab.word("diagnosis", x) for x in m.groups())
    return f"{a} or {b}" if a and b and a != m.group(1) and b != m.group(2) else m.group(0)


#: (what, how it reads) for :func:`plain`, applied in order
_PLAIN_RULES: tuple[tuple[re.Pattern, object], ...] = tuple((re.compile(rx), repl) for rx, repl in (
    # a full author list in brackets ("[Glue P, Medlicott NJ, … (2017)]", "[U (2023)]"): the short name is shown
    (r"\s*\[[^\[\]]{0,400}\((?:19|20)\d\d[a-z]?\)\]", ""),
    (r"(?<![\d.])(\d+\.\d{2,})\s?%", lambda m: fmt.pct(float(m.group(1)))),          # "~33.33%" -> "~33.3%"
    (r"\b(SC|IM)\b(?=\s+\d|\s+(?:ketamine|injection|dose|in\b))|(?<=ketamine )\b(SC|IM)\b", _route_words),
    (r"\bn\s*([≤<≥>])\s*(\d[\d,]*)", _bound_words),                                   # "n≤12"
    (r"\b([A-Z]{2,5})(?:/|\s+and/or\s+)([A-Z]{2,5})\b", _dx_words),                     # "GAD/SAD"
))


def plain(text: str) -> str:
    """Engine and data prose made plain for an editor: no bracketed author lists, route and diagnosis codes in
    words, "n≤12" as "at most 12 participants", long percentages through :func:`evidence.fmt.pct`."""
    for rx, repl in _PLAIN_RULES if text else ():
        text = rx.sub(repl, text)
    return text


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

    return plain(_TOKEN.sub(sub, text))
