"""One quantity type for detected, claimed and recomputed figures.

A :class:`Quantity` is a figure with its unit, the *kind* of that unit (from :func:`evidence.vocab.unit_kind`)
and the text as printed, so that rounding-aware comparison and display never need a side channel.
:func:`comparable` is the like-with-like rule of ``evidence check``: a head count is never compared with a
percentage, a calendar year with a percentage, a score with a sample size, infusions with therapy sessions,
and money is never compared at all.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from evidence import vocab

#: unit kinds that are never checked (a price, a fee)
NEVER_CHECKED = frozenset({"money"})
#: kinds whose units must be the same unit, not just the same kind (mg/kg vs mg; a score on one scale)
SAME_UNIT_KINDS = frozenset({"dose", "score", "other"})
#: spellings the detector uses for units the vocabulary does not list, mapped to a vocabulary unit
_DETECTOR_UNITS = {
    "treatments": "sessions", "doses": "sessions", "injections": "sessions", "administrations": "sessions",
    "visits": "sessions", "courses": "sessions", "appointments": "sessions", "sprays": "sessions",
    "subjects": "participants", "individuals": "people", "persons": "people", "women": "people", "men": "people",
    "americans": "adults", "veterans": "people", "volunteers": "participants", "respondents": "people",
    "cases": "people", "users": "people", "sufferers": "people", "clients": "people", "children": "people",
    "adolescents": "people", "teens": "people", "responders": "people", "rcts": "RCTs", "experiments": "trials",
    "papers": "studies", "reviews": "studies", "meta-analyses": "studies", "articles": "studies",
    "sites": "clinics", "centers": "clinics", "centres": "clinics", "count": "participants",
    "smd": "ratio", "rr": "ratio", "hr": "ratio", "or": "ratio", "md": "ratio", "nnt": "patients", "nnh": "patients",
    "seconds": "minutes",
}
#: kinds that are the same kind of thing for comparison ("people" counted as participants = a head count)
_KIND_CLASS = {"people": "head count", "count": "count", "percent": "percent", "duration": "duration",
               "calendar": "calendar", "dose": "dose", "ratio": "ratio", "score": "score", "money": "money",
               "infusions": "infusions", "sessions": "sessions", "pressure": "pressure", "other": "other"}


def kind_of(unit: str | None) -> str:
    """The unit kind of a unit as the detector or the data write it ("" when there is no unit)."""
    if unit is None or type(unit) is str:
        return _kind_of(unit)   # memoized: linking asks once per candidate figure, and the units are few
    return _kind_of_uncached(unit)


@lru_cache(maxsize=1024)
def _kind_of(unit: str | None) -> str:
    return _kind_of_uncached(unit)


def _kind_of_uncached(unit) -> str:
    if unit is None or not str(unit).strip():
        return ""
    u = str(unit).strip()
    if u.upper() in ("OR", "RR", "HR", "SMD", "MD", "RATIO", "AOR", "IRR"):
        return "ratio"
    k = vocab.unit_kind(u)
    if k == "other":
        k = vocab.unit_kind(_DETECTOR_UNITS.get(u.lower(), u))
    return k


@dataclass(frozen=True)
class Quantity:
    """A figure: a value or a range, its unit, the unit's kind, and the text as printed."""

    value: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str | None = None
    text: str = ""                    # as printed ("18,1%", "70 to 80 percent")
    printed_value: str | None = None  # digits as printed, for rounding-aware tolerance ("18.1")
    printed_low: str | None = None
    printed_high: str | None = None

    @property
    def kind(self) -> str:
        return kind_of(self.unit)

    @property
    def numeric(self) -> bool:
        return self.value is not None or self.low is not None or self.high is not None

    def numbers(self) -> tuple[float, ...]:
        return tuple(x for x in (self.value, self.low, self.high) if x is not None)

    def printed(self) -> dict[str, str]:
        """The printed figures as the verdict engine's ``raw`` mapping (claimed_value/low/high)."""
        out = {"claimed_value": self.printed_value, "claimed_low": self.printed_low, "claimed_high": self.printed_high}
        return {k: v for k, v in out.items() if v}


def comparable(claim_unit: str | None, evidence_unit: str | None) -> tuple[bool, str]:
    """(may these be compared, the reason in words when not).

    An evidence figure without a unit is compared only with a claim without one (or a ratio claim).
    """
    if (claim_unit is None or type(claim_unit) is str) and (evidence_unit is None or type(evidence_unit) is str):
        return _comparable(claim_unit, evidence_unit)   # memoized on the two units (linking asks per candidate)
    return _comparable_uncached(claim_unit, evidence_unit)


@lru_cache(maxsize=4096)
def _comparable(claim_unit: str | None, evidence_unit: str | None) -> tuple[bool, str]:
    return _comparable_uncached(claim_unit, evidence_unit)


def _comparable_uncached(claim_unit, evidence_unit) -> tuple[bool, str]:
    a, b = kind_of(claim_unit), kind_of(evidence_unit)
    if a in NEVER_CHECKED or b in NEVER_CHECKED:
        return False, "an amount of money is not a claim the evidence base checks"
    if not a and not b:
        return True, ""
    if not a or not b:
        if (a or b) == "ratio":
            return True, ""
        return False, f"the claim is {_kind_words(a)} and the evidence is {_kind_words(b)}"
    ca, cb = _KIND_CLASS.get(a, a), _KIND_CLASS.get(b, b)
    if ca != cb:
        return False, f"the claim is {_kind_words(a)} and the evidence is {_kind_words(b)}"
    if a in SAME_UNIT_KINDS and _canon(claim_unit) != _canon(evidence_unit):
        return False, f"the claim is in {claim_unit} and the evidence in {evidence_unit}"
    return True, ""


def _canon(unit: str | None) -> str:
    u = (unit or "").strip().lower()
    return _DETECTOR_UNITS.get(u, u)


def _kind_words(kind: str) -> str:
    return {"": "a figure without a unit", "people": "a head count", "count": "a count", "percent": "a percentage",
            "duration": "a duration", "calendar": "a calendar year", "dose": "a dose", "ratio": "a ratio",
            "score": "a score in points", "money": "an amount of money", "infusions": "a number of infusions",
            "sessions": "a number of sessions", "pressure": "a blood pressure", "other": "another kind of figure"
            }.get(kind, kind)
