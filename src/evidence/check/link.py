"""Link detected claims to the evidence base in ``data/``.

The index is built once per data directory (and cached) from every table:

* ``prevalence.csv`` rows → ``prevalence:id=…`` candidates, described by
  condition, sex, period, population, survey and the source organisation;
* ``estimates.csv`` rows → ``estimate:id=…`` (or ``nnt:estimate=…``) by measure,
  outcome, analysis and the source study;
* ``outcomes.csv`` rows → ``proportion:…``, ``effect:…`` and ``nnt:outcome=…``;
* ``sources.csv`` rows → ``count:source=…`` (sample size) and
  ``attribute:source=…,field=…`` (journal, year, design, blinding, control,
  route, drug, dose, diagnosis, population);
* ``facts.csv`` rows → ``fact:id=…`` typed from their attribute (approval,
  onset, relapse, adverse effects, counts …);
* curated ``claims.csv`` rows with a ``recompute`` spec (or a searched-and-not-
  found status) → *templates*: known claims with their answer.

Each candidate carries **slots** (condition, sex, period, route, measure,
drug), a **study** (its source, with journal, year, first author, n, design,
diagnoses) and **numbers**. A claim gets the same slots from the words nearest
to it in its sentence (e.g. "women" right before "(3.4%)"), study cues from its
sentence and, more weakly, the two sentences before it ("The study was …").

Scoring (documented in :meth:`EvidenceIndex.score`): the candidate must support
the claim type; conflicting slots rule it out (a GAD claim never links to a SAD
figure, a lifetime claim never to a past-year one); agreeing slots, study cues
(journal, year, author, sample size, design, diagnosis, organisation) and
number proximity add up. A template whose quote is the claim's own wording
wins outright. The best candidate above :data:`MIN_SCORE` with at least one
*anchor* (a specific slot or study cue, not just the type) is the link; else
the claim stays unlinked and is reported as "not checkable here: needs a source".
Number proximity only breaks ties: a wrong figure still links to the right
evidence, so that the verdict can say it is wrong.
"""
from __future__ import annotations

import math
import re
import threading
from functools import lru_cache
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from evidence.check.gate import (OTHER_REGULATORS, REGULATORY_TYPES, TOPIC_SOURCE_KINDS, TOPIC_TYPES,
                                 UNIQUE_FIGURE_TYPES, WEIGHTS, Link, abstain,
                                 like_with_like, no_figure_reason, receives_treatment, study_reason, topic_ok)
from evidence.check.resolve import Resolution, Resolver, journal_key, resolve_document, signature, similar
from evidence import vocab
from evidence.check.words import describe, in_words
from evidence.quantity import kind_of

MIN_SCORE = WEIGHTS["min_score"]

# ------------------------------------------------------------------ concepts

_SLOT_PATTERNS: dict[str, list[tuple[str, str]]] = {
    "condition": [
        ("GAD", r"generali[sz]ed\s+anxiety|\bGAD\b(?!-\d)"),
        ("SAD", r"social\s+anxiety|social\s+phobia|\bSAD\b"),
        ("panic", r"\bpanic\s+disorder|\bpanic\b"),
        ("PTSD", r"\bPTSD\b|post[- ]?traumatic"),
        ("OCD", r"\bOCD\b|obsessive[- ]compulsive"),
        ("phobia", r"specific\s+phobias?"),
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
    for v, rx in _SLOT_RX[slot]:
        if rx.search(text):
            vals.add(v)
    return _refine(slot, vals) if refine else vals


def _refine(slot: str, vals: set[str]) -> set[str]:
    if slot == "condition":
        specific = vals - {"any_anxiety", "depression"}
        if specific & {"GAD", "SAD", "panic", "PTSD", "OCD", "phobia"}:
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
    hits = [(v, m) for v, rx in _SLOT_RX[slot] for m in rx.finditer(text, max(0, a - before), min(len(text), b + after))]
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
    return {best[1]} if best else set()


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


# ------------------------------------------------------------------ candidates

@dataclass
class Study:
    source_id: str
    journal_key: str = ""
    journal: str = ""
    year: str = ""
    author: str = ""
    ns: tuple[float, ...] = ()
    designs: frozenset[str] = frozenset()
    diagnoses: frozenset[str] = frozenset()
    orgs: frozenset[str] = frozenset()
    drug: frozenset[str] = frozenset()
    route: frozenset[str] = frozenset()
    kind: str = ""
    words: frozenset[str] = frozenset()


@dataclass
class Candidate:
    recompute: str
    source_ids: tuple[str, ...]
    types: frozenset[str]
    origin: str                       # prevalence / estimate / outcome / source / fact / template
    label: str
    slots: dict[str, frozenset[str]] = field(default_factory=dict)
    numbers: tuple[float, ...] = ()
    number_unit: str = ""            # '%', 'count', 'ratio', 'time', ''
    words: frozenset[str] = frozenset()
    field: str = ""                  # attribute candidates: the sources.csv column
    topics: frozenset[str] = frozenset()
    template_key: str = ""           # templates: match-normalized quote
    template: dict | None = None
    k_studies: float | None = None
    text: str = ""                   # facts: value_text (for the claimed_text policy and polarity)
    row: dict | None = None          # the data/ row it came from


_FIELD_TYPES = {
    "journal": "attribution", "year": "attribution", "citation": "attribution",
    "design": "design", "blinding": "design", "control": "design",
    "route": "dose_route", "drug": "dose_route", "dose_mg_per_kg": "dose_route", "infusion_min": "dose_route",
    "sessions": "dose_route", "diagnosis": "population", "population": "population",
}


def _fact_types(attribute: str, subject: str, value_text: str, unit: str) -> set[str]:
    types = _fact_types_of(attribute.lower())
    if types == {"other"}:
        types = _fact_types_of(f"{attribute} {subject}".lower())
    return types


def _fact_types_of(a: str) -> set[str]:
    types: set[str] = set()
    if re.search(r"approv|indicat|label|regulat|licen|authori|schedul|warning|fda|status", a):
        types.add("regulatory_status")
    if re.search(r"onset|time_to|time to|rapid", a):
        types.add("onset")
    if re.search(r"relaps|durab|duration_of|remission|maintenance|return|persist|sustain|wane|lasting", a):
        types.add("durability")
    if re.search(r"adverse|side|safety|dissoc|blood|toleran|harm|cognitive|nnh|interaction", a):
        types.add("safety")
    if re.search(r"\bn_|count|n_patients|n_trials|k_|trials|studies|participants|sample", a):
        types.add("sample_size")
    if re.search(r"dose|route|infusion|session|administration|mg", a):
        types.add("dose_route")
    if re.search(r"respon|remission_rate|success", a):
        types.add("response_rate")
    if re.search(r"change|reduction|improvement", a):
        types.add("symptom_change")
    if re.search(r"prevalen", a):
        types.add("prevalence")
    if re.search(r"design|blind|random", a):
        types.add("design")
    if re.search(r"mechanism|receptor|nmda|glutamat", a):
        types.add("mechanism")
    if re.search(r"compar|versus|vs_|than", a):
        types.add("comparison")
    if not types:
        types.add("other")
    return types


def _estimate_types(measure: str, outcome: str) -> set[str]:
    m = (measure or "").upper()
    adverse = bool(re.search(r"adverse|side|dissoc|harm|dropout", outcome or "", re.I))
    if m in ("OR", "RR", "RD", "SMD", "MD"):
        return {"effect_size", "safety"} if adverse else {"effect_size"}
    if m == "NNT":
        return {"nnt"}
    if m == "NNH":
        return {"nnh"}
    if m == "PCT_CHANGE":
        return {"symptom_change"}
    if m == "PCT_RESPONDERS":
        return {"safety"} if adverse else {"response_rate", "symptom_change"}
    if m == "MEAN_CHANGE":
        return {"symptom_change"}
    return {"other", "effect_size"}


class EvidenceIndex:
    """Candidates built from ``data/`` plus the scoring that links a claim to one of them."""

    def __init__(self, tables: dict[str, list[dict]], data_dir: Path | None = None, warnings: list[str] | None = None):
        self.data_dir = data_dir
        self.warnings = list(warnings or [])
        self.studies: dict[str, Study] = {}
        self.candidates: list[Candidate] = []
        self._tpl_cache: list[Candidate] | None = None
        self._ctx_cache: dict[tuple[str, str], dict] = {}
        self._build(tables)
        self.sigs = {sid: signature(r, self.studies[sid].orgs, _markers(self.studies[sid], _str(r.get("population"))))
                     for r in tables.get("sources", []) if (sid := _str(r.get("source_id"))) in self.studies}
        self.resolver = Resolver(self.sigs, dict(_DESIGN_RX), {k: v for k, v in _ORG_RX.items() if k in PUBLISHER_ORGS},
                                 describe=_described)
        self._by_type: dict[str, list[Candidate]] = {}
        for c in self.candidates:
            for t in c.types:
                self._by_type.setdefault(t, []).append(c)
        df: dict[str, int] = {}
        for c in self.candidates:
            for w in c.words:
                df[w] = df.get(w, 0) + 1
        n = max(1, len(self.candidates))
        self._idf = {w: math.log((n + 1) / (k + 0.5)) for w, k in df.items()}

    # ---------------------------------------------------------------- build

    def _build(self, tables: dict[str, list[dict]]) -> None:
        for table, add in (("sources", self._add_source), ("prevalence", self._add_prevalence),
                           ("estimates", self._add_estimate), ("outcomes", self._add_outcome),
                           ("facts", self._add_fact), ("claims", self._add_template)):
            for r in tables.get(table, []):
                k = len(self.candidates)
                add(r)
                for c in self.candidates[k:]:
                    c.row = r   # the row, to say in words what a claim was compared with

    def _study(self, sid: str) -> Study:
        return self.studies.get(sid) or Study(sid)

    def _add_source(self, r: dict) -> None:
        sid = _str(r.get("source_id"))
        if not sid:
            return
        citation = _str(r.get("citation"))
        journal = _str(r.get("journal"))
        author = ""
        m = re.match(r"\s*([A-Z][A-Za-z'’-]+)\s+[A-Z]{1,3}\b[,.]?", citation)  # "Taylor JH, ..."
        if m and _str(r.get("kind")) not in ("label", "regulatory", "web_page"):
            author = m.group(1).lower()
        ns = tuple(x for x in (_num(r.get("n_randomized")), _num(r.get("n_analysed"))) if x is not None)
        # the design comes from the structured fields; free text only adds the secondary markers
        free_text = " ".join(_str(r.get(k)) for k in ("control", "notes", "citation", "sessions"))
        designs = {k for k in ("maintenance", "dose_ranging", "placebo", "midazolam")
                   if _DESIGN_RX[k].search(free_text)}
        d = _str(r.get("design"))
        if d:
            designs.add(d)
            if d in ("retrospective", "prospective_cohort"):
                designs.add("retrospective")  # "observational", "real-world", "chart review"
            if d == "systematic_review" and _str(r.get("kind")) == "meta_analysis":
                designs.add("meta_analysis")
            if d in ("fact_sheet", "survey"):
                designs.add("survey")
        if _str(r.get("blinding")) == "double_blind":
            designs.add("double_blind")
        dx_text = " ".join(_str(r.get(k)) for k in ("diagnosis", "population"))
        diagnoses = set(slot_values(dx_text.replace(";", " "), "condition"))
        for code in _str(r.get("diagnosis")).split(";"):
            code = code.strip()
            if code:
                diagnoses.add({"mixed_anxiety": "any_anxiety", "general_population": "any_anxiety"}.get(code, code))
        org_text = " ".join([journal, citation, _str(r.get("url")), sid])
        orgs = {k for k, rx in _ORG_RX.items() if rx.search(org_text) or sid.lower().startswith(k)}
        words = tokens(" ".join([citation, journal, _str(r.get("population")), _str(r.get("notes")),
                                 _str(r.get("outcome_scales")), _str(r.get("drug"))]))
        st = Study(sid, _journal_key(journal), journal, _str(r.get("year")), author, ns, frozenset(designs),
                   frozenset(diagnoses), frozenset(orgs), frozenset(slot_values(_str(r.get("drug")), "drug")),
                   frozenset(slot_values(_str(r.get("route")), "route")), _str(r.get("kind")), frozenset(words))
        self.studies[sid] = st
        base_slots = {"condition": st.diagnoses}
        if ns:
            self.candidates.append(Candidate(
                f"count:source={sid},field=n_randomized" if _num(r.get("n_randomized")) is not None
                else f"count:source={sid},field=n_analysed",
                (sid,), frozenset({"sample_size"}), "source", f"sample size of {sid}", dict(base_slots), ns, "count",
                frozenset(words)))
        for fld, ctype in _FIELD_TYPES.items():
            if fld == "citation":
                continue
            val = _str(r.get(fld))
            if not val or val == "na":
                continue
            slots = dict(base_slots)
            nums: tuple[float, ...] = ()
            unit = ""
            if fld == "route":
                slots["route"] = frozenset(slot_values(val, "route") or {val})
            if fld == "drug":
                slots["drug"] = frozenset(slot_values(val, "drug"))
            if fld == "dose_mg_per_kg":
                nums = tuple(x for x in (_num(p) for p in val.split(";")) if x is not None)
                unit = "mg/kg"
            if fld == "infusion_min":
                nums = (_num(val),) if _num(val) is not None else ()
                unit = "minutes"
            if fld == "year":
                nums = (_num(val),) if _num(val) is not None else ()
                unit = "year"
            self.candidates.append(Candidate(
                f"attribute:source={sid},field={fld}", (sid,), frozenset({ctype}), "source",
                f"{fld} of {sid}: {val}", slots, nums, unit, frozenset(words | tokens(val)), field=fld))

    def _add_prevalence(self, r: dict) -> None:
        pid, sid = _str(r.get("prevalence_id")), _str(r.get("source_id"))
        if not pid:
            return
        cond = slot_values(_str(r.get("condition")), "condition") or {"any_anxiety"}
        sex = _str(r.get("sex")) or "all"
        period = _str(r.get("period"))
        slots = {"condition": frozenset(cond), "sex": frozenset({sex}),
                 "period": frozenset({period}) if period in ("past_year", "lifetime") else frozenset()}
        nums = tuple(x for x in (_num(r.get("value_pct")),) if x is not None)
        counts = tuple(x for x in (_num(r.get("count")),) if x is not None)
        words = tokens(" ".join(_str(r.get(k)) for k in ("condition", "population", "survey", "notes")))
        st = self._study(sid)
        label = (f"{pid}: {_str(r.get('condition'))}, {period.replace('_', ' ')}, sex {sex}"
                 + (f" = {nums[0]:g}%" if nums else ""))
        # a share and a head count are different quantities: one candidate each (like with like)
        if nums:
            self.candidates.append(Candidate(f"prevalence:id={pid}", (sid,) if sid else (), frozenset({"prevalence"}),
                                             "prevalence", label, slots, nums, "%", frozenset(words | st.words)))
        if counts:
            self.candidates.append(Candidate(f"prevalence:id={pid},field=count", (sid,) if sid else (),
                                             frozenset({"prevalence"}), "prevalence", label, dict(slots), counts,
                                             "people", frozenset(words | st.words)))

    def _add_estimate(self, r: dict) -> None:
        eid, sid = _str(r.get("estimate_id")), _str(r.get("source_id"))
        if not eid:
            return
        measure = _str(r.get("measure"))
        outcome = _str(r.get("outcome"))
        types = _estimate_types(measure, outcome)
        mu = measure.upper()
        spec = f"nnt:estimate={eid}" + (",kind=NNH" if mu == "NNH" else "") if mu in ("NNT", "NNH") \
            else f"estimate:id={eid}"
        slots = {"measure": frozenset({mu}) if mu in ("OR", "RR", "SMD", "NNT", "NNH") else frozenset()}
        cond = slot_values(outcome + " " + _str(r.get("analysis_id")).replace("_", " "), "condition")
        aid = _str(r.get("analysis_id")).lower()
        for code in ("sad", "gad", "ptsd", "ocd", "panic", "trd"):
            if re.search(rf"(?:^|_){code}(?:_|$)", aid):
                cond.add(code.upper() if code != "panic" else "panic")
        st = self._study(sid)
        slots["condition"] = frozenset(cond or st.diagnoses)
        nums = tuple(x for x in (_num(r.get("estimate")),) if x is not None)
        words = tokens(" ".join([outcome, _str(r.get("analysis_id")).replace("_", " "), _str(r.get("notes")),
                                 _str(r.get("model"))]))
        self.candidates.append(Candidate(spec, (sid,) if sid else (), frozenset(types), "estimate",
                                         f"{eid}: {measure} {nums[0] if nums else ''} ({outcome})", slots, nums,
                                         "%" if mu.startswith("PCT") else "ratio", frozenset(words | st.words),
                                         k_studies=_num(r.get("k_studies"))))

    def _add_outcome(self, r: dict) -> None:
        oid, sid = _str(r.get("outcome_id")), _str(r.get("source_id"))
        if not oid:
            return
        outcome = _str(r.get("outcome"))
        st = self._study(sid)
        words = frozenset(tokens(" ".join([outcome, _str(r.get("timepoint")), _str(r.get("arm_treat"))])) | st.words)
        adverse = bool(re.search(r"adverse|side|dissoc|harm|nausea|dropout", outcome, re.I))
        slots = {"condition": frozenset(st.diagnoses)}
        if _str(r.get("outcome_type")) == "binary":
            et, nt = _num(r.get("events_treat")), _num(r.get("n_treat"))
            pct = (100.0 * et / nt,) if et is not None and nt else ()
            self.candidates.append(Candidate(
                f"proportion:outcome={oid},arm=treat", (sid,), frozenset({"safety"} if adverse else {"response_rate"}),
                "outcome", f"{oid}: {outcome} in the treatment arm", dict(slots), pct, "%", words))
            if _num(r.get("n_ctrl")) is not None:
                self.candidates.append(Candidate(
                    f"nnt:outcome={oid}" + (",kind=NNH" if adverse else ""), (sid,),
                    frozenset({"nnh"} if adverse else {"nnt"}), "outcome", f"{oid}: {'NNH' if adverse else 'NNT'}",
                    dict(slots), (), "", words))
                self.candidates.append(Candidate(
                    f"effect:outcome={oid},measure=OR", (sid,), frozenset({"effect_size"}), "outcome",
                    f"{oid}: OR", {**slots, "measure": frozenset({"OR"})}, (), "ratio", words))

    def _add_fact(self, r: dict) -> None:
        fid, sid = _str(r.get("fact_id")), _str(r.get("source_id"))
        if not fid:
            return
        subject, attribute = _str(r.get("subject")), _str(r.get("attribute"))
        value_text, unit = _str(r.get("value_text")), _str(r.get("unit"))
        types = _fact_types(attribute, subject, value_text, unit)
        if "regulatory_status" not in types and re.search(r"approv|indicat|an(?:a)?esthe", value_text, re.I) \
                and re.search(r"fda|label|regulat", sid + " " + attribute, re.I):
            types.add("regulatory_status")
        text = " ".join([subject, attribute.replace("_", " "), value_text])
        st = self._study(sid)
        slots = {"drug": frozenset(slot_values(subject, "drug")),
                 "condition": frozenset(slot_values(text, "condition", refine=False) or st.diagnoses)}
        nums = tuple(x for x in (_num(r.get("value_num")),) if x is not None)
        topics = frozenset(k for k, rx in _TOPIC_RX.items() if rx.search(text))
        self.candidates.append(Candidate(f"fact:id={fid}", (sid,) if sid else (), frozenset(types), "fact",
                                         f"{fid}: {subject} / {attribute}: {value_text}", slots, nums,
                                         unit, frozenset(tokens(text) | st.words), topics=topics, text=value_text))

    def _add_template(self, r: dict) -> None:
        from evidence.check.recall import match_key

        spec = _str(r.get("recompute"))
        status = _str(r.get("evidence_status"))
        if not spec and status not in ("not_found", "unidentifiable"):
            return  # provisional rows teach nothing yet
        quote = _str(r.get("quote"))
        if not quote:
            return
        key = match_key(quote)[0].strip(" .,:")
        sids = tuple(s.strip() for s in _str(r.get("source_ids")).split(";") if s.strip())
        nums = tuple(x for x in (_num(r.get("claimed_value")), _num(r.get("claimed_low")), _num(r.get("claimed_high")))
                     if x is not None)
        self.candidates.append(Candidate(spec or "none", sids, frozenset({_str(r.get("claim_type"))}), "template",
                                         f"curated claim {_str(r.get('claim_id'))}", {}, nums, _str(r.get("claimed_unit")),
                                         frozenset(tokens(quote)), template_key=key, template=dict(r)))

    # ---------------------------------------------------------------- claim context

    def sentence_context(self, s, sentences: list) -> dict:
        """Slots and study cues of one sentence and (weaker) the two before it (memoized on the texts)."""
        prev_text = ""
        if sentences and s.index is not None:
            lo = max(0, s.index - 2)
            prev_text = " ".join(x.text for x in sentences[lo:s.index])
        key = (s.text, prev_text)
        ctx = self._ctx_cache.get(key)
        if ctx is None:
            if len(self._ctx_cache) > 20000:
                self._ctx_cache.clear()
            ctx = self._ctx_cache[key] = self._sentence_context(s.text, prev_text)
        return ctx

    def _sentence_context(self, t: str, prev_text: str) -> dict:
        ctx: dict[str, Any] = {"text": t, "prev": prev_text}
        ctx["cond_all"] = slot_values(t, "condition")
        sex = slot_values(t, "sex")
        ctx["sex_all"] = sex if len(sex) == 1 else set()
        per = slot_values(t, "period")
        ctx["period_all"] = per if len(per) == 1 else set()
        ctx["route"] = slot_values(t, "route")
        ctx["measure_all"] = slot_values(t, "measure")
        ctx["drug"] = slot_values(t, "drug")
        ctx["words"] = tokens(t)
        ctx["prev_words"] = tokens(prev_text)
        ctx["orgs"] = {k for k, rx in _ORG_RX.items() if rx.search(t)}
        ctx["prev_orgs"] = {k for k, rx in _ORG_RX.items() if rx.search(prev_text)}
        ctx["designs"] = {k for k, rx in _DESIGN_RX.items() if rx.search(t)}
        ctx["prev_designs"] = {k for k, rx in _DESIGN_RX.items() if rx.search(prev_text)}
        ctx["years"] = set(re.findall(r"\b(?:19|20)\d{2}\b", t))
        ctx["prev_years"] = set(re.findall(r"\b(?:19|20)\d{2}\b", prev_text))
        # a sample size counts as a study cue only when written as one ("n = 18", "18 patients"), never any number
        ctx["numbers"] = _explicit_ns(t)
        ctx["prev_numbers"] = _explicit_ns(prev_text)
        ctx["org_sources"] = {k: frozenset(sid for sid, st in self.studies.items() if k in st.orgs)
                              for k in ctx["orgs"] & PUBLISHER_ORGS}
        jrx = _journal_rx()
        ctx["journals"] = {_journal_key(m.group("j")) for m in jrx.finditer(t)}
        ctx["prev_journals"] = {_journal_key(m.group("j")) for m in jrx.finditer(prev_text)} if prev_text else set()
        for k in ("journals", "prev_journals"):  # organisations are matched as organisations, not journals
            ctx[k] = {j for j in ctx[k] if not any(rx.fullmatch(j) for rx in _ORG_KEYS)}
        ctx["prev_condition"] = slot_values(prev_text, "condition") if prev_text else set()
        ctx["topics"] = {k for k, rx in _TOPIC_RX.items() if rx.search(t)}
        ctx["anaphora"] = bool(re.match(r"\s*(?:the|this|that|these|those|its|their|of\s+the|in\s+the|it|they)\b", t, re.I)) \
            or bool(re.search(r"\b(?:the|this|that)\s+(?:same\s+)?(?:study|trial|experiment|review|paper|research|"
                              r"analysis)\b", t, re.I))
        return ctx

    def claim_context(self, d, sentences: list, cache: dict | None = None) -> dict:
        """Slots and study cues of one detected claim: its sentence's, with slots taken nearest to the claim."""
        s = d.sentence
        cache = {} if cache is None else cache
        key = ("ctx", s.index, s.start)
        base = cache.get(key)
        if base is None:
            base = cache[key] = self.sentence_context(s, sentences)
        ctx = dict(base)
        t = s.text
        a, b = d.start - s.start, d.end - s.start
        ctx["condition"] = _refine("condition", _nearest(t, a, b, "condition", 90, 60)) or base["cond_all"]
        ctx["sex"] = _nearest(t, a, b, "sex", 45, 20) or base["sex_all"]
        ctx["period"] = _nearest(t, a, b, "period", 40, 60) or base["period_all"]
        ctx["measure"] = slot_values(t[max(0, a - 40):b + 10], "measure") or base["measure_all"]
        return ctx

    def study_score(self, st: Study, ctx: dict) -> tuple[float, list[str]]:
        """How strongly the claim's sentence (and, weaker, the two before it) points at this study."""
        score, why = 0.0, []
        if ctx["years"] and st.year and st.year not in ctx["years"]:
            score -= 1.5  # the sentence dates its study, and not to this one's year
        for prefix, w in (("", 1.0), ("prev_", 0.5 if ctx.get("anaphora") else 0.15)):
            journals = ctx[prefix + "journals"]
            if st.journal_key and journals:
                if any(_same_journal(j, st.journal_key) for j in journals):
                    score += 4 * w
                    why.append(f"journal {st.journal}")
            if st.year and st.year in ctx[prefix + "years"]:
                score += 2 * w
                why.append(f"year {st.year}")
            if st.author and re.search(rf"\b{re.escape(st.author)}\b", ctx[prefix + "text" if not prefix else "prev"],
                                       re.I):
                score += 4 * w
                why.append(f"author {st.author.title()}")
            nums = ctx[prefix + "numbers"]
            if st.ns and any(n in nums for n in st.ns if n >= 5):
                score += 4 * w
                why.append(f"n={int(max(st.ns))}")
            des = ctx[prefix + "designs"] & st.designs
            if des:
                score += min(4.0, sum(2.5 if x in _DISTINCT_DESIGNS else 1.0 for x in des)) * w
                why.append("design " + "/".join(sorted(des)))
            orgs = ctx[prefix + "orgs"] & st.orgs
            if orgs:
                score += 3 * w
                why.append("organisation " + "/".join(sorted(orgs)).upper())
        cond = ctx["condition"] | (ctx["prev_condition"] if ctx.get("anaphora") else set())
        dx = cond & st.diagnoses
        if dx:
            score += 1.5
            why.append("diagnosis " + "/".join(sorted(dx)))
            score -= 0.3 * len(st.diagnoses - cond - {"any_anxiety", "general_population"})  # prefer the closest fit
        if ctx["route"] & st.route:
            score += 0.5
        if ctx["drug"] & st.drug:
            score += 0.5
        return score, why

    # ---------------------------------------------------------------- scoring

    def score(self, d, ctx: dict, c: Candidate) -> tuple[float, bool, list[str]]:
        """(score, anchored, reasons) of candidate ``c`` for claim ``d``; score < 0 rules it out.

        * slots: a value the claim states that the candidate contradicts rules the candidate out;
          matching values add condition 3, sex 2, period 2, measure 2, route 1.5, drug 1;
          an unstated sex/period/condition where the candidate is specific costs a little;
        * study cues (see :meth:`study_score`) for the candidate's source;
        * number proximity: within 2 % relative +2, within 15 % +1 (a count must be equal: +3);
        * word overlap (IDF-weighted, capped at 2).
        """
        why: list[str] = []
        score = 0.0
        anchored = False
        for slot, weight in (("condition", 3.0), ("sex", 2.0), ("period", 2.0), ("measure", 2.0), ("route", 1.5),
                             ("drug", 1.0)):
            cv = c.slots.get(slot) or frozenset()
            kv = ctx.get(slot) or set()
            if slot == "sex" and cv == {"all"}:
                if kv:
                    return -1, False, []
                continue
            if not cv:
                continue
            if kv:
                if slot == "condition":
                    inter = kv & cv
                    if not inter:
                        # a depression/TRD study can still back an anxiety *outcome*; only exclusive anxiety codes clash
                        spec_k = kv - {"any_anxiety", "depression"}
                        spec_c = cv - {"any_anxiety", "depression"}
                        if c.origin == "prevalence" or (spec_k and spec_c and not (spec_k & spec_c)):
                            return -1, False, []
                        continue
                elif slot == "route" and c.field != "route":
                    if not (kv & cv):
                        continue
                elif slot == "drug" and c.field != "drug":
                    if not (kv & cv):
                        continue
                elif not (kv & cv):
                    return -1, False, []
                if kv & cv:
                    score += weight
                    anchored = True
                    why.append(f"{slot} {'/'.join(sorted(kv & cv))}")
            else:
                if slot == "sex" and cv & {"female", "male"}:
                    score -= 2
                elif slot == "period" and "lifetime" in cv:
                    score -= 0.5
                elif slot == "condition" and c.origin == "prevalence" and "any_anxiety" not in cv:
                    score -= 1
        # study cues
        st_best = 0.0
        st_why: list[str] = []
        for sid in c.source_ids:
            st = self.studies.get(sid)
            if st is None:
                continue
            s_score, s_why = self.study_score(st, ctx)
            if s_score > st_best:
                st_best, st_why = s_score, s_why
        if st_best:
            score += st_best
            why += st_why
            if st_best >= 2.5:
                anchored = True
        # numbers
        v = d.value if d.value is not None else d.high
        if d.value is None and d.low is not None and d.high is not None and c.numbers \
                and _units_compatible(d.unit, c.number_unit):
            if any(d.low <= n <= d.high for n in c.numbers):
                score += 2
                anchored = anchored or d.claim_type == "other"
                why.append(f"number in {d.low:g}–{d.high:g}")
            v = None
        if d.claim_type == "other" and (d.qualifier == "categorical" or not anchored):
            return -1, False, []  # an "other" claim links only through its figure
        if v is not None and c.numbers and _units_compatible(d.unit, c.number_unit):
            if _unit_kind(c.number_unit) == "count" or _unit_kind(d.unit) == "count":
                if any(abs(v - n) < 0.5 for n in c.numbers):
                    score += 3
                    anchored = True
                    why.append(f"number {v:g}")
            else:
                rel = min(abs(v - n) / max(abs(n), 1e-9) for n in c.numbers)
                if rel <= 0.02:
                    score += 2
                    why.append(f"number {v:g}")
                elif rel <= 0.15:
                    score += 1
        if d.claim_type == "sample_size" and d.unit in ("trials", "studies", "rcts") and c.k_studies is not None \
                and v is not None and abs(v - c.k_studies) < 0.5:
            score += 3
            anchored = True
        score += _ORIGIN_BONUS.get(c.origin, 0.0)
        if d.claim_type == "regulatory_status":
            kd, cd = ctx.get("drug") or set(), c.slots.get("drug") or frozenset()
            if kd and cd and not (kd & cd):
                score -= 3
            claim_neg = negative_claim(d.text or "")
            if c.text:
                if negative_fact(c.text) == claim_neg:
                    score += 2
                    why.append("same polarity")
                else:
                    score -= 2
            want = (d.raw.get("indication") if isinstance(d.raw, dict) else "") or ""
            if c.text and re.search(r"approv|indicat", c.text, re.I):
                score += 1
            if want and c.text and re.search(rf"\b{re.escape(want.split()[-1])}", c.text, re.I):
                score += 2.5
                anchored = True
                why.append(f"indication {want}")
            if (d.text or "") in ("anesthetic", "painkiller", "analgesic", "sedative") and re.search(
                    r"an(?:a)?esthe", c.text or c.label, re.I):
                score += 3
                anchored = True
                why.append("anesthetic indication")
        # word overlap
        shared = ctx["words"] & c.words
        if shared:
            score += min(1.0, sum(self._idf.get(w, 0.0) for w in shared) / 8.0)
        return score, anchored, why

    def _template_match(self, d, ctx: dict, key_cache: dict) -> Candidate | None:
        """A curated claim whose quote is this claim's own wording (same sentence span, type and figure)."""
        from evidence.check.recall import compatible, match_key

        s = d.sentence
        tkey = ("tpl", s.index, s.start)
        if tkey not in key_cache:
            key_cache[tkey] = self._templates_in(s.text)
        skey, sidx, present = key_cache[tkey]
        best = None
        best_len = 0
        for c in present:
            ttype = next(iter(c.types))
            if not compatible(ttype, d.claim_type) or (ttype != d.claim_type and d.claim_type != "other"
                                                       and ttype != "other" and d.kind != "efficacy"):
                continue  # (a generic efficacy phrase may be typed either response rate or symptom change)
            pos = skey.find(c.template_key)
            ta, tb = sidx[pos], sidx[pos + len(c.template_key) - 1] + 1
            qa, qb = d.start - s.start, d.end - s.start
            if not (qa < tb and ta < qb):
                continue
            v = d.value if d.value is not None else d.high
            if c.numbers and v is not None and not any(abs(v - n) <= max(0.5, 0.02 * abs(n)) for n in c.numbers):
                continue
            tfield = ""
            m = re.search(r"field=(\w+)", c.recompute)
            if m:
                tfield = m.group(1)
            dfield = (d.raw.get("field") if isinstance(d.raw, dict) else None) or _implied_field(d)
            if tfield and dfield and tfield != dfield and not (tfield in ("journal", "citation") and dfield == "journal"):
                continue
            if c.numbers and v is None and d.claim_type == "dose_route":
                continue  # a route word is not the curated figure next to it ("over 40 minutes IV")
            if len(c.template_key) > best_len:
                best, best_len = c, len(c.template_key)
        return best

    @lru_cache(maxsize=1 << 14)  # noqa: B019 - one index per data directory, kept for the process
    def _templates_in(self, text: str) -> tuple:
        """(match key, index map, curated templates whose quote is in the sentence) of a sentence text."""
        from evidence.check.recall import match_key

        skey, sidx = match_key(text)
        return skey, sidx, [c for c in self._templates if c.template_key and c.template_key in skey]

    @property
    def _templates(self) -> list[Candidate]:
        if self._tpl_cache is None:
            self._tpl_cache = [c for c in self.candidates if c.origin == "template"]
        return self._tpl_cache

    def link(self, d, sentences: list, key_cache: dict | None = None, res: Resolution | None = None) -> Link:
        """The evidence one detected claim is compared with (a :class:`Link`), or why none is (``reason``)."""
        key_cache = {} if key_cache is None else key_cache
        ctx = self.claim_context(d, sentences, key_cache)
        tpl = None if d.negated else self._template_match(d, ctx, key_cache)   # a negation is not the curated wording
        if tpl is not None:
            r = tpl.template or {}
            sid = tpl.source_ids[0] if len(tpl.source_ids) == 1 else ""
            what = ", ".join(self.label_of(x) for x in tpl.source_ids) or "its curated answer"
            return Link(tpl.recompute if tpl.recompute != "none" else "", tpl.source_ids,
                        _str(r.get("evidence_status")) or "found", _str(r.get("search_note")), what,
                        "the same wording as a claim curated in the evidence base", score=99.0, origin="template",
                        template=r, study=sid, study_label=self.label_of(sid) if sid else "")
        why_not = self._not_checked(d)
        if why_not:
            return abstain(why_not)
        pool, reason = self._pool(d, res)
        if pool is None:
            return abstain(reason)
        best, rejected = self._best(d, ctx, pool, res)
        if best is None:
            if d.claim_type in TOPIC_TYPES:
                return abstain(rejected or f"no population figure in the evidence base fits this claim "
                                           f"({self._topic_words(ctx)})")
            if d.claim_type in REGULATORY_TYPES:
                return abstain("no regulatory fact in the evidence base fits this claim")
            return abstain(no_figure_reason(d, res, self, rejected), study=res.study or "",
                           study_label=self.sigs[res.study].label if res.study in self.sigs else "")
        s, c, why = best
        study = res.study if res is not None and res.study and res.study in c.source_ids else ""
        basis = list(res.basis) if study else []
        if study:   # the resolution already says why this study; keep the reasons about the figure
            why = [w for w in why if not w.startswith(_STUDY_REASONS)]
        return Link(c.recompute, c.source_ids, "found", "", self.describe(c), self._why(basis + why),
                    score=round(s, 2), origin=c.origin, fact_text=c.text, study=study,
                    study_label=self.sigs[study].label if study in self.sigs else "",
                    claimed_text=self._normalized_text(d, c), negate=bool(d.negated and d.claim_type == "design"))

    def label_of(self, sid: str) -> str:
        st = self.sigs.get(sid)
        return st.label if st else sid

    def describe(self, c: Candidate) -> str:
        """What a claim is compared with, in words."""
        return describe(c, self.label_of)

    def _why(self, reasons: list[str]) -> str:
        """The link's reasons in words (codes such as 'condition any_anxiety' turned into their words)."""
        out = []
        for r in dict.fromkeys(reasons):
            head, _, codes = r.partition(" ")
            if head in ("condition", "diagnosis") and codes:
                r = f"{head} {vocab.join_words([vocab.word('diagnosis', x) or x for x in codes.split('/')])}"
            elif head == "design" and codes:
                r = "design " + vocab.join_words([in_words(x, {}) for x in codes.split("/")])
            elif head in ("period", "sex") and codes:
                r = vocab.join_words([vocab.word(head, x) for x in codes.split("/")])
            out.append(r)
        return "; ".join(out)

    def _not_checked(self, d) -> str:
        t = d.sentence.text
        if d.claim_type == "attribution" and d.kind in ("org", "generic-attrib"):
            return "an organisation or unnamed source is named; the figures it supports are checked on their own"
        if d.claim_type == "regulatory_status" and OTHER_REGULATORS.search(t) and not re.search(r"\bFDA\b|Food\s+and\s+"
                                                                                              r"Drug", t):
            return ("the sentence is about a regulator other than the FDA; the evidence base holds U.S. (FDA) "
                    "regulatory facts only")
        if d.claim_type == "regulatory_status" and d.kind == "approval" and re.fullmatch(r"(?:FDA )?approved",
                                                                                        d.text or ""):
            return "a general approval statement; what it is approved for is checked on its own"
        if kind_of(d.unit) == "money":
            return "an amount of money is not a claim the evidence base checks"
        if d.negated and d.claim_type != "design":
            return "the sentence negates this claim, and a negated figure is not checked"
        return ""

    def _pool(self, d, res: Resolution | None) -> tuple[list | None, str]:
        """The candidates a claim may be compared with (topic, regulatory, or the resolved study's), or why none."""
        cands = self._by_type.get(d.claim_type, ())
        if d.claim_type in TOPIC_TYPES:
            t = d.sentence.text
            if receives_treatment(t, d.start - d.sentence.start, d.end - d.sentence.start):
                return None, ("the share of people who receive treatment is not a prevalence figure, and the evidence "
                              "base has no curated figure for it")
            sig = self.sigs.get(res.study) if res is not None and res.study else None
            if sig is not None and sig.is_study and sig.kind not in TOPIC_SOURCE_KINDS and sig.design != "survey":
                return None, (f"this figure is about the participants of {sig.label}, not a population; "
                              "a study's population is not compared with a national fact sheet")
            return list(cands), ""
        if d.claim_type in REGULATORY_TYPES:
            return list(cands), ""
        if res is None or not res.study:
            if d.claim_type in UNIQUE_FIGURE_TYPES and (res is None or not res.cues):
                return list(cands), ""   # no study named at all: only a unique, strongly matching figure may link
            return None, study_reason(res, self)
        return [c for c in cands if res.study in c.source_ids], ""

    def _best(self, d, ctx: dict, pool: list, res: Resolution | None):
        """(score, candidate, reasons) of the best comparable candidate, and the first rejection in words."""
        best = None
        second = 0.0
        rejected = ""
        resolved = res is not None and bool(res.study)
        study_bound = d.claim_type not in TOPIC_TYPES and d.claim_type not in REGULATORY_TYPES
        unique_only = study_bound and not resolved
        orgs = ctx.get("org_sources") or {}
        for c in pool:
            if c.origin == "template" or not self._field_ok(d, c):
                continue
            why_not = like_with_like(d, c)
            if not why_not and d.claim_type in TOPIC_TYPES:
                why_not = topic_ok(d, c, d.sentence.text, orgs, self)
            if why_not:
                rejected = rejected or why_not
                continue
            s, anchored, why = self.score(d, ctx, c)
            if s < 0:
                continue
            if study_bound and resolved:
                s += WEIGHTS["resolved_study"]
                anchored = True
            if s < WEIGHTS["unique_min_score" if unique_only else "min_score"] or not anchored:
                continue
            if best is None or s > best[0] + 1e-9:
                if best is not None and set(best[1].source_ids) != set(c.source_ids):
                    second = max(second, best[0])
                best = (s, c, why)
            elif set(best[1].source_ids) != set(c.source_ids):
                second = max(second, s)
        if unique_only and best is not None:
            if best[0] - second < WEIGHTS["unique_margin"]:
                return None, "figures of more than one study fit, and the sentence names none of them"
            best = (best[0], best[1], ["no study named; the only figure in the evidence base that fits"] + best[2])
        return best, rejected

    def _normalized_text(self, d, c: Candidate) -> str | None:
        """A journal named with a typo is the record's journal: pass the record's name, so it is matched."""
        if d.claim_type != "attribution" or c.field != "journal" or not d.text:
            return None
        st = self.sigs.get(c.source_ids[0]) if c.source_ids else None
        if st is None or not st.journal:
            return None
        a, b = journal_key(d.text), st.journal_key
        if a and b and a != b and (similar(a, b) or _same_journal(a, b)):
            return st.journal
        return None

    def _topic_words(self, ctx: dict) -> str:
        parts = [f"{k} {'/'.join(sorted(ctx.get(k) or []))}" for k in ("condition", "period", "sex") if ctx.get(k)]
        return "; ".join(parts) or "no condition or period named"

    def _field_ok(self, d, c: Candidate) -> bool:
        """Attribute candidates answer only claims about that field; unnamed or institutional sources never link."""
        if d.claim_type == "attribution":
            if d.kind == "generic-attrib" or (d.text or "") == "unnamed source":
                return False
            if d.kind == "org":
                orgs = {k for k, rx in _ORG_RX.items() if rx.search(d.text or "")} & PUBLISHER_ORGS
                if not any(orgs & self._study(sid).orgs for sid in c.source_ids):
                    return False  # an institution ("Yale") is not a journal; nothing to compare it with
        if c.origin == "fact" and (d.claim_type in ("design", "population", "attribution") or d.kind == "route"):
            return False  # structured claims are compared with the source's own record (sources.csv)
        if c.origin != "source" or not c.field:
            return True
        want = d.raw.get("field") if isinstance(d.raw, dict) else None
        if d.claim_type == "attribution":
            text = d.text or ""
            if re.fullmatch(r"(?:19|20)\d{2}", text):
                return c.field == "year"
            return c.field == "journal"
        if d.claim_type == "design":
            return c.field == (want or "design")
        if d.claim_type == "dose_route":
            if d.kind == "route":
                return c.field == "route"
            if d.unit == "mg/kg":
                return c.field == "dose_mg_per_kg"
            if d.unit in ("minutes", "hours") and d.kind == "duration":
                return c.field == "infusion_min"
            if d.unit in ("infusions", "sessions", "treatments", "doses"):
                return c.field == "sessions"
            return False
        if d.claim_type == "population":
            return c.field == "diagnosis"
        return True

    def resolve(self, sentences: list) -> list[Resolution]:
        """The study (or none) each sentence is about, reading the document in order."""
        from evidence.check.detect import is_heading

        return resolve_document(self.resolver, sentences, is_heading, _journal_rx())

    def link_all(self, detected: list, sentences: list) -> list[tuple[Any, Link]]:
        cache: dict = {}
        res = self.resolve(sentences) if detected else []
        by_index = {s.index: r for s, r in zip(sentences, res)}
        return [(d, self.link(d, sentences, cache, by_index.get(d.sentence.index))) for d in detected]


def _implied_field(d) -> str | None:
    """The sources.csv field a dose/route claim is about (route word, infusion time, dose in mg/kg)."""
    if d.claim_type != "dose_route":
        return None
    if d.kind == "route":
        return "route"
    if d.kind == "duration":
        return "infusion_min"
    if d.unit == "mg/kg":
        return "dose_mg_per_kg"
    return None


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
    from evidence.check.detect import _JOURNAL_CORE, _ORGS

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
    out = {k for k in _MARKER_DESIGNS if _DESIGN_RX[k].search(text)}
    if _REFRACTORY.search(text):
        out.add("treatment-refractory")
    out |= {f"route {r}" for r in slot_values(text, "route") if r != "IV"}
    out |= {f"diagnosis {x}" for x in slot_values(text, "condition") if x not in ("any_anxiety", "depression")}
    return frozenset(out)


def _explicit_ns(text: str) -> set[float]:
    from evidence.check.resolve import _EXPLICIT_N

    return {float((m.group(1) or m.group(2)).replace(",", "")) for m in _EXPLICIT_N.finditer(text)}


def _numbers_in(text: str) -> set[float]:
    from evidence.check.detect import parse_number

    out = {float(m.group(0).replace(",", "")) for m in _NUM_IN_TEXT.finditer(text)}
    out |= {parse_number(m.group(1)) for m in _WORD_NUMS.finditer(text)}
    out.discard(None)
    return out


# ------------------------------------------------------------------ loading

_INDEX_CACHE: dict[str, EvidenceIndex] = {}
_LOCK = threading.Lock()


def data_dir_of(data_dir: str | Path | None) -> Path:
    """The data directory, found as every command finds it (:func:`evidence.tables.find_data_dir`)."""
    from evidence.tables import find_data_dir

    return find_data_dir(data_dir)


def read_tables(data_dir: Path) -> tuple[dict[str, list[dict]], list[str]]:
    """Every evidence table of ``data_dir`` as a list of dicts of the cells as written (blank cells → None).

    Read through the data layer (:func:`evidence.tables.read_tables`, no pandas); numbers are parsed
    where they are compared. (``evidence validate`` is what reports the schema issues.)
    """
    from evidence.tables import read_tables as read_data

    tables, issues = read_data(data_dir)
    warnings: list[str] = []
    missing = sorted({i.file for i in issues if i.rule == "file-missing"})
    for i in issues:
        if i.rule in ("encoding", "csv-syntax", "file-empty", "json", "schema"):
            warnings.append(f"could not read {Path(data_dir) / i.file}: {i.message}")
    out = {n: t.raw_dicts() for n, t in tables.items()
           if n in ("sources", "outcomes", "estimates", "prevalence", "facts", "claims") and t.file not in missing}
    if missing:
        warnings.append(f"evidence base in {data_dir} is incomplete (missing: {', '.join(missing)}); "
                        "claims that need those tables stay unlinked")
    return out, warnings


def _fingerprint(data_dir: Path) -> str:
    parts = []
    for n in ("sources", "outcomes", "estimates", "prevalence", "facts", "claims", "datapackage"):
        p = data_dir / (f"{n}.csv" if n != "datapackage" else "datapackage.json")
        try:
            st = p.stat()
            parts.append(f"{n}:{st.st_mtime_ns}:{st.st_size}")
        except OSError:
            parts.append(f"{n}:-")
    return f"{data_dir.resolve()}|" + "|".join(parts)


def get_index(data_dir: str | Path | None = None) -> EvidenceIndex:
    """The evidence index of ``data_dir``, built once and cached (rebuilt when a table file changes)."""
    d = data_dir_of(data_dir)
    key = _fingerprint(d)
    with _LOCK:
        idx = _INDEX_CACHE.get(key)
        if idx is None:
            tables, warnings = read_tables(d) if d.is_dir() else ({}, [f"no data directory {d}"])
            idx = EvidenceIndex(tables, d, warnings)
            _INDEX_CACHE.clear()
            _INDEX_CACHE[key] = idx
        return idx


def index_from_tables(tables: dict[str, Iterable[dict]]) -> EvidenceIndex:
    """Build an index from in-memory tables (tests)."""
    return EvidenceIndex({k: list(v) for k, v in tables.items()})
