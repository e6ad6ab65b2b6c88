"""Find checkable claims in sentences.

Detection is pattern-based and works sentence by sentence. Two kinds of
detectors run on each sentence:

* **figure detectors** find a number with its unit and wording (percentages and
  percentage ranges, "1 in 8", counts of people/trials/sessions, odds ratios,
  NNT/NNH phrasings, mg/kg doses, infusion times, "half", "the majority",
  "millions of"). They run in priority order and a later one never reuses
  characters an earlier one claimed, so "1 in 5 adults (19%)" is one claim,
  not two.
* **word detectors** find claims without a figure: routes (IV, intranasal…),
  onset and durability phrasings ("within hours", "for several months"),
  named journals, organisations and study years, regulatory status, design
  words, comparisons, safety, mechanism and generic efficacy/attribution
  statements.

Each detector decides the claim type from the words *around* the figure, e.g.
a percentage followed by "reduction" is a ``symptom_change``, one next to
"success rates" a ``response_rate``, one next to "of adults … each year" a
``prevalence``. Every claim records the span it came from (``start``/``end``
in the normalized text), so its quote is always a substring of that text.
"""
from __future__ import annotations

import re
from copy import copy
from functools import lru_cache

from evidence.check.acronyms import ACRONYM_DETECTORS
from evidence.check.claimclf import classify
from evidence.check.patterns import negated
from evidence.check.rxfilter import folded, may_match
from evidence.check.textprep import Sentence
from evidence.check.extras import EXTRA_FIGURES, EXTRA_LAST
from evidence.check.figures import (_d_counts, _d_dose, _d_effect, _d_nnt, _d_percent, _d_ratio, _d_shares)
from evidence.check.lexicon import (_rx, triggered)
from evidence.check.lexicon import _JOURNAL_CORE, _ORGS, classify_share, parse_number, qualifier_of, raw_digits  # noqa: F401 (API)
from evidence.check.spans import (Detected, _Ctx)
from evidence.check.statements import STATEMENT_FIGURES, STATEMENT_FIRST, STATEMENT_LAST
from evidence.check.wordlists import WORD_LISTS
from evidence.check.wordtopics import WORD_TOPICS
from evidence.check.wordstatements import WORD_STATEMENTS, list_claims
from evidence.check.wordclaims import (_d_attribution, _d_compare, _d_design, _d_efficacy, _d_mechanism, _d_most_common, _d_population, _d_regulatory, _d_route, _d_safety, _d_safety_cause, _d_setting_more, _d_timing)


_NUMBERISH = r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|" \
             r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|dozen|hundred|" \
             r"couple)\b"
#: (detector, cheap pre-check): a detector runs only on sentences its pre-check matches
_DETECTORS = (
    *STATEMENT_FIGURES,
    (_d_nnt, _rx(r"need|\bNN[TH]\b|\bevery\b|\bin\s+(?:every\s+)?\S+\s+(?:patients|people)|treated\s")),
    (_d_effect, _rx(r"ratio|\b(?:OR|RR|HR|SMD|aOR|IRR|d|g)\b|effect\s+size|cohen|hedges|mean\s+diff|times|fold")),
    (_d_dose, _rx(r"\bmg\b|mg/|milligram|mcg|µg|\bminutes?\b|\bmins?\b|\bhours?\b|\bhrs?\b")),
    (_d_ratio, _rx(rf"(?:{_NUMBERISH}).{{0,30}}\b(?:in|of|out)\b")),
    (_d_percent, _rx(r"%|percent|per\s?cent|\bpct\b")),
    (_d_shares, _rx(r"half|majority|\bmost\b|third|quarter|fifth|tenth|[⅓⅔¼¾⅕⅒]")),   # (words12: vulgar fractions)
    (_d_counts, _rx(_NUMBERISH + r"|millions|thousands|hundreds|dozens|billions")),
    *EXTRA_FIGURES,
    *STATEMENT_FIRST,
    (_d_route, None), (_d_timing, None), (_d_regulatory, None), (_d_design, None), (_d_attribution, None),
    (_d_population, None), (_d_compare, None), (_d_most_common, _rx(r"\bmost\b")), (_d_efficacy, None),
    (_d_safety, None), (_d_mechanism, None), *EXTRA_LAST,
    *STATEMENT_LAST,
    (_d_safety_cause, None),     # after the statements: it lists the stated effects they leave as words
    (_d_setting_more, None),     # and the settings of use they do not read
    *WORD_STATEMENTS,            # statements in words none of the above reads (wordstatements.py)
    *WORD_LISTS,                 # lists of effects and interactions inside a sentence (wordlists.py)
    *WORD_TOPICS,                # care, the state of research, evaluations, conditions (wordtopics.py)
    *ACRONYM_DETECTORS,          # an acronym's expansion beside it, a claim of its own (acronyms.py)
)


_HEADING_KINDS = frozenset({"within", "approval", "cite-source", "cite-year", "journal", "org", "study-year", "nnt-term",
                            "nnt-phrase", "nnh-phrase", "nnt-every", "effect", "times", "dose", "duration", "n-in-m",
                            "x-of-y", "pct", "pct-range", "half", "majority", "fraction", "count", "count-range",
                            "duration-num",
                            # statements assert by construction (statements.py): a heading can carry one
                            "safety-statement", "mechanism-statement", "design-statement", "author-role", "history",
                            "chemistry", "controlled", "setting", "adjunct"})
_TITLE_WORD = re.compile(r"[A-Za-z][\w'’-]*")
#: a finite verb: a line with one asserts something (a statement), a line without one names a topic (a title)
_FINITE_VERB = re.compile(r"\b(?:is|are|was|were|has|have|had|can|may|might|could|will|would|should|must|does|do|did|"
                          r"shows?|showed|found|finds|helps?|works?|reduces?|reduced|improves?|improved|causes?|caused|"
                          r"affects?|affected|lasts?|lasted|takes?|took|offers?|offered|provides?|provided|makes?|made|"
                          r"becomes?|became|remains?|leads?|led|gives?|gave|needs?|means?|says?|said|[a-z]+ed\s+(?:by|to|"
                          r"in|for|with|as))\b", re.I)
#: a line cut off mid-sentence ("While ketamine is not physically addictive and") is not a title
_UNFINISHED = re.compile(r"\b(?:and|or|but|the|a|an|of|to|with|that|which)$|^(?:While|Although|Because|If|When)\b")


def is_heading(text: str, whole_line: bool = False) -> bool:
    """A title-like line: short, no digits, no closing period, mostly Capitalized Words
    (or, for a line of its own, at most eight words with no closing punctuation). Memoized: detection, the
    classifier's back-up, study resolution and sifting each ask for every sentence."""
    return _is_heading(text, bool(whole_line))


@lru_cache(maxsize=1 << 14)
def _is_heading(text: str, whole_line: bool) -> bool:
    # a line of its own may be a paper's full title ("Clinical Effectiveness of … : A Retrospective Chart Review")
    max_len, max_words = (300, 40) if whole_line else (120, 14)
    if len(text) > max_len or re.search(r"[\d;]|[.!]$", text):
        return False
    words = _TITLE_WORD.findall(text)
    if not words or len(words) > max_words:
        return False
    if whole_line and len(words) <= 8 and not re.search(r"[.!?:,]$", text) and not _UNFINISHED.search(text):
        return True
    # a title in sentence case ("A transdiagnostic systematic review and meta-analysis of ketamine's anxiolytic
    # effects"): a line of its own, no closing punctuation, no finite verb
    if whole_line and len(words) <= 16 and not re.search(r"[.!?:,;]$", text) and not _UNFINISHED.search(text) \
            and not _FINITE_VERB.search(text):
        return True
    long_words = [w for w in words if len(w) >= 4]
    if not long_words:
        return False
    caps = sum(1 for w in long_words if w[0].isupper())
    return caps / len(long_words) >= 0.6


def sections(sentences) -> list[str | None]:
    """For each sentence, the heading of the section it stands in: the last line before it that is a heading
    (:func:`is_heading`) or a question on a line of its own; None before the first."""
    out, current = [], None
    for s in sentences:
        out.append(current)
        if s.whole_line and not s.list_item and (is_heading(s.text, True) or s.text.rstrip().endswith("?")):
            current = s.text
    return out


def detect_sentence(sent: Sentence) -> list[Detected]:
    """All claims in one sentence, in text order."""
    if not triggered(sent.text):
        return []
    c = _Ctx(sent)
    low = folded(c.t)
    for det, pre in _DETECTORS:
        if pre is None or may_match(pre, c.t, low) and pre.search(c.t):   # (literal prefilter: check/rxfilter.py)
            det(c)
    for d in c.claims:
        if d.claim_type in ("design", "population") or d.kind in ("route", "approval"):
            d.negated = d.kind != "approval" and negated(c.t, d.start - sent.start)
    out = sorted(_around_expansions(c.claims), key=lambda d: (d.start, d.end))
    if out and not sent.list_item and is_heading(sent.text, sent.whole_line):
        # a section title ("Rapid Relief and Neuroplasticity") names a topic; keep only what asserts something
        out = [d for d in out if d.kind in _HEADING_KINDS]
    # drop exact duplicates (same type, same span, same text)
    seen = set()
    uniq = []
    for d in out:
        key = (d.claim_type, d.start, d.end, d.text, d.value, d.low, d.high)
        if key in seen:
            continue
        seen.add(key)
        uniq.append(d)
    return uniq


def _around_expansions(found: list[Detected]) -> list[Detected]:
    """Each item cut so that it does not cover an acronym's expansion (acronyms.py), which has its own verdict: "must
    be given at a REMS (risk evaluation and mitigation system) certified center" is the setting ("must be given at a
    REMS") and the expansion, each checked on its own (greenbrookproviders_spravato_faq: the wrong expansion was
    called accurate inside the setting's quote). An item inside the expansion is dropped."""
    exps = [d for d in found if d.kind == "expansion"]
    if not exps:
        return found
    out = []
    for d in found:
        for e in exps:
            if d is e or not d.overlaps(e):
                continue
            t = d.sentence.text
            if d.start < e.start:
                d = copy(d)
                d.end = e.start
                while d.end > d.start and t[d.end - 1 - d.sentence.start] in " ,;:(":
                    d.end -= 1
            elif d.end > e.end:
                d = copy(d)
                d.start = e.end
                while d.start < d.end and t[d.start - d.sentence.start] in " ,;:)":
                    d.start += 1
            else:
                d = None
                break
        if d is not None and d.end > d.start:
            out.append(d)
    return out


def with_backup(detected: list[Detected], sentences: list[Sentence]) -> list[Detected]:
    """The detectors' claims plus, for each sentence the claim-sentence classifier calls a claim, a whole-sentence
    claim (:mod:`evidence.check.claimclf`), in text order. :mod:`evidence.check.sift` lists the whole-sentence claim
    only when no detector's claim of the sentence is listed, so it backs the detectors up on phrasings they miss."""
    extra = []
    for s, section in zip(sentences, sections(sentences)):
        d = classify(s, is_heading(s.text, s.whole_line), section)
        if d is not None:
            extra.append(d)
    return sorted(detected + extra, key=lambda d: (d.start, d.end)) if extra else detected


def detect(sentences: list[Sentence]) -> list[Detected]:
    """Claims of every sentence, in text order. A sentence text seen before (boilerplate, a repeated line) is
    detected once: its claims are re-placed at the new sentence's offsets."""
    out: list[Detected] = []
    seen: dict[tuple[str, bool], tuple[Sentence, list[Detected]]] = {}
    for s in sentences:
        key = (s.text, s.whole_line)
        hit = seen.get(key)
        if hit is None:
            found = detect_sentence(s)
            if len(seen) < 50000:
                seen[key] = (s, found)
            out.extend(found)
            continue
        first, found = hit
        shift = s.start - first.start
        out.extend(_moved(d, shift, s) for d in found)
    # entries of a list whose lead-in makes them claims ("side effects include:", "if you have any of the following
    # conditions:"), read with that lead-in (wordstatements.list_claims)
    extra = list_claims(sentences, out)
    return sorted(out + extra, key=lambda d: (d.start, d.end)) if extra else out


def _moved(d: Detected, shift: int, s: Sentence) -> Detected:
    """``dataclasses.replace(d, start=…, end=…, sentence=s, raw=dict(d.raw))``, without its keyword round trip
    through ``__init__`` (a corpus re-places thousands of repeated claims)."""
    x = copy(d)
    x.start, x.end, x.sentence, x.raw = d.start + shift, d.end + shift, s, dict(d.raw)
    return x

