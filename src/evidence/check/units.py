"""The parts of a claim sentence that no listed item covers (issue 15, detection: sentences that state several claims).

When a detector lists one part of a sentence the classifier calls a claim ("In 1962, ketamine was first synthesized
… at Parke-Davis Co (now Pfizer)" lists the year), the sentence's other claims were lost unless they stood in a clause
of their own (:func:`evidence.check.claimclf.own_clauses`). Many do not: an apposition ("Spravato, a ketamine-derived
nasal spray developed by Johnson & Johnson"), a parenthesis ("(now Pfizer)"), an attribute in a list ("46% female,
average age 36"), a second predicate ("runs just three pages long and involved only eight patients"). This module
cuts a clause into **phrases** at its commas, parentheses, coordinators and relative pronouns, and joins the phrases
next to each other that no listed item touches into the **uncovered remainder** of the clause; a remainder that can
carry a claim (a figure, a predicate, a clause opener, or enough words about the drug or a study) is listed by
:func:`evidence.check.sift` as a claim of its own, not checkable here.
"""
from __future__ import annotations

import re

from evidence.check.clauses import ATTRIBUTION_ONLY, has_predicate, opens_clause
from evidence.check.memo import IdentityMemo

_I = re.I

#: where a phrase ends inside a clause: a comma, before and after a parenthesis, before a coordinator or a relative
#: pronoun ("antagonist that has been used for decades")
_CUT = re.compile(r",\s+|\s*(?=\([^()]{1,120}\))|(?<=\))\s*|"
                  r"\s+(?=(?:as\s+well\s+as|that|which|who|whose)\s)|"
                  # a coordinator before a verb ("… three pages long and involved only eight patients"), not inside a
                  # list or a name ("rapid and robust", "Food and Drug Administration")
                  r"\s+(?=(?:and|or|but)\s+(?:(?:later|then|also|even|not|now)\b|(?:is|are|was|were|has|have|had|can|"
                  r"may|will|would|could|should|must|does|did)\b|[a-z]+ed\b))", _I)
_PAREN = re.compile(r"\([^()]{1,120}\)")
#: a phrase that begins a statement of its own after the one before: a coordinator or a relative pronoun
_NEW_PHRASE = re.compile(r"(?:and|or|but|as\s+well\s+as|that|which|who|whose)\s", _I)
#: the words a remainder may not begin or end with (they join it to the phrase beside it)
_EDGE_LEAD = re.compile(r"^(?:(?:and|or|but|as\s+well\s+as|then|also)\s+)+", _I)
_EDGE_TAIL = re.compile(r"(?:\s+(?:and|or|but|the|a|an|of|to|in|for|with|by|at|on|from|as|its|their|that|which|who|"
                        r"whose))+$", _I)


def phrases(sentence: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """The phrases of ``sentence[lo:hi]`` (one clause), as spans of ``sentence``, in order; a parenthesis is a phrase
    of its own."""
    out, last = [], lo
    inside = [(m.start() + 1, m.end() - 1) for m in _PAREN.finditer(sentence, lo, hi)]
    for m in _CUT.finditer(sentence, lo, hi):
        if any(a <= m.start() < b for a, b in inside):
            continue      # a comma inside a parenthesis ("(e.g., Prozac)") does not end a phrase
        if m.start() > last:
            out.append((last, m.start()))
        last = max(last, m.end())
    if hi > last:
        out.append((last, hi))
    return [(a, b) for a, b in out if sentence[a:b].strip()]


def uncovered(sentence: str, lo: int, hi: int, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The runs of neighbouring phrases of the clause ``sentence[lo:hi]`` that no span of ``taken`` (offsets in
    ``sentence``) overlaps, trimmed of the conjunctions and punctuation at their edges; none when nothing is taken
    (the clause is then listed whole, or not at all). A phrase an item lists part of leaves free the words beside the
    item that begin a statement of their own (:func:`_cut_at_items`)."""
    parts = phrases(sentence, lo, hi)
    free = [not any(x < b and a < y for x, y in taken) for a, b in parts]
    if all(free):
        return []
    _carry_through_parentheses(sentence, parts, free)
    parts, free = _cut_at_items(sentence, parts, free, taken)
    runs, cur = [], None
    for (a, b), ok in zip(parts, free):
        if ok:
            cur = (cur[0], b) if cur else (a, b)
        elif cur:
            runs.append(cur)
            cur = None
    if cur:
        runs.append(cur)
    return [t for t in (_trim(sentence, a, b) for a, b in runs) if t]


#: session 12 (words13): where the words of a phrase beside a listed item begin a statement of their own. Before the
#: item, a coordinator or subordinator and at most two words ("… as other medications and [operates differently]"):
#: the words before it are a predicate of their own; after the item, a coordinator or relative pronoun ("[fewer side
#: effects] and …") or a finite verb whose subject the item is ("[Esketamine nasal spray] is administered through the
#: nose and only under supervision"). Elsewhere the item is the phrase's argument ("lasts between [40 and 60
#: minutes]") and the words beside it state nothing alone: cutting there (measured on dev … holdout14) listed 242
#: fragments ("Sessions are 2x a week for the first", "By 1970, the FDA had") for 9 labels.
_JOIN_BEFORE = re.compile(r"\s+(?:and|but|or|while|whereas|because)(?:\s+[\w'’-]+){0,2}\s*$", _I)
_JOIN_AFTER = re.compile(r"\s*,?\s*(?:and|but|or|while|whereas|because|which|who)\s", _I)
_VERB_AFTER = re.compile(r"\s*(?:is|are|was|were|has|have|had|can|may|will|would|could|should|must|does|did|"
                         r"remains?)\s", _I)


def _cut_at_items(sentence: str, parts: list[tuple[int, int]], free: list[bool],
                  taken: list[tuple[int, int]]) -> tuple[list[tuple[int, int]], list[bool]]:
    """The phrases with each one an item lists part of cut at the item's edges, where the words beside the item begin
    a statement of their own (:data:`_JOIN_BEFORE`, :data:`_JOIN_AFTER`, :data:`_VERB_AFTER`): those words are free,
    the item and any other words of the phrase are not. A free phrase is kept as it is."""
    out_p, out_f = [], []
    for (a, b), ok in zip(parts, free):
        if ok:
            out_p.append((a, b))
            out_f.append(True)
            continue
        pieces, last = [], a
        for x, y in sorted((max(a, x), min(b, y)) for x, y in taken if x < b and a < y):
            if x > last:
                pieces.append(((last, x), True))
            pieces.append(((max(last, x), max(last, y)), False))
            last = max(last, y)
        if b > last:
            pieces.append(((last, b), True))
        for i, ((pa, pb), pok) in enumerate(pieces):
            seg = sentence[pa:pb]
            if pok and i + 1 < len(pieces):              # words before an item
                m = _JOIN_BEFORE.search(seg)
                if m is not None:
                    out_p += [(pa, pa + m.start()), (pa + m.start(), pb)]
                    out_f += [True, False]
                    continue
                pok = False
            elif pok:                                    # words after the last item
                pok = bool(_JOIN_AFTER.match(seg) or _VERB_AFTER.match(seg))
            out_p.append((pa, pb))
            out_f.append(pok)
    return out_p, out_f


def _carry_through_parentheses(sentence: str, parts: list[tuple[int, int]], free: list[bool]) -> None:
    """A listed phrase's claim runs on through a parenthesis after it and the words that continue it ("approved
    esketamine (SPRAVATO) CIII nasal spray as the first monotherapy …": what was approved), up to the next comma,
    coordinator or relative pronoun; a parenthesis saying what a body became ("(now Pfizer)") is a claim of its own."""
    host = True       # is the phrase the words continue (before any parenthesis) free?
    for i, (a, b) in enumerate(parts):
        paren = sentence[a] == "(" and not _RENAMED.match(sentence, a)
        joined = i > 0 and "," not in sentence[parts[i - 1][1]:a] and not _NEW_PHRASE.match(sentence, a)
        if i > 0 and joined and (paren or sentence[parts[i - 1][0]] == "("):
            free[i] = free[i] and host
        if not paren:
            host = free[i]


def _trim(sentence: str, a: int, b: int) -> tuple[int, int] | None:
    seg = sentence[a:b]
    core = seg.strip(" ,;:.\"“”'")
    a += seg.find(core)
    lead = _EDGE_LEAD.match(core)
    if lead:
        a, core = a + lead.end(), core[lead.end():]
    tail = _EDGE_TAIL.search(core)
    if tail:
        core = core[:tail.start()]
    core = core.rstrip(" ,;:")
    return (a, a + len(core)) if core else None


#: a remainder with fewer words than this names a thing rather than stating something about it (a figure excepted:
#: "ages 18-55")
MIN_WORDS = 3
#: a remainder without a verb or figure of its own states something only when it is this long ("… runs just three
#: pages long", a verb the predicate rules do not know); a shorter one is a name or an opening phrase ("The U.S. Food
#: and Drug Administration (FDA)", "In a randomized, double-blind study")
LONG_WORDS = 10
#: a figure that is more than a year ("In 2019" opens a sentence; "ages 18-55" is an attribute)
_FIGURE = re.compile(r"\d")
_YEARS_ONLY = re.compile(r"(?:\D*\b(?:19|20)\d\d(?:s|['’]s)?\b)+\D*")


def carries_claim(text: str) -> bool:
    """Can this remainder state a claim of its own: a figure other than a year (two words or more), a predicate or
    an opening participle or subordinator (:data:`MIN_WORDS` or more), or :data:`LONG_WORDS` words or more."""
    n = len(text.split())
    if _FIGURE.search(text) and not _YEARS_ONLY.fullmatch(text) and n >= 2:
        return True
    return n >= LONG_WORDS or (n >= MIN_WORDS and (has_predicate(text) or opens_clause(text)))


#: the score (the claim-sentence model read on the remainder as a clause, :func:`claimclf.clause_features`) a
#: remainder needs to be listed
THRESHOLD = 0.5


#: two kinds of remainder the model scores low because they are short, yet state a fact of their own: an attribute
#: with its figure in a list ("46% female, average age 36, mean duration 13 years"; "N=41 patients with chronic PTSD,
#: ages 18-55"), listed at this lower score, and a parenthesis that says what a company or body became or was
#: ("Parke-Davis (now Pfizer)"), listed whatever its score
SHORT_THRESHOLD = 0.2
_ATTRIBUTE = re.compile(r"(?!(?:in|on|at|by|for|from|to|as|of|with|since|until|after|before|during|between|about|"
                        r"around|over|under|january|february|march|april|may|june|july|august|september|october|"
                        r"november|december)\b)[a-z][\w'’-]*(?:\s+[a-z][\w'’-]*){0,2}\s+[<>≤≥~]?\d[\d.]*"
                        r"(?:\s*[-–]\s*\d[\d.]*)?\s*(?:%|years?|months?|weeks?|days?|hours?|mg|kg)?", _I)
_RENAMED = re.compile(r"\((?:now|formerly|previously|later)\b[^()]*\)", _I)


#: a remainder whose subject is the drug, with a verb of its own ("Ketamine is a noncompetitive NMDA receptor
#: antagonist", "ketamine ultimately replaced phencyclidine as the preferred anesthetic"), says what the drug is or
#: did: a claim by the corpus's rules (what ketamine is, its history, its use), listed at this lower score
DRUG_SUBJECT_THRESHOLD = 0.3
_DRUG_SUBJECT = re.compile(r"(?:the\s+drug\s+)?(?:ketamine|esketamine|spravato)\b(?:\s+\([^()]{1,40}\))?\s+"
                           r"(?:\w+ly\s+)?(?:is|are|was|were|has|had|can|may|will|would|remains?|became|becomes|began|"
                           r"[a-z]+ed)\b", _I)


def _bar(part: str) -> float:
    """The score a remainder needs: lower for an attribute with its figure and for a statement about the drug."""
    if _ATTRIBUTE.fullmatch(part):
        return SHORT_THRESHOLD
    return DRUG_SUBJECT_THRESHOLD if _DRUG_SUBJECT.match(part) else THRESHOLD


def remainders(sentence: str, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The uncovered remainders (spans of ``sentence``) of its clauses that a span of ``taken`` touches, that can
    carry a claim and that the model scores at or above :data:`THRESHOLD`. Memoized on the sentence and the taken
    spans for the claim-sentence model in use (a corpus repeats its sentences and their items); a fresh list."""
    from evidence.check.claimclf import model

    key = (sentence, tuple(taken))
    return list(_REMAINDERS.get(model(), key, lambda: tuple(_remainders(sentence, taken))))


#: :func:`remainders` by sentence and taken spans, for the model in use (a model swapped in starts afresh)
_REMAINDERS = IdentityMemo(limit=1 << 14)


def _remainders(sentence: str, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    from evidence.check.claimclf import clause_score
    from evidence.check.clauses import clauses

    out = []
    for lo, hi in clauses(sentence):
        if not any(x < hi and lo < y for x, y in taken):
            continue
        for a, b in uncovered(sentence, lo, hi, taken):
            part = sentence[a:b]
            if ATTRIBUTION_ONLY.fullmatch(part):
                continue
            if _RENAMED.search(part) or (carries_claim(part) and clause_score(part, sentence) >= _bar(part)):
                out.append((a, b))
    return out
