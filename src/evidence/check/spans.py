"""A detected claim (:class:`Detected`) and the per-sentence state detectors write into (:class:`_Ctx`)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from evidence.check.patterns import mask_non_claims
from evidence.check.textprep import Sentence

from evidence.check.lexicon import (_PEOPLE)


# --------------------------------------------------------------- claims

@dataclass
class Detected:
    """One detected claim. Offsets are absolute positions in the normalized text."""

    claim_type: str
    start: int
    end: int
    sentence: Sentence
    qualifier: str = "none"
    value: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str | None = None
    text: str | None = None
    named_source: str | None = None
    raw: dict = field(default_factory=dict)
    kind: str = ""
    negated: bool = False  # a negation in the same clause inverts what the claim asserts ("was not randomized")

    @property
    def quote(self) -> str:
        s = self.sentence
        return s.text[self.start - s.start:self.end - s.start]

    def overlaps(self, other: "Detected") -> bool:
        return self.start < other.end and other.start < self.end



# --------------------------------------------------------------- detector helpers

class _Ctx:
    """Per-sentence state: the sentence, claims so far, spans claimed by figure detectors."""

    def __init__(self, sent: Sentence):
        self.s = sent
        # prices, phone numbers, ratings … are blanked out (same length) before any detector reads the sentence
        self.t, self.masked = mask_non_claims(sent.text)
        self.claims: list[Detected] = []
        self.taken: list[tuple[int, int]] = []

    def free(self, a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in self.taken)

    def add(self, claim_type: str, a: int, b: int, *, take: bool = False, **kw) -> Detected:
        # trim whitespace / dangling punctuation from the quote span
        t = self.t
        while a < b and t[a] in " ,;:":
            a += 1
        while b > a and t[b - 1] in " ,;:":
            b -= 1
        q = t[a:b]
        opened, closed = q.count("("), q.count(")")
        if opened > closed and t[b:b + 1] == ")":
            b += 1
        elif closed > opened and q.endswith(")"):
            b -= 1
        elif opened > closed and q.startswith("("):
            a += 1
        while b > a and t[b - 1] in " ,;:":
            b -= 1
        d = Detected(claim_type, self.s.start + a, self.s.start + b, self.s, **kw)
        self.claims.append(d)
        if take:
            self.taken.append((a, b))
        return d

    def has(self, claim_type: str, a: int, b: int) -> bool:
        A, B = self.s.start + a, self.s.start + b
        return any(c.claim_type == claim_type and c.start < B and A < c.end for c in self.claims)

    def has_type(self, *types: str) -> bool:
        return any(c.claim_type in types for c in self.claims)


def _extend_right(t: str, b: int, rx: str, limit: int = 60) -> int:
    """Extend a quote to include a following qualifying phrase (e.g. 'of U.S. adults')."""
    m = re.compile(rx, re.I).match(t, b, min(len(t), b + limit))
    return m.end() if m else b


_CHANGE_TAIL = (r"(?:\s+(?:average\s+|mean\s+|overall\s+)?(?:reduction|decrease|drop|decline|improvement|increase)"
                r"(?:\s+in\s+(?:[\w'’-]+\s+){0,2}?(?:anxiety|symptoms|scores?|depression)(?:\s+(?:symptoms|scores?))?)?)?")
_PEOPLE_TAIL = (r"(?:\s+of\s+(?:the\s+)?(?:U\.S\.\s+|US\s+|American\s+)?(?:[\w'’-]+\s+){0,2}?"
                rf"(?:{_PEOPLE}|population|those|them|cases)\b)?")


