"""A sentence's clauses, by its structure (issue 15, detection).

The claim-sentence classifier (:mod:`evidence.check.claimclf`) reads whole sentences; when a detector reads one clause
of a sentence that states several, each other clause is read on its own. Cutting at every comma (session 6) broke
lists and appositions into pieces that state nothing ("dizziness", "a nasal spray") and kept a clause introduced
without a comma ("and has an excellent safety record" after "approved in 1970") fused with the one before. This module
cuts where a clause begins instead:

* **always** at a semicolon, a colon before words (not "10:30") and a dash between words;
* **at a subordinator** (while, whereas, although, because, since before a subject, unless …), with or without a
  comma before it, and after a comma at a relative pronoun (", which …", ", who …") or if, when, as …;
* **at a coordinator** (and, but, yet, so) only when a predicate follows it and one precedes it, so "dizziness,
  nausea, and increased blood pressure" stays one list, and "was approved in 1970 and has an excellent safety record"
  is two clauses;
* **after a comma**, before a participle that opens a clause of its own ("…, making it the first", "…, announced by
  Johnson & Johnson", "…, including the need to"), a reporting verb ("…, says Dr. Krystal"), or a new subject and its
  predicate after a complete clause ("…, they also reported …").

Nothing else is cut: a comma inside a list, an apposition ("Spravato, a nasal spray, …") or an opening phrase ("In
January, the FDA …") stays inside its clause. No library for English clause structure is small enough to ship for this
(spaCy and its model would be the lightest that parses; `make` stays a plain pip install), so the rules are regular
expressions over general function words, never over phrasings of the corpus.
"""
from __future__ import annotations

import re
from functools import lru_cache

_I = re.I

#: always a clause break: "; ", ": " before a word (not a time or a ratio), a dash between words
_HARD = re.compile(r"\s*;\s+|(?<!\d):\s+(?=\S)|\s+[—–]\s+|\s+-{1,2}\s+|(?<=[a-z])[—–](?=[a-z])", _I)
#: subordinators: a clause of its own begins at them, with or without a comma before
_SUBORD = (r"while|whereas|although|though|even\s+though|because|unless|whereby|"
           r"since(?=\s+(?:it|they|he|she|we|you|there|the|this|these|its|their|ketamine|esketamine|spravato)\s)")
#: after a comma only: a relative pronoun without one restricts a noun ("patients who did not respond") rather than
#: adding a statement; if, when, where, as before a subject and so that are too common inside a clause
_SUBORD_COMMA = (r"which|who|whom|whose|if|when|whenever|where|once|until|so\s+that|as(?=\s+(?:it|they|he|she|we|you|there|this|these|"
                 r"its|their|ketamine|esketamine|spravato|the\s+\w+\s+(?:is|are|was|were|has|have|can|may))\s)")
_COORD = r"and|but|yet|so"
#: a participle that opens a clause after a comma: "-ing" (not a noun or preposition), or "-ed/-en" before a
#: preposition ("announced by", "published in", "undertaken by")
_ING_NOT = (r"during|according|something|nothing|anything|everything|morning|evening|feeling|feelings|thing|things|"
            r"bring|king|ring|spring|string|sibling|bleeding|vomiting|swelling|sweating|training|meeting|setting|"
            r"dosing|funding|wording|understanding|bring|being|wellbeing")
_PARTICIPLE = (rf"(?!(?:{_ING_NOT})\b)[a-z]{{3,}}ing\b|"
               r"[a-z]{3,}(?:ed|en|wn)\s+(?:by|in|at|on|for|to|with|from|as|under|through)\b")
_REPORTING = (r"says|said|say|notes?|noted|explains?|explained|adds?|added|writes?|wrote|warns?|warned|"
              r"reports?|reported|according\s+to|claims?|claimed")
#: a predicate: a finite verb (auxiliaries, modals, common verbs, a regular past tense with its preposition) or a
#: subject pronoun and the word after it
_PREDICATE = re.compile(
    r"\b(?:is|are|was|were|be|been|being|am|has|have|had|can|cannot|may|might|could|will|would|should|must|does|do|did|"
    r"isn['’]t|aren['’]t|wasn['’]t|weren['’]t|hasn['’]t|haven['’]t|doesn['’]t|don['’]t|didn['’]t|can['’]t|won['’]t|"
    r"approves?|approved|shows?|showed|shown|found|finds|helps?|helped|works?|worked|reduces?|reduced|improves?|"
    r"improved|causes?|caused|affects?|affected|lasts?|lasted|takes?|took|offers?|offered|provides?|provided|makes?|"
    r"made|becomes?|became|remains?|leads?|led|gives?|gave|needs?|means?|says?|said|marks?|marked|treats?|treated|"
    r"eases?|eased|relieves?|relieved|includes?|included|tends?|tended|occurs?|occurred|requires?|required|"
    r"experiences?|experienced|suffers?|suffered|acts?|acted|targets?|targeted|blocks?|blocked|induces?|induced|"
    r"increases|decreases|lowers|raises|appears?|appeared|seems?|seemed|"
    r"suggests?|suggested|indicates?|indicated|reports?|reported|received|receives?|responded|responds?|"
    r"[a-z]+ed\s+(?:by|to|in|for|with|as|on|at|from))\b"
    r"|\b(?:it|they|he|she|we|you|i|there)\s+(?:\w+ly\s+)?[a-z]+\b", _I)
_SOFT = re.compile(
    rf",\s+(?=(?:{_SUBORD}|{_SUBORD_COMMA})\b)|\s+(?=(?:{_SUBORD})\b)"      # subordinators
    rf"|,?\s+(?=(?:{_COORD})\s)"                                              # coordinators (checked below)
    rf"|,\s+(?=(?:{_PARTICIPLE}|(?:{_REPORTING})\b))"                         # participles, reporting verbs
    rf"|,\s+(?=\S)", _I)                                                     # a comma (checked below)
_OPENS_AFTER_COMMA = re.compile(rf"(?:{_SUBORD}|{_SUBORD_COMMA})\b|(?:{_PARTICIPLE})|(?:{_REPORTING})\b", _I)
_OPENS = re.compile(rf"(?:{_SUBORD})\b", _I)
_COORD_RX = re.compile(rf"(?:{_COORD})\s", _I)
_PIECE_END = re.compile(rf",\s|{_HARD.pattern}|\s(?=(?:{_SUBORD})\b)", _I)
#: after a comma, "a"/"an" opens an apposition ("Spravato, a nasal spray developed by …"), never a clause
_APPOSITION = re.compile(r"an?\s", _I)


def has_predicate(text: str) -> bool:
    """Does the text carry a predicate of its own (a finite verb, a subject pronoun and its verb)?"""
    return bool(_PREDICATE.search(text))


def _next_piece(sentence: str, start: int) -> str:
    """The words from ``start`` up to the next comma, hard break or subordinator."""
    m = _PIECE_END.search(sentence, start)
    return sentence[start:m.start() if m else len(sentence)]


def _soft_cut(sentence: str, m: re.Match, last: int) -> bool:
    """Is this soft break (a comma, a coordinator, a subordinator) where a new clause begins?"""
    before, after = sentence[last:m.start()], m.end()
    if not before.strip():
        return False
    if "," not in m.group(0) and not _COORD_RX.match(sentence, after):
        return bool(_OPENS.match(sentence, after))         # a subordinator without a comma
    if "," in m.group(0) and _OPENS_AFTER_COMMA.match(sentence, after):
        return True
    coord = _COORD_RX.match(sentence, after)
    if not coord and _APPOSITION.match(sentence, after):
        return False
    rest = _next_piece(sentence, coord.end() if coord else after)
    # a coordinator, or a bare comma: a new clause only when predicates stand on both sides
    return has_predicate(before) and has_predicate(rest) and len(rest.split()) >= 2


def clauses(sentence: str, offset: int = 0) -> list[tuple[int, int]]:
    """The spans (``offset`` added) of the sentence's clauses, in order, with the white space and closing
    punctuation around each trimmed; the conjunction that joins a clause stays with it ("and has …"). Memoized on
    the sentence (the sifter asks again for every item of a sentence; a corpus repeats its boilerplate); a fresh
    list each call."""
    return [(offset + a, offset + b) for a, b in _clauses(sentence)]


@lru_cache(maxsize=1 << 14)
def _clauses(sentence: str) -> tuple[tuple[int, int], ...]:
    """:func:`clauses` at offset 0 (the rules are regular expressions only: the spans depend on the text alone)."""
    cuts: list[tuple[int, int]] = []           # (end of the clause before, start of the next)
    for h in _HARD.finditer(sentence):
        cuts.append((h.start(), h.end()))
    hard = sorted(cuts)
    bounds = [0] + [x for c in hard for x in c] + [len(sentence)]
    out: list[tuple[int, int]] = []
    for lo, hi in zip(bounds[::2], bounds[1::2]):
        last = lo
        for m in _SOFT.finditer(sentence, lo, hi):
            if m.start() <= last or m.end() >= hi:
                continue
            if _soft_cut(sentence[:hi], m, last):
                out.append((last, m.start()))
                last = m.end()
        out.append((last, hi))
    spans = []
    for a, b in out:
        seg = sentence[a:b]
        lead = len(seg) - len(seg.lstrip(" ,\"“”'"))
        core = seg.strip(" ,.!?\"“”'")
        if core:
            spans.append((a + lead, a + lead + len(core)))
    return tuple(spans)


_OPENER = re.compile(rf"(?:(?:{_COORD})\s+)?(?:{_SUBORD}|{_SUBORD_COMMA})\b|(?:{_PARTICIPLE})|(?:{_REPORTING})\b", _I)


def opens_clause(text: str) -> bool:
    """Does the text begin as a clause does without a subject: a subordinator, a participle ("announced by",
    "making it"), a reporting verb?"""
    return bool(_OPENER.match(text))


#: a remainder that only says whose words the sentence reports ("according to the National Institute of Mental
#: Health", "as reported by the ADAA", "the agency said"): the source of the claim beside it, which the citation
#: detectors list and the figure is checked with, never a claim of its own (review12: an editor saw "according to
#: the NIMH" listed as a claim stated in words, with no figure, beside the figure it attributes)
ATTRIBUTION_ONLY = re.compile(r"\W*(?:according\s+to|as\s+(?:reported|stated|noted|estimated)\s+by|per|says?|said|"
                               r"reports?|reported)\s+(?:the\s+)?[A-Z][\w&'’.-]*(?:\s+(?:of|for|and|on|the|[A-Z][\w&'’.-]*)){0,8}"
                               r"\W*|\W*(?:the\s+)?[A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*){0,6}\s+(?:says?|said|reports?|reported)\W*")
