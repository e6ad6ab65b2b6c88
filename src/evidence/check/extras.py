"""Detectors for claims the figure and word detectors miss on unseen copy (measured on the corpus's dev split).

Sample sizes written "n = 424"; pooled estimates ("pooled estimate, -28.07; 95% CI …"); p-values and R²;
schedules ("1 session every 2–6 weeks", "the fourth to sixth session"); bare durations ("20-30 minutes after",
"a 40-60 minute duration"); dates in a drug's history ("discovered in 1962"); drug scheduling ("Schedule III");
comorbidity ("co-occur with depression"); "in decades"; superlatives ("the only clinic", "the first drug");
citations by a doctor's name ("Dr. Berman's study"). Each pattern is named and commented here; each detector
claims only characters no earlier detector took.
"""
from __future__ import annotations

import re

from evidence.check.lexicon import parse_number, raw_digits
from evidence.check.spans import _Ctx

_I = re.I
#: "n = 424", "(n=18)", "N = 1,250"
RX_N_EQUALS = re.compile(r"\b[nN]\s*=\s*(?P<v>\d{1,3}(?:,\d{3})+|\d+)\b")
#: "(s=14)", "k = 37": the number of studies a meta-analysis or review pooled (only in a sentence about one)
RX_K_STUDIES = re.compile(r"\b[sk]\s*=\s*(?P<v>\d{1,4})\b")
_REVIEW_WORDS = re.compile(r"meta-?analys|\breview\b|\bstudies\b|\btrials\b", _I)
#: "pooled estimate, -28.07; 95% CI", "pooled effect of 0.6", "mean change of -8.1"
RX_POOLED = re.compile(r"\b(?P<m>pooled\s+(?:estimate|effect|mean\s+difference|SMD)|mean\s+change|estimate)"
                       r"\s*(?:,|:|=|of|was|is)?\s*(?P<v>[-−–]?\d+(?:\.\d+)?)", _I)
#: "p = 0.035", "p < 0.01", "R2 = 0.621", "R² = 0.77"
RX_P_VALUE = re.compile(r"\b(?P<k>[pP]|R2|R²|r)\s*(?P<op>[=<>≤≥])\s*(?P<v>0?\.\d+|[01](?:\.\d+)?)\b")
#: "1 session every 2–6 weeks", "every 3 weeks", "once a month"
#: "twice a week", "once a month", "three times per week": how often a treatment is given
RX_FREQUENCY = re.compile(r"\b(?:once|twice|three\s+times|four\s+times|\d\s+times)\s+(?:a|per|each|every)\s+"
                          r"(?:day|week|month|fortnight)\b|\b(?:once|twice|thrice)[- ](?:daily|weekly|monthly)\b", _I)
RX_EVERY = re.compile(r"\b(?:(?P<n>\d+|one|two|three)\s+(?:session|infusion|treatment|booster)s?\s+)?every\s+"
                      r"(?:(?P<lo>\d+)\s*(?:-|–|to)\s*)?(?P<v>\d+|two|three|four|six)\s+(?P<u>days?|weeks?|months?)\b", _I)
#: "the fourth to sixth session", "by the 3rd infusion"
_ORD = r"first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th)"
RX_ORDINAL_SESSION = re.compile(rf"\b(?:the\s+)?(?P<a>{_ORD})(?:\s*(?:-|–|to|or)\s*(?P<b>{_ORD}))?\s+"
                                r"(?:session|infusion|treatment|dose)s?\b", _I)
#: "20-30 minutes", "a 40-60 minute duration", "the 40 minutes", "2 hours" (not already a claim)
RX_DURATION = re.compile(r"\b(?:(?P<lo>\d+)\s*(?:-|–|to)\s*)?(?P<v>\d+(?:\.\d+)?)[- ]?(?P<u>minutes?|mins?|hours?|hrs?|"
                         r"seconds?|secs?)\b",
                         _I)
#: "discovered in 1962", "first synthesized in 1962", "developed more than 50 years ago"
RX_HISTORY = re.compile(r"\b(?:discovered|developed|synthesi[sz]ed|invented|created|first\s+(?:made|used|approved)|"
                        r"introduced)\s+(?:\w+\s+){0,2}?(?:in|around|circa)\s+(?P<y>(?:19|20)\d\d)\b", _I)
#: "a Schedule III compound", "Schedule 3 controlled substance"
#: "Schedule III", "schedule III controlled substance" (lower case only with a roman numeral: "schedule 2 sessions")
RX_SCHEDULE = re.compile(r"\b(?:Schedule\s+(?P<s>I{1,3}V?|IV|V|[1-5])|schedule\s+(?P<r>I{1,3}V?|IV|V))\b"
                         r"(?:\s+(?:controlled\s+)?(?:compound|substance|drug))?")
#: the FDA's expedited programmes: "fast-tracked by the FDA", "a Breakthrough Therapy designation", "priority review"
RX_FDA_PROGRAM = re.compile(r"\b(?:fast[- ]track(?:ed)?|breakthrough[\"”’]?\s+(?:therapy|designation|status)|"
                            r"(?:identified|designated|recogni[sz]ed|granted)\s+(?:as\s+)?an?\s+breakthrough\s+"
                            r"(?:medication|treatment|drug)|"
                            r"priority\s+review|orphan[- ]drug\s+(?:status|designation))\b", _I)
#: "co-occur with depression", "comorbid with", "often occur together"
RX_COMORBID = re.compile(r"\b(?:co-?oc+ur\w*|comorbid\w*|co-?exist\w*|occur\w*\s+together)\b", _I)
#: "in decades", "after decades without", "for decades", "within the last few decades", "over the past two decades"
RX_DECADES = re.compile(r"\b(?:in|for|after|over|within)\s+(?:the\s+(?:last|past)\s+)?(?:several\s+|many\s+|few\s+|"
                        r"two\s+|three\s+|a\s+few\s+)?decades\b", _I)
#: "the only clinic in New Zealand", "the first major depression drug", "the largest study"
RX_SUPERLATIVE = re.compile(r"\bthe\s+(?:only|first|largest|biggest|oldest|newest)\s+(?:[\w-]+\s+){0,3}?"
                            r"(?:clinic|drug|treatment|medication|study|trial|antidepressant|option|psychedelic)s?\b", _I)
#: "Dr. Berman's placebo-controlled study", "Dr Krystal's team"
RX_DOCTOR = re.compile(r"\bDr\.?\s+(?P<who>[A-Z][a-z'’-]+)(?:['’]s)?\b")
_DOCTOR_CITES = re.compile(r"(?:\s+[A-Z][a-z'’-]+)?(?:['’]s)?\s*(?:,\s*)?(?:\w+\s+){0,3}?(?:et\s+al|and\s+colleagues|"
                           r"and\s+(?:his|her|their)\s+(?:team|colleagues)|found|showed|reported|published|study|trial|"
                           r"research|team|demonstrated|led)\b")
_RECOVERY_WORDS = re.compile(r"\brecover(?:y|ed|s|ing)?\b|\bback\s+to\s+normal\b", _I)
_SESSION_WORDS = re.compile(r"\b(?:session|infusion|treatment|dose|administ|drip|recovery|infus)", _I)


def _d_n_equals(c: _Ctx) -> None:
    for m in RX_N_EQUALS.finditer(c.t):
        if c.free(*m.span()):
            v = parse_number(m.group("v"))
            c.add("sample_size", m.start(), m.end(), take=True, value=v, unit="participants", qualifier="exact",
                  raw={"claimed_value": raw_digits(m.group("v"))}, kind="n-equals")
    if not _REVIEW_WORDS.search(c.t):
        return
    for m in RX_K_STUDIES.finditer(c.t):
        if c.free(*m.span()):
            c.add("sample_size", m.start(), m.end(), take=True, value=float(m.group("v")), unit="studies",
                  qualifier="exact", raw={"claimed_value": m.group("v")}, kind="k-equals")


def _d_pooled(c: _Ctx) -> None:
    for m in RX_POOLED.finditer(c.t):
        if c.free(*m.span()) and re.search(r"\bCI\b|confidence|pooled|SMD|difference", c.t, _I):
            raw = m.group("v").replace("−", "-").replace("–", "-")
            c.add("effect_size", m.start(), m.end(), take=True, value=float(raw), unit="MD", qualifier="exact",
                  raw={"claimed_value": raw}, kind="pooled", text="MD")


def _d_stats(c: _Ctx) -> None:
    for m in RX_P_VALUE.finditer(c.t):
        if c.free(*m.span()):
            q = {"<": "up_to", "≤": "up_to", ">": "at_least", "≥": "at_least"}.get(m.group("op"), "exact")
            c.add("effect_size", m.start(), m.end(), take=True, value=float(m.group("v")), unit="p" if
                  m.group("k") in "pP" else "R2", qualifier=q, raw={"claimed_value": m.group("v")}, kind="p-value")


def _d_schedule(c: _Ctx) -> None:
    t = c.t
    for m in RX_EVERY.finditer(t):
        if c.free(*m.span()):
            v = parse_number(m.group("v"))
            kw = dict(low=parse_number(m.group("lo")), high=v, qualifier="range") if m.group("lo") else \
                dict(value=v, qualifier="exact")
            unit = m.group("u").lower().rstrip("s") + "s"
            c.add("dose_route", m.start(), m.end(), take=True, unit=unit, kind="schedule",
                  text=re.sub(r"\s+", " ", m.group(0).lower()), **kw)
    for m in RX_FREQUENCY.finditer(t):
        if c.free(*m.span()) and (_SESSION_WORDS.search(t) or re.search(r"ketamine|\btak(?:e|es|ing|en)\b", t, _I)):
            c.add("dose_route", m.start(), m.end(), take=True, qualifier="categorical", kind="schedule",
                  text=re.sub(r"\s+", " ", m.group(0).lower()))
    for m in RX_ORDINAL_SESSION.finditer(t):
        if c.free(*m.span()):
            c.add("dose_route", m.start(), m.end(), take=True, qualifier="categorical", kind="schedule",
                  text=re.sub(r"\s+", " ", m.group(0).lower()))


def _d_duration(c: _Ctx) -> None:
    for m in RX_DURATION.finditer(c.t):
        a, b = m.span()
        if not c.free(a, b) or any(d.start - c.s.start < b and a < d.end - c.s.start for d in c.claims):
            continue
        u = m.group("u").lower()
        unit = "minutes" if u.startswith("min") else "seconds" if u.startswith("sec") else "hours"
        # "Typical recovery times last from 20-30 minutes after the completion of your infusion" (northidahoketamine_faq,
        # review9 #6): how long the after-effects last is a safety statement, not a dose or a route
        ctype = "safety" if _RECOVERY_WORDS.search(c.t) else "dose_route" if _SESSION_WORDS.search(c.t) else "other"
        kw = dict(low=parse_number(m.group("lo")), high=parse_number(m.group("v")), qualifier="range") \
            if m.group("lo") else dict(value=parse_number(m.group("v")), qualifier="exact",
                                       raw={"claimed_value": raw_digits(m.group("v"))})
        c.add(ctype, a, b, take=True, unit=unit, kind="duration-bare", **kw)


def _d_history(c: _Ctx) -> None:
    t = c.t
    for rx, ctype, kind in ((RX_HISTORY, "other", "history"), (RX_SCHEDULE, "regulatory_status", "schedule"),
                            (RX_COMORBID, "prevalence", "comorbidity"), (RX_DECADES, "other", "decades"),
                            (RX_SUPERLATIVE, "other", "superlative"), (RX_FDA_PROGRAM, "regulatory_status", "fda-program")):
        for m in rx.finditer(t):
            if not c.free(*m.span()) or c.has(ctype, m.start(), m.end()):
                continue
            kw: dict = {"qualifier": "categorical", "text": re.sub(r"\s+", " ", m.group(0).lower())}
            if kind == "history":
                kw = {"qualifier": "exact", "value": float(m.group("y")), "unit": "year", "text": m.group(0)}
            c.add(ctype, m.start(), m.end(), kind=kind, **kw)


def _d_doctor(c: _Ctx) -> None:
    for m in RX_DOCTOR.finditer(c.t):
        # a citation ("Dr. Berman's study", "Dr Krystal and colleagues found"), not a person named in a story
        # ("the clinic is run by Dr Caleb Armstrong")
        if not (m.group(0).endswith(("'s", "’s")) or _DOCTOR_CITES.match(c.t, m.end())):
            continue
        if not c.has("attribution", m.start(), m.end()):
            c.add("attribution", m.start(), m.end(), qualifier="categorical", text=m.group("who"),
                  named_source=m.group("who"), kind="doctor", raw={"field": "author"})


#: (detector, cheap pre-check): figures, run after the figure detectors and before the word detectors
EXTRA_FIGURES = (
    (_d_n_equals, re.compile(r"\b[nNsk]\s*=")),
    (_d_pooled, re.compile(r"pooled|mean\s+change|estimate", _I)),
    (_d_stats, re.compile(r"\b(?:[pPr]|R2|R²)\s*[=<>≤≥]")),
)
#: (detector, cheap pre-check): run last, on what no other detector claimed
EXTRA_LAST = (
    (_d_schedule, re.compile(r"\bevery\b|session|infusion|treatment|dose|\b(?:once|twice|times)\b", _I)),
    (_d_duration, re.compile(r"\bmin|\bhour|\bhrs?\b|\bsec", _I)),
    (_d_history, re.compile(r"discover|develop|synthesi|invent|creat|first|introduc|Schedule|co-?oc|comorbid|track|"
                            r"breakthrough|priority|orphan|"
                            r"co-?exist|together|decades|\bonly\b|largest|biggest|oldest|newest", _I)),
    (_d_doctor, re.compile(r"\bDr\b")),
)
