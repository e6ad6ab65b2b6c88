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
from dataclasses import dataclass, field, replace

from evidence.check.patterns import mask_non_claims, negated
from evidence.check.textprep import Sentence

# --------------------------------------------------------------- numbers

_UNITS_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS_WORDS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
               "ninety": 90}
_NUM_WORD = (r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|"
             r"seven|eight|nine))?|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
             r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|a\s+dozen|dozen|a\s+hundred|one\s+hundred|"
             r"a\s+couple\s+of|a\s+couple)")
#: a decimal comma ("18,1 %") is read only right before a percent sign, where a thousands separator cannot be
_DIGITS = r"\d+,\d{1,2}(?=\s?%)|(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+"
_DECIMAL_COMMA = re.compile(r"\d+,\d{1,2}")
NUM = rf"(?:{_DIGITS}|\b{_NUM_WORD}\b)"
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "k": 1e3, "m": 1e6, "bn": 1e9}


def parse_number(s: str) -> float | None:
    """'1,234.5' → 1234.5; 'six' → 6; 'twenty-five' → 25; 'a dozen' → 12."""
    s = s.strip().lower()
    if not s:
        return None
    if s[0].isdigit() or s[0] == ".":
        if _DECIMAL_COMMA.fullmatch(s):
            return float(s.replace(",", "."))
        try:
            return float(s.replace(",", ""))
        except ValueError:
            return None
    s = re.sub(r"\s+", " ", s)
    if s in ("a dozen", "dozen"):
        return 12.0
    if s in ("a hundred", "one hundred"):
        return 100.0
    if s in ("a couple", "a couple of"):
        return 2.0
    if s in _UNITS_WORDS:
        return float(_UNITS_WORDS[s])
    parts = re.split(r"[- ]", s)
    if parts[0] in _TENS_WORDS:
        return float(_TENS_WORDS[parts[0]] + (_UNITS_WORDS.get(parts[1], 0) if len(parts) > 1 else 0))
    return None


def raw_digits(s: str) -> str | None:
    """The number as printed, for rounding-aware comparison ('18.1'); None for words."""
    s = s.strip()
    if _DECIMAL_COMMA.fullmatch(s):
        return s.replace(",", ".")
    return s.replace(",", "") if s and (s[0].isdigit() or s[0] == ".") else None


# --------------------------------------------------------------- hedges

_APPROX = (r"about|around|approximately|approx\.?|roughly|nearly|almost|close\s+to|some|an\s+estimated|"
           r"estimated|circa|an\s+average\s+of|on\s+average|averaging|just\s+(?:over|under)|~|≈|∼")
_UPTO = r"up\s+to|as\s+(?:many|much|high)\s+as|less\s+than|fewer\s+than|under|below|no\s+more\s+than|at\s+most|<|≤"
_ATLEAST = (r"at\s+least|more\s+than|over|above|greater\s+than|in\s+excess\s+of|upwards\s+of|no\s+fewer\s+than|"
            r"no\s+less\s+than|exceeding|>|≥")
HEDGE = rf"(?:{_UPTO}|{_ATLEAST}|{_APPROX})"
_APPROX_RE = re.compile(rf"^(?:{_APPROX})$", re.I)
_UPTO_RE = re.compile(rf"^(?:{_UPTO})$", re.I)
_ATLEAST_RE = re.compile(rf"^(?:{_ATLEAST})$", re.I)


def qualifier_of(hedge: str | None, default: str = "exact") -> str:
    if not hedge:
        return default
    h = re.sub(r"\s+", " ", hedge.strip().lower())
    if _UPTO_RE.match(h):
        return "up_to"
    if _ATLEAST_RE.match(h):
        return "at_least" if not h.startswith("just") else "approx"
    if _APPROX_RE.match(h):
        return "approx"
    return default


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


# --------------------------------------------------------------- context cues

def _rx(p: str, flags=re.I) -> re.Pattern:
    return re.compile(p, flags)


_PREV_CUES = _rx(
    r"\bprevalen\w*|\beach\s+year|\bevery\s+year|\bannual(?:ly)?\b|\bper\s+year|\ba\s+year\b|\bin\s+a\s+given\s+year|"
    r"\bpast\s+(?:year|12\s+months)|\b12-month|\blifetime|\bat\s+some\s+point|\bin\s+(?:their|a|one's)\s+li(?:fe|ves)|"
    r"\baffect(?:s|ed|ing)?\b|\bimpact(?:s|ing)?\b|\bsuffer\w*|\bdiagnosed|\bliving\s+with|\bof\s+(?:the\s+)?(?:U\.?S\.?\s+|US\s+|"
    r"American\s+)?(?:adults|population|Americans|people|women|men|adolescents|children|teens|youth|the\s+public)\b|"
    r"\bnationwide|\bworldwide|\bglobally|\bin\s+the\s+(?:U\.?S\.?|US|United\s+States|world)\b|\bcommon\b|\bprevalent\b|"
    r"\byearly\b|\b(?:one|1)[- ]year\b|\b12[- ]month|\brates?\s+of\s+(?:[\w-]+\s+){0,2}?(?:disorder|anxiety|depression)")
_CHANGE_RIGHT = _rx(
    r"\s*\)?\s*(?:average\s+|mean\s+|overall\s+|relative\s+|greater\s+|further\s+)?(?:reduction|decrease|drop|decline|"
    r"improvement|fall|lowering|cut|increase|rise|change|less|lower|fewer|improvement)\b")
_CHANGE_LEFT = _rx(r"(?:reduc\w*|decreas\w*|improv\w*|lower\w*|cut|dropp?\w*|fell|fall\w*|declin\w*|chang\w*)\s+"
                   r"(?:[\w'’-]+\s+){0,4}?by\s*(?:about|around|approximately|nearly|roughly|~|up\s+to|over)?\s*$")
_RESPONSE = _rx(r"\b(?:success|response|remission|efficacy|recovery|relapse|cure)\s+rates?\b|\brespond\w*|"
                r"\bresponders?\b|\bremission|\brelief\b|\bbenefit\w*|\bno\s+improvement|little\s+(?:to|or)\s+no\b|"
                r"\bimprov(?:e|ed)\b|\bsucce\w+|\beffective\w*|\bhelped|\bworks?\b|\bfailed|\bresistant\b")
_SAFETY_WORDS = (r"side[- ]effects?|adverse\s+(?:events?|effects?|reactions?)|dissociat\w*|nausea|vomit\w*|dizz\w*|"
                 r"headaches?|sedat\w*|drows\w*|blood\s+pressure|heart\s+rate|hypertension|tachycardia|"
                 r"safety\s+profile|well[- ]tolerated|tolerab\w*|dependen(?:ce|cy)|addict\w*|\babuse\b|misuse|"
                 r"bladder|cystitis|cognitive\s+(?:effects?|impairment|side)|hallucinat\w*|euphori\w*|psychotomimetic|"
                 r"withdrawal|overdose|interact\w*|interfer\w*|contraindicat\w*|toxicit\w*|harm(?:s|ful)?\b|"
                 r"weight\s+gain|sexual\s+(?:side|dysfunction)|insomnia|fatigue|confusion|blurred\s+vision")
_SAFETY = _rx(rf"\b(?:{_SAFETY_WORDS})")
_STUDY_CUES = _rx(r"\b(?:study|studies|trials?|RCTs?|experiments?|meta-analys[ie]s|review|research|participants|"
                  r"subjects|enrolled|randomi[sz]ed|sample|cohort|patients|volunteers|investigat\w*|"
                  r"researchers|analysis|analy[sz]ed|paper|published)\b")


def _near(rx: re.Pattern, text: str, a: int, b: int, window: int = 80) -> bool:
    return bool(rx.search(text, max(0, a - window), min(len(text), b + window)))


def classify_share(text: str, a: int, b: int) -> str:
    """Type of a share of people (a %, 'half', 'the majority', '1 in 8') at text[a:b] of a sentence."""
    right = text[b:b + 140]
    left = text[max(0, a - 90):a]
    if _CHANGE_RIGHT.match(right) or _CHANGE_LEFT.search(left):
        return "symptom_change"
    if re.search(r"\b(?:success|response|remission|efficacy|recovery|relapse|cure)\s+rates?\b[^.;]{0,30}$", left, re.I):
        return "response_rate"
    m = re.match(r"\s*\)?\s*of\s+(?:the\s+|their\s+|all\s+|those\s+)?(?:[\w.'’-]+\s+){0,3}?"
                 r"(?:patients|participants|subjects|people|those|individuals|users|responders|clients|adults|"
                 r"women|men|Americans|veterans|children|adolescents|population|respondents|sufferers|cases|"
                 r"symptoms|anxiety|scores?)\b", right, re.I)
    if m:
        tail = right[m.end():m.end() + 110]
        head = right[:m.end()]
        if re.search(r"\bsymptoms|\banxiety\b|\bscores?\b", head, re.I) and not re.search(r"\bpatients|\bpeople", head, re.I):
            return "symptom_change"
        if _SAFETY.search(tail):
            return "safety"
        if _RESPONSE.search(tail) or re.search(r"\btreat\w*|\btherapy|\bketamine|\binfusion", tail, re.I) \
                or re.search(r"\brespond\w*|\bresponders?\b|\bremission", left, re.I):
            return "response_rate"
        if _PREV_CUES.search(head + tail) or _PREV_CUES.search(left):
            return "prevalence"
        return "response_rate" if re.search(r"patients|participants|subjects|responders", head, re.I) else "prevalence"
    window_l, window_r = text[max(0, a - 70):a], text[b:b + 70]
    around = window_l + " " + window_r
    if _SAFETY.search(around):
        return "safety"
    if re.search(r"\b(?:success|response|remission|efficacy)\b", around, re.I):
        return "response_rate"
    if _PREV_CUES.search(around):
        return "prevalence"
    if _RESPONSE.search(around):
        return "response_rate"
    if _PREV_CUES.search(text):
        return "prevalence"
    if re.search(r"\bdisorders?\b|\bGAD\b|\bPTSD\b|\bOCD\b", text) and re.search(
            r"\b(?:adults|women|men|Americans|people|population|children|adolescents)\b", text, re.I) \
            and not re.search(r"\btreat\w*|\btherapy|\bketamine|\binfusion|\bstudy|\btrial", text, re.I):
        return "prevalence"
    return "other"


# --------------------------------------------------------------- figure patterns

_PCT_UNIT = r"\s?(?:%|percent\b|per\s?cent\b|pct\b|percentage\s+points?\b)"
_DASH = r"(?:-|–|—|‒|to|and)"

RX_PCT_RANGE = _rx(
    rf"(?:(?P<h>{HEDGE})\s*)?(?:between\s+|from\s+)?(?P<lo>{_DIGITS}|\b{_NUM_WORD}\b)\s?(?:%|percent|per\s?cent)?\s*"
    rf"{_DASH}\s*(?P<hi>{_DIGITS}|\b{_NUM_WORD}\b){_PCT_UNIT}")
RX_PCT = _rx(rf"(?:(?P<h>{HEDGE})\s*)?(?P<v>{_DIGITS}|\b{_NUM_WORD}\b){_PCT_UNIT}")
RX_CI_AFTER = _rx(r"\s*(?:CI\b|confidence|credible|prediction\s+interval|of\s+the\s+time\s+interval)")
RX_N_IN_M = _rx(
    rf"(?:(?P<h>{HEDGE})\s+)?\b(?P<n>{NUM})\s+(?:in|out\s+of)\s+(?:every\s+)?(?P<m>{NUM})\b"
    rf"(?P<noun>(?:\s+(?:U\.S\.|US|American|[a-z][\w'’-]*)){{0,3}})?(?:\s*\((?P<pct>[^()]{{0,16}}%)\))?")
_PEOPLE = (r"adults|patients|participants|people|persons|subjects|individuals|Americans|Canadians|women|men|children|"
           r"kids|adolescents|teens|teenagers|youths?|veterans|volunteers|respondents|cases|users|sufferers|clients|"
           r"employees|workers|students|seniors|residents|responders")
_STUDY_UNITS = r"trials|studies|RCTs|experiments|papers|reviews|meta-analyses|articles|sites|centers|centres|clinics"
_SESSION_UNITS = r"infusions|sessions|treatments|doses|injections|administrations|visits|courses|appointments|sprays"
_OTHER_UNITS = r"classes|drugs|medications|types|kinds|forms|categories|options|receptors|weeks|months"
RX_COUNT = _rx(
    rf"(?:(?P<h>{HEDGE})\s+)?\b(?:(?P<lo>{NUM})\s*(?:-|–|to|or)\s*)?(?P<n>{NUM})(?:\s*(?P<scale>million|billion|thousand)\b)?"
    rf"\s+(?P<adj>(?:(?!(?:in|of|to|and|or|the|a|an|with|for|who|that|were|was|had|have|are|is|per)\b)"
    rf"[A-Za-z][\w.'’-]*\s+){{0,3}}?)(?P<noun>{_PEOPLE}|{_STUDY_UNITS}|{_SESSION_UNITS}|classes|drugs|medications)\b")
RX_X_OF_Y = _rx(
    rf"\b(?P<x>{NUM})\s+(?:of|out\s+of)\s+(?:the\s+|all\s+|these\s+|those\s+)?(?P<y>{NUM})\s+"
    rf"(?:[\w'’-]+\s+){{0,2}}?(?P<noun>{_PEOPLE})\b")
RX_VAGUE_COUNT = _rx(
    r"\b(?:tens\s+of\s+|hundreds\s+of\s+)?(?P<w>millions|thousands|hundreds|dozens|billions)\b"
    rf"(?:\s+of\s+(?:[\w'’-]+\s+){{0,2}}?(?P<noun>{_PEOPLE}|{_STUDY_UNITS}))?")
RX_EFFECT = re.compile(
    r"(?P<m>(?i:odds\s+ratios?|risk\s+ratios?|relative\s+risks?|hazard\s+ratios?|rate\s+ratios?|"
    r"standardi[sz]ed\s+mean\s+differences?|mean\s+differences?|effect\s+sizes?|cohen['’]?s\s+d|hedges['’]?\s+g)|"
    r"\b(?:OR|RR|HR|SMD|aOR|IRR)\b|\bg\b|\bd\b)"
    r"(?:\s*\([^()]{1,24}\))?\s*(?:(?i:of|was|were|is|=|:|≈|at|reached|equal\s+to|being)\s*)*"
    rf"(?P<h>(?i:{_APPROX}))?\s*(?P<v>-?\d+(?:\.\d+)?)(?![\d%])")
RX_NNT_TERM = _rx(
    r"(?P<kind>number[s]?\s+needed\s+to\s+(?P<w>treat|harm)|\bNN(?P<t>[TH])\b)(?:\s*\((?:NN[TH])\))?"
    r"(?:\s+(?:for|of|in|on|with)\s+(?:[\w'’-]+\s+){0,3}?(?=(?:was|were|is|of|=|:|≈|at|around|about|~)\b|[=:≈~]))?"
    rf"\s*(?:(?:of|was|were|is|=|:|≈|at|around|about|approximately|roughly|~|just)\s*)*(?P<v>{_DIGITS}|\b{_NUM_WORD}\b)")
RX_NNT_PHRASE = _rx(
    rf"(?:(?P<h>{HEDGE})\s+)?\b(?P<v>{NUM})\s+(?:patients|people|persons|individuals|participants|subjects|adults)\s+"
    r"(?:(?:would|will|must|need|needed|needs|have|had|has)\s+(?:to\s+)?)?(?:be\s+)?(?:needed\s+|need\s+|needing\s+)?"
    r"(?:to\s+be\s+)?(?:treat(?:ed|ment)?|given\s+\w+)\s+(?:\w+\s+){0,2}?for\s+(?:one|1|each|a\s+single)\b")
RX_NNT_EVERY = _rx(
    rf"\b(?:for\s+)?every\s+(?P<v>{NUM})\s+(?:patients|people|persons|individuals|participants|adults)\s+"
    r"(?:treated|(?:who\s+are\s+)?given\s+\w+|receiving\s+\w+|taking\s+\w+)[^.;]{0,60}?\b(?:one|1)\b(?P<tail>[^.;]{0,80})")
RX_ONE_IN = _rx(
    rf"\b(?:one|1)\s+(?:in|out\s+of)\s+(?:every\s+)?(?P<v>{NUM})\s+(?:patients|people|persons|individuals|participants|"
    r"adults)?\s*(?:treated|given\s+\w+|receiving\s+\w+|who\s+(?:are\s+)?(?:treated|receive\s+\w+))(?P<tail>[^.;]{0,80})")
RX_NNH_PHRASE = _rx(
    rf"(?:(?P<h>{HEDGE})\s+)?\b(?P<v>{NUM})\s+(?:patients|people|persons|individuals|participants|subjects|adults)\s+"
    r"(?:treated|(?:who\s+are\s+)?given\s+\w+|receiving\s+\w+|taking\s+\w+)\s+(?:\w+\s+){0,2}?"
    r"(?:experience|experiences|experienced|have|has|had|develop|develops|developed|suffer|suffers|get|report)\s+"
    rf"(?:[\w'’-]+\s+){{0,3}}?(?:{_SAFETY_WORDS}|harm)")
RX_DOSE = _rx(
    rf"(?:(?P<h>{HEDGE})\s+)?(?:(?P<lo>{_DIGITS})\s*(?:mg/kg|mg)?\s*(?:-|–|—|to|and)\s*)?(?P<v>{_DIGITS})\s*"
    r"(?P<u>mg\s*/\s*kg|mg\s+per\s+kg|milligrams?\s+per\s+kilogram|mg/kg/h|mg\b|milligrams?\b|µg/kg|mcg/kg)")
RX_OVER_MIN = _rx(
    rf"\b(?:over|during|across|for|lasting|infused\s+over|given\s+over)\s+(?:(?P<h>{HEDGE})\s+)?(?:a\s+)?"
    rf"(?:(?P<lo>{NUM})\s*(?:-|–|to)\s*)?(?P<v>{NUM})[- ]?(?P<u>minutes?|mins?|hours?|hrs?)\b")
RX_MAJORITY = _rx(
    r"\b(?:the\s+)?(?:(?P<vast>vast|overwhelming|large|great)\s+)?majority\b(?:\s+of)?|"
    rf"\bmost\s+(?:of\s+(?:the|their|these|those)\s+)?(?:[\w'’-]+\s+)?(?:{_PEOPLE}|those)\b")
RX_HALF = _rx(r"(?:\b(?P<h>nearly|almost|about|around|roughly|over|more\s+than|less\s+than|just\s+under|"
              r"just\s+over|close\s+to|approximately)\s+)?\b(?:one[- ])?half\s+(?:of\b|the\b|their\b|all\b|them\b)")
RX_FRACTION = _rx(r"(?:\b(?P<h>nearly|almost|about|around|roughly|over|more\s+than|less\s+than|approximately)\s+)?"
                  r"\b(?P<f>(?:a|one)[- ]third|two[- ]thirds|(?:a|one)[- ]quarter|three[- ]quarters|(?:a|one)[- ]fifth|"
                  r"(?:a|one)[- ]tenth)\s+of\b")
_FRACTIONS = {"third": 100 / 3, "thirds": 200 / 3, "quarter": 25.0, "quarters": 75.0, "fifth": 20.0, "tenth": 10.0}

# --------------------------------------------------------------- word patterns

RX_ROUTE = re.compile(
    r"\b(?:(?P<iv>(?i:intravenous(?:ly)?)|IV|I\.V\.)|(?P<sc>(?i:subcutaneous(?:ly)?)|SC|SQ|subQ)|"
    r"(?P<im>(?i:intramuscular(?:ly)?)|IM)|(?P<nasal>(?i:intranasal(?:ly)?|nasal\s+spray|nasally))|"
    r"(?P<oral>(?i:oral(?:ly)?|sublingual(?:ly)?|lozenges?|troches?|tablets?|by\s+mouth))|"
    r"(?P<im2>(?i:intramuscular\s+injections?)))(?![\w-])")
_TIME_UNIT = r"(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)"
_TIME_QTY = (rf"(?:(?:the\s+first\s+(?=\d|{_NUM_WORD}))?(?:a|an|one|the\s+first|a\s+few|few|a\s+couple\s+of|several|"
             rf"many|\d+(?:\.\d+)?|{_NUM_WORD})"
             rf"(?:\s*(?:-|–|to|or)\s*(?:\d+|{_NUM_WORD}))?\s+)?")
RX_WITHIN = _rx(
    rf"\b(?P<prep>within|in\s+(?:as\s+little\s+as|under|less\s+than|just)|after(?:\s+just)?|as\s+soon\s+as|"
    rf"in\s+a\s+matter\s+of|over\s+the\s+(?:next|following)|(?:up\s+)?to)\s+(?:(?P<h>{_APPROX})\s+)?"
    rf"(?P<q>{_TIME_QTY})(?P<u>{_TIME_UNIT})(?:\s+(?:to|or)\s+(?:{_TIME_QTY})(?P<u2>{_TIME_UNIT}))?\b")
RX_TIME_RANGE = _rx(rf"\b(?P<u>minutes|hours|days|weeks|months|years)\s+(?:to|or|and)\s+(?:even\s+)?(?P<u2>hours|days|weeks|months|years)\b")
RX_ONSET_WORDS = _rx(
    r"\b(?:(?:almost|nearly|near[- ])?immediate(?:ly)?|instant(?:ly|aneous(?:ly)?)?|rapid(?:ly)?|fast[- ]acting|"
    r"quick(?:ly|er)?|fast(?:er)?\s+(?:relief|onset|acting|action|results|effects?)|speedy|"
    r"onset(?:\s+of\s+action)?|time\s+to\s+effect|right\s+away|same[- ]day|overnight|swift(?:ly)?)\b")
RX_DURABILITY = _rx(
    r"\b(?:durab\w*|durable|long[- ](?:lasting|term)|lasting|last(?:s|ed)?\s+(?:for\s+)?(?:up\s+to\s+|about\s+)?"
    r"(?:\w+\s+)?(?:hours?|days?|weeks?|months?|years?)|persist\w*|sustain\w*|maintenance|maintained|"
    r"stay(?:s|ed)?\s+(?:in\s+remission|well|better)|remain(?:s|ed)?\s+(?:in\s+remission|well|better)|relaps\w*|"
    r"(?:wane|wanes|waned|fade|fades|faded|wear\s+off|wears\s+off|wore\s+off)|return(?:s|ed)?\s+within|"
    r"came\s+back|come\s+back|for\s+(?:several|many|a\s+few|some)\s+(?:weeks|months|years))\b")
RX_DURATION_NUM = _rx(
    rf"\b(?:(?:lasting|lasted|lasts|last|persist\w*|sustain\w*|maintain\w*|continu\w*|remain\w*|stay\w*|kept|"
    rf"endur\w*)\s+(?:[\w'’-]+\s+){{0,3}}?)?(?:for\s+)?(?:(?P<h>{_APPROX}|{_UPTO}|{_ATLEAST})\s+)?"
    rf"(?:(?P<lo>\d+|{_NUM_WORD})\s*(?:-|–|to)\s*)?(?P<v>\d+(?:\.\d+)?|{_NUM_WORD})\s+"
    r"(?P<u>days?|weeks?|months?|years?)\b(?=(?:\s+(?:after|of|following|with|on|in|before))|[\s,.;)]|$)")
#: vague times as numbers, following the curated claims' convention (range in the unit given)
VAGUE_TIME = {("", "hours"): (0.0, 24.0, "hours"), ("a few", "hours"): (0.0, 6.0, "hours"),
              ("few", "hours"): (0.0, 6.0, "hours"), ("several", "hours"): (0.0, 12.0, "hours"),
              ("", "days"): (0.0, 7.0, "days"), ("a few", "days"): (0.0, 4.0, "days"),
              ("", "weeks"): (1.0, 8.0, "weeks"), ("a few", "weeks"): (1.0, 4.0, "weeks")}
VAGUE_SPAN = {("hours", "days"): (1.0, 168.0, "hours"), ("minutes", "hours"): (0.0, 24.0, "hours"),
              ("days", "weeks"): (1.0, 8.0, "weeks"), ("weeks", "months"): (1.0, 26.0, "weeks")}
RX_STOP = _rx(r"\b(?:stop\w*|discontinu\w*|cessation|after\s+(?:the\s+)?(?:last|final)|ending\s+treatment|quit\w*|"
              r"return\w*|relaps\w*|wane|wanes|waned|fade\w*|wear\w*\s+off|wore\s+off|remission|lasting|last(?:s|ed)?)\b")
RX_SUBSIDE = _rx(r"\b(?:subsid\w*|resolv\w*|dissipat\w*|go(?:es)?\s+away|disappear\w*|pass(?:es)?|settle\w*)\b")
RX_COMPARE = _rx(
    r"\b(?:(?:fewer|less|more|greater|lower|higher|stronger|weaker|longer|shorter)\s+(?:[\w'’-]+\s+){1,5}?than\b|"
    r"(?:better|faster|slower|safer|quicker|cheaper|superior|inferior)\s+(?:[\w'’-]+\s+){0,5}?than\b|compared\s+(?:to|with)|in\s+comparison\s+(?:to|with)|"
    r"unlike\b|versus\b|vs\.?(?=\s)|(?:in\s+|a\s+(?:\w+\s+)?)?contrast(?:s|ed)?\s+(?:to|with)|outperform\w*|"
    r"outlast\w*|superior\s+to|inferior\s+to|as\s+effective\s+as|whereas\b|(?:the\s+)?(?:highest|gold)\s+standard|"
    r"most\s+(?:rigorous|reliable|effective|powerful|promising|advanced)|(?:the\s+)?best\s+(?:available|option|treatment)|"
    r"(?:take|takes|taking|took|require[sd]?|requiring|need)\s+(?:[\w'’-]+\s+){0,3}?(?:weeks|months|years)|"
    r"(?:when\s+)?combined\s+with|in\s+combination\s+with|enhanc\w+\s+(?:[\w'’-]+\s+){0,3}?(?:results|outcomes|effects?|benefits))")
RX_ABSOLUTE = _rx(r"\b(?:rarely|never|always|all\s+patients|every\s+patient|guarantee\w*|no\s+side\s+effects|"
                  r"100%\s+(?:safe|effective)|(?:is|are)\s+considered\b|cure[sd]?\b|permanent\w*)")
RX_APPROVAL = _rx(
    r"\b(?P<neg>(?:not|never|isn['’]t|is\s+not|aren['’]t|are\s+not|hasn['’]t\s+been|has\s+not\s+been|"
    r"has\s+yet\s+to\s+be|yet\s+to\s+be|un)\s*(?:yet\s+|been\s+|currently\s+|officially\s+)*)?"
    r"(?P<fda>(?:FDA|U\.?S\.?\s+Food\s+and\s+Drug\s+Administration|Food\s+and\s+Drug\s+Administration|EMA|Health\s+Canada)"
    r"[- ])?(?P<verb>approv(?:ed|al|es)|clear(?:ed|ance)|authori[sz](?:ed|ation)|licensed|indicated|sanctioned|"
    r"off[- ]label)\b(?P<rest>[^.;()]{0,60})")
RX_ANESTHETIC = _rx(
    r"\b(?:(?:traditionally|originally|initially|primarily|first|long|mainly|mostly|widely|commonly|historically)\s+"
    r"(?:\w+\s+){0,3}?)?(?:(?:developed|used|approved|introduced|known|marketed|classified|created|synthesi[sz]ed)\s+"
    r"(?:\w+\s+){0,2}?as\s+)?(?:is\s+)?an?\s+(?:[\w-]+\s+){0,2}?(?P<what>an[a]?esthetic|painkiller|analgesic|"
    r"sedative|horse\s+tranquili[sz]er|tranquili[sz]er|dissociative\s+an[a]?esthetic)s?\b(?:\s+painkiller)?")
_DESIGN_TERMS = {
    "double_blind": r"double[- ]blind(?:ed)?|triple[- ]blind(?:ed)?",
    "single_blind": r"single[- ]blind(?:ed)?",
    "randomized": r"randomi[sz]ed|randomly\s+assigned|RCTs?",
    "placebo": r"placebo[- ]controlled|(?:versus|vs\.?|against|compared\s+(?:to|with))\s+(?:a\s+)?placebo|sham[- ]controlled",
    "crossover": r"cross[- ]?over",
    "open_label": r"open[- ]label|uncontrolled|unblinded|non[- ]blinded|single[- ]arm",
    "meta_analysis": r"meta[- ]analys[ie]s|pooled\s+analys[ie]s",
    "systematic_review": r"systematic\s+reviews?",
    "observational": r"observational|real[- ]world|naturalistic",
    "retrospective": r"retrospective|chart\s+review",
    "prospective_cohort": r"prospective(?:\s+cohort)?|cohort\s+stud(?:y|ies)",
    "case_series": r"case\s+(?:series|reports?)",
    "pilot": r"pilot\s+stud(?:y|ies)|proof[- ]of[- ]concept",
    "controlled": r"controlled\s+(?:clinical\s+)?trials?|clinical\s+trials?",
    "large_scale": r"large[- ]scale|large\s+(?:randomi[sz]ed\s+)?(?:trials|studies)",
    "review": r"(?:published|narrative|literature)\s+review|review\s+(?:of|article)",
}
RX_DESIGN = _rx("|".join(f"(?P<{k}>\\b(?:{v})\\b)" for k, v in _DESIGN_TERMS.items()))
_JOURNAL_CORE = (
    r"(?:(?:(?:The\s+)?(?:American|British|Canadian|European|International|Australian(?:\s+and\s+New\s+Zealand)?|Indian|"
    r"Chinese|Japanese|Scandinavian|Nordic|Asian|World)\s+)?Journal\s+of\s+(?:the\s+)?[A-Z][\w’'-]*"
    r"(?:\s+(?:and\s+|of\s+|&\s+|in\s+|on\s+|for\s+)?[A-Z][\w’'-]*){0,5}|"
    r"(?:JAMA|Lancet|BMJ|NEJM|Nature|PLOS|PLoS|Cochrane|Frontiers\s+in|Annals\s+of|Archives\s+of|Current|Molecular|"
    r"Biological|Translational|Experimental|Clinical|Psychological|CNS|Acta)(?:\s+(?:and\s+|of\s+|in\s+|&\s+)?[A-Z][\w’'-]*){0,4}|"
    r"New\s+England\s+Journal\s+of\s+Medicine|Neuropsychopharmacology|Psychopharmacology|Neuron|Science|Cell|"
    r"Psychiatry\s+Research|Depression\s+and\s+Anxiety|Anesthesia\s+(?:&|and)\s+Analgesia|The\s+Lancet(?:\s+Psychiatry)?|"
    r"[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?\s+(?:Psychiatry|Psychopharmacology|Neuroscience|Medicine|Reports|Research|Reviews))")
RX_JOURNAL = re.compile(rf"(?P<j>{_JOURNAL_CORE})")
_ORGS = (r"National\s+Institutes?\s+of\s+(?:Mental\s+)?Health|NIMH|NIH|Anxiety\s+(?:and|&)\s+Depression\s+Association"
         r"(?:\s+of\s+America)?|ADAA|Food\s+and\s+Drug\s+Administration|FDA|World\s+Health\s+Organi[sz]ation|WHO|"
         r"Centers\s+for\s+Disease\s+Control(?:\s+and\s+Prevention)?|CDC|SAMHSA|Substance\s+Abuse\s+and\s+Mental\s+Health"
         r"\s+Services\s+Administration|NICE|Cochrane(?:\s+Review)?|Mayo\s+Clinic|Cleveland\s+Clinic|Johns\s+Hopkins|"
         r"Harvard(?:\s+\w+)?|Yale(?:\s+(?:Medicine|University|School\s+of\s+Medicine))?|Stanford(?:\s+\w+)?|"
         r"Massachusetts\s+General\s+Hospital|Mount\s+Sinai|American\s+Psychiatric\s+Association|"
         r"American\s+Psychological\s+Association|Canadian\s+Psychological\s+Association|Royal\s+College\s+of\s+Psychiatrists|"
         r"National\s+Alliance\s+on\s+Mental\s+Illness|NAMI|Mental\s+Health\s+America|National\s+Comorbidity\s+Survey"
         r"(?:\s+Replication)?|NCS-R|Health\s+Canada|Statistics\s+Canada|CAMH|Braxia|Columbia\s+University|"
         r"American\s+Society\s+of\s+Ketamine\s+Physicians|ASKP3?")
RX_ORG = re.compile(rf"\b(?P<o>{_ORGS})\b")
RX_PAREN_CITE = re.compile(r"\((?P<src>[A-Z][^()]{2,120}?),?\s+(?P<year>(?:19|20)\d{2})[a-z]?\)")
RX_STUDY_YEAR = _rx(
    r"\b(?:in\s+)?(?P<year>(?:19|20)\d{2})\s+(?:[\w'’-]+\s+){0,3}?(?P<what>study|studies|trial|trials|review|"
    r"meta-analysis|analysis|paper|survey|report|research|article|experiment|publication|investigation)\b(?:\s+(?:study|trial|paper|review|article))?|"
    r"\b(?P<what2>study|studies|trial|review|meta-analysis|paper|survey|report|research|article)\s+"
    r"(?:[\w'’-]+\s+){0,4}?(?:published\s+)?in\s+(?P<year2>(?:19|20)\d{2})\b|"
    r"\b(?:et\s+al\.?|and\s+(?:colleagues|co-?workers|co-?authors|team))\s*,?\s*\(?(?P<year3>(?:19|20)\d{2})\)?")
RX_DECADE = _rx(r"\b(?:in\s+the\s+|since\s+the\s+|during\s+the\s+)?(?:(?:early|mid|late)[- ])?(?:19|20)\d0s\b")
RX_SINCE_YEAR = _rx(r"\b(?:since|in|from|by)\s+(?P<year>(?:19|20)\d{2})\b")
RX_ATTRIB = _rx(
    r"\b(?:according\s+to|published\s+(?:in|by)|a\s+published\s+(?:review|study|paper|trial)|"
    r"(?:studies|research|evidence|data|experts?|researchers|scientists|doctors|physicians|clinicians|trials|"
    r"findings|results|literature|reviews?|surveys?|(?:a|one|another|the|this|that|recent|new|early|emerging)\s+"
    r"(?:\w+\s+){0,2}?(?:study|trial|review|paper|report|survey|analysis|meta-analysis))\s+(?:\w+\s+){0,2}?"
    r"(?:show|shows|showed|shown|suggest|suggests|suggested|indicate|indicates|indicated|found|find|finds|"
    r"demonstrate|demonstrates|demonstrated|report|reports|reported|recommend|recommends|recommended|agree|agrees|"
    r"confirm|confirms|confirmed|support|supports|supported|highlight|highlights|highlighted|reveal|reveals|revealed|"
    r"conclude|concludes|concluded|say|says|note|notes|noted|tracked|investigated|explored|examined|observed)\b|"
    r"(?:has|have|had)\s+(?:also\s+)?(?:conducted|published|done|carried\s+out)\s+(?:\w+\s+){0,2}?(?:research|studies|"
    r"a\s+study|trials)|(?:wide|large|growing)\s+body\s+of\s+(?:\w+\s+)?(?:evidence|research|literature))")
RX_EFFICACY = _rx(
    r"\b(?:(?:significant(?:ly)?|substantial(?:ly)?|marked(?:ly)?|dramatic(?:ally)?|notabl[ey]|considerabl[ey]|"
    r"meaningful(?:ly)?|clinically\s+\w+)\s+(?:[\w'’-]+\s+){0,3}?(?:reduc\w*|improv\w*|decreas\w*|relief|"
    r"alleviat\w*|benefit\w*|promise|effects?|drops?|lower\w*|gains?|better)|"
    r"(?:reduc\w*|improv\w*|alleviat\w*|reliev\w*|eas(?:e|es|ed|ing)|manag(?:e|es|ed|ing)|lessen\w*|decreas\w*|"
    r"lower\w*|calm\w*|quiet\w*|help\w*\s+with)\s+(?:[\w'’-]+\s+){0,5}?(?:anxiety|symptoms?|"
    r"worry|worries|fears?|distress|mood|thoughts|panic|depression|functioning|confidence|tension|stress)|"
    r"(?:symptoms?|anxiety)\s+(?:[\w'’-]+\s+){0,3}?(?:vanish\w*|disappear\w*|improv\w*|decreas\w*|drop\w*|"
    r"fell|fall\w*|eased|lift\w*|resolv\w*)|"
    r"benefits?\s+(?:on|for|in)\s+\w+|symptom\s+improvement|symptom\s+relief|relief\s+from\s+(?:\w+\s+)?(?:anxiety|symptoms|depression)|"
    r"(?:is|are|be|was|were|been|proven|highly|very|remarkably)\s+effective|effective(?:ness)?\s+(?:for|in|at|against)|"
    r"efficacy(?:\s+rates?)?|success\s+rates?|response\s+rates?|remission\s+rates?|strong\s+response|"
    r"did(?:n['’]t|\s+not)\s+respond|(?:don['’]t|do\s+not|not)\s+respond|responded|non[- ]?respon\w+|"
    r"little\s+(?:to|or)\s+no\s+(?:relief|improvement|benefit|response)|"
    r"(?:shown|shows|showed|holds)\s+(?:\w+\s+)?promise|promising\s+(?:results|findings|option|treatment))")
RX_MOST_COMMON = _rx(
    r"\b(?:(?:are|is|was|were|remain|among)\s+)?(?:one\s+of\s+)?(?:among\s+)?the\s+(?:single\s+)?most\s+"
    r"(?:common|prevalent|frequent|widespread|frequently\s+\w+|commonly\s+\w+)\b(?:\s+[\w'’-]+){0,4}")
RX_MECHANISM = _rx(
    r"\b(?:NMDA|glutamat\w*|AMPA|BDNF|brain[- ]derived\s+neurotrophic\s+factor|synaptogenesis|synaptic\s+plasticity|"
    r"neuroplastic\w*|neurogenesis|mTOR|serotonin\w*|GABA\w*|dopamin\w*|opioid\s+receptors?|neurotransmitters?|"
    r"receptor\s+(?:antagonis\w+|blockade|agonis\w+)|default\s+mode\s+network|neural\s+(?:pathways|connections|circuits))")
RX_DIAGNOSIS = _rx(
    r"\b(?:treatment[- ](?:resistant|refractory)\s+(?:\w+\s+)?(?:depression|anxiety|disorders?)|TRD|suicidal\s+ideation|"
    r"(?:major\s+)?depressive\s+disorder|MDD|generali[sz]ed\s+anxiety(?:\s+disorder)?|GAD|social\s+anxiety(?:\s+disorder)?|"
    r"social\s+phobia|SAD|post[- ]?traumatic\s+stress(?:\s+disorder)?|PTSD|obsessive[- ]compulsive(?:\s+disorder)?|OCD|"
    r"panic\s+disorder|bipolar\s+(?:disorder|depression)|anxious\s+depression|refractory\s+\w+|"
    r"(?:healthy|adult|elderly|adolescent)\s+(?:volunteers|patients|participants|adults))\b")
# A cheap gate: a sentence is examined only if it has a digit, '%' or one of these word stems. A set lookup
# per word prefix is ~20x faster than one big regex alternation on long non-claim text.
_TRIGGER_EXACT = frozenset("""one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred dozen couple half
most than vs versus iv im sc sq or rr hr smd nnt nnh fda ema nimh adaa who cdc nih nmda ampa bdnf gaba mg kg day days
cure cures cured safe safer safety oral orally rct rcts""".split())
_TRIGGER_STEMS = frozenset("""percent majorit million thousand billion approv label journal study studie trial research
review analys meta within minute hour week month year immediat instant rapid quick fast onset last durab persist sustain
maintena remission relaps wane fade wear return compar unlike contrast wherea outlast standard rarely never always
side advers dissociat nausea dizz blood heart toleran depend addict abuse cognitiv interact interfer intraven nasal
intranasal subcutan intramusc infus dose dosing blind randomi placebo crossover cross-over open-label observation
real-world retrospect anesthe anaesthe painkill glutamat synap neuroplast serotonin receptor neurotrans reduc improv
alleviat reliev effective efficacy success respon symptom benefit promis relief accord publish expert evidence yale
harvard institut associat center centre common prevalen combin enhanc consider manag help treat esketamine spravato
third quarter fifth tenth sedat harm lozenge tablet sublingual fold times ratio odds""".split())
_STEM_LENS = tuple(sorted({len(x) for x in _TRIGGER_STEMS}))
_WORDS = re.compile(r"[a-z]+")
_DIGIT_OR_PCT = re.compile(r"[\d%]")


def triggered(text: str) -> bool:
    """Could this sentence hold a claim? (digits, '%', or a trigger word stem)"""
    if _DIGIT_OR_PCT.search(text):
        return True
    for w in _WORDS.findall(text.lower()):
        if w in _TRIGGER_EXACT:
            return True
        n = len(w)
        for k in _STEM_LENS:
            if k > n:
                break
            if w[:k] in _TRIGGER_STEMS:
                return True
    return False


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


# --------------------------------------------------------------- figure detectors

def _d_nnt(c: _Ctx) -> None:
    t = c.t
    for m in RX_NNT_TERM.finditer(t):
        harm = (m.group("w") or "").lower() == "harm" or (m.group("t") or "").upper() == "H"
        v = parse_number(m.group("v"))
        if v is None or not c.free(*m.span()):
            continue
        c.add("nnh" if harm else "nnt", m.start(), m.end(), take=True, value=v, unit="patients",
              qualifier="exact", raw={"claimed_value": raw_digits(m.group("v"))}, kind="nnt-term")
    for m in RX_NNH_PHRASE.finditer(t):
        v = parse_number(m.group("v"))
        if v is None or not c.free(*m.span()):
            continue
        c.add("nnh", m.start(), m.end(), take=True, value=v, unit="patients", qualifier=qualifier_of(m.group("h")),
              raw={"claimed_value": raw_digits(m.group("v"))}, kind="nnh-phrase")
    for m in RX_NNT_PHRASE.finditer(t):
        v = parse_number(m.group("v"))
        if v is None or not c.free(*m.span()):
            continue
        b = _extend_right(t, m.end(), r"\s+(?:patient\s+)?to\s+(?:\w+\s+){0,3}?(?:improve|benefit|respond|recover|"
                                      r"get\s+better|see\s+\w+)\b(?:\s+\w+ly)?")
        c.add("nnt", m.start(), b, take=True, value=v, unit="patients", qualifier=qualifier_of(m.group("h")),
              raw={"claimed_value": raw_digits(m.group("v"))}, kind="nnt-phrase")
    for rx in (RX_NNT_EVERY, RX_ONE_IN):
        for m in rx.finditer(t):
            v = parse_number(m.group("v"))
            if v is None or not c.free(*m.span()):
                continue
            tail = m.group("tail") or ""
            harm = bool(_SAFETY.search(tail)) or bool(re.search(r"\bharm", tail, re.I))
            good = re.search(r"\b(?:benefit|respond|improv|recover|remission|better|helped)", tail, re.I)
            if not harm and not good:
                continue
            c.add("nnh" if harm else "nnt", m.start(), m.end(), take=True, value=v, unit="patients",
                  qualifier="exact", raw={"claimed_value": raw_digits(m.group("v"))}, kind="nnt-every")


def _d_effect(c: _Ctx) -> None:
    t = c.t
    for m in RX_EFFECT.finditer(t):
        name = m.group("m")
        low = name.lower()
        if low in ("g", "d") and not re.search(r"(?:hedges|cohen)", t[max(0, m.start() - 12):m.start()], re.I):
            if not re.search(r"effect\s+size", t[max(0, m.start() - 30):m.start()], re.I):
                continue
        if name in ("OR",) and not re.match(r"\s*(?:of|=|:|≈|~|was|\(|\d)", t[m.end("m"):m.end("m") + 6]):
            continue
        if not c.free(*m.span()):
            continue
        measure = ("OR" if "odds" in low or name in ("OR", "aOR") else "RR" if "risk" in low or name == "RR"
                   else "HR" if "hazard" in low or name == "HR" else "SMD" if "standard" in low or name == "SMD"
                   or "effect size" in low or "hedges" in low or "cohen" in low or low in ("g", "d")
                   else "MD" if "mean diff" in low else name.upper())
        b = _extend_right(t, m.end(), r"\s*[,;]?\s*\(?\s*95\s?%\s*(?:CI|confidence\s+interval)[^)]{0,40}\)?")
        c.add("effect_size", m.start(), b, take=True, value=float(m.group("v")), unit=measure,
              qualifier=qualifier_of(m.group("h")), raw={"claimed_value": m.group("v")}, kind="effect",
              text=measure)
    # "2.5 times (more likely|the odds)"
    for m in re.finditer(rf"(?:(?P<h>{HEDGE})\s+)?\b(?P<v>{_DIGITS}|\b{_NUM_WORD}\b)[- ](?:times|fold)\s+"
                         r"(?:more|less|higher|lower|greater|as)\b(?:\s+(?:likely|effective|odds|risk))?", t, re.I):
        v = parse_number(m.group("v"))
        if v is None or not c.free(*m.span()):
            continue
        c.add("effect_size", m.start(), m.end(), take=True, value=v, unit="ratio",
              qualifier=qualifier_of(m.group("h")), raw={"claimed_value": raw_digits(m.group("v"))}, kind="times")


def _d_dose(c: _Ctx) -> None:
    t = c.t
    for m in RX_DOSE.finditer(t):
        if not c.free(*m.span()):
            continue
        u = re.sub(r"\s+", "", m.group("u").lower())
        unit = "mg/kg" if "kg" in u or "kilogram" in u else ("mg" if u.startswith(("mg", "milli")) else u)
        if "per kg" in m.group("u").lower() or "perkg" in u:
            unit = "mg/kg"
        v = float(m.group("v"))
        if m.group("lo"):
            lo = float(m.group("lo"))
            c.add("dose_route", m.start(), m.end(), take=True, low=lo, high=v, unit=unit, qualifier="range",
                  raw={"claimed_low": m.group("lo"), "claimed_high": m.group("v")}, kind="dose")
        else:
            c.add("dose_route", m.start(), m.end(), take=True, value=v, unit=unit,
                  qualifier=qualifier_of(m.group("h")), raw={"claimed_value": m.group("v")}, kind="dose")
    dosing = re.search(r"\b(?:dos\w+|infus\w*|mg|IV|intravenous\w*|administ\w+|inject\w*|session|given|drip)", t, re.I)
    if not dosing:
        return
    for m in RX_OVER_MIN.finditer(t):
        if not c.free(*m.span()):
            continue
        u = m.group("u").lower()
        unit = "minutes" if u.startswith("min") else "hours"
        kw = {}
        if m.group("lo"):
            kw = dict(low=parse_number(m.group("lo")), high=parse_number(m.group("v")), qualifier="range",
                      raw={"claimed_low": raw_digits(m.group("lo")), "claimed_high": raw_digits(m.group("v"))})
        else:
            kw = dict(value=parse_number(m.group("v")), qualifier=qualifier_of(m.group("h")),
                      raw={"claimed_value": raw_digits(m.group("v"))})
        a = m.start()
        pre = re.search(r"(?:typically|usually|often|generally|normally)\s+$", t[max(0, a - 14):a], re.I)
        if pre:
            a -= len(pre.group(0))
        c.add("dose_route", a, m.end(), take=True, unit=unit, kind="duration", **kw)


def _d_ratio(c: _Ctx) -> None:
    t = c.t
    for m in RX_X_OF_Y.finditer(t):
        x, y = parse_number(m.group("x")), parse_number(m.group("y"))
        if x is None or y is None or y <= 0 or x > y or not c.free(*m.span()):
            continue
        if re.fullmatch(r"(?:19|20)\d{2}", m.group("y")):
            continue
        ctype = classify_share(t, m.start(), m.end())
        if ctype in ("prevalence", "other") and _STUDY_CUES.search(t):
            ctype = "response_rate"
        c.add(ctype, m.start(), m.end(), take=True, value=round(100.0 * x / y, 2), unit="%", qualifier="exact",
              text=f"{m.group('x')} of {m.group('y')}", kind="x-of-y")
    for m in RX_N_IN_M.finditer(t):
        n, mm = parse_number(m.group("n")), parse_number(m.group("m"))
        if n is None or mm is None or mm <= 0 or n > mm or not c.free(*m.span()):
            continue
        a, b = m.start(), m.end()
        noun = (m.group("noun") or "")
        if m.group("noun") and not re.search(rf"\b(?:{_PEOPLE}|U\.S\.|US|American)\b", noun, re.I):
            b = m.end("m")  # "1 in 5 experience ..." — keep the quote on the ratio
            if m.group("pct"):
                b = m.end()
        pct = m.group("pct")
        if pct:
            pm = re.search(rf"(?P<h>{HEDGE})?\s*(?P<v>{_DIGITS})\s*%", pct, re.I)
            if pm:
                val, raw_v, q = float(pm.group("v").replace(",", "")), raw_digits(pm.group("v")), qualifier_of(
                    m.group("h") or pm.group("h"))
            else:
                continue
        else:
            val, raw_v, q = 100.0 * n / mm, None, qualifier_of(m.group("h"))
        ctype = classify_share(t, a, b)
        if ctype == "other" and re.search(r"\b(?:adults|Americans|people|women|men|children|adolescents|teens)\b",
                                          noun, re.I) and not _STUDY_CUES.search(t):
            ctype = "prevalence"  # "one in eight adults …": a share of a population
        c.add(ctype, a, b, take=True, value=round(val, 4), unit="%", qualifier=q, text=f"{m.group('n')} in {m.group('m')}",
              raw={"claimed_value": raw_v}, kind="n-in-m")


def _d_percent(c: _Ctx) -> None:
    t = c.t
    for m in RX_PCT_RANGE.finditer(t):
        if not c.free(*m.span()) or RX_CI_AFTER.match(t, m.end()):
            continue
        lo, hi = parse_number(m.group("lo")), parse_number(m.group("hi"))
        if lo is None or hi is None or lo > hi:
            continue
        b = _extend_right(t, m.end(), _PEOPLE_TAIL)
        c.add(classify_share(t, m.start(), m.end()), m.start(), b, take=True, low=lo, high=hi, unit="%",
              qualifier="range", raw={"claimed_low": raw_digits(m.group("lo")), "claimed_high": raw_digits(m.group("hi"))},
              kind="pct-range")
    for m in RX_PCT.finditer(t):
        if not c.free(*m.span()) or RX_CI_AFTER.match(t, m.end()):
            continue
        v = parse_number(m.group("v"))
        if v is None:
            continue
        a = m.start()
        # "(13%)" right after a phrase: keep the parenthesis context in the quote
        b = _extend_right(t, m.end(), _PEOPLE_TAIL + _CHANGE_TAIL)
        if t[max(0, a - 1):a] == "(" and t[b:b + 1] == ")":
            b += 1
            pre = re.search(r"(?:[\w.'’-]+\s+){1,5}\($", t[max(0, a - 60):a])
            if pre:
                a -= len(pre.group(0))
        c.add(classify_share(t, m.start(), m.end()), a, b, take=True, value=v, unit="%",
              qualifier=qualifier_of(m.group("h")), raw={"claimed_value": raw_digits(m.group("v"))}, kind="pct")


def _before_of(m: re.Match) -> int:
    """End of a 'half of' / 'majority of' match without its 'of' (the context classifier reads 'of …')."""
    g = m.group(0)
    k = re.search(r"\s+of$", g)
    return m.start() + k.start() if k else m.end()


def _d_shares(c: _Ctx) -> None:
    t = c.t
    for m in RX_HALF.finditer(t):
        if not c.free(*m.span()):
            continue
        b = _extend_right(t, m.end(), r"(?:\s+(?:the\s+|their\s+|all\s+|those\s+)?(?:[\w.'’-]+\s+){0,3}?(?:" + _PEOPLE +
                          r"|those|them|symptoms|cases))?")
        h = (m.group("h") or "").lower()
        q = "half" if not h or h in ("nearly", "almost", "about", "around", "roughly", "approximately", "close to") \
            else qualifier_of(h)
        c.add(classify_share(t, m.start(), _before_of(m)), m.start(), b, take=True, value=50.0, unit="%", qualifier=q,
              text="half", kind="half")
    for m in RX_FRACTION.finditer(t):
        if not c.free(*m.span()):
            continue
        f = m.group("f").lower().replace("-", " ").split()[-1]
        v = _FRACTIONS.get(f)
        if v is None:
            continue
        b = _extend_right(t, m.end(), r"\s+(?:the\s+|their\s+|all\s+|those\s+)?(?:[\w.'’-]+\s+){0,3}?(?:" + _PEOPLE +
                          r"|those|them)")
        c.add(classify_share(t, m.start(), _before_of(m)), m.start(), b, take=True, value=round(v, 2), unit="%",
              qualifier=qualifier_of(m.group("h"), "approx"), text=m.group("f"), kind="fraction")
    for m in RX_MAJORITY.finditer(t):
        if not c.free(*m.span()):
            continue
        b = _extend_right(t, m.end(), r"\s+(?:the\s+|their\s+|all\s+|those\s+)?(?:[\w.'’-]+\s+){0,3}?(?:" + _PEOPLE +
                          r"|those|them)") if m.group(0).lower().rstrip().endswith("of") else m.end()
        c.add(classify_share(t, m.start(), _before_of(m)), m.start(), b, take=True, unit="%", qualifier="majority",
              text="majority", kind="majority")


def _d_counts(c: _Ctx) -> None:
    t = c.t
    for m in RX_COUNT.finditer(t):
        if not c.free(*m.span()):
            continue
        n = parse_number(m.group("n"))
        if n is None:
            continue
        raw_n = m.group("n")
        if re.fullmatch(r"(?:19|20)\d{2}", raw_n) and not m.group("scale"):
            continue  # a year ("2018 patients" is rarer than "a 2018 study")
        if re.search(r"\d[\d,.]*\s*$", t[max(0, m.start() - 8):m.start()]) or t[max(0, m.start() - 1):m.start()] in ".-/":
            continue  # part of a bigger number or range we do not understand
        scale = _SCALE.get((m.group("scale") or "").lower(), 1.0)
        value = n * scale
        noun = m.group("noun").lower()
        adj = (m.group("adj") or "").lower()
        if re.search(r"\b(?:years?|old|hours?|minutes?|weeks?|days?|months?|mg)\b", adj):
            continue
        if noun in _STUDY_UNITS.lower().split("|"):
            ctype, unit = "sample_size", noun
        elif noun in _SESSION_UNITS.split("|"):
            ctype, unit = "dose_route", noun
        elif noun in ("classes", "drugs", "medications"):
            ctype, unit = "other", noun
        else:
            study = _STUDY_CUES.search(t)
            prev = _PREV_CUES.search(t)
            if prev and (scale >= 1e6 or not study or re.search(r"\b(?:affect\w*|impact\w*|suffer\w*|each\s+year|annual\w*|"
                                                                 r"nationwide|worldwide|in\s+the\s+U\.?S)", t, re.I)
                         and not re.search(r"\b(?:trial|enrolled|randomi|participants|experiment|study\s+of)", t, re.I)):
                ctype = "prevalence"
            else:
                ctype = "sample_size"
            unit = noun if noun in ("adults", "patients", "participants", "people", "women", "men") else noun
        if m.group("lo"):
            lo = parse_number(m.group("lo"))
            if lo is None or lo > n:
                continue
            c.add(ctype, m.start(), m.end(), take=True, low=lo * scale, high=value, unit=unit, qualifier="range",
                  raw={"claimed_low": raw_digits(m.group("lo")), "claimed_high": raw_digits(raw_n)}, kind="count-range")
        else:
            raw_v = raw_digits(raw_n)
            if raw_v and scale != 1.0:
                raw_v = None
            c.add(ctype, m.start(), m.end(), take=True, value=value, unit=unit, qualifier=qualifier_of(m.group("h")),
                  raw={"claimed_value": raw_v}, kind="count")
    for m in RX_VAGUE_COUNT.finditer(t):
        if not c.free(*m.span()):
            continue
        prev = _PREV_CUES.search(t)
        ctype = "prevalence" if prev else ("sample_size" if m.group("noun") and _STUDY_CUES.search(t) else "other")
        c.add(ctype, m.start(), m.end(), take=True, unit=(m.group("noun") or "people").lower(), qualifier="categorical",
              text=m.group("w").lower(), kind="vague-count")


# --------------------------------------------------------------- word detectors

def _d_route(c: _Ctx) -> None:
    t = c.t
    seen = set()
    for m in RX_ROUTE.finditer(t):
        code = ("IV" if m.group("iv") else "SC" if m.group("sc") else "IM" if (m.group("im") or m.group("im2"))
                else "intranasal" if m.group("nasal") else "oral")
        if code in seen:
            continue
        if code == "oral" and not re.search(r"\bketamine|\bdose|\bform|\btaken|\bmedication|\bdrug|\btablet|\blozenge",
                                            t, re.I):
            continue
        if code == "IM" and not re.search(r"\bketamine|\binject|\bdose", t, re.I):
            continue
        seen.add(code)
        a, b = m.start(), m.end()
        # quote the phrase "intravenous racemic ketamine" / "IV ketamine"
        ext = re.compile(r"(?:\s+(?:racemic|infusions?\s+of|injections?\s+of|administration\s+of|form\s+of))?\s+"
                         r"(?:ketamine|esketamine|infusions?|injections?|administration|dosing|route)\b", re.I).match(t, b)
        if ext:
            b = ext.end()
        c.add("dose_route", a, b, qualifier="categorical", text=code, kind="route")


def _time_unit(u: str) -> str:
    u = u.lower().rstrip("s")
    return {"min": "minutes", "minute": "minutes", "hr": "hours", "hour": "hours", "day": "days", "week": "weeks",
            "month": "months", "year": "years", "second": "seconds"}.get(u, u + "s")


def _d_timing(c: _Ctx) -> None:
    t = c.t
    safety_ctx = _SAFETY.search(t)
    for m in RX_WITHIN.finditer(t):
        prep = m.group("prep").lower()
        if prep.endswith("to") and not prep.startswith("up"):
            continue
        a, b = m.start(), m.end()
        q = (m.group("q") or "").strip().lower()
        unit = _time_unit(m.group("u"))
        kw: dict = {"unit": unit, "kind": "within"}
        q = re.sub(r"^the\s+first\s+(?=\S)", "", q) if re.match(r"the\s+first\s+\S", q) else q
        num = re.match(rf"(?P<lo>\d+(?:\.\d+)?|{_NUM_WORD})(?:\s*(?:-|–|to|or)\s*(?P<hi>\d+|{_NUM_WORD}))?$", q, re.I)
        if num and num.group("hi"):
            kw.update(low=parse_number(num.group("lo")), high=parse_number(num.group("hi")), qualifier="range")
        elif num and parse_number(num.group("lo")) is not None:
            kw.update(value=parse_number(num.group("lo")), raw={"claimed_value": raw_digits(num.group("lo"))},
                      qualifier="up_to" if prep.startswith(("within", "in", "up")) else qualifier_of(m.group("h")))
        elif q in ("a", "an", "one", "the first"):
            kw.update(value=1.0, qualifier="up_to")
        elif (q, unit) in VAGUE_TIME and prep.startswith(("within", "in")):
            lo, hi, u = VAGUE_TIME[(q, unit)]
            kw.update(low=lo, high=hi, unit=u, qualifier="range", text=f"{prep} {q} {unit}".replace("  ", " ").strip())
        else:
            kw.update(qualifier="categorical", text=f"{prep} {q} {unit}".replace("  ", " ").strip())
        left = t[max(0, a - 70):a]
        right = t[b:b + 50]
        if RX_SUBSIDE.search(left) and not re.search(r"benefit|relief|improve|effect of (?:the )?treatment", left, re.I):
            ctype = "safety"
        elif RX_STOP.search(left[-45:]) or re.match(r"\s+(?:of|after)\s+(?:stopping|discontinu\w*|the\s+last|the\s+final|"
                                                     r"ending|finishing|treatment\s+(?:end|cessation))", right, re.I) \
                or (prep.startswith("up") and re.search(r"\blast\w*", left[-30:], re.I)):
            ctype = "durability"
        elif prep.startswith("up") and not re.search(r"\blast|\bsession|\bremission|\bbenefit", left[-40:], re.I):
            continue
        elif re.search(r"\bsession|\btreatment\s+takes|\bappointment|\binfusion\s+(?:takes|lasts)", left[-50:], re.I):
            ctype = "dose_route"
        else:
            ctype = "onset"
        if ctype == "onset" and safety_ctx and re.search(r"side|adverse|nausea|dizz|dissoc", left, re.I):
            ctype = "safety"
        if m.group("u2"):
            u2 = _time_unit(m.group("u2"))
            kw.pop("value", None)
            kw.pop("raw", None)
            kw.update(text=f"{q} {unit} to {u2}".strip(), qualifier="categorical", low=None, high=None)
            if not q and (unit, u2) in VAGUE_SPAN:
                lo, hi, u = VAGUE_SPAN[(unit, u2)]
                kw.update(low=lo, high=hi, unit=u, qualifier="range")
        if not c.has(ctype, a, b) and c.free(a, b):
            c.add(ctype, a, b, **kw)
    for m in RX_TIME_RANGE.finditer(t):
        a, b = m.start(), m.end()
        if any(c0.start - c.s.start <= a and b <= c0.end - c.s.start for c0 in c.claims):
            continue
        left = t[max(0, a - 40):a]
        comp = re.search(r"\b(?:take|takes|taking|required?|need|compared|contrast|unlike|traditional|SSRIs?|"
                         r"antidepressants?|conventional|medications?)\b", left + t[b:b + 40], re.I)
        ctype = "comparison" if comp else "onset"
        if not c.has(ctype, a, b):
            span = VAGUE_SPAN.get((m.group("u").lower(), m.group("u2").lower())) if ctype == "onset" else None
            if span:
                c.add(ctype, a, b, qualifier="range", low=span[0], high=span[1], unit=span[2],
                      text=m.group(0).lower(), kind="time-range")
            else:
                c.add(ctype, a, b, qualifier="categorical", text=m.group(0).lower(), kind="time-range")
    for m in RX_ONSET_WORDS.finditer(t):
        a, b = m.start(), m.end()
        if c.has("onset", a - 40, b + 40):
            continue
        if re.match(r"\s*(?:to\s+|and\s+)?(?:changing|growing|evolving|paced|expanding|spreading)", t[b:b + 14], re.I):
            continue
        ext = re.compile(r"(?:\s+(?:and\s+)?[\w'’-]+){0,3}?\s+(?:relief|onset|action|effects?|results|acting|"
                         r"improvement|response|reduc\w*|allevia\w*|reliev\w*)\b", re.I).match(t, b, min(len(t), b + 50))
        if ext:
            b = ext.end()
        word = m.group(0).lower()
        if re.match(r"(?:rapid|quick|fast|swift|speedy)", word) and not re.search(r"onset|time\s+to", word):
            c.add("onset", a, b, qualifier="range", low=0.0, high=24.0, unit="hours", text=word, kind="onset-word")
        else:
            c.add("onset", a, b, qualifier="categorical", text=word, kind="onset-word")
    for m in RX_DURATION_NUM.finditer(t):
        a, b = m.start(), m.end()
        if not c.free(a, b) or c.has("durability", a, b):
            continue
        if re.search(r"\bsession|\binfusion\s+(?:takes|lasts)|\bover\s*$", t[max(0, a - 30):a], re.I):
            continue
        unit = _time_unit(m.group("u"))
        v = parse_number(m.group("v"))
        if v is None:
            continue
        kw = dict(value=v, qualifier=qualifier_of(m.group("h")), raw={"claimed_value": raw_digits(m.group("v"))})
        if m.group("lo"):
            lo = parse_number(m.group("lo"))
            kw = dict(low=lo, high=v, qualifier="range",
                      raw={"claimed_low": raw_digits(m.group("lo")), "claimed_high": raw_digits(m.group("v"))})
        c.add("durability", a, b, unit=unit, kind="duration-num", text=m.group(0).lower(), **kw)
    for m in RX_DURABILITY.finditer(t):
        a, b = m.start(), m.end()
        if c.has("durability", a - 20, b + 20):
            continue
        w = m.group(0).lower()
        if w in ("lasting",) and re.search(r"\bsession", t[max(0, a - 30):a], re.I):
            continue
        if re.match(r"long[- ]term", w) and re.match(r"\s+(?:effects?|impact|risks?|safety|side)", t[b:b + 12], re.I) \
                and not re.search(r"benefit|relief|improve", t[b:b + 30], re.I):
            if _SAFETY.search(t[b:b + 40]) or re.match(r"\s+risks?", t[b:b + 8], re.I):
                continue
        if re.match(r"(?:wane|wanes|waned|fade|fades|faded|wear|wears|wore)", w):
            ext = re.compile(r"\s+(?:\w+\s+){0,4}?(?:stopping|time|treatment)\b", re.I).match(t, b, min(len(t), b + 40))
            if ext:
                b = ext.end()
        c.add("durability", a, b, qualifier="categorical", text=w, kind="durability")


def _d_compare(c: _Ctx) -> None:
    t = c.t
    for m in RX_COMPARE.finditer(t):
        a, b = m.start(), m.end()
        if c.has("comparison", a, b):
            continue
        w = m.group(0)
        if re.match(r"(?:more|less|better|greater|higher|lower)\s", w, re.I) and re.search(r"\b(?:rather|other)\s+than$",
                                                                                           w, re.I):
            continue
        if re.match(r"(?:unlike|whereas|compared|in\s+comparison|versus|vs)", w, re.I):
            ext = re.compile(r"\s*(?:[\w'’()-]+[\s,]+){0,6}?(?:weeks|months|years|days|hours|effective|efficacy|"
                             r"side\s+effects|relief|results|treatments?|medications?|SSRIs?|therapy|placebo)\b",
                             re.I).match(t, b, min(len(t), b + 80))
            if ext:
                b = ext.end()
        if re.match(r"(?:take|takes|taking|took|require|requires|required|requiring|need)\b", w, re.I):
            ext = re.compile(r"\s+(?:or\s+(?:even\s+)?(?:weeks|months|years)\s*)?(?:to|before|until)\s+(?:[\w'’-]+\s+){0,4}?"
                             r"(?:effective|work\w*|efficacy|results|effect|relief|kick\s+in)\b", re.I).match(t, b,
                                                                                                     min(len(t), b + 60))
            if ext:
                b = ext.end()
        c.add("comparison", a, b, qualifier="categorical", text=re.sub(r"\s+", " ", w.lower()), kind="compare")
    for m in RX_ABSOLUTE.finditer(t):
        if c.has("other", m.start(), m.end()):
            continue
        c.add("other", m.start(), m.end(), qualifier="categorical", text=m.group(0).lower(), kind="absolute")


def _d_regulatory(c: _Ctx) -> None:
    t = c.t
    for m in RX_APPROVAL.finditer(t):
        verb = m.group("verb").lower()
        rest = m.group("rest") or ""
        a, b = m.start(), m.end("verb")
        if verb in ("indicated",) and not re.match(r"\s+for\b", rest):
            continue
        if verb.startswith("clear") and not (m.group("fda") or re.search(r"\bFDA\b", t, re.I)):
            continue
        if verb.startswith(("approv", "licens", "authori", "sanction")) and not (
                m.group("fda") or re.search(r"\b(?:FDA|Food\s+and\s+Drug|EMA|Health\s+Canada|regulator\w*|"
                                            r"approved\s+(?:for|as|to|in|by))", t[max(0, a - 80):b + 40], re.I)):
            continue
        neg = bool(m.group("neg")) or bool(re.search(r"\b(?:not|n['’]t|never|no)\s+(?:\w+\s+){0,3}$", t[max(0, a - 30):a], re.I))
        if verb.startswith("off"):
            neg = True
        ind = re.match(r"\s*(?:(?:by|from)\s+(?:the\s+)?(?:U\.?S\.?\s+)?(?:FDA|Food\s+and\s+Drug\s+Administration|\w+)\s*)?"
                       r"(?:(?:in|since)\s+(?:19|20)\d{2}\s*)?,?\s*(?:for|to\s+treat|as)\s+"
                       r"(?:the\s+treatment\s+of\s+|treating\s+|use\s+in\s+|use\s+as\s+)?(?:(?:an?|the|any)\s+)?"
                       r"(?P<ind>[\w'’-]+(?:\s+(?!(?:though|but|and|which|however|in|as|by|since|while|when|it|yet|"
                       r"or|with)\b)[\w'’-]+){0,3})", rest, re.I)
        indication = ""
        if ind:
            indication = ind.group("ind").strip().lower()
            b = m.end("verb") + ind.end("ind")
        drug = "esketamine" if re.search(r"esketamine|spravato", t, re.I) else "ketamine"
        # claimed_text in the words a label or notice uses ("not FDA approved", "approved for depression")
        agency = "FDA " if (m.group("fda") or re.search(r"\bFDA\b|Food\s+and\s+Drug", t)) else ""
        if re.search(r"an(?:a)?esthe|painkiller|analges|sedat", indication):
            indication = "anesthetic"
        if verb.startswith("off"):
            text = "off-label" + (f" for {indication}" if indication else "")
        elif indication == "anesthetic" and not neg:
            text = "anesthetic"
        elif neg:
            text = f"not {agency}approved"
        else:
            text = f"{agency}approved" + (f" for {indication}" if indication else "")
        a2 = a
        pre = re.search(r"(?:(?:is|was|are|has\s+been|have\s+been|been|it['’]s|it\s+is|currently|yet|now|only|also|"
                        r"though|although|but)\s+)+$", t[max(0, a - 40):a], re.I)
        if pre and not m.group("neg"):
            a2 = a - len(pre.group(0))
        c.add("regulatory_status", a2, b, qualifier="categorical", text=text, named_source=None, kind="approval",
              raw={"drug": drug, "indication": indication})
    for m in RX_ANESTHETIC.finditer(t):
        if c.has("regulatory_status", m.start(), m.end()):
            continue
        c.add("regulatory_status", m.start(), m.end(), qualifier="categorical",
              text=re.sub(r"\s+", " ", m.group("what").lower()).replace("anaesthetic", "anesthetic"),
              kind="anesthetic", raw={"drug": "ketamine"})
    for m in re.finditer(r"\b(?:Spravato|esketamine)\b", t, re.I):
        if c.has_type("regulatory_status"):
            break
        if re.search(r"\bFDA|approv|clear", t, re.I):
            c.add("regulatory_status", m.start(), m.end(), qualifier="categorical", text="esketamine", kind="spravato",
                  raw={"drug": "esketamine"})
            break


_DESIGN_CODE_ORDER = ("crossover", "meta_analysis", "systematic_review", "open_label", "retrospective",
                      "prospective_cohort", "observational", "case_series", "pilot", "randomized", "controlled", "review",
                      "large_scale")


def _design_code(found: set[str]) -> str:
    if "crossover" in found:
        return "crossover_rct" if ("randomized" in found or "controlled" in found or "placebo" in found) else "crossover"
    if "meta_analysis" in found:
        return "meta_analysis"
    if "systematic_review" in found:
        return "systematic_review"
    if "open_label" in found:
        return "open_label"
    if "retrospective" in found:
        return "retrospective"
    if "prospective_cohort" in found:
        return "prospective_cohort"
    if "observational" in found:
        return "observational"
    if "case_series" in found:
        return "case_series"
    if "randomized" in found or ("controlled" in found and "placebo" in found):
        # "a randomized trial" does not say parallel or crossover: "rct" matches either design
        return "rct"
    if "pilot" in found:
        return "pilot"
    if "controlled" in found or "large_scale" in found:
        return "controlled_trial"
    if "review" in found:
        return "narrative_review"
    return ""


def _d_design(c: _Ctx) -> None:
    t = c.t
    hits = [(m.lastgroup, m.start(), m.end()) for m in RX_DESIGN.finditer(t)]
    if not hits:
        return
    # group hits that sit close together ("double-blind, randomized, placebo-controlled crossover trial")
    groups: list[list[tuple[str, int, int]]] = []
    for h in hits:
        if groups and h[1] - groups[-1][-1][2] <= 30:
            groups[-1].append(h)
        else:
            groups.append([h])
    all_found = {k for k, _, _ in hits}
    specific = ("crossover", "meta_analysis", "systematic_review", "open_label", "retrospective", "prospective_cohort",
                "observational", "case_series")
    code_done = False
    for g in groups:
        found = {k for k, _, _ in g}
        if not code_done and not (found & set(specific)) and (all_found & set(specific)):
            found_for_code = set()  # this group only says "randomized"; the sentence's main design is elsewhere
        else:
            found_for_code = all_found if not code_done else (found if found & set(specific) else set())
        a, b = g[0][1], g[-1][2]
        ext = re.compile(r"(?:\s+[\w'’-]+){0,2}?\s+(?:trials?|stud(?:y|ies)|experiments?|reviews?|analys[ie]s|design|"
                         r"RCTs?)\b", re.I).match(t, b, min(len(t), b + 40))
        if ext:
            b = ext.end()
        pre = re.search(r"(?:\b(?:a|an|the|this|one|another)\s+(?:[\w'’-]+\s+){0,2}?)$", t[max(0, a - 30):a], re.I)
        if pre and not re.search(r"\d", pre.group(0)):
            a -= len(pre.group(0))
        blind = [k for k in ("double_blind", "single_blind") if k in found]
        code = _design_code(found_for_code) if found_for_code else ""
        if code:
            code_done = True
        if blind:
            bs = min(s for k, s, e in g if k in blind)
            be = max(e for k, s, e in g if k in blind)
            c.add("design", bs, be, qualifier="categorical", text=blind[0], kind="blinding", raw={"field": "blinding"})
        if "placebo" in found:
            ps = min(s for k, s, e in g if k == "placebo")
            pe = max(e for k, s, e in g if k == "placebo")
            c.add("design", ps, pe, qualifier="categorical", text="placebo", kind="control", raw={"field": "control"})
        if code:
            c.add("design", a, b, qualifier="categorical", text=code, kind="design", raw={"field": "design"})
        elif "open_label" in found and not blind:
            c.add("design", a, b, qualifier="categorical", text="open", kind="blinding", raw={"field": "blinding"})


def _clean_source(name: str) -> str:
    return re.sub(r"\s+", " ", name.strip(" ,.;:’'\""))


def _d_attribution(c: _Ctx) -> None:
    t = c.t
    named: list[tuple[int, int, str]] = []
    for m in RX_PAREN_CITE.finditer(t):
        src = _clean_source(m.group("src"))
        if re.fullmatch(r"(?:e\.g\.|see|n\s*=|p\s*[<=]).*", src, re.I) or re.search(r"\d\s*%", src):
            continue
        c.add("attribution", m.start(), m.end(), qualifier="categorical", text=src, named_source=src,
              kind="cite-source", raw={"field": "journal", "year": m.group("year")})
        c.add("attribution", m.start(), m.end(), qualifier="categorical", text=m.group("year"), named_source=src,
              kind="cite-year", raw={"field": "year"})
        named.append((m.start(), m.end(), src))
    for m in RX_JOURNAL.finditer(t):
        j = _clean_source(m.group("j"))
        if any(a <= m.start() < b for a, b, _ in named):
            continue
        if re.fullmatch(r"(?:Clinical|Current|Experimental|Psychological|Molecular|Biological|Translational|Acta|CNS)"
                        r"(?:\s+\w+)?", j) and not re.search(r"\bpublished|\bjournal|\bin\s+" + re.escape(j), t):
            continue
        if re.fullmatch(r"[A-Z][a-z]+\s+(?:Medicine|Research|Reports|Reviews)", j) and not re.search(
                r"\b(?:published|journal|in\s+the)\b", t[max(0, m.start() - 40):m.start()], re.I):
            # "Yale Medicine" is handled as an organisation; "Clinical Research" is not a journal
            if not RX_ORG.match(t, m.start()):
                continue
            continue
        a = m.start()
        pre = re.search(r"(?:published\s+(?:online\s+)?in\s+(?:the\s+)?(?:(?:\w+\s+){0,3}?journal,?\s+)?|(?:appeared\s+)?in\s+"
                        r"(?:the\s+)?(?:journal\s+)?)$", t[max(0, a - 60):a], re.I)
        if pre:
            a -= len(pre.group(0))
        c.add("attribution", a, m.end(), qualifier="categorical", text=j, named_source=j, kind="journal",
              raw={"field": "journal"})
        named.append((m.start(), m.end(), j))
    for m in RX_ORG.finditer(t):
        o = _clean_source(m.group("o"))
        if any(a <= m.start() < b for a, b, _ in named):
            continue
        if o in ("FDA", "Food and Drug Administration") or o.startswith("U.S. Food"):
            continue  # regulatory, handled there
        if o == "WHO" and not re.search(r"\bWHO\b", t):
            continue
        b = m.end()
        ext = re.compile(r"\s+(?:\w+\s+){0,3}?(?:research|stud(?:y|ies)|data|statistics|survey|report|guidelines?|"
                         r"figures|estimates)\b(?:\s+on\s+\w+)?", re.I).match(t, b, min(len(t), b + 60))
        if ext:
            b = ext.end()
        c.add("attribution", m.start(), b, qualifier="categorical", text=o, named_source=o, kind="org",
              raw={"field": "journal"})
        named.append((m.start(), m.end(), o))
    for m in RX_STUDY_YEAR.finditer(t):
        year = m.group("year") or m.group("year2") or m.group("year3")
        a, b = m.start(), m.end()
        if c.has("attribution", a, b) and any(d.text == year for d in c.claims if d.claim_type == "attribution"):
            continue
        pre = re.search(r"(?:\b(?:a|an|the|this|one|another|that)\s+(?:[\w'’-]+\s+){0,2}?)$", t[max(0, a - 30):a], re.I)
        if pre and m.group("year"):
            a -= len(pre.group(0))
        author = None
        if m.group("year3"):
            pa = re.search(r"\b([A-Z][\w'’-]+)\s+$", t[max(0, a - 40):a])
            if pa:
                a -= len(pa.group(0))
                author = pa.group(1)
        src = named[0][2] if named else author
        c.add("attribution", a, b, qualifier="categorical", text=year, named_source=src, kind="study-year",
              raw={"field": "year"})
    for m in RX_DECADE.finditer(t):
        dec = re.search(r"(?P<part>early|mid|late)?[- ]?(?P<y>(?:19|20)\d0)s", m.group(0), re.I)
        y0 = int(dec.group("y"))
        part = (dec.group("part") or "").lower()
        lo, hi = {"early": (y0, y0 + 3), "mid": (y0 + 4, y0 + 6), "late": (y0 + 7, y0 + 9)}.get(part, (y0, y0 + 9))
        c.add("other", m.start(), m.end(), qualifier="range", low=float(lo), high=float(hi), unit="year",
              text=m.group(0).lower(), kind="decade")
    if not c.has_type("attribution"):
        for m in RX_ATTRIB.finditer(t):
            c.add("attribution", m.start(), m.end(), qualifier="categorical", text="unnamed source", kind="generic-attrib")
            break


def _d_population(c: _Ctx) -> None:
    t = c.t
    if not _STUDY_CUES.search(t):
        return
    if not re.search(r"\b(?:study|studies|trials?|RCTs?|meta-analys|experiment|research|review|participants|"
                     r"patients|subjects|investigat|explored|enrolled|focused|focusing)", t, re.I):
        return
    hits = list(RX_DIAGNOSIS.finditer(t))
    if not hits:
        return
    cluster = [hits[0]]
    for h in hits[1:]:  # diagnoses named together ("GAD and SAD", "TRD and suicidal ideation")
        if h.start() - cluster[-1].end() <= 12:
            cluster.append(h)
        else:
            break
    hits = cluster
    a, b = hits[0].start(), hits[-1].end()
    pre = re.search(r"(?:(?:patients|people|adults|participants|individuals|those|subjects)\s+(?:with|dealing\s+with|"
                    r"suffering\s+from|living\s+with|who\s+had|diagnosed\s+with)\s+|in\s+treating\s+|(?:including|"
                    r"focused\s+on|focusing\s+on)\s+(?:those\s+)?(?:\w+\s+){0,2}?)$", t[max(0, a - 60):a], re.I)
    if pre:
        a -= len(pre.group(0))
    codes = []
    for h in hits:
        codes.append(_dx_code(h.group(0)))
    codes = list(dict.fromkeys(x for x in codes if x in ("SAD", "GAD", "PTSD", "OCD", "TRD", "MDD", "panic")))
    if not codes:
        return
    c.add("population", a, b, qualifier="categorical", text=";".join(codes), kind="population",
          raw={"field": "diagnosis"})


def _dx_code(s: str) -> str:
    low = s.lower()
    if "resistant" in low or "refractory" in low or low == "trd":
        return "TRD" if "depress" in low or low == "trd" else ("GAD;SAD" if "anxiety" in low else "refractory")
    if "suicid" in low:
        return "suicidal_ideation"
    if "generali" in low or low == "gad":
        return "GAD"
    if "social" in low or low == "sad":
        return "SAD"
    if "traumatic" in low or low == "ptsd":
        return "PTSD"
    if "obsess" in low or low == "ocd":
        return "OCD"
    if "panic" in low:
        return "panic"
    if "depress" in low or low == "mdd":
        return "MDD"
    if "bipolar" in low:
        return "bipolar"
    if "healthy" in low:
        return "healthy"
    return ""


def _d_efficacy(c: _Ctx) -> None:
    t = c.t
    if c.has_type("symptom_change", "response_rate", "effect_size", "nnt"):
        return
    m = RX_EFFICACY.search(t)
    if not m:
        return
    w = m.group(0).lower()
    ctype = "response_rate" if re.search(r"effective|efficacy|success|respon|rate|resistant|refractory|promis", w) \
        else "symptom_change"
    a, b = m.start(), m.end()
    c.add(ctype, a, b, qualifier="categorical", text=re.sub(r"\s+", " ", w), kind="efficacy")


def _d_most_common(c: _Ctx) -> None:
    t = c.t
    for m in RX_MOST_COMMON.finditer(t):
        if c.has("prevalence", m.start(), m.end()) or c.has("safety", m.start(), m.end()):
            continue
        ctx = t[max(0, m.start() - 80):m.end() + 40]
        ctype = "safety" if _SAFETY.search(ctx) else "prevalence"
        if ctype == "prevalence" and not re.search(r"disorder|condition|illness|anxiety|depression|problem|diagnos|"
                                                   r"mental|health|issue", ctx, re.I):
            continue
        c.add(ctype, m.start(), m.end(), qualifier="categorical", text=re.sub(r"\s+", " ", m.group(0).lower()),
              kind="most-common")


def _d_safety(c: _Ctx) -> None:
    t = c.t
    if c.has_type("safety", "nnh"):
        return
    hits = list(_SAFETY.finditer(t))
    if not hits:
        return
    if not re.search(r"side[- ]effects?|adverse|safety|safe\b|tolerab|ketamine|esketamine|treatment|drug|medication|"
                     r"infusion|therapy|dose|dosing|SSRIs?|benzodiazepines?|antidepressants?|administ|session|"
                     r"prescri|taken|taking|clinic", t, re.I):
        return  # symptoms of the condition, not effects of a treatment
    # "interacts" / "harm" alone in a sentence about effects on the brain are not safety claims
    words = [h.group(0).lower() for h in hits]
    if all(re.match(r"interact|harm", w) for w in words) and not re.search(r"\bwith\s+(?:other\s+)?(?:drugs|medications|"
                                                                           r"benzodiazepines|alcohol)", t, re.I):
        return
    a, b = hits[0].start(), hits[-1].end()
    if b - a > 200:
        b = hits[0].end()
    c.add("safety", a, b, qualifier="categorical", text=";".join(dict.fromkeys(words)), kind="safety")


def _d_mechanism(c: _Ctx) -> None:
    m = RX_MECHANISM.search(c.t)
    if m:
        c.add("mechanism", m.start(), m.end(), qualifier="categorical", text=m.group(0), kind="mechanism")


_NUMBERISH = r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|" \
             r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|dozen|hundred|" \
             r"couple)\b"
#: (detector, cheap pre-check): a detector runs only on sentences its pre-check matches
_DETECTORS = (
    (_d_nnt, _rx(r"need|\bNN[TH]\b|\bevery\b|\bin\s+(?:every\s+)?\S+\s+(?:patients|people)|treated\s")),
    (_d_effect, _rx(r"ratio|\b(?:OR|RR|HR|SMD|aOR|IRR|d|g)\b|effect\s+size|cohen|hedges|mean\s+diff|times|fold")),
    (_d_dose, _rx(r"\bmg\b|mg/|milligram|mcg|µg|\bminutes?\b|\bmins?\b|\bhours?\b|\bhrs?\b")),
    (_d_ratio, _rx(rf"(?:{_NUMBERISH}).{{0,30}}\b(?:in|of|out)\b")),
    (_d_percent, _rx(r"%|percent|per\s?cent|\bpct\b")),
    (_d_shares, _rx(r"half|majority|\bmost\b|third|quarter|fifth|tenth")),
    (_d_counts, _rx(_NUMBERISH + r"|millions|thousands|hundreds|dozens|billions")),
    (_d_route, None), (_d_timing, None), (_d_regulatory, None), (_d_design, None), (_d_attribution, None),
    (_d_population, None), (_d_compare, None), (_d_most_common, _rx(r"\bmost\b")), (_d_efficacy, None),
    (_d_safety, None), (_d_mechanism, None),
)


_HEADING_KINDS = frozenset({"within", "approval", "cite-source", "cite-year", "journal", "org", "study-year", "nnt-term",
                            "nnt-phrase", "nnh-phrase", "nnt-every", "effect", "times", "dose", "duration", "n-in-m",
                            "x-of-y", "pct", "pct-range", "half", "majority", "fraction", "count", "count-range",
                            "duration-num"})
_TITLE_WORD = re.compile(r"[A-Za-z][\w'’-]*")


def is_heading(text: str, whole_line: bool = False) -> bool:
    """A title-like line: short, no digits, no closing period, mostly Capitalized Words
    (or, for a line of its own, at most eight words with no closing punctuation)."""
    if len(text) > 120 or re.search(r"[\d;]|[.!]$", text):
        return False
    words = _TITLE_WORD.findall(text)
    if not words or len(words) > 14:
        return False
    if whole_line and len(words) <= 8 and not re.search(r"[.!?:,]$", text):
        return True
    long_words = [w for w in words if len(w) >= 4]
    if not long_words:
        return False
    caps = sum(1 for w in long_words if w[0].isupper())
    return caps / len(long_words) >= 0.6


def detect_sentence(sent: Sentence) -> list[Detected]:
    """All claims in one sentence, in text order."""
    if not triggered(sent.text):
        return []
    c = _Ctx(sent)
    for det, pre in _DETECTORS:
        if pre is None or pre.search(c.t):
            det(c)
    for d in c.claims:
        if d.claim_type in ("design", "population") or d.kind in ("route", "approval"):
            d.negated = d.kind != "approval" and negated(c.t, d.start - sent.start)
    out = sorted(c.claims, key=lambda d: (d.start, d.end))
    if out and is_heading(sent.text, sent.whole_line):
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
        out.extend(replace(d, start=d.start + shift, end=d.end + shift, sentence=s, raw=dict(d.raw)) for d in found)
    return out
