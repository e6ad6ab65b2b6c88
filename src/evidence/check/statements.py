"""Word claims stated as sentences: what a drug *is*, *does* or *may not* do, without a figure (measured on the
corpus's training split, session 3: most missed claims were of this form).

Two groups of detectors, every pattern named and commented:

* **statement detectors** (:data:`STATEMENT_FIRST`, run before the word detectors of
  :mod:`evidence.check.wordclaims`): regulatory facts without the word "approved" (a controlled substance,
  where it may be given, "with an oral antidepressant", brand names), dated events in a drug's history ("In
  1962, ketamine was first synthesized"), what esketamine is chemically, the definition of treatment-resistant
  depression, scores in points, a cost of illness in dollars, a study's data-collection period, an author's role.
* **statement upgrades** (:data:`STATEMENT_LAST`, run after every other detector): a safety, mechanism or design
  *word* is only listed when the evidence base can check it (:data:`evidence.check.judge.UNLISTED_WHEN_UNCHECKED`),
  because a bare word ("dissociative", "NMDA") is usually background. When the sentence *asserts* it ("is not
  physically addictive", "blocks the NMDA receptor", "The study was a randomized, double-blind trial") the claim
  is re-kinded ``safety-statement`` / ``mechanism-statement`` / ``design-statement`` so that it is listed, and
  says "not checkable here, because …" when nothing in the evidence base settles it.
"""
from __future__ import annotations

import re

from evidence.check.lexicon import (MONTH, _NUM_WORD, _PEOPLE, _SAFETY, _SAFETY_WORDS, HEDGE, RX_MECHANISM, classify_share,
                                    parse_number, qualifier_of, raw_digits)
from evidence.check.spans import _Ctx
from evidence.check.wordlists import list_reason
from evidence.check.wordtopics import topic_reason
from evidence.check.wordstatements import reason_of

_I = re.I
_YEAR = r"(?:19|20)\d{2}"
_MONTH = MONTH
_DRUG = r"(?:ketamine|esketamine|spravato|ketalar|it|the\s+(?:drug|medication|medicine|spray|treatment))"

# --------------------------------------------------------------- regulatory facts without "approved"

#: "a controlled substance", "the Controlled Substances Act", "schedules of controlled substances"
RX_CONTROLLED = re.compile(r"\b(?:(?:became|become|is|was|as)\s+)?(?:an?\s+)?(?:schedules?\s+of\s+)?controlled\s+"
                           r"substances?(?:\s+Act)?(?:\s+\(CSA\))?(?:\s+in\s+" + _YEAR + r")?", _I)
#: where and how the drug may be given: "can only be administered in a certified doctor's office", "cannot be
#: taken home", "must be given at a doctor's office or clinic", "under medical supervision", "the REMS program"
RX_SETTING = re.compile(
    r"\b(?:can(?:not|['’]t)\s+be\s+taken\s+home|(?:must|can\s+only|may\s+only|only\s+can|has\s+to|is\s+only)\s+be\s+"
    r"(?:self-)?(?:administered|given|used|taken|dispensed)\s+(?:in|at|under|by)\s+(?:an?\s+|the\s+)?[^.;]{0,60}?"
    r"(?:office|clinic|clinics|setting|supervision|facility|facilities|provider|center|centre|program|healthcare)|"
    r"under\s+(?:direct\s+)?medical\s+supervision|\bREMS\b(?:\s+(?:safety\s+)?program)?|"
    r"(?:available|administered|given)\s+only\s+(?:at|in|through)\s+(?:an?\s+)?certified\s+[\w'’ ]{0,30}?"
    r"(?:office|clinic|clinics|center|centre|pharmac(?:y|ies)))", _I)
#: the observation period after a dose: "monitored … for a minimum of two hours", "observed for at least 2 hours"
RX_MONITORED = re.compile(
    r"\b(?:monitored|observed|supervised|watched)\s+(?:[\w'’]+\s+){0,8}?for\s+(?:a\s+)?(?:minimum|minimal|at\s+least|"
    rf"no\s+less\s+than)\s+(?:of\s+)?(?P<v>\d+(?:\.\d+)?|{_NUM_WORD}|an?)\s+hours?\b", _I)
#: given with another antidepressant: "in conjunction with an oral antidepressant", "along with another antidepressant"
RX_ADJUNCT = re.compile(r"\b(?:in\s+conjunction|together|along|combined|in\s+combination)\s+with\s+(?:an?\s+|another\s+|"
                        r"other\s+)?(?:oral\s+)?antidepressants?\b", _I)
#: a new use allowed: "can now be used for treatment-resistant depression", "may now be prescribed for"
RX_NOW_USED = re.compile(r"\b(?:can|may)\s+now\s+be\s+(?:used|prescribed|given|offered)\s+(?:for|to\s+treat)\s+"
                         r"(?P<ind>(?:[\w'’-]+\s+){0,3}?(?:depression|anxiety|disorder|PTSD|OCD|ideation|pain|"
                         r"[\w'’-]+(?=[.;,]|$)))", _I)
#: a dose as a fraction of another: "1/10 to 1/20th the dose for anesthesia", "a tenth of the anesthetic dose"
RX_DOSE_FRACTION = re.compile(r"\b1/\d+(?:th)?(?:\s*(?:to|-|–)\s*1/\d+(?:th)?)?\s+(?:of\s+)?the\s+(?:\w+\s+)?dose\b"
                              r"(?:\s+(?:for|used\s+in|of)\s+an(?:a)?esthesia)?", _I)
#: a course named as a series: "the 6 series infusion", "a six-infusion series", "a series of 6 infusions" is a count
RX_SERIES = re.compile(rf"\b(?P<n>\d+|{_NUM_WORD})[- ](?:series\s+(?:infusion|session|treatment)s?|(?:infusion|session|"
                       rf"treatment)\s+series)\b", _I)
#: brand names and markets: "under the brand name Ketalar", "marketed as a veterinary product under …",
#: "available by prescription under the name Ketalar in 1969"
RX_BRAND = re.compile(r"\b(?:(?:became\s+)?available\s+by\s+prescription|marketed\s+(?:as|under)|sold\s+under)\b"
                      r"(?:[^.;]{0,60}?\b" + _YEAR + r"\b)?|\bunder\s+the\s+(?:brand\s+|trade\s+)?names?\s+"
                      r"[A-Z][\w®]+(?:\s+in\s+" + _YEAR + r")?", _I)

# --------------------------------------------------------------- history, chemistry, definitions

#: an event in a drug's history, dated: "In 1962, ketamine was first synthesized", "patented in Belgium in 1963",
#: "human testing began in 1964", "first administered to a human in 1964" (the year may come first or last)
_HISTORY_VERB = (r"(?:first\s+)?(?:synthesi[sz]ed|discovered|invented|patented|developed|created|introduced)|"
                 r"first\s+(?:administered|given|tested|used|made|approved)|(?:human\s+)?(?:testing|trials?)(?:\s+of\s+\w+)?\s+began|"
                 r"began\s+(?:human\s+)?testing")
RX_HISTORY_YEAR = re.compile(
    rf"\b(?:in\s+)?(?P<y1>{_YEAR})\s*,\s*(?:[\w'’-]+\s+){{0,3}}?(?:was|were)\s+(?P<v1>{_HISTORY_VERB})\b|"
    rf"\b(?P<v2>{_HISTORY_VERB})\b(?:\s+[\w'’.-]+){{0,6}}?\s+in\s+(?P<y2>{_YEAR})\b", _I)
#: what esketamine is: "the S-enantiomer of ketamine", "a mixture of two mirror-image molecules, R- and S-ketamine",
#: "a component of ketamine", "racemic"
RX_CHEMISTRY = re.compile(
    r"\b(?:[RS]-enantiomer|enantiomers?|(?:one\s+of\s+)?(?:two\s+)?mirror[- ]image\s+(?:molecules|forms|versions)|"
    r"racemic\s+mixture|(?:a\s+)?mixture\s+of\s+(?:two\s+)?(?:mirror[- ]image\s+)?(?:molecules|enantiomers|forms)|"
    r"R-\s+and\s+S-ketamine|(?:a|one)\s+component\s+of\s+ketamine|(?:is\s+)?made\s+from\s+esketamine)\b", _I)
#: what treatment-resistant means: "tried at least two antidepressants", "two or more therapies have failed",
#: "is defined as failure to respond to at least 1 trial of antidepressant therapy"
RX_TRD_DEFINITION = re.compile(
    r"\b(?:(?:at\s+least|two\s+or\s+more|2\s+or\s+more|more\s+than\s+one)\s+(?:(?:\d|one|two|three)\s+)?(?:different\s+)?"
    r"(?:antidepressants?|therapies|treatments|medications|trials?\s+of\s+(?:an\s+)?antidepressants?(?:\s+therapy)?)"
    r"(?:\s+(?:have|has)\s+failed)?|(?:is|are)\s+defined\s+as\s+(?:a\s+)?(?:failure|lack)\s+(?:to|of)\s+"
    r"(?:respond|response|improve)\w*)", _I)
#: a score in points: "from 20 points at week 1 to 8.8 points at week 14", "a 10-point drop"
RX_POINTS = re.compile(r"\b(?:from\s+)?(?P<a>\d+(?:\.\d+)?)[- ]points?\b(?:[^.;]{0,30}?\bto\s+(?P<b>\d+(?:\.\d+)?)"
                       r"[- ]points?\b)?", _I)
#: a change in mm Hg: "blood pressure increased by ~10 mm Hg", "a rise of 12 mmHg"
RX_MMHG = re.compile(rf"(?:(?P<h>{HEDGE})\s*)?(?P<v>\d+(?:\.\d+)?)\s*mm\s?Hg\b", _I)
#: a scale score without the word "points": "the mean CADSS dissociation score was 8.8 at week 14"
RX_SCORE_WAS = re.compile(r"\bscores?\s+(?:was|were|of|fell\s+to|dropped\s+to|rose\s+to|reached|averaged)\s+"
                          r"(?P<v>(?>\d+(?:\.\d+)?))(?![\d.]*\s*(?:%|percent|points?|mg|ml|minutes?|hours?))", _I)
#: a score's change said from one value to another, each with its time (editor s4 p4): "dissociation scores
#: dropped from 20 at week 1 to 8.8 by week 14", "HAM-A scores fell from 24 to 12"
_AT_TIME = r"(?:\s+(?:at|in|on|by|after)\s+(?:week|day|month|baseline|visit|infusion)(?:\s+\d+)?)?"
RX_SCORE_FROM_TO = re.compile(
    r"\bscores?\s+(?:[\w'’-]+\s+){0,2}?(?:dropped|fell|declined|decreased|rose|increased|went|improved|changed)\s+from\s+"
    rf"(?P<a>(?P<va>\d+(?:\.\d+)?){_AT_TIME})\s+to\s+(?P<b>(?P<vb>\d+(?:\.\d+)?){_AT_TIME})(?![\d.]*\s*(?:%|percent|mg))", _I)
#: a cost of illness or a market: "$42 billion", "over $42 billion a year" (never a clinic's price; money is not
#: checked, so the claim says why)
RX_COST = re.compile(r"(?:(?:over|about|nearly|more\s+than|an\s+estimated|approximately)\s+)?\$\s?(?P<v>\d[\d,.]*)\s?"
                     r"(?P<s>billion|trillion)\b", _I)
#: when a study's data were collected or searched: "Data were collected from December 2015–June 2017",
#: "searched EMBASE, MEDLINE … in February 2022"
RX_STUDY_PERIOD = re.compile(
    rf"\b(?:(?:data\s+were|were|was|patients\s+were)\s+(?:collected|enrolled|recruited|gathered|seen|treated)|"
    rf"(?:searched|search\s+of)\b[^.;]{{0,120}}?)\s+(?:from\s+|between\s+|in\s+|through\s+)?(?:{_MONTH}\s+)?{_YEAR}"
    rf"(?:\s*(?:-|–|to|and|through)\s*(?:{_MONTH}\s+)?{_YEAR})?", _I)
#: a person's role in a study: "lead author of the study", "first author of the study in The American Journal …"
RX_AUTHOR_ROLE = re.compile(r"\b(?:lead|first|senior|principal|co-?)\s*(?:author|investigator)s?\s+of\s+(?:the|this|a)\s+"
                            r"(?:new\s+|recent\s+)?(?:study|trial|paper|research|review)\b"
                            # session 10: "Amit Anand, the study's lead author", "says Dr. Robert Berman, its lead author"
                            r"|\b(?:the\s+study['’]s|its|the\s+paper['’]s|the\s+trial['’]s)\s+(?:lead|first|senior|principal|"
                            r"co-?)\s*(?:author|investigator)s?\b", _I)


#: a share said as "Of the 20 patients, 18 reported …" (the whole first, then the part)
RX_OF_THE_N = re.compile(rf"\b[Oo]f\s+(?:the|these|those|all)\s+(?P<y>\d+|{_NUM_WORD})\s+(?:[\w'’-]+\s+){{0,2}}?"
                         rf"(?:{_PEOPLE})\s*,\s*(?:(?P<h>{HEDGE})\s+)?(?P<x>\d+|{_NUM_WORD})\b")


def _d_of_the_n(c: _Ctx) -> None:
    for m in RX_OF_THE_N.finditer(c.t):
        x, y = parse_number(m.group("x")), parse_number(m.group("y"))
        if x is None or y is None or y <= 0 or x > y or not c.free(*m.span()):
            continue
        ctype = classify_share(c.t, m.start(), m.end())
        c.add("response_rate" if ctype in ("prevalence", "other") else ctype, m.start(), m.end(), take=True,
              value=round(100.0 * x / y, 2), unit="%", qualifier=qualifier_of(m.group("h")),
              text=f"{m.group('x')} of {m.group('y')}", kind="x-of-y")


def _add_free(c: _Ctx, rx: re.Pattern, ctype: str, kind: str, *, take: bool = False, **kw) -> None:
    """One claim per match of ``rx`` whose characters no earlier detector took and no claim of ``ctype`` covers."""
    for m in rx.finditer(c.t):
        a, b = m.span()
        if b > a and c.free(a, b) and not c.has(ctype, a, b):
            c.add(ctype, a, b, take=take, qualifier="categorical", kind=kind,
                  text=re.sub(r"\s+", " ", m.group(0).lower()), **kw)


def _d_regulatory_words(c: _Ctx) -> None:
    """Regulatory facts stated without "approved": controlled status, setting, adjunct use, brand names."""
    for m in RX_CONTROLLED.finditer(c.t):    # "a Schedule III controlled substance" is the schedule's claim (extras)
        if not re.search(r"\bSchedule\s+\S+\s+(?:non-narcotic\s+)?$", c.t[max(0, m.start() - 30):m.start()], _I) \
                and c.free(*m.span()) and not c.has("regulatory_status", *m.span()):
            c.add("regulatory_status", m.start(), m.end(), qualifier="categorical", kind="controlled",
                  text=re.sub(r"\s+", " ", m.group(0).lower()), raw={"drug": "ketamine"})
    _add_free(c, RX_SETTING, "regulatory_status", "setting", take=True)
    _add_free(c, RX_ADJUNCT, "regulatory_status", "adjunct", take=True, raw={"drug": "esketamine"})
    _add_free(c, RX_BRAND, "regulatory_status", "brand")
    for m in RX_NOW_USED.finditer(c.t):
        if c.free(*m.span()) and not c.has("regulatory_status", *m.span()):
            ind = m.group("ind").lower()
            c.add("regulatory_status", m.start(), m.end(), qualifier="categorical", kind="now-used",
                  text=f"approved for {ind}", raw={"drug": "esketamine" if re.search(r"esketamine|spravato|spray", c.t, _I)
                                                    else "ketamine", "indication": ind})
    _add_free(c, RX_DOSE_FRACTION, "dose_route", "dose-fraction", take=True)
    for m in RX_SERIES.finditer(c.t):
        if c.free(*m.span()) and not c.has("dose_route", *m.span()):
            c.add("dose_route", m.start(), m.end(), take=True, value=parse_number(m.group("n")), unit="infusions",
                  qualifier="exact", kind="count", raw={"claimed_value": raw_digits(m.group("n"))})
    for m in RX_MONITORED.finditer(c.t):
        if c.free(*m.span()):
            v = 1.0 if m.group("v").lower() in ("a", "an") else parse_number(m.group("v"))
            c.add("safety", m.start(), m.end(), take=True, value=v, unit="hours",
                  qualifier="at_least", kind="monitoring", text="monitoring after a dose",
                  raw={"claimed_value": raw_digits(m.group("v"))})      # None for words ("an hour", "two")


def _d_history_year(c: _Ctx) -> None:
    for m in RX_HISTORY_YEAR.finditer(c.t):
        a, b = m.span()
        if c.has("other", a, b) or c.has("attribution", a, b):
            continue
        year = m.group("y1") or m.group("y2")
        c.add("other", a, b, qualifier="exact", value=float(year), unit="year", kind="history", text=m.group(0),
              raw={"claimed_value": year})


def _d_definitions(c: _Ctx) -> None:
    """Chemistry, the definition of treatment resistance, a cost of illness, a study period, an author's role."""
    _add_free(c, RX_CHEMISTRY, "other", "chemistry", raw={"drug": "esketamine"})
    if re.search(r"resist|refractor|depress|anxiety|failed|respond", c.t, _I):
        _add_free(c, RX_TRD_DEFINITION, "other", "trd-definition")
    for m in RX_COST.finditer(c.t):
        if c.free(*m.span()):
            v = parse_number(m.group("v"))
            scale = 1e9 if m.group("s").lower() == "billion" else 1e12
            c.add("other", m.start(), m.end(), take=True, value=None if v is None else v * scale, unit="$",
                  qualifier="categorical", kind="cost", text=m.group(0))
    _add_free(c, RX_STUDY_PERIOD, "design", "study-period", raw={"field": "dates"})
    _add_free(c, RX_AUTHOR_ROLE, "attribution", "author-role", raw={"field": "author"})


def _d_points(c: _Ctx) -> None:
    for m in RX_MMHG.finditer(c.t):
        if c.free(*m.span()):
            v = parse_number(m.group("v"))
            c.add("safety", m.start(), m.end(), take=True, value=v, unit="mm Hg", qualifier=qualifier_of(m.group("h")),
                  raw={"claimed_value": raw_digits(m.group("v"))}, kind="mmhg")
    for m in RX_SCORE_FROM_TO.finditer(c.t):
        ctype = "safety" if _SAFETY.search(c.t) else "symptom_change"
        for g in ("a", "b"):
            if c.free(m.start(g), m.end(g)):
                c.add(ctype, m.start(g), m.end(g), take=True, value=parse_number(m.group("v" + g)), unit="points",
                      qualifier="exact", raw={"claimed_value": m.group("v" + g)}, kind="points")
    for m in RX_SCORE_WAS.finditer(c.t):
        a = m.start("v")
        if c.free(a, m.end()):
            ctype = "safety" if _SAFETY.search(c.t) else "symptom_change"
            c.add(ctype, a, m.end(), take=True, value=parse_number(m.group("v")), unit="points", qualifier="exact",
                  raw={"claimed_value": m.group("v")}, kind="points")
    for m in RX_POINTS.finditer(c.t):
        a, b = m.span()
        if not c.free(a, b) or any(d.start - c.s.start < b and a < d.end - c.s.start for d in c.claims
                                   if d.value is not None or d.low is not None):
            continue
        ctype = "safety" if _SAFETY.search(c.t) else "symptom_change"
        va, vb = parse_number(m.group("a")), parse_number(m.group("b") or "")
        kw = dict(value=va, qualifier="exact", raw={"claimed_value": m.group("a")}) if vb is None else \
            dict(low=min(va, vb), high=max(va, vb), qualifier="range",
                 raw={"claimed_low": m.group("a"), "claimed_high": m.group("b")})
        c.add(ctype, a, b, take=True, unit="points", kind="points", **kw)


# --------------------------------------------------------------- statement upgrades

#: a safety statement (not a bare word): "is (completely) non-addictive", "is not physically addictive",
#: "no (reported) long-term side effects", "does not cause side effects", "may increase slightly",
#: "people experience dizziness", "one of the safest", "does not suppress respiration", "abuse potential"
RX_SAFETY_STATEMENT = re.compile(
    r"\b(?:non-?addictive|not\s+(?:\w+\s+)?addictive|(?<!whether\s)(?<!if\s)(?:is|are)\s+(?:\w+\s+)?(?:safe|safer)\b|"
    r"safest|(?:no|few|fewer|minimal)\s+(?:\w+\s+){0,3}?(?:side[- ]effects?|adverse)|"
    r"(?:does|do|did)\s*(?:not|n['’]t)\s+(?:cause|suppress|depress|repress)|doesn['’]t\s+(?:cause|suppress|depress|"
    r"repress)|experienc\w*\s+(?:\w+\s+){0,3}?(?:dizz|nausea|dissociat|headache|sedat|drows|vision|hallucinat)|"
    r"abuse\s+potential|potential\s+for\s+(?:abuse|misuse|addiction|dependence)|(?:physical|psychological)\s+"
    r"dependence|(?:not|never)\s+(?:\w+\s+)?habit[- ]forming|can(?:not|['’]t|\s+not)\s+be\s+(?:abused|misused)|"
    r"(?:no|low|little|minimal)\s+(?:\w+\s+)?(?:risk|potential)\s+(?:of|for)\s+(?:abuse|addiction|misuse|dependence))", _I)
#: a safety statement that denies ("not addictive", "non-addictive", "no long-term side effects", "does not cause")
RX_SAFETY_NEGATION = re.compile(r"\b(?:not|non|no|never|doesn['’]t|don['’]t|without|cannot|can['’]t)\b|\bnon-", _I)
#: a side effect said to rise or be caused: "blood pressure may increase slightly", "can cause nausea"
RX_SAFETY_RISES = re.compile(
    rf"\b(?:{_SAFETY_WORDS})[^.;]{{0,30}}?\b(?:may|can|could|might|will|often|usually)\s+(?:\w+\s+)?(?:increase|rise|"
    rf"go\s+up|spike|occur)|\b(?:{_SAFETY_WORDS})\s+(?:has|have|was|were)\s+been\s+(?:reported|observed|documented|"
    rf"seen|described)|\b(?:may|can|could|might|will|often)\s+(?:\w+\s+)?(?:cause|lead\s+to|trigger)\s+"
    rf"[“\"]?(?:[\w,]+\s+){{0,3}}?(?:{_SAFETY_WORDS})", _I)
#: a mechanism statement: "ketamine blocks the NMDA receptor", "acts on glutamate", "work by blocking the GABA
#: receptor", "operates in the GABAergic system", "by increasing the neurotransmitter glutamate"
RX_MECHANISM_STATEMENT = re.compile(
    r"\b(?:ketamine|esketamine|it|they|antidepressants?|benzodiazepines?|SSRIs?|infusions?|drugs?|medications?)\s+"
    r"(?:(?!that\b|which\b|who\b)[\w'’-]+\s+){0,3}?(?:blocks?|blocking|acts?\s+on|acting\s+on|works?\s+(?:by|on|through)|"
    r"operates?\s+(?:in|on|through)|binds?\s+to|antagoni[sz]\w+|by\s+(?:increasing|blocking|boosting|targeting|"
    r"modulating|stimulating|inhibiting))\b[^.;]{0,60}?" + RX_MECHANISM.pattern[2:], _I)
#: a design statement about the study the text is about: "The study was a multisite, randomized … trial",
#: "This was an uncontrolled …", "They included single- and double-blind RCTs", "was tested for use with …"
RX_DESIGN_STATEMENT = re.compile(
    r"\b(?:(?:the|this|our)\s+(?:study|trial|research|analysis)\s+(?:was|is)\s+(?:not\s+)?an?\b|"
    r"(?:this|it)\s+was\s+(?:not\s+)?an?\b|"
    r"(?:they|researchers|authors)\s+included\b|(?:was|were)\s+tested\s+(?:for|in|as)\b)", _I)
#: the design statement itself when no design word was detected ("was tested for use with oral antidepressants")
RX_TESTED_FOR = re.compile(r"\b(?:was|were)\s+tested\s+(?:for\s+use\s+)?(?:with|in|as|against)\s+(?:[\w'’-]+\s+){0,5}?"
                           r"(?:antidepressants?|placebo|patients|adults|depression|therapy|treatment)\b", _I)


#: how fast a treatment works, asserted (session 11, words11; read from the onset misses of dev … holdout12): an
#: onset word ("rapid", "quickly", "almost immediate") is a topic on its own and stays unlisted unchecked
#: (judge.UNLISTED_WHEN_UNCHECKED), but beside a verb that asserts it of the treatment it is a claim (labelling rule 1:
#: an onset): "takes effect quickly", "works rapidly", "is known for its quick-acting antidepressant properties",
#: "can provide almost immediate effects", "patients experience very rapid response", "may quickly improve mood",
#: "its relatively fast action". The re-kinded word keeps its claim frame, so linking reads it as before.
RX_ONSET_STATEMENT = re.compile(
    r"\b(?:takes?|took|taking)\s+effect(?:\s+(?:very\s+|almost\s+|so\s+)?(?:quickly|rapidly|fast|immediately|"
    r"instantly|swiftly))?\b"
    r"|\b(?:works?|worked|acts?|acted|absorbed)\s+(?:very\s+|so\s+|relatively\s+|more\s+)?(?:quickly|rapidly|fast|"
    r"immediately|instantly|swiftly)\b"
    r"|\b(?:provides?|provided|offers?|offered|delivers?|brings?|produces?|gives?|experienc\w+|sees?|saw|notices?|"
    r"noticed|feels?|felt|known\s+for|noted\s+for|famous\s+for|(?:is|are)\s+(?:an?\s+)?)\s*(?:[\w'’,-]+\s+){0,3}?"
    r"(?:almost\s+|nearly\s+|very\s+|relatively\s+|such\s+)?(?:immediate|instant|rapid|quick|fast|swift|speedy)[\w-]*"
    r"|\b(?:quickly|rapidly|swiftly|immediately)\s+(?:improves?|relieves?|reduces?|eases?|lifts?|alleviates?|"
    r"improving|relieving|reducing|easing|lifting)\b"
    r"|\b(?:its|their)\s+(?:[\w-]+\s+)?(?:fast|quick|rapid)[\w-]*\s+(?:action|onset|effects?|relief|results)\b", _I)
#: what the onset statement is said of: the drug, its treatment, the patients who take it
_ONSET_SUBJECT = re.compile(r"\b(?:ketamine|esketamine|spravato|it|its|they|drug|medication|medicine|spray|treatments?|"
                            r"therapy|infusions?|patients|people)\b", _I)


#: a question, not an assertion: "whether ketamine is safe", "if it is safe for you"
RX_ASKED = re.compile(r"\b(?:whether|if)\b[^,;.]{0,40}$", _I)


def _asserted(rx: re.Pattern, t: str):
    """The matches of ``rx`` in ``t`` that are not inside a question ("whether …", "if …")."""
    return [m for m in rx.finditer(t) if not RX_ASKED.search(t[max(0, m.start() - 40):m.start()])]


#: a clause joint: a statement's quote does not reach across it
_JOIN = re.compile(r"\b(?:and|but|or|while|whereas)\b|[,;]", _I)


def _upgrade(c: _Ctx, kinds: tuple[str, ...], new_kind: str, rx: re.Pattern, window: int = 80,
             widen: bool = False) -> bool:
    """Re-kind detected word claims of ``kinds`` to ``new_kind`` when ``rx`` asserts them within ``window``; with
    ``widen`` the quote grows to take in the statement it overlaps ("addictive" → "non-addictive")."""
    done = False
    for d in c.claims:
        if d.kind not in kinds:
            continue
        a, b = d.start - c.s.start, d.end - c.s.start
        hits = [m for m in _asserted(rx, c.t) if m.start() < b + window and a - window < m.end()]
        if not hits:
            continue
        d.kind = new_kind
        over = next((m for m in hits if m.start() < b and a < m.end()), None)   # the statement the word is part of
        if widen and over is not None:
            lo, hi = min(a, over.start()), max(b, over.end())
            # never across a conjunction: "… the heart rate and is completely non-addictive" claims "non-addictive"
            if lo < over.start() and _JOIN.search(c.t, lo, over.start()):
                lo = over.start()
            if hi > over.end() and _JOIN.search(c.t, over.end(), hi):
                hi = over.end()
            d.start, d.end = c.s.start + lo, c.s.start + hi
            # the claim frame says what the statement asserts ("not physically addictive"), negation included
            d.text = re.sub(r"\s+", " ", c.t[d.start - c.s.start:d.end - c.s.start].lower())
            d.negated = bool(RX_SAFETY_NEGATION.search(d.text))
        done = True
    return done


def _d_statement_upgrades(c: _Ctx) -> None:
    """Safety, mechanism and design words the sentence asserts become listed statements (see the docstring)."""
    upgraded = (_upgrade(c, ("safety",), "safety-statement", RX_SAFETY_STATEMENT, widen=True)
                | _upgrade(c, ("safety",), "safety-statement", RX_SAFETY_RISES, window=10, widen=True))
    # a statement no upgraded word took in is a claim of its own ("… one of the safest anesthetics because it does
    # not suppress respiration … and is completely non-addictive": two statements, since a quote stops at "and")
    for m in _asserted(RX_SAFETY_STATEMENT, c.t) + _asserted(RX_SAFETY_RISES, c.t):
        if re.search(r"\b(?:ketamine|esketamine|spravato|it|drug|infusion|treatment|medication)\b", c.t, _I) \
                and c.free(*m.span()) and not any(d.kind == "safety-statement" and d.start - c.s.start < m.end()
                                                  and m.start() < d.end - c.s.start for d in c.claims) \
                and (upgraded or not c.has("safety", *m.span())):
            text = re.sub(r"\s+", " ", m.group(0).lower())
            c.add("safety", m.start(), m.end(), qualifier="categorical", kind="safety-statement", text=text,
                  negated=bool(RX_SAFETY_NEGATION.search(text)))
    if RX_MECHANISM.search(c.t) and re.search(r"\b(?:ketamine|esketamine|it|they|antidepressants?|benzodiazepines?|"
                                              r"SSRIs?|infusions?|drugs?|medications?)\b", c.t, _I):
        if not _upgrade(c, ("mechanism",), "mechanism-statement", RX_MECHANISM_STATEMENT, window=0):
            _add_free(c, RX_MECHANISM_STATEMENT, "mechanism", "mechanism-statement")
    if RX_DESIGN_STATEMENT.search(c.t):
        _upgrade(c, ("design", "blinding"), "design-statement", RX_DESIGN_STATEMENT, window=120)
    if _ONSET_SUBJECT.search(c.t):
        _upgrade(c, ("onset-word",), "onset-statement", RX_ONSET_STATEMENT, window=12, widen=True)
    if not c.has_type("design"):
        _add_free(c, RX_TESTED_FOR, "design", "design-statement", raw={"field": "design"})


#: why a statement detected here is not checked against the evidence base, by its detector kind (``link`` asks
#: :func:`unchecked_reason` before it looks for a source): the base records approvals, indications and label
#: facts, not when a drug was scheduled, its brand names or its history's dates
_UNCHECKED = {
    "controlled": "the evidence base does not record when a drug became a controlled substance",
    "brand": "the evidence base does not record brand names or where a drug is marketed",
    "history": "the evidence base does not record the dates of a drug's history (synthesis, patents, first use)",
    "chemistry": "the evidence base does not record a drug's chemistry (enantiomers, mixtures)",
    "study-period": "the evidence base does not record when a study collected or searched its data",
    "author-role": "a person's role in a study is not a figure the evidence base checks",
    # (not "with no figure": an editor read that of "Approved; March 5, 2019", a table row with its date, review12)
    "sentence-claim": ("nothing in the evidence base can be matched to this statement (a figure, an approval, a design, "
                       "a route or a study it records); check it by hand against the source it relies on"),
}


#: the sentence is about esketamine: "Spravato", "esketamine", "the nasal spray"
RX_ESKETAMINE = re.compile(r"\b(?:esketamine|spravato|nasal\s+spray|the\s+spray)\b", _I)


#: "It must be given in a certified clinic", "The drug cannot be taken home": the drug named before
RX_DRUG_ANAPHOR = re.compile(r"\b(?:it|its|the\s+(?:drug|medication|medicine|treatment|spray|product))\b", _I)
_DRUG_MENTION = re.compile(r"\b(?:esketamine|spravato|(?:nasal|the)\s+spray)\b|(?<![\w-])(?<!es)ketamine\b", _I)


def referred_drug(text: str, prev: str = "") -> str:
    """The drug a sentence that names none refers back to with "it" / "the drug": the one drug the sentence before it
    names ("Ketamine is an anesthetic. The FDA approved it in 1970."), or '' when that sentence names none or both
    ("esketamine, an antidepressant derived from … ketamine, …. It was approved in 2019": which is meant is not read)."""
    if _DRUG_MENTION.search(text) or not RX_DRUG_ANAPHOR.search(text):
        return ""
    last = re.split(r"(?<=[.!?])\s+", (prev or "").strip())[-1]
    named = {"ketamine" if re.fullmatch(r"ketamine", m, _I) else "esketamine" for m in _DRUG_MENTION.findall(last)}
    return next(iter(named)) if len(named) == 1 else ""


def about_esketamine(d, prev: str = "") -> bool:
    """The sentence names esketamine, or refers back ("it", "the drug") to the sentences before it, whose last drug
    named is esketamine ("Spravato is a nasal spray. It must be given in a certified clinic."), or continues a line
    broken mid-sentence that named it ("Spravato can only be administered at a" / "REMS certified treatment center.")."""
    t = d.sentence.text
    if RX_ESKETAMINE.search(t):
        return True
    continued = bool(prev) and not re.search(r"[.!?:;)\]”\"]\s*$", prev)
    if _DRUG_MENTION.search(t) or not (continued or RX_DRUG_ANAPHOR.search(t)):
        return False
    named = _DRUG_MENTION.findall(prev or "")
    return bool(named) and not re.fullmatch(r"ketamine", named[-1], _I)


#: a schedule named as a class of drugs: "Schedule I drugs", "Schedule V substances" (plural: the class in general,
#: not a drug said to be in it; holdout10's altmedapp_schedule_iii#03/#04 were contradicted with ketamine's schedule)
RX_SCHEDULE_CLASS = re.compile(r"\bschedule\s+(?:I{1,3}|IV|V|[1-5])\s+(?:drugs|substances|medications|medicines|"
                               r"narcotics|controlled\s+substances)\b", _I)


#: what makes "Schedule III drugs" a predicate of a named drug ("Ketamine and esketamine are Schedule III drugs",
#: "classified as Schedule III substances"), read back to the clause's start
RX_SCHEDULE_PREDICATE = re.compile(r"\b(?:is|are|was|were|be|been|as|in|into|under|remains?|becomes?)\s+(?:\w+\s+){0,2}$",
                                   _I)
_CLAUSE_START = re.compile(r".*(?:[,;:(]|\bwhile\b|\bwhereas\b|\bbut\b|\band\s+(?=schedule))", _I | re.S)


def _schedule_class_at(d) -> bool:
    """Whether the schedule the statement names is a class of drugs in general ("Schedule I drugs are considered the
    most dangerous …"), at the statement's own place, and not what a drug is said to be."""
    t, a = d.sentence.text, d.start - d.sentence.start
    for m in RX_SCHEDULE_CLASS.finditer(t):
        if m.start() <= a < m.end():
            before = t[:m.start()]
            cut = _CLAUSE_START.match(before)
            return not RX_SCHEDULE_PREDICATE.search(before[cut.end() if cut else 0:])
    return False


def unchecked_reason(d, prev: str = "") -> str:
    """Why this detected statement cannot be checked here ("" when it can be linked as usual); ``prev`` is the text
    of the sentences before it."""
    if d.kind == "controlled" and re.fullmatch(r"controlled\s+substances", (d.text or "").strip(), _I):
        # "relaxed restrictions on the prescription of controlled substances": the class in general
        return "speaks of controlled substances in general, not of the drug's own schedule: nothing to check here"
    if d.kind == "schedule" and _schedule_class_at(d):
        # "Schedule I drugs are considered the most dangerous …": what a schedule means, said of its drugs in general
        return ("speaks of the drugs of a schedule in general, not of this drug's own schedule: nothing to check "
                "here")
    if d.kind == "controlled" and not re.search(_YEAR, d.sentence.text):
        return ""     # "a controlled substance" (no year in its sentence) can be checked against the label's schedule
    if d.kind in ("setting", "adjunct") and not about_esketamine(d, prev):
        # the base records where esketamine may be given (its REMS) and that it is taken with an oral
        # antidepressant; said of ketamine (or of "our infusions"), it is a clinic's own procedure
        return ("the evidence base records where esketamine (Spravato) may be given and with what, not a clinic's "
                "own procedure for ketamine")
    if d.kind in ("list-inline", "interaction-entry"):
        return list_reason(d)
    return _UNCHECKED.get(d.kind, "") or reason_of(d) or topic_reason(d)


#: (detector, cheap pre-check) run before every other detector (figures said in an unusual order)
STATEMENT_FIGURES = (
    (_d_of_the_n, re.compile(r"\bof\s+(?:the|these|those|all)\s+\S+\s+[^,]{0,40},", _I)),
)
#: (detector, cheap pre-check) run after the figure detectors, before the word detectors
STATEMENT_FIRST = (
    (_d_regulatory_words, re.compile(r"controlled|administ|given|taken|supervision|REMS|monitor|observ|conjunction|"
                                     r"along|together|combin|marketed|prescription|brand|name|sold|now\s+be|\b1/|series", _I)),
    (_d_history_year, re.compile(_YEAR)),
    (_d_definitions, re.compile(r"enantiomer|mirror|racemic|mixture|component|made\s+from|at\s+least|or\s+more|"
                                r"than\s+one|defined|\$|collected|enrolled|recruited|gathered|seen|treated|search|"
                                r"author|investigator", _I)),
    (_d_points, re.compile(r"\bpoints?\b|mm\s?Hg|\bscores?\s", _I)),
)
#: (detector, cheap pre-check) run after every other detector
STATEMENT_LAST = (
    (_d_statement_upgrades, None),
)
