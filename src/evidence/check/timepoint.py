"""When a figure was measured (issue 15 Deliver 1 and 3): "after 10 infusions", "at 30 min", "week 14",
"at 24 hours".

A claim's timepoint is read from the words around its figure (:data:`evidence.check.patterns.WINDOWS`
``"timepoint"``); a curated figure's from the ``timepoint`` column of outcomes, estimates or facts. Two timepoints
are compared as a number of infusions (sessions, doses) or as a time since dosing in hours (a point or a range, via
:func:`evidence.vocab.to_hours`). A claim is compared only with figures whose timepoint is compatible; when the
two are of different kinds ("week 2" and "after 6 infusions") or one is missing, nothing is concluded, so they
stay comparable.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from evidence import vocab
from evidence.check.patterns import WINDOWS

_WORD_NUM = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
             "ten": 10, "eleven": 11, "twelve": 12, "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5,
             "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10}
_N = r"\d+|" + "|".join(_WORD_NUM)
#: "after 10 infusions", "after the first infusion", "after six sessions", "by the 4th dose"
RX_AFTER_SESSIONS = re.compile(rf"\b(?:after|following|by|at)\s+(?:the\s+)?(?:(?P<n>{_N})(?:st|nd|rd|th)?)\s+"
                               r"(?:ketamine\s+)?(?:infusions?|sessions?|doses?|treatments?|injections?)\b", re.I)
#: "week 14", "day 3", "at week 2"
RX_WEEK_DAY = re.compile(r"\b(?P<u>week|day|month)\s+(?P<n>\d+)\b", re.I)
#: "at 30 min", "24 hours after", "(<12 h)", "(7–14 days)", "within 6 weeks", "first 2 weeks", "2 hours post-infusion"
_UNIT = r"(?P<u>min(?:ute)?s?|h|hrs?|hours?|days?|weeks?|months?)\b"
RX_SPAN = re.compile(r"(?P<pre>\b(?:at|after|by|within|first|over|up\s+to)\s+|\(\s*(?P<lt><)?\s*)"
                     r"(?:(?P<lo>\d+(?:\.\d+)?)\s*(?:-|–|to)\s*)?(?P<v>\d+(?:\.\d+)?)\s*" + _UNIT, re.I)
#: "30 min after dosing", "24 hours postinfusion", "2 hours following the first infusion"
RX_SINCE = re.compile(r"\b(?:(?P<lo>\d+(?:\.\d+)?)\s*(?:-|–|to)\s*)?(?P<v>\d+(?:\.\d+)?)\s*" + _UNIT +
                      r"\s+(?:after|post|following|later)", re.I)
_TIME_UNIT = {"min": "minutes", "minute": "minutes", "h": "hours", "hr": "hours", "hour": "hours", "day": "days",
              "week": "weeks", "month": "months"}


@dataclass(frozen=True)
class Timepoint:
    """A number of infusions and/or a time since dosing in hours (``lo``–``hi``; a point has ``lo == hi``)."""

    infusions: float | None = None
    lo: float | None = None
    hi: float | None = None
    text: str = ""

    def words(self) -> str:
        return " ".join(self.text.strip("() ").split())


def _num(s: str) -> float:
    s = s.lower()
    return float(_WORD_NUM[s]) if s in _WORD_NUM else float(s)


def _hours(v: float, unit: str) -> float:
    u = _TIME_UNIT.get(unit.lower().rstrip("s"), unit.lower())
    return float(vocab.to_hours(v, u))


def _time(text: str) -> tuple[float, float, str] | None:
    """(lo, hi, phrase) of the first time since dosing ``text`` states."""
    m = RX_WEEK_DAY.search(text)
    if m:
        h = _hours(float(m.group("n")), m.group("u"))
        return h, h, m.group(0)
    m = RX_SINCE.search(text) or RX_SPAN.search(text)
    if not m:
        return None
    hi = _hours(float(m.group("v")), m.group("u"))
    pre = (m.groupdict().get("pre") or "").strip().lower()
    lo = _hours(float(m.group("lo")), m.group("u")) if m.group("lo") else (
        0.0 if m.groupdict().get("lt") or pre in ("within", "first", "up to", "over") else hi)
    return lo, hi, m.group(0)


@lru_cache(maxsize=4096)
def parse(text: str) -> Timepoint | None:
    """The timepoint ``text`` states (a number of infusions, a time since dosing, or both), or None."""
    if not text:
        return None
    m = RX_AFTER_SESSIONS.search(text)
    t = _time(text)
    if m is None and t is None:
        return None
    phrase = "; ".join(x for x in (t[2] if t else "", m.group(0) if m else "") if x)
    return Timepoint(infusions=_num(m.group("n")) if m else None, lo=t[0] if t else None, hi=t[1] if t else None,
                     text=phrase)


_CLAUSE = re.compile(r",\s+(?:and|but|while|whereas)\b|\s+(?:while|whereas)\s")   # not ";": "(<12 h; SMD -1.17)"

#: claim types whose figure is measured at a time (not a time, a dose, a count of people or a date)
TIMED_TYPES = frozenset({"response_rate", "symptom_change", "effect_size", "nnt", "nnh", "safety"})


def _nearest(text: str, from_end: bool) -> tuple[int, str] | None:
    """(distance from the figure, phrase) of the timepoint phrase in ``text`` nearest to the figure."""
    best = None
    for rx in (RX_AFTER_SESSIONS, RX_WEEK_DAY, RX_SINCE, RX_SPAN):
        for m in rx.finditer(text):
            dist = len(text) - m.end() if from_end else m.start()
            if best is None or dist < best[0]:
                best = (dist, m.group(0))
    return best


def of_claim(d) -> Timepoint | None:
    """The timepoint the words around a detected figure claim state: the phrase nearest to the figure, on either
    side ("72% after 10 infusions", "at week 2, 33% responded", "acute (<12 h; SMD -1.17)")."""
    if d.claim_type not in TIMED_TYPES or (d.value is None and d.low is None and d.high is None):
        return None
    s = d.sentence
    left_w, right_w = WINDOWS["timepoint"]
    a, b = d.start - s.start, d.end - s.start
    # only the figure's own clause: "72% and 38% after 10 infusions, and there was a 50% reduction …"
    right = _CLAUSE.split(s.text[b:b + right_w], 1)[0]
    left = _CLAUSE.split(s.text[max(0, a - left_w):a])[-1]
    found = [x for x in (_nearest(right, False), _nearest(left, True)) if x]
    return parse(min(found)[1]) if found else None


def compatible(claim: Timepoint | None, figure: Timepoint | None) -> bool:
    """Could the claim's figure and the curated figure be measured at the same timepoint? Each dimension (number
    of infusions, time since dosing) that both state must agree, and when both state a timepoint they must share
    a dimension: "after 3 infusions" is not "within 6 weeks" (abstaining beats guessing)."""
    if claim is None or figure is None:
        return True
    shared = False
    if claim.infusions is not None and figure.infusions is not None:
        if claim.infusions != figure.infusions:
            return False
        shared = True
    if claim.lo is not None and figure.lo is not None:
        slack = 0.25         # "at 24 hours" is "day 1"; a point matches a figure within a quarter of it
        if not (claim.lo <= figure.hi * (1 + slack) and figure.lo <= claim.hi * (1 + slack)):
            return False
        shared = True
    return shared


def conflict(d, row: dict | None) -> str:
    """'' when the claim may be compared with the figure of ``row`` as far as timepoints go; else why not."""
    claim = of_claim(d)
    if claim is None or not row:
        return ""
    stated = " ".join(str(row.get("timepoint") or "").split())
    figure = parse(stated)
    # "72% after 10 infusions" against a figure measured "after 0.5-1 mg/kg doses": the figure states when it was
    # measured, and not as a number of infusions, so the claim's count cannot be its timepoint
    unparsed = figure is None and bool(stated) and claim.infusions is not None
    if not unparsed and compatible(claim, figure):
        return ""
    return (f"the sentence gives the figure {claim.words()}, and the evidence base's figure is for another "
            f"timepoint ({stated})")


# ------------------------------------------------------------------ what was measured (the outcome's domain)

#: outcome domains a sentence or a curated outcome names (scales included)
_DOMAINS = {
    "suicidal ideation": re.compile(r"suicid|self-harm", re.I),
    "anxiety": re.compile(r"anxi|GAD-7|HAM-A|LSAS|\bSAD\b|panic", re.I),
    "depression": re.compile(r"depress|PHQ-9|MADRS|HAM-D|HDRS|QIDS|BDI", re.I),
    "PTSD": re.compile(r"PTSD|post-?traumatic|CAPS-5|PCL-5", re.I),
    "OCD": re.compile(r"\bOCD\b|obsess|Y-?BOCS", re.I),
    "dissociation": re.compile(r"dissociat|CADSS", re.I),
    "alcohol use": re.compile(r"alcohol|drink", re.I),
}


#: a share of participants with a diagnosis, not an outcome: "90% of participants met criteria for GAD",
#: "75% were diagnosed with", "had a primary diagnosis of"
#: "90% of them had social anxiety disorder" (editor s4: compared with a 50% drop in a symptom scale)
RX_DIAGNOSIS_SHARE = re.compile(r"\b(?:met\s+(?:the\s+)?(?:DSM[\w-]*\s+)?criteria\s+for|(?:were|was)\s+diagnosed\s+with|"
                                r"had\s+(?:a\s+)?(?:primary\s+|comorbid\s+)?diagnos[ie]s\s+of|"
                                r"(?:had|have|has)\s+(?:a\s+|an\s+)?(?:primary\s+|comorbid\s+|current\s+)?"
                                r"(?:(?:social\s+anxiety|generali[sz]ed\s+anxiety|panic|obsessive[- ]compulsive|"
                                r"post-?traumatic\s+stress|major\s+depressive|bipolar|anxiety)\s+disorders?|"
                                r"(?:GAD|SAD|PTSD|OCD|MDD|TRD)|(?:major|treatment-resistant)\s+depression))\b", re.I)


def _domains(text: str) -> set[str]:
    return {k for k, rx in _DOMAINS.items() if rx.search(text)}


def outcome_conflict(d, row: dict | None) -> str:
    """'' unless the words right after the figure name what it measures ("a 50% reduction in self-harm/suicidal
    ideation") and the curated figure measures something else (depression response): then why not, in words."""
    if not row or d.claim_type not in TIMED_TYPES or not row.get("outcome"):
        return ""
    s = d.sentence
    b = d.end - s.start
    near = _CLAUSE.split(s.text[d.start - s.start:b + 40], 1)[0]
    if RX_DIAGNOSIS_SHARE.search(near):
        return ("the sentence's figure is the share of participants with a diagnosis, the evidence base's is a "
                "treatment outcome")
    claim = _domains(near)
    figure = _domains(str(row.get("outcome") or ""))
    if not claim or not figure or claim & figure:
        return ""
    return (f"the sentence's figure is about {' and '.join(sorted(claim))}, the evidence base's about "
            f"{' and '.join(sorted(figure))}")


# ------------------------------------------------------------------ what a time figure measures

#: what a time in a study's description measures when it is not how fast or how long an effect came or lasted:
#: (measure, words in the figure's clause, the curated fact attributes that record it, the measure in words)
TIME_MEASURES = (
    ("washout", re.compile(r"\bwash-?out\b|\bbetween\s+(?:the\s+)?(?:\w+\s+)?(?:infusions|doses|sessions|treatments)\b|"
                           r"\b(?:infusions|doses|sessions)\s+(?:were\s+)?(?:given\s+)?(?:\w+\s+)?apart\b|\bapart\b", re.I),
     ("washout",), "the interval between infusions (a washout)"),
    ("follow-up", re.compile(r"\bfollow[- ]?up\b|\bfollow(?:ed|ing)?\s+(?:\w+\s+){0,3}?for\b|\b(?:monitored|tracked|"
                             r"observed)\s+(?:\w+\s+){0,2}?(?:for|up\s+to)\b", re.I),
     ("follow_up", "median_follow_up", "relapse_follow_up"), "how long participants were followed"),
)


def time_measure(d) -> tuple[str, tuple[str, ...], str] | None:
    """(measure, fact attributes, words) when the time figure of a durability or onset claim measures a washout or
    a follow-up, not the effect (editor s3 #26: "the washout between the two infusions was 14 days" was typed as
    how long it lasts; a follow-up of 14 days is not a durability of 14 days either)."""
    if d.claim_type not in ("durability", "onset") or (d.value is None and d.high is None):
        return None
    t, a, b = d.sentence.text, d.start - d.sentence.start, d.end - d.sentence.start
    clause = t[max(0, a - 70):min(len(t), b + 40)]
    clause = re.split(r";|,\s+(?:and|but|while)\s+", clause[:a - max(0, a - 70)])[-1] + clause[a - max(0, a - 70):]
    for name, rx, attrs, words in TIME_MEASURES:
        if rx.search(clause):
            return name, attrs, words
    return None


def time_measure_link(index, d, res, measured):
    """A washout or follow-up time against the resolved study's own record of it, or why not (in words)."""
    from evidence.check.gate import WEIGHTS, Link, abstain, study_reason

    name, attrs, words = measured
    if res is None or not res.study:
        return abstain(f"this is {words}, not how fast or how long an effect came or lasted; "
                       + study_reason(res, index, d))
    label = index.label_of(res.study)
    found = [c for c in index.candidates if c.origin == "fact" and res.study in c.source_ids and c.numbers
             and str((c.row or {}).get("attribute") or "") in attrs]
    if not found:
        return abstain(f"this is {words}, not how fast or how long an effect came or lasted; {label} has no "
                       f"curated figure for it", study=res.study, study_label=label)
    c = found[0]
    return Link(c.recompute, c.source_ids, "found", "", index.describe(c), index._why(list(res.basis)),
                score=WEIGHTS["min_score"], origin=c.origin, fact_text=c.text, study=res.study, study_label=label)


#: "6 infusions of ketamine at 0.5 mg/kg over 14 days": the span over which a number of treatments was given, with
#: the dose between them (claimrules' schedule pattern reads only plain words between the count and the span)
_COUNT_OF_TREATMENTS = re.compile(rf"\b(?:{_N}|twelve)\s+(?:[\w-]+\s+)?(?:infusions?|sessions?|treatments?|doses?|"
                                  r"injections?)\b", re.I)
_SPAN_WORD = re.compile(r"\b(?:over|across|during|within)\s+(?:the\s+)?(?:course\s+of\s+)?(?:a\s+|an\s+)?$", re.I)
SCHEDULE_SPAN_REASON = ("this is the time over which the treatments were given, not how fast or how long an effect "
                        "came or lasted; the number of treatments is checked on its own")


def schedule_span(d) -> str:
    """Why a duration is the span of a course of treatments ('' when it is not)."""
    if d.claim_type not in ("durability", "onset", "other") or d.unit not in ("days", "weeks", "months", "hours"):
        return ""
    t, a = d.sentence.text, d.start - d.sentence.start
    before = t[max(0, a - 90):a]
    before = re.split(r"[;.](?:\s|$)|,\s+(?:and|but|while|whereas)\s", before)[-1]
    # the span word is before the quote ("over [14 days]") or its first word ("[over 14 days]")
    if not (_SPAN_WORD.search(before) or re.match(r"(?:over|across|during|within)\s", d.quote or "", re.I)):
        return ""
    count = list(_COUNT_OF_TREATMENTS.finditer(before))
    if not count or re.search(r"\b(?:after|following|lasting|lasted|lasts|persist\w*|maintain\w*)\b",
                              before[count[-1].end():], re.I):
        return ""
    return SCHEDULE_SPAN_REASON


#: "mean duration of PTSD 13 years", "duration of illness: 9 years", "ill for a mean of 13 years"
_DURATION_OF_ILLNESS = re.compile(r"\bduration\s+of\s+(?:the\s+)?(?:their\s+)?(?:illness|disease|disorder|"
                                  r"PTSD|OCD|GAD|depression|anxiety|symptoms|[\w-]+\s+disorder)\b[\s:,=(]*"
                                  r"(?:(?:was|of|averaged|about|approximately|~)\s+)*$", re.I)
ILLNESS_REASON = ("this is how long the participants had been ill, not how long an effect lasted; the evidence base "
                  "has no curated figure for it")


def illness_duration(d) -> str:
    """Why a duration is how long the participants had been ill ('' when it is not)."""
    if d.unit not in ("years", "months", "weeks") or d.claim_type not in ("durability", "onset", "other"):
        return ""
    before = d.sentence.text[max(0, d.start - d.sentence.start - 60):d.start - d.sentence.start]
    return ILLNESS_REASON if _DURATION_OF_ILLNESS.search(before) else ""
