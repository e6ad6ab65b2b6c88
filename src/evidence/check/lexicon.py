"""The lexicon of ``evidence check``'s detectors: numbers, hedges, context cues and the claim patterns.

Every pattern is a named module-level constant compiled with its own flags (``_rx`` is ``re.I``; acronym
patterns are case-sensitive), grouped by what it finds: numbers and hedges; the context cues that type a figure
(prevalence, change, response, safety, study); figure patterns (percentages, "1 in 8", counts, effect sizes, NNT,
doses, durations); word patterns (routes, onset, durability, comparisons, approval, design, journals,
organisations, citations, efficacy, mechanism, diagnoses); and the cheap trigger that skips sentences with none.
What is *not* a claim is in :mod:`evidence.check.patterns`.
"""
from __future__ import annotations

import re

#: a month's name or its abbreviation ("March", "Mar.", "Sept"): one vocabulary for the date patterns of
#: ``statements`` (search dates), ``wordclaims`` (a paper's publication month) and ``quotes`` (a page's date line)
MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|"
         r"Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?")

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
#: a decimal comma ("18,1 %", "0,5 mg/kg") is read only where a thousands separator cannot be: one or two digits
#: after the comma, right before a percent sign or a unit of dose (every pattern that reads a dose parses its
#: number with :func:`parse_number`)
_DECIMAL_UNIT = r"%|mg\b|mg/|µg|mcg|milligrams?\b"
_DIGITS = rf"\d+,\d{{1,2}}(?=\s?(?:{_DECIMAL_UNIT}))|(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?|\.\d+"
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


#: a percentage right after a named rating scale ("anxiety (GAD-7, 30%)", "PHQ-9: 45%") is a change on that scale
_SCALE_BEFORE = re.compile(r"\b(?:GAD-7|PHQ-9|MADRS|HAM-?A|HAM-?D|HARS|HDRS|LSAS|CAPS-5|PCL-5|Y-?BOCS|BDI(?:-II)?|QIDS|"
                           r"BAI|STAI|CGI)\s*[,:;]\s*$")


#: "… of those suffering receive treatment", "get any care", "seek help"
_RECEIVE_CARE = re.compile(r"\b(?:receiv\w*|get(?:s|ting)?|seek\w*|sought|access\w*)\s+(?:any\s+|professional\s+|"
                           r"proper\s+|the\s+)?(?:treatment|care|help|therapy)\b", re.I)


def classify_share(text: str, a: int, b: int) -> str:
    """Type of a share of people (a %, 'half', 'the majority', '1 in 8') at text[a:b] of a sentence."""
    right = text[b:b + 140]
    left = text[max(0, a - 90):a]
    if _CHANGE_RIGHT.match(right) or _CHANGE_LEFT.search(left) or _SCALE_BEFORE.search(left):
        return "symptom_change"
    if _RECEIVE_CARE.search(right[:90]) and not re.search(r"\bketamine|\binfusion|\bstudy|\btrial", right[:90], re.I):
        return "prevalence"     # the share of people with a condition who get treatment: a population figure
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
    rf"(?:(?<![\w-])(?P<h>{HEDGE})\s*)?(?:between\s+|from\s+)?(?P<lo>{_DIGITS}|\b{_NUM_WORD}\b)\s?(?:%|percent|per\s?cent)?\s*"
    rf"{_DASH}\s*(?P<hi>{_DIGITS}|\b{_NUM_WORD}\b){_PCT_UNIT}")
#: the hedge starts a word ("cover 0%" is not "over 0%", editor s4 p2)
RX_PCT = _rx(rf"(?:(?<![\w-])(?P<h>{HEDGE})\s*)?(?P<v>{_DIGITS}|\b{_NUM_WORD}\b){_PCT_UNIT}")
RX_CI_AFTER = _rx(r"\s*(?:CI\b|confidence|credible|prediction\s+interval|of\s+the\s+time\s+interval)")
RX_N_IN_M = _rx(
    rf"(?:(?P<h>{HEDGE})\s+)?\b(?P<n>{NUM})\s+(?:in|out\s+of)\s+(?:every\s+)?(?P<m>{NUM})\b"
    rf"(?P<noun>(?:\s+(?:U\.S\.|US|American|[a-z][\w'’-]*)){{0,3}})?(?:\s*\((?P<pct>[^()]{{0,16}}%)\))?")
_PEOPLE = (r"adults|patients|participants|people|persons|subjects|individuals|Americans|Canadians|women|men|children|"
           r"kids|adolescents|teens|teenagers|youths?|veterans|volunteers|respondents|cases|users|sufferers|clients|"
           r"employees|workers|students|seniors|residents|responders|completers|non-?responders|"
           # people of a country: "100,000 New Zealanders", "2 million Australians", "Britons"
           r"(?:New\s+)?Zealanders|Australians|Britons|Brits|Europeans|Germans|Indians|Irish\s+people|Scots|"
           r"Mexicans|Californians|Texans|Floridians|New\s+Yorkers|Ontarians")
_STUDY_UNITS = r"trials|studies|RCTs|experiments|papers|reviews|meta-analyses|articles|sites|centers|centres|clinics"
_SESSION_UNITS = r"infusions|sessions|treatments|doses|injections|administrations|visits|courses|appointments|sprays"
_OTHER_UNITS = r"classes|drugs|medications|types|kinds|forms|categories|options|receptors|weeks|months"
#: a count of people, studies or sessions, or a range of them: "40 patients", "18 to 20 adults", "three million to
#: five million people" (each end with its own scale), "between two and three million Americans" ("and" makes a range
#: only after "between", evidence.check.figures); no number among the words before the noun ("aged 18 to 65 received
#: six infusions" is six infusions, not 18–65 of them; review11); a trial's phase is no count ("two phase 3 trials"
#: counts two trials, not three: settle12, the "3" was read as a count of trials and compared)
RX_COUNT = _rx(
    rf"(?:(?P<h>{HEDGE})\s+)?(?<!phase\s)(?<!phase-)(?<!stage\s)\b(?:(?P<lo>{NUM})(?:\s*(?P<loscale>million|billion|thousand)\b)?\s*(?P<sep>-|–|to|or|and)\s*)?"
    rf"(?P<n>{NUM})(?:\s*(?P<scale>million|billion|thousand)\b)?"
    rf"\s+(?P<adj>(?:(?!(?:in|of|to|and|or|the|a|an|with|for|who|that|were|was|had|have|are|is|per)\b|\d|{_NUM_WORD}\b)"
    rf"[A-Za-z][\w.'’-]*\s+){{0,3}}?)(?P<noun>{_PEOPLE}|{_STUDY_UNITS}|{_SESSION_UNITS}|classes|drugs|medications|"
    rf"antidepressants)\b")
RX_X_OF_Y = _rx(
    rf"\b(?P<x>{NUM})\s+(?:of|out\s+of)\s+(?:the\s+|all\s+|these\s+|those\s+)?(?P<y>{NUM})\s+"
    rf"(?:(?:[\w'’-]+\s+){{0,2}}?(?P<noun>{_PEOPLE})\b|(?=(?:said|reported|responded|improved|remitted|relapsed|"
    rf"felt|got|achieved|experienced|showed|met|described|rated)\b))")
RX_VAGUE_COUNT = _rx(
    r"\b(?:tens\s+of\s+|hundreds\s+of\s+)?(?P<w>millions|thousands|hundreds|dozens|billions)\b"
    rf"(?:\s+of\s+(?:[\w'’-]+\s+){{0,2}}?(?P<noun>{_PEOPLE}|{_STUDY_UNITS}))?")
RX_EFFECT = re.compile(
    r"(?P<m>(?i:odds\s+ratios?|risk\s+ratios?|relative\s+risks?|hazard\s+ratios?|rate\s+ratios?|"
    r"standardi[sz]ed\s+mean\s+differences?|mean\s+differences?|effect\s+sizes?|cohen['’]?s\s+d|hedges['’]?\s+g)|"
    r"\b(?:OR|RR|HR|SMD|aOR|IRR)\b|\bg\b|\bd\b)"
    # what the ratio is of: "the pooled odds ratio of response was 2.03" (editor s4 p3)
    r"(?:\s+(?i:of|for)\s+(?i:response|remission|relapse|improvement|benefit|recovery|dropout))?"
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
#: a share said with a verb instead of "of": "about a third responded", "almost half reporting sexual assault"
_SHARE_VERB = (r"(?=(?:[\w'’-]+\s+)?(?:responded|improved|reported|reporting|had|were|achieved|experienced|showed|saw|"
               r"remitted|met|relapsed|recovered|went|felt|described|receive|received|get|got|seek|sought)\b)")
RX_HALF = _rx(r"(?:\b(?P<h>nearly|almost|about|around|roughly|over|more\s+than|less\s+than|just\s+under|"
              r"just\s+over|close\s+to|approximately)\s+)?\b(?:one[- ])?half\s+(?:of\b|the\b|their\b|all\b|them\b|"
              + _SHARE_VERB + ")")
RX_FRACTION = _rx(r"(?:\b(?P<h>nearly|almost|about|around|roughly|over|more\s+than|less\s+than|approximately)\s+)?"
                  r"\b(?P<f>(?:a|one)[- ]third|two[- ]thirds|(?:a|one)[- ]quarter|three[- ]quarters|(?:a|one)[- ]fifth|"
                  r"(?:a|one)[- ]tenth"
                  # session 12 (words12; annatarnoff_depression_ketamine (holdout7)): a share written with a Unicode
                  # vulgar fraction, "About ⅓ of people have complete remission", read as the fraction in words
                  r"|[⅓⅔¼¾⅕⅒])\s+(?:of\b|" + _SHARE_VERB + ")")
_FRACTIONS = {"third": 100 / 3, "thirds": 200 / 3, "quarter": 25.0, "quarters": 75.0, "fifth": 20.0, "tenth": 10.0,
              "⅓": 100 / 3, "⅔": 200 / 3, "¼": 25.0, "¾": 75.0, "⅕": 20.0, "⅒": 10.0}

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
    r"\b(?:durab\w*|durable|long[- ](?:lasting|term)|lasting|"
    # "can last for months", "lasted a year"; never the calendar's "last year", "last week" (editor s4 p3)
    r"(?!last\s+(?:year|week|month|night|time|decade)\b)last(?:s|ed)?\s+(?:for\s+)?(?:up\s+to\s+|about\s+)?"
    r"(?:\w+\s+)?(?:hours?|days?|weeks?|months?|years?)|persist\w*|sustain\w*|maintenance|maintained|"
    r"stay(?:s|ed)?\s+(?:in\s+remission|well|better)|remain(?:s|ed)?\s+(?:in\s+remission|well|better)|relaps\w*|"
    r"(?:wane|wanes|waned|fade|fades|faded|wear\s+off|wears\s+off|wore\s+off)|return(?:s|ed)?\s+within|"
    r"came\s+back|come\s+back|for\s+(?:several|many|a\s+few|some)\s+(?:weeks|months|years)|"
    # "the effects are temporary", "short-lived relief", "a transient benefit"
    r"(?:effects?|benefits?|relief|results?|improvements?)\s+(?:are|is|were|was|can\s+be|tend\s+to\s+be)\s+"
    r"(?:only\s+|often\s+|usually\s+)?(?:temporary|short[- ]lived|transient|brief)|"
    r"(?:temporary|short[- ]lived|transient)\s+(?:effects?|benefits?|relief|results?|improvements?))\b")
#: (a hyphenated span, "a 6-week study", "a two-month follow-up", is a span of time too: settle12)
RX_DURATION_NUM = _rx(
    rf"\b(?:(?:lasting|lasted|lasts|last|persist\w*|sustain\w*|maintain\w*|continu\w*|remain\w*|stay\w*|kept|"
    rf"endur\w*)\s+(?:[\w'’-]+\s+){{0,3}}?)?(?:for\s+)?(?:(?P<h>{_APPROX}|{_UPTO}|{_ATLEAST})\s+)?"
    rf"(?:(?P<lo>\d+|{_NUM_WORD})\s*(?:-|–|to)\s*)?(?P<v>\d+(?:\.\d+)?|{_NUM_WORD})(?:\s+|-)"
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
RX_SUBSIDE = _rx(r"\b(?:subsid\w*|resolv\w*|dissipat\w*|go(?:es)?\s+away|disappear\w*|pass(?:es)?|settle\w*|"
                 r"fade[sd]?|wears?\s+off)\b")
RX_COMPARE = _rx(
    r"\b(?:(?:fewer|less|more|greater|lower|higher|stronger|weaker|longer|shorter)\s+(?:[\w'’-]+\s+){1,5}?than\b|"
    r"(?:better|faster|slower|safer|quicker|cheaper|superior|inferior)\s+(?:[\w'’-]+\s+){0,5}?than\b|compared\s+(?:to|with)|in\s+comparison\s+(?:to|with)|"
    r"the\s+(?:more|less)\s+[\w-]+\s+of\s+the\s+(?:two|three)\b|"
    r"(?:twice|three\s+times|\d+(?:\.\d+)?\s+times|half)\s+as\s+(?:likely|common|often|many|much|effective)\s+as\b|"
    r"unlike\b|versus\b|vs\.?(?=\s)|(?:in\s+|a\s+(?:\w+\s+)?)?contrast(?:s|ed)?\s+(?:to|with)|outperform\w*|"
    r"outlast\w*|superior\s+to|inferior\s+to|as\s+effective\s+as|whereas\b|(?:the\s+)?(?:highest|gold)\s+standard|"
    r"most\s+(?:rigorous|reliable|effective|powerful|promising|advanced)|(?:the\s+)?best\s+(?:available|option|treatment)|"
    r"(?:take|takes|taking|took|require[sd]?|requiring|need)\s+(?:[\w'’-]+\s+){0,3}?(?:weeks|months|years)|"
    r"wait(?:s|ed|ing)?\s+(?:for\s+)?(?:[\w'’-]+\s+){0,2}?(?:weeks|months)\s+for\s+(?:[\w'’-]+\s+){0,4}?"
    r"(?:medications?|antidepressants?|treatments?|drugs|SSRIs?)\s+to\s+(?:kick\s+in|work|take\s+effect)|"
    r"(?:when\s+)?combined\s+with|in\s+combination\s+with|enhanc\w+\s+(?:[\w'’-]+\s+){0,3}?(?:results|outcomes|effects?|benefits))")
RX_ABSOLUTE = _rx(r"\b(?:(?:rarely|never|always)\b|all\s+patients|every\s+patient|guarantee\w*|no\s+side\s+effects|"
                  r"100%\s+(?:safe|effective)|(?:is|are)\s+considered\b|cure[sd]?\b|permanent\w*)")
RX_APPROVAL = _rx(
    r"\b(?P<neg>(?:not|never|isn['’]t|is\s+not|aren['’]t|are\s+not|hasn['’]t\s+been|has\s+not\s+been|"
    r"has\s+yet\s+to\s+be|yet\s+to\s+be|un)\s*(?:yet\s+|been\s+|currently\s+|officially\s+|specifically\s+|"
    r"formally\s+|fully\s+)*)?"
    r"(?P<fda>(?:FDA|U\.?S\.?\s+Food\s+and\s+Drug\s+Administration|Food\s+and\s+Drug\s+Administration|EMA|Health\s+Canada)"
    r"[- ])?(?P<verb>approv(?:ed|al|es)|clear(?:ed|ance)|authori[sz](?:ed|ation)|licensed|indicated|sanctioned|"
    r"endorsed|off[- ]label|approving)\b(?=(?P<rest>[^.;()]{0,60}))")
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
    "controlled": r"controlled\s+(?:clinical\s+)?trials?",   # a bare "clinical trial" says nothing of a control
    "large_scale": r"large[- ]scale|large\s+(?:randomi[sz]ed\s+)?(?:trials|studies)",
    # "review of" is a study only when what is reviewed is not a regulator's file or the patient's own history:
    # "the FDA review of this drug" is the agency's assessment of an application, "a review of your treatment
    # history" a clinic's intake (discovermagazine_esketamine_approval, pmcheal_first_esketamine_treatment)
    "review": r"(?:published|narrative|literature)\s+review|review\s+article|"
              r"(?<!FDA\s)(?<!FDA['’]s\s)(?<!agency\s)(?<!agency['’]s\s)(?<!regulatory\s)review\s+of"
              r"(?!\s+(?:(?:your|his|her|my|their|our|the\s+patient['’]s)\b|(?:prior|previous|past)\s|"
              r"(?:this|the|its|their)\s+(?:drug|medicine|application|submission|NDA)\b))",
}
RX_DESIGN = _rx("|".join(f"(?P<{k}>\\b(?:{v})\\b)" for k, v in _DESIGN_TERMS.items()))
#: "and" inside a journal's name joins its own words ("Depression and Anxiety", "Journal of Psychiatry and
#: Neuroscience"), never a second title: "JAMA Psychiatry and The American Journal of Psychiatry" is two journals
#: (stilldetox_ketamine_therapy_high, read as one name and matched to Feder 2021)
_NOT_A_NEW_TITLE = (r"(?!(?:The|A|An|JAMA|Lancet|BMJ|NEJM|Journal|New\s+England|(?:American|British|Canadian|European|"
                    r"International|Australian)\s+Journal)\b)")
_JOURNAL_CORE = (
    r"(?:(?:(?:The\s+)?(?:American|British|Canadian|European|International|Australian(?:\s+and\s+New\s+Zealand)?|Indian|"
    r"Chinese|Japanese|Scandinavian|Nordic|Asian|World)\s+)?Journal\s+of\s+(?:the\s+)?[A-Z][\w’'-]*"
    rf"(?:\s+(?:(?:and|&)\s+{_NOT_A_NEW_TITLE}|of\s+|in\s+|on\s+|for\s+)?[A-Z][\w’'-]*){{0,5}}|"
    r"(?:JAMA|Lancet|BMJ|NEJM|Nature|PLOS|PLoS|Cochrane|Frontiers\s+in|Annals\s+of|Archives\s+of|Current|Molecular|"
    r"Biological|Translational|Experimental|Clinical|Psychological|CNS|Acta)"
    rf"(?:\s+(?:(?:and|&)\s+{_NOT_A_NEW_TITLE}|of\s+|in\s+)?[A-Z][\w’'-]*){{0,4}}|"
    r"New\s+England\s+Journal\s+of\s+Medicine|Neuropsychopharmacology|Psychopharmacology|Neuron|Science|Cell|"
    r"Psychiatry\s+Research|Depression\s+and\s+Anxiety|Anesthesia\s+(?:&|and)\s+Analgesia|The\s+Lancet(?:\s+Psychiatry)?|"
    r"[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?\s+(?:Psychiatry|Psychopharmacology|Neuroscience|Medicine|Reports|Research|Reviews))")
RX_JOURNAL = re.compile(rf"(?P<j>{_JOURNAL_CORE})(?![\w’'-])")
#: journal names that are also ordinary words or title words ("Nature", "Cell", "Clinical Effectiveness of …"):
#: a journal only where the text cites one ("published in Cell", "in Nature", "Science, 2019")
RX_AMBIGUOUS_JOURNAL = re.compile(r"(?:Nature|Science|Cell|Neuron|Current|Molecular|Biological|Translational|"
                                  r"Experimental|Clinical|Psychological|CNS|Acta|Frontiers|Annals|Archives)\b")
#: a journal's name built like a department's or a service's ("Adult Psychiatry", "Emergency Medicine", "Integrative
#: Medicine"; the last alternative of :data:`_JOURNAL_CORE`): a journal only where a publication is cited
#: (:data:`RX_PUBLICATION_BEFORE` or a year after it), never as a page's heading or a clinic's department (review11)
RX_GENERIC_JOURNAL = re.compile(r"[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?\s+(?:Psychiatry|Psychopharmacology|Neuroscience|"
                                r"Medicine|Reports|Research|Reviews)")
#: a clinical department or service ("Adult Psychiatry", "Integrative Medicine"): a line of its own that names one is a
#: page's heading, while a journal's name on a line of its own ("General Hospital Psychiatry" above its date) is a
#: reference entry
RX_DEPARTMENT = re.compile(r"(?:Adult|Child|Children['’]s|Adolescent|Youth|Geriatric|Pediatric|Paediatric|Perinatal|"
                           r"Women['’]s|Integrative|Interventional|Emergency|Family|Internal|Regenerative|Functional|"
                           r"Holistic|Sports|Precision|Outpatient|Inpatient|Consultation|Telehealth|Virtual|Our|"
                           r"[A-Z][a-z]+\s+(?:Clinic|Center|Centre|Wellness|Health))\s")
RX_PUBLICATION_BEFORE = re.compile(r"(?:\bpublished\b|\bjournal\b|\b(?:study|studies|paper|article|review|trial|"
                                   r"report|analysis|findings|results)\s+(?:\w+\s+){0,3}?in\s+(?:the\s+)?)[^.;]{0,20}$",
                                   re.I)
#: after a journal's name built like a department's: a year or a month and year ("General Hospital Psychiatry\nMarch
#: 2015"), or the publication itself ("the Lancet Psychiatry paper")
RX_PUBLICATION_AFTER = re.compile(r"\s*[,(]?\s*(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+)?"
                                  r"(?:19|20)\d\d\b|\s+(?:paper|study|article|journal|report|publication)\b")
RX_CITES_BEFORE = re.compile(r"(?:\bpublished\b|\bjournal\b|\bin\s+(?:the\s+)?(?:journal\s+)?)[^.;]{0,20}$", re.I)
RX_CITES_AFTER = re.compile(r"\s*[,(]?\s*(?:19|20)\d\d\b")
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
    r"worry|worries|fears?|distress|mood|thoughts|thinking|ideation|panic|depression|functioning|confidence|tension|stress)|"
    r"(?:powerful|strong|robust|potent|rapid|marked)\s+(?:antidepressant|anxiolytic|anti-anxiety)\s+effects?|"
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
    r"(?:common|prevalent|frequent|widespread|frequently\s+\w+|commonly\s+\w+)\b(?:\s+(?:U\.S\.|U\.K\.|[\w'’-]+)){0,5}")
#: function words a most-common phrase must not end on ("… mental illness in the" → "… mental illness")
RX_TRAILING_FUNCTION_WORDS = _rx(r"(?:\s+(?:in|the|of|a|an|to|for|with|and|or|among|at|on|by))+$")
RX_MECHANISM = _rx(
    r"\b(?:NMDA|glutamat\w*|AMPA|BDNF|brain[- ]derived\s+neurotrophic\s+factor|synaptogenesis|synaptic\s+plasticity|"
    r"neuroplastic\w*|neurogenesis|mTOR|serotonin\w*|GABA\w*|dopamin\w*|opioid\s+receptors?|neurotransmitters?|"
    r"receptor\s+(?:antagonis\w+|blockade|agonis\w+)|default\s+mode\s+network|neural\s+(?:pathways|connections|circuits))")
RX_DIAGNOSIS = _rx(
    # "treatment-resistant major depressive disorder" is TRD (healthyplace_how_long_ketamine_lasts), not MDD
    r"\b(?:treatment[- ](?:resistant|refractory)\s+(?:\w+\s+){0,2}?(?:depression|anxiety|disorders?)|TRD|"
    r"suicidal\s+ideation|"
    r"(?:major\s+)?depressive\s+disorder|MDD|generali[sz]ed\s+anxiety(?:\s+disorder)?|GAD|social\s+anxiety(?:\s+disorder)?|"
    r"social\s+phobia|SAD|post[- ]?traumatic\s+stress(?:\s+disorder)?|PTSD|obsessive[- ]compulsive(?:\s+disorder)?|OCD|"
    r"panic\s+disorder|bipolar\s+(?:disorder|depression)|anxious\s+depression|refractory\s+\w+|"
    r"(?:healthy|adult|elderly|adolescent)\s+(?:volunteers|patients|participants|adults))\b")
# A cheap gate: a sentence is examined only if it has a digit, '%' or one of these word stems. A set lookup
# per word prefix is ~20x faster than one big regex alternation on long non-claim text.
_TRIGGER_EXACT = frozenset("""one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred dozen couple half
most than vs versus iv im sc sq or rr hr smd nnt nnh fda ema nimh adaa who cdc nih nmda ampa bdnf gaba mg kg day days
cure cures cured safe safer safety oral orally rct rcts only first dr""".split())
_TRIGGER_STEMS = frozenset("""percent majorit million thousand billion approv label journal study studie trial research
review analys meta within minute hour week month year immediat instant rapid quick fast onset last durab persist sustain
maintena remission relaps wane fade wear return compar unlike contrast wherea outlast standard rarely never always
side advers dissociat nausea dizz blood heart toleran depend addict abuse cognitiv interact interfer intraven nasal
intranasal subcutan intramusc infus dose dosing blind randomi placebo crossover cross-over open-label observation
real-world retrospect anesthe anaesthe painkill glutamat synap neuroplast serotonin receptor neurotrans reduc improv
alleviat reliev effective efficacy success respon symptom benefit promis relief accord publish expert evidence yale
harvard institut associat center centre common prevalen combin enhanc consider manag help treat esketamine spravato
third quarter fifth tenth sedat harm lozenge tablet sublingual fold times ratio odds schedul occur comorbid coexist
decade discover largest oldest newest ocur enantiomer mirror racemic component controlled supervis rems
conjunction marketed prescription patent neuropsych twice likely spray antidepress potent powerful synthes block acts operat psychiat pharmacol monitor defined points
habit misuse misus
bladder cystit hallucin psychos vomit headach confus drows impair overdos withdraw toxic euphor breath respirat
derivat sister lethal fatal deadly detach disconnect perceiv percept breast pregnan fetus neuron neural brain messeng
explor emerg driver medicat avoid risk
ready discharg releas cleared cause data unknown lack informat understood pending vietnam battlefield
combat soldier interest springing traction steadily stoke build booster lived occur
disorder condition illness function quality tolerat describ report notic seen observ witness""".split())
# (session 12, words12: the last line's stems open the sentences of wordtopics' clinic-experience and condition-fact
# classes to the detectors: "We do see …", "Most describe …", "can severely impact daily functioning")
_STEM_LENS = tuple(sorted({len(x) for x in _TRIGGER_STEMS}))
_WORDS = re.compile(r"[a-z]+")
_DIGIT_OR_PCT = re.compile(r"[\d%⅓⅔¼¾⅕⅒]")    # (words12: a Unicode vulgar fraction is a figure)


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




# --------------------------------------------------------------- spans of time that are not an effect's (review11)
# A span of time in a sentence about ketamine is read as how fast it works or how long it lasts; these are the spans
# that are neither, each from the words around it (made-up copy in tests/test_check_review11.py):

#: an age: "aged 18 to 65", "between the ages of 18 and 64", "adults age 26 or older" (before the span)
RX_AGE_BEFORE = _rx(r"\b(?:aged?|ages)\s+(?:of\s+)?(?:between\s+)?(?:\d+\s*(?:-|–|to|and)\s*)?$")
#: an age: "18 to 65 years old", "up to 24 years of age" (after the span)
RX_AGE_AFTER = _rx(r"(?:\s*-\s*|\s+)(?:old|of\s+age)\b")
#: a study's length: "a 4-week trial", "the 12 week randomized study", "an eight-week open-label trial" (after it)
RX_STUDY_LENGTH_AFTER = _rx(r"(?:\s*-\s*|\s+)(?:long\s+)?(?:(?:randomi[sz]ed|controlled|clinical|double-?blind|"
                            r"open-?label|placebo-?controlled|pilot|phase\s+\w+|observational|follow-?up)[\s,]+){0,3}"
                            r"(?:trials?|stud(?:y|ies))\b")
#: a study's length: "the trial lasted 12 weeks", "a study lasting six weeks", "over the 8 weeks of the trial"
RX_STUDY_LENGTH_BEFORE = _rx(r"\b(?:trials?|stud(?:y|ies))\s+(?:that\s+|which\s+)?(?:lasted|lasting|ran|runs?|"
                             r"took|of)\s+(?:for\s+)?(?:about\s+|around\s+|approximately\s+)?(?:\d+\s*(?:-|–|to)\s*)?$")
#: "over the 8 weeks of the trial" (after the span)
RX_STUDY_PERIOD_AFTER = _rx(r"\s+of\s+(?:the|this|that|a)\s+(?:\w+\s+){0,2}?(?:trial|study)\b")
#: an infusion's or a session's length: "each infusion lasts 40 minutes", "sessions take about an hour", "a
#: 40-minute infusion" (the schedule of a treatment, its dose and route, not how fast it works)
RX_SESSION_LENGTH_BEFORE = _rx(r"\b(?:infusions?|sessions?|treatments?|appointments?|visits?)\s+(?:\w+\s+)?"
                               r"(?:lasts?|take|takes|runs?|is|are)\s+(?:about\s+|around\s+|approximately\s+|up\s+to\s+|"
                               r"roughly\s+)?(?:(?:\d+|an?|one|two|three)\s*(?:-|–|to)?\s*)*$")
RX_SESSION_LENGTH_AFTER = _rx(r"(?:\s*-\s*|\s+)(?:long\s+)?(?:infusions?|sessions?|appointments?|visits?)\b")
#: "last" that is not a span: "a last resort", "the last line of treatment", "in the last year", "at last"
RX_LAST_NOT_A_SPAN = _rx(r"last\s+(?:resort|line|option|choice|step|name|time|years?|months?|weeks?|decades?|"
                         r"century|few|several|couple|dose|infusion|session|visit)\b")
RX_TIME_SPAN_WORD = _rx(r"\d|\b(?:minutes?|hours?|days?|weeks?|months?|years?|long[- ]?term)\b")
RX_AT_LAST = _rx(r"\bat\s+(?:long\s+)?$")
#: "each infusion lasts 40 minutes": the infusion right before "last(s)" and minutes or hours after it
RX_SESSION_BEFORE_LAST = _rx(r"\b(?:infusions?|sessions?|appointments?|visits?)\s+(?:usually\s+|typically\s+|generally\s+|"
                             r"itself\s+|themselves\s+)?$")
RX_MINUTES_AFTER_LAST = _rx(r"\s+(?:for\s+)?(?:about\s+|around\s+|approximately\s+|up\s+to\s+|roughly\s+)?[\w–-]+"
                            r"(?:\s+(?:to|-|–)\s+\w+)?\s+(?:minutes?|hours?|mins?)\b")


def time_not_of_effect(text: str, a: int, b: int) -> str:
    """What the span of time (or the word "last") at ``text[a:b]`` is when it is neither how fast an effect comes nor
    how long it lasts: "age", "study-length", "session-length", "not-a-span", or "" when it may be either."""
    left, right = text[max(0, a - 60):a], text[b:b + 60]
    if re.match(r"last(?:s|ed|ing)?\b", text[a:b], re.I):
        if RX_LAST_NOT_A_SPAN.match(text, a) or RX_AT_LAST.search(left):
            return "not-a-span"
        if RX_SESSION_BEFORE_LAST.search(left) and RX_MINUTES_AFTER_LAST.match(right):
            return "session-length"      # "each infusion lasts 40 minutes"
    if RX_AGE_BEFORE.search(left) or RX_AGE_AFTER.match(right):
        return "age"
    # (the words after it name a study or a session only for a span of time: "booster infusions", "maintenance
    # infusions" are how long the effect lasts)
    span = RX_TIME_SPAN_WORD.search(text[a:b]) is not None
    if (span and (RX_STUDY_LENGTH_AFTER.match(right) or RX_STUDY_PERIOD_AFTER.match(right))) \
            or RX_STUDY_LENGTH_BEFORE.search(left):
        return "study-length"
    if RX_SESSION_LENGTH_BEFORE.search(left) or (span and RX_SESSION_LENGTH_AFTER.match(right)):
        return "session-length"
    return ""


#: what makes a description of ketamine as an anaesthetic a claim (tests/corpus/README.md, labelling rule 1): a year
#: or a number, a span of time ("for decades", "a long history", "since"), an approval or licence, a study, a
#: safety or rank word ("safe", "the most widely used", "preferred"), the drug's history (its synthesis, patent,
#: a war). Without any of them "used widely as an anesthetic", "a short-acting general anesthetic" is background
RX_ANESTHETIC_CLAIM_CUE = re.compile(
    r"\d|\b(?:decades?|years?|century|since|history|histories|long[- ]standing|long\s+(?:been|time)|approv\w*|FDA|"
    r"licen[cs]\w*|authori[sz]\w*|regulat\w*|stud(?:y|ies)|trials?|research\w*|safe\w*|safest|most|preferred|choice|"
    r"WHO|World\s+Health|essential|battlefield|Vietnam|war|soldiers|patent\w*|synthesi[sz]\w*|invent\w*|discover\w*|Parke|Belgium|replace\w*)\b",
    re.I)
