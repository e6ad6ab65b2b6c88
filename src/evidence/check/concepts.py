"""The concepts linking reads in a sentence and a data row: slots (condition, sex, period, route, measure,
drug), design words, organisations, topics, tokens, journal names, units, and the polarity of approval facts.

Each pattern is named and compiled once; acronyms (GAD, IV, OR …) are matched case-sensitively.
"""
from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Any

from evidence.check.rxfilter import folded, may_match

# ------------------------------------------------------------------ concepts

_SLOT_PATTERNS: dict[str, list[tuple[str, str]]] = {
    "condition": [
        ("GAD", r"generali[sz]ed\s+anxiety|\bGAD\b(?!-\d)"),
        ("SAD", r"social\s+anxiety|social\s+phobia|\bSAD\b|\b(?:connect|interact)\w*\s+socially|"
                r"\bfears?\s+of\s+social\s+(?:situations|interactions)"),   # the disorder described, not named
        ("panic", r"\bpanic\s+disorder|\bpanic\b"),
        ("PTSD", r"\bPTSD\b|post[- ]?traumatic"),
        ("OCD", r"\bOCD\b|obsessive[- ]compulsive"),
        ("phobia", r"specific\s+phobias?"),
        # disorders the evidence base holds no figure for: named, so that "separation anxiety disorder … 2-7%" is not
        # read as "any anxiety disorder" (ketaminelife_ketamine_anxiety, holdout11)
        ("separation_anxiety", r"separation\s+anxiety"), ("agoraphobia", r"\bagoraphobi\w*"),
        ("TRD", r"treatment[- ](?:resistant|refractory)\s+(?:major\s+)?depress\w*|\bTRD\b"),
        ("MDD", r"major\s+depress\w*|\bMDD\b"),
        ("depression", r"\bdepress(?:ion|ive)\b"),
        ("any_anxiety", r"\b(?:any\s+)?anxiety\s+disorders?\b|\banxiety\b"),
    ],
    "sex": [("female", r"\bwomen\b|\bfemales?\b|\bwoman\b|\bgirls\b"),
            ("male", r"\bmen\b|\bmales?\b|\bman\b|\bboys\b")],
    "period": [
        ("past_year", r"\beach\s+year|\bevery\s+year|\bannual(?:ly)?\b|\bper\s+year|\ba\s+year\b|\bin\s+a\s+given\s+year|"
                      r"\bpast[- ]year|\bpast\s+12\s+months|\b12[- ]month|\byearly\b|\bthis\s+year|\bin\s+any\s+(?:given\s+)?year|"
                      r"\b(?:one|1)[- ]year\b|\bin\s+the\s+(?:last|past)\s+year"),
        ("lifetime", r"\blifetime|\bat\s+some\s+point|\bin\s+(?:their|a|one['’]s|his|her)\s+li(?:fe|ves)|\bever\b|"
                     r"\bover\s+(?:the|their)\s+(?:life|course)"),
    ],
    "route": [("IV", r"\bintravenous\w*|\bIV\b|\binfusions?\b"), ("intranasal", r"\bintranasal\w*|\bnasal\b"),
              ("oral", r"\boral(?:ly)?\b|\bsublingual|\blozenge|\btablet"), ("SC", r"\bsubcutaneous\w*|\bSC\b"),
              ("IM", r"\bintramuscular\w*|\bIM\b")],
    "measure": [("OR", r"\bodds\s+ratio|\bOR\b"), ("RR", r"\brisk\s+ratio|\brelative\s+risk|\bRR\b"),
                ("SMD", r"\bstandardi[sz]ed\s+mean|\bSMD\b|\beffect\s+size|\bhedges|\bcohen"),
                ("NNT", r"\bnumber\s+needed\s+to\s+treat|\bNNT\b|needed\s+treatment\s+for\s+one|treated\s+for\s+one"),
                ("NNH", r"\bnumber\s+needed\s+to\s+harm|\bNNH\b")],
    "drug": [("esketamine", r"\besketamine|\bspravato"), ("ketamine", r"\bketamine|\bketalar")],
}
_SLOT_RX = {slot: [(v, re.compile(p, re.I)) for v, p in pats] for slot, pats in _SLOT_PATTERNS.items()}
_CASE_SENSITIVE = {"GAD", "SAD", "PTSD", "OCD", "TRD", "MDD", "IV", "SC", "IM", "OR", "RR", "SMD", "NNT", "NNH"}
for _slot, _pats in _SLOT_RX.items():
    _SLOT_RX[_slot] = [(v, re.compile(rx.pattern.replace(r"\b" + v + r"\b", "(?-i:\\b" + v + "\\b)"), re.I))
                       for v, rx in _pats]

_DESIGN_WORDS = {
    "meta_analysis": r"meta[- ]analys|pooled\s+analys",
    "systematic_review": r"systematic\s+review",
    "crossover_rct": r"cross[- ]?over",
    "parallel_rct": r"randomi[sz]ed(?!\s+cross)|\bRCTs?\b|controlled\s+trials?",
    "open_label": r"open[- ]label|uncontrolled|single[- ]arm",
    "retrospective": r"retrospective|chart\s+review|observational|real[- ]world|naturalistic",
    "prospective_cohort": r"prospective|cohort",
    "maintenance": r"maintenance|repeated\s+(?:doses|infusions)|continued",
    "dose_ranging": r"dose[- ](?:ranging|finding|response|related)|ascending[- ]dos|escalat",
    "double_blind": r"double[- ]blind",
    "placebo": r"placebo|saline",
    "midazolam": r"midazolam|active\s+placebo|active\s+control",
    "survey": r"\bsurvey|fact\s+sheet|statistics",
}
_DESIGN_RX = {k: re.compile(v, re.I) for k, v in _DESIGN_WORDS.items()}
_DISTINCT_DESIGNS = frozenset({"meta_analysis", "systematic_review", "crossover_rct", "open_label", "retrospective",
                               "prospective_cohort", "survey"})

_ORG_ALIASES = {
    "nimh": r"\bNIMH\b|National\s+Institutes?\s+of\s+Mental\s+Health",
    "adaa": r"\bADAA\b|Anxiety\s+(?:and|&)\s+Depression\s+Association",
    "fda": r"\bFDA\b|Food\s+and\s+Drug\s+Administration",
    "who": r"\bWHO\b|World\s+Health\s+Organi[sz]ation",
    "cdc": r"\bCDC\b|Centers\s+for\s+Disease\s+Control",
    "ncs": r"National\s+Comorbidity\s+Survey|\bNCS-R\b",
    "yale": r"\bYale\b",
    "nih": r"\bNIH\b|National\s+Institutes\s+of\s+Health",
    "samhsa": r"\bSAMHSA\b",
}
_ORG_RX = {k: re.compile(v) for k, v in _ORG_ALIASES.items()}
#: organisations that publish figures (their name can stand where a journal would)
PUBLISHER_ORGS = frozenset({"nimh", "adaa", "fda", "who", "cdc", "nih", "samhsa", "ncs"})
_ORG_KEYS = [re.compile(p, re.I) for p in (r"nimh|national institutes? (?:mental )?health|adaa|anxiety (?:and|&) depression "
                                            r"association(?: america)?|fda|food drug administration|who|world health "
                                            r"organi[sz]ation|cdc|centers disease control(?: prevention)?|samhsa|"
                                            r"yale(?: \w+)?|harvard(?: \w+)?|nih|ncs r|national comorbidity survey(?: \w+)?|"
                                            r"\w+ clinic|.*association.*|.*university.*|.*institute.*",)]

_TOPIC_WORDS = {
    "approval": r"approv|indicat|label|licen|authori|regulat|cleared|FDA|off[- ]label",
    "anesthetic": r"an(?:a)?esthe|painkiller|analges|sedat",
    "onset": r"onset|within|immediate|rapid|quick|fast|hours?\b|minutes?\b|time\s+to",
    "relapse": r"relaps|return|wane|fade|wear\s+off|stopp|discontinu|durab|lasting|sustain|persist|remission|"
               r"maintenance|months?\b",
    "adverse": r"side[- ]effect|adverse|dissociat|nausea|dizz|blood\s+pressure|heart\s+rate|safety|toleran|cognitive|"
               r"sedat|headache|vomit",
    "response": r"respon|remission|success|efficacy|improv|benefit",
    "reduction": r"reduc|decreas|drop|improv|change|lower",
    "count": r"trials|studies|participants|patients|adults|people",
    "dose": r"mg/kg|mg\b|dose|dosing",
    "route": r"intravenous|\bIV\b|intranasal|nasal|oral|subcutaneous|intramuscular|infusion|route",
    "session": r"session|infusions|treatments|course",
}
_TOPIC_RX = {k: re.compile(v, re.I) for k, v in _TOPIC_WORDS.items()}


@lru_cache(maxsize=1 << 14)
def _topics_of(t: str) -> tuple[tuple[str, ...], bool]:
    """The topic words of a sentence and whether it opens with (or names) an anaphora ("the study", "these"):
    read once per sentence text (its context, the sentences before it, varies; these do not)."""
    anaphora = bool(re.match(r"\s*(?:the|this|that|these|those|its|their|of\s+the|in\s+the|it|they)\b", t, re.I)) \
        or bool(re.search(r"\b(?:the|this|that)\s+(?:same\s+)?(?:study|trial|experiment|review|paper|research|"
                          r"analysis)\b", t, re.I))
    low = folded(t)
    return tuple(k for k, rx in _TOPIC_RX.items() if may_match(rx, t, low) and rx.search(t)), anaphora   # (in order)


_STOP = frozenset("""a an the of in on for to and or with without by at from as is are was were be been being it its this
that these those their there they them which who whom whose what when where while than then so such can could may might
will would should must has have had do does did not no nor but if into over under about around approximately nearly
more most less least many much some any each every other another also only just even very our we you your he she his
her i me my us s t patients people adults study studies ketamine anxiety treatment treatments""".split())
_TOKEN = re.compile(r"[a-z0-9]+(?:[.'-][a-z0-9]+)*")


def tokens(text: str) -> set[str]:
    out = set()
    for t in _TOKEN.findall(text.lower()):
        if t in _STOP or len(t) < 2:
            continue
        if len(t) > 4 and t.endswith("s") and not t.endswith("ss"):
            t = t[:-1]
        out.add(t)
    return out


def slot_values(text: str, slot: str, refine: bool = True) -> set[str]:
    """The slot's values named in ``text`` (memoized: boilerplate repeats across a corpus)."""
    return set(_slot_values(text, slot, refine))


@lru_cache(maxsize=1 << 16)
def _slot_values(text: str, slot: str, refine: bool = True) -> frozenset[str]:
    return frozenset(_slot_values_uncached(text, slot, refine))


def _slot_values_uncached(text: str, slot: str, refine: bool = True) -> set[str]:
    vals = set()
    low = folded(text)
    for v, rx in _SLOT_RX[slot]:
        if may_match(rx, text, low) and rx.search(text):   # (a literal prefilter first: evidence.check.rxfilter)
            vals.add(v)
    return _refine(slot, vals) if refine else vals


def _refine(slot: str, vals: set[str]) -> set[str]:
    if slot == "condition":
        specific = vals - {"any_anxiety", "depression"}
        if specific & {"GAD", "SAD", "panic", "PTSD", "OCD", "phobia", "separation_anxiety", "agoraphobia"}:
            vals = vals - {"any_anxiety"}
        if specific & {"TRD", "MDD"}:
            vals = vals - {"depression"}
    if slot == "drug" and "esketamine" in vals:
        vals = vals - {"ketamine"}
    return vals


def _nearest(text: str, a: int, b: int, slot: str, before: int = 45, after: int = 25) -> set[str]:
    return set(_nearest_cached(text, a, b, slot, before, after))


@lru_cache(maxsize=1 << 16)
def _nearest_cached(text: str, a: int, b: int, slot: str, before: int, after: int) -> frozenset[str]:
    return frozenset(_nearest_uncached(text, a, b, slot, before, after))


def _nearest_uncached(text: str, a: int, b: int, slot: str, before: int = 45, after: int = 25) -> set[str]:
    """Slot values mentioned nearest to text[a:b] (same clause), e.g. 'women … (3.4%)'."""
    best: tuple[int, str] | None = None
    spec_after: tuple[int, str] | None = None
    lo, hi = max(0, a - before), min(len(text), b + after)
    window = text[lo:hi]     # a match lies inside the window, so its literals do (evidence.check.rxfilter)
    low = folded(window)
    hits = [(v, m) for v, rx in _SLOT_RX[slot] if may_match(rx, window, low) for m in rx.finditer(text, lo, hi)]
    if slot == "condition":
        # "generalized anxiety disorder" also contains "anxiety disorder": the specific name wins
        spec = [m for v, m in hits if v not in ("any_anxiety", "depression")]
        hits = [(v, m) for v, m in hits
                if v not in ("any_anxiety", "depression") or not any(m.start() < o.end() and o.start() < m.end()
                                                                     for o in spec)]
    for v, m in hits:
        if True:
            if m.end() <= a:
                gap = text[m.end():a]
                if re.search(r"[;]|,\s+(?:and|but|while|whereas|with)\b", gap):
                    continue
                d = a - m.end()
            elif m.start() >= b:
                gap = text[b:m.start()]
                if re.search(r"[,;()]", gap):
                    continue
                d = m.start() - b
            else:
                d = 0
            if best is None or d < best[0]:
                best = (d, v)
            if slot == "condition" and v == "SAD" and m.start() >= b and (spec_after is None or d < spec_after[0]):
                spec_after = (d, v)
    if best is not None and best[1] == "any_anxiety" and spec_after is not None:
        # "Anxiety affects 12% of Americans who have trouble connecting socially": the clause after the figure
        # describes the disorder the generic word stands for
        return {spec_after[1]}
    return {best[1]} if best else set()


#: "Anxiety disorders, including GAD, panic disorder and phobias, … affect 19%": an umbrella term whose members are
#: listed; a figure after the list is about the umbrella, not about the member named last
_UMBRELLA = re.compile(r"\banxiety\s+disorders\b(?:\s+(?:on|as)\s+a\s+whole|\s+in\s+general|\s+overall)?\s*,?\s*"
                       r"(?:including|such\s+as|like|e\.g\.|\(|:|—|–)", re.I)
_SPECIFIC_CONDITIONS = frozenset({"GAD", "SAD", "panic", "PTSD", "OCD", "phobia"})


def umbrella_condition(text: str, a: int) -> set[str]:
    """{'any_anxiety'} when the figure at text[a:] follows an umbrella term and a list of two or more of its
    members ("anxiety disorders, including generalized anxiety disorder, panic disorder …"); else empty."""
    for m in _UMBRELLA.finditer(text, 0, a):
        between = text[m.end():a]
        if ";" in between:
            continue
        members = {v for v, rx in _SLOT_RX["condition"] if v in _SPECIFIC_CONDITIONS and rx.search(between)}
        if len(members) >= 2:
            return {"any_anxiety"}
    return set()


def _journal_key(name: str) -> str:
    """Normalize a journal/organisation name for comparison ('J Clin Psychiatry' ~ 'Journal of Clinical Psychiatry')."""
    abbrev = {"j": "journal", "clin": "clinical", "am": "american", "psychopharmacol": "psychopharmacology",
              "psychiatr": "psychiatry", "affect": "affective", "disord": "disorders", "neuropsychopharmacol":
              "neuropsychopharmacology", "biol": "biological", "mol": "molecular", "transl": "translational",
              "br": "british", "aust": "australian", "n": "new", "engl": "england", "med": "medicine",
              "int": "international", "eur": "european", "psychol": "psychological", "res": "research",
              "pharmacol": "pharmacology", "anesth": "anesthesia", "anaesth": "anesthesia", "ther": "therapeutics",
              "depress": "depression", "anxiety": "anxiety", "neurosci": "neuroscience", "rev": "reviews"}
    words = re.findall(r"[a-z]+", name.lower())
    out = [abbrev.get(w, w) for w in words if w not in ("the", "of", "and", "in", "on", "for")]
    return " ".join(out)


def _same_journal(a: str, b: str) -> bool:
    """Journal keys name the same journal: equal, or one's words are all in the other's (≥ 2 words)."""
    if not a or not b:
        return False
    if a == b:
        return True
    ta, tb = set(a.split()), set(b.split())
    small, big = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    return len(small) >= 2 and small <= big and len(small) >= len(big) - 1


def _num(v: Any) -> float | None:
    if v is None:
        return None
    if isinstance(v, (int, float)):
        return None if isinstance(v, float) and math.isnan(v) else float(v)
    s = str(v).strip().replace(",", "")
    if not s:
        return None
    try:
        return float(s)
    except ValueError:
        return None


def _str(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        if math.isnan(v):
            return ""
        return str(int(v)) if v.is_integer() else str(v)
    return str(v)



_STUDY_REASONS = ("n=", "journal ", "year ", "author ", "organisation ", "design ", "diagnosis ")
_ORIGIN_BONUS = {"estimate": 0.3, "prevalence": 0.2, "fact": 0.1, "source": 0.0, "outcome": -0.2}
_COUNT_UNITS = {"patients", "adults", "participants", "people", "persons", "subjects", "individuals", "trials",
                "studies", "rcts", "infusions", "sessions", "treatments", "doses", "count", "respondents", "women",
                "men", "volunteers", "veterans", "americans", "cases"}
_TIME_UNITS = {"minutes": 1 / 60, "minute": 1 / 60, "min": 1 / 60, "hours": 1, "hour": 1, "h": 1, "days": 24,
               "day": 24, "weeks": 168, "week": 168, "months": 730.5, "month": 730.5, "years": 8766, "year": 8766}


def _unit_kind(unit: str | None) -> str:
    u = (unit or "").strip().lower()
    if u in _COUNT_UNITS:
        return "count"
    if u in _TIME_UNITS:
        return "time"
    if u in ("%", "percent", "pct"):
        return "%"
    if u in ("or", "rr", "hr", "smd", "md", "ratio", "nnt", "nnh"):
        return "ratio"
    return u


def _units_compatible(claim_unit: str | None, cand_unit: str | None) -> bool:
    a, b = _unit_kind(claim_unit), _unit_kind(cand_unit)
    if not b or not a:
        return True
    if a == "time" and b == "time":
        return (claim_unit or "").lower().rstrip("s") == (cand_unit or "").lower().rstrip("s")
    if a in ("patients", "count") and b in ("ratio",):
        return True  # NNT/NNH claims are counted in patients
    return a == b



_NEG_FACT = re.compile(r"\bnot\b[^.;]{0,30}\bapprov|\bno\s+FDA[- ]approved|\bhas\s+not\s+(?:been\s+)?(?:approved|"
                       r"determined)|\bunapproved|\bnot\s+FDA", re.I)


def negative_fact(text: str) -> bool:
    """Does a regulatory fact say something is *not* approved?"""
    return bool(_NEG_FACT.search(text or ""))


def negative_claim(text: str) -> bool:
    return bool(re.match(r"\s*(?:not|off-label)\b", text or "", re.I))


def _journal_rx():
    """Journal names and organisations, as the detector finds them."""
    from evidence.check.lexicon import _JOURNAL_CORE, _ORGS

    global _JRX
    if _JRX is None:
        _JRX = re.compile(rf"(?P<j>{_JOURNAL_CORE}|\b(?:{_ORGS})\b)")
    return _JRX


_JRX = None
_NUM_IN_TEXT = re.compile(r"(?<![\d.])(\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\d.])")
_WORD_NUMS = re.compile(r"\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
                        r"sixteen|seventeen|eighteen|nineteen|twenty)\b", re.I)


#: design markers that tell studies apart when a sentence describes one ("ascending-dose", "subcutaneous")
_MARKER_DESIGNS = frozenset({"meta_analysis", "systematic_review", "crossover_rct", "open_label", "retrospective",
                             "prospective_cohort", "maintenance", "dose_ranging", "midazolam"})


_REFRACTORY = re.compile(r"refractory|treatment[- ]resistant", re.I)


def _markers(st: "Study", population: str = "") -> frozenset[str]:
    out = {d for d in st.designs if d in _MARKER_DESIGNS}
    if _REFRACTORY.search(population):
        out.add("treatment-refractory")
    out |= {f"route {r}" for r in st.route if r != "IV"}   # IV is every infusion study's route: no marker
    out |= {f"diagnosis {x}" for x in st.diagnoses if x not in ("any_anxiety", "general_population")}
    return frozenset(out)


@lru_cache(maxsize=1 << 16)
def _described(text: str) -> frozenset[str]:
    low = folded(text)   # (a literal prefilter first: evidence.check.rxfilter; the answer is the same)
    out = {k for k in _MARKER_DESIGNS if may_match(_DESIGN_RX[k], text, low) and _DESIGN_RX[k].search(text)}
    if _REFRACTORY.search(text):
        out.add("treatment-refractory")
    out |= {f"route {r}" for r in slot_values(text, "route") if r != "IV"}
    out |= {f"diagnosis {x}" for x in slot_values(text, "condition") if x not in ("any_anxiety", "depression")}
    return frozenset(out)


#: the patients a sentence describes (condclash.py): "patients with treatment-resistant anxiety", "people suffering from PTSD"
_PATIENTS_WITH = re.compile(r"\b(?:patients|people|adults|participants|individuals|subjects|veterans|those|persons|"
                            r"men|women|children|adolescents)\s+(?:[\w-]+\s+){0,2}?(?:with|suffering\s+from|diagnosed\s+"
                            r"with|who\s+(?:have|had|suffer(?:ed)?\s+from))\s+([^,.;:]{1,60})", re.I)
def patients_conditions(text: str) -> set[str]:
    """The condition codes of the patients ``text`` describes ("patients with treatment-resistant anxiety"); an
    outcome ("a reduction in anxiety symptoms") is what was measured, not who was studied, and is not one of them."""
    return {x for m in _PATIENTS_WITH.finditer(text) for x in slot_values(m.group(1), "condition")}


def _explicit_ns(text: str) -> set[float]:
    from evidence.check.resolve import _EXPLICIT_N

    return {float((m.group(1) or m.group(2)).replace(",", "")) for m in _EXPLICIT_N.finditer(text)}


def _numbers_in(text: str) -> set[float]:
    from evidence.check.detect import parse_number

    out = {float(m.group(0).replace(",", "")) for m in _NUM_IN_TEXT.finditer(text)}
    out |= {parse_number(m.group(1)) for m in _WORD_NUMS.finditer(text)}
    out.discard(None)
    return out


