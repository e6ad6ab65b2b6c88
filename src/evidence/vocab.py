"""The project's vocabulary: every code the data and the engine use, with the words a reader sees.

One place turns a code into words (``word(kind, code)``) and says what group a
code belongs to (a diagnosis's group, a design's group, a unit's kind). The
data (``data/datapackage.json`` enums), the verdict engine, ``check``'s regex
lexicons, the notebooks and the report all key off these codes; nothing else
defines them again. Numbers are turned into words by :mod:`evidence.fmt`.

This module imports nothing else of the package.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Term", "Verdict", "Measure", "Unit", "DIAGNOSES", "DESIGNS", "ROUTES", "BLINDING", "VERDICTS",
           "CLAIM_TYPES", "MEASURES", "UNITS", "PERIODS", "SOURCE_KINDS", "QUALIFIERS", "SEXES",
           "EVIDENCE_STATUS", "READ_WHAT", "KINDS", "word", "unit_kind", "to_hours", "unit_label",
           "diagnosis_groups", "design_group", "split_codes", "VERDICT_ORDER", "FAILING"]


@dataclass(frozen=True)
class Term:
    """A code with the words a reader sees and, where it has one, its group."""

    code: str
    label: str
    group: str = ""
    plural: str = ""      # for countable nouns ("crossover trials")


# --------------------------------------------------------------------------- #
# Studies
# --------------------------------------------------------------------------- #
#: diagnosis code -> words and group (``anxiety``, ``depression``, ``trauma_ocd``, ``general``).
#: PTSD and OCD were classed with the anxiety disorders in DSM-IV and are pooled
#: with them in the 2021 meta-analysis; their own group keeps them apart where
#: that matters, and :data:`ANXIETY_GROUPS` says which groups count as anxiety.
DIAGNOSES: dict[str, Term] = {t.code: t for t in (
    Term("GAD", "generalized anxiety disorder", "anxiety"),
    Term("SAD", "social anxiety disorder", "anxiety"),
    Term("panic", "panic disorder", "anxiety"),
    Term("mixed_anxiety", "anxiety disorders", "anxiety"),
    Term("PTSD", "post-traumatic stress disorder", "trauma_ocd"),
    Term("OCD", "obsessive-compulsive disorder", "trauma_ocd"),
    Term("MDD", "major depression", "depression"),
    Term("TRD", "treatment-resistant depression", "depression"),
    Term("general_population", "the general population", "general"),
)}
#: the diagnosis groups that count as "an anxiety population" (indirectness rule)
ANXIETY_GROUPS = frozenset({"anxiety", "trauma_ocd"})
ANXIETY_CODES = frozenset(c for c, t in DIAGNOSES.items() if t.group in ANXIETY_GROUPS)
DEPRESSION_CODES = frozenset(c for c, t in DIAGNOSES.items() if t.group == "depression")

#: design code -> words and group (``controlled``, ``uncontrolled``, ``synthesis``, ``descriptive``)
DESIGNS: dict[str, Term] = {t.code: t for t in (
    Term("parallel_rct", "randomized controlled trial", "controlled", "randomized controlled trials"),
    Term("crossover_rct", "randomized crossover trial", "controlled", "randomized crossover trials"),
    Term("open_label", "open-label study", "uncontrolled", "open-label studies"),
    Term("single_arm", "single-arm study", "uncontrolled", "single-arm studies"),
    Term("retrospective", "retrospective study", "uncontrolled", "retrospective studies"),
    Term("prospective_cohort", "prospective cohort study", "uncontrolled", "prospective cohort studies"),
    Term("meta_analysis", "meta-analysis", "synthesis", "meta-analyses"),
    Term("systematic_review", "systematic review", "synthesis", "systematic reviews"),
    Term("narrative_review", "narrative review", "descriptive", "narrative reviews"),
    Term("survey", "survey", "descriptive", "surveys"),
    Term("label", "drug label", "descriptive", "drug labels"),
    Term("regulatory_notice", "regulatory notice", "descriptive", "regulatory notices"),
    Term("fact_sheet", "fact sheet", "descriptive", "fact sheets"),
    Term("other", "other source", "descriptive", "other sources"),
)}
#: the order designs are listed in (strongest design first)
DESIGN_ORDER: tuple[str, ...] = tuple(DESIGNS)
CONTROLLED_DESIGNS = frozenset(c for c, t in DESIGNS.items() if t.group == "controlled")
UNCONTROLLED_DESIGNS = frozenset(c for c, t in DESIGNS.items() if t.group == "uncontrolled")
SYNTHESIS_DESIGNS = frozenset(c for c, t in DESIGNS.items() if t.group == "synthesis")
STUDY_DESIGNS = CONTROLLED_DESIGNS | UNCONTROLLED_DESIGNS
#: designs that GRADE-style certainty does not apply to (not studies of an effect)
NOT_GRADED_DESIGNS = frozenset({"survey", "label", "regulatory_notice", "fact_sheet", "narrative_review", "other"})

ROUTES: dict[str, Term] = {t.code: t for t in (
    Term("IV", "intravenous"), Term("SC", "subcutaneous"), Term("IM", "intramuscular"),
    Term("intranasal", "intranasal"), Term("oral", "oral"), Term("mixed", "several routes"),
    Term("na", "not applicable"),
)}
BLINDING: dict[str, Term] = {t.code: t for t in (
    Term("double_blind", "double-blind"), Term("single_blind", "single-blind"), Term("open", "open-label"),
    Term("na", "not applicable"),
)}
#: the zero-cell corrections of evidence.stats.effects, in words; the one list of them
#: (params.CORRECTIONS and stats._common.CORRECTIONS are its keys)
ZERO_CELL_CORRECTIONS: dict[str, Term] = {t.code: t for t in (
    Term("none", "no correction (a study with a zero cell is not estimable)"),
    Term("all_if_zero", "0.5 added to every cell of a study with a zero cell"),
    Term("treatment_arm", "the treatment-arm continuity correction (Sweeting et al. 2004)"),
    Term("exclude_double_zero", "studies with no events in either arm left out; 0.5 added to the other studies with a zero cell"),
)}
SOURCE_KINDS: dict[str, Term] = {t.code: t for t in (
    Term("trial", "trial", plural="trials"), Term("meta_analysis", "meta-analysis", plural="meta-analyses"),
    Term("observational", "observational study", plural="observational studies"),
    Term("review", "review", plural="reviews"), Term("survey", "survey", plural="surveys"),
    Term("label", "drug label", plural="drug labels"), Term("regulatory", "regulatory record", plural="regulatory records"),
    Term("web_page", "web page", plural="web pages"),
)}
#: what was read of a source (``sources.read_what``)
READ_WHAT: dict[str, Term] = {t.code: t for t in (
    Term("abstract", "abstract only"), Term("full_text", "full text"), Term("fact_sheet", "fact sheet"),
    Term("label", "drug label"), Term("press_release", "press release"), Term("news", "news report"),
    Term("review_summary", "a review's summary"), Term("web_page", "web page"),
)}
PERIODS: dict[str, Term] = {t.code: t for t in (
    Term("past_year", "in the past year"), Term("lifetime", "at some point in life"),
    Term("current", "currently"), Term("past_2_weeks", "in the past two weeks"), Term("other", "other period"),
)}
SEXES: dict[str, Term] = {t.code: t for t in (
    Term("all", "all adults"), Term("female", "women"), Term("male", "men"),
)}


# --------------------------------------------------------------------------- #
# Claims and verdicts
# --------------------------------------------------------------------------- #
@dataclass(frozen=True)
class Verdict:
    """A verdict with its words, ClaimReview rating, colour (Okabe-Ito) and symbol."""

    code: str
    label: str
    rating: int          # ClaimReview ratingValue, 1 (worst) to 5 (best)
    colour: str
    symbol: str          # repeats the verdict without relying on colour
    holds: bool          # the claim stands (possibly with a caveat)
    severity: int        # 0 = most serious; the order readers see failing claims in
    short: str = ""      # a few words for bars and legends


#: the verdict scale, most serious first (``severity``)
VERDICTS: dict[str, Verdict] = {v.code: v for v in (
    Verdict("contradicted", "Contradicted", 1, "#D55E00", "✗", False, 0, "contradicted"),
    Verdict("misattributed", "Misattributed", 3, "#CC79A7", "≠", False, 1, "misattributed"),
    Verdict("overstated", "Overstated", 2, "#E69F00", "▲", False, 2, "overstated"),
    Verdict("understated", "Understated", 3, "#F0E442", "▽", False, 3, "understated"),
    Verdict("mixed", "Mixed evidence", 3, "#0072B2", "±", False, 4, "mixed"),
    Verdict("unsupported", "Unsupported", 2, "#8C8C8C", "?", False, 5, "unsupported"),
    Verdict("unverifiable", "Unverifiable", 2, "#BBBBBB", "∅", False, 6, "unverifiable"),
    Verdict("accurate_missing_context", "Accurate but missing context", 4, "#56B4E9", "◐", True, 7,
            "missing context"),
    Verdict("accurate", "Accurate", 5, "#009E73", "✓", True, 8, "accurate"),
    Verdict("not_checkable", "Not checkable here", 0, "#FFFFFF", "·", False, 9, "not checkable"),
)}
#: verdicts in the order a reader sees them (most serious first)
VERDICT_ORDER: tuple[str, ...] = tuple(sorted(VERDICTS, key=lambda c: VERDICTS[c].severity))
#: verdicts that say the claim does not stand as worded
FAILING = frozenset(c for c, v in VERDICTS.items() if not v.holds and c != "not_checkable")

CLAIM_TYPES: dict[str, Term] = {t.code: t for t in (
    Term("prevalence", "how common"), Term("sample_size", "study size"), Term("effect_size", "effect size"),
    Term("nnt", "number needed to treat"), Term("nnh", "number needed to harm"),
    Term("response_rate", "response rate"), Term("symptom_change", "symptom change"),
    Term("dose_route", "dose and route"), Term("onset", "how fast it works"),
    Term("durability", "how long it lasts"), Term("regulatory_status", "approval status"),
    Term("design", "study design"), Term("population", "who was studied"), Term("attribution", "citation"),
    Term("comparison", "comparison with other treatments"), Term("safety", "safety"),
    Term("mechanism", "how it works"), Term("other", "other"),
)}
QUALIFIERS: dict[str, Term] = {t.code: t for t in (
    Term("exact", "exactly"), Term("approx", "about"), Term("range", "a range"), Term("up_to", "up to"),
    Term("at_least", "at least"), Term("majority", "the majority"), Term("half", "half"),
    Term("categorical", "a statement"), Term("none", "no qualifier"),
)}
EVIDENCE_STATUS: dict[str, Term] = {t.code: t for t in (
    Term("found", "evidence found"), Term("not_found", "no evidence found"),
    Term("unidentifiable", "the source named cannot be identified"),
)}


# --------------------------------------------------------------------------- #
# Measures and units
# --------------------------------------------------------------------------- #
@dataclass(frozen=True)
class Measure:
    """An effect measure or quantity: words, the value of "no effect" and its scale."""

    code: str
    label: str
    null: float | None   # None: no null value (a rate, a count)
    scale: str           # ratio, difference, percent, count, score, other


MEASURES: dict[str, Measure] = {m.code: m for m in (
    Measure("OR", "odds ratio", 1.0, "ratio"),
    Measure("RR", "risk ratio", 1.0, "ratio"),
    Measure("RD", "risk difference", 0.0, "difference"),
    Measure("SMD", "standardized mean difference", 0.0, "difference"),
    Measure("MD", "mean difference", 0.0, "difference"),
    Measure("NNT", "number needed to treat", None, "count"),
    Measure("NNH", "number needed to harm", None, "count"),
    Measure("pct_change", "percent change", 0.0, "percent"),
    Measure("pct_responders", "share who responded", None, "percent"),
    Measure("mean_change", "mean change", 0.0, "score"),
    Measure("pct", "percentage", None, "percent"),
    Measure("n", "number", None, "count"),
    Measure("other", "other measure", None, "other"),
)}


@dataclass(frozen=True)
class Unit:
    """A unit as written in the data, with its kind and singular/plural words."""

    code: str
    singular: str
    plural: str
    kind: str              # see UNIT_KINDS
    hours: float | None = None   # for durations: hours per unit


#: the kinds a quantity can be; a claim is compared only with a figure of a compatible kind
UNIT_KINDS = ("duration", "calendar", "count", "people", "percent", "dose", "ratio", "score", "money",
              "infusions", "sessions", "pressure", "other")

#: 1 month = 730.5 h (365.25 days / 12); 1 year = 8766 h (365.25 days)
UNITS: dict[str, Unit] = {u.code: u for u in (
    Unit("minutes", "minute", "minutes", "duration", 1 / 60),
    Unit("hours", "hour", "hours", "duration", 1.0),
    Unit("days", "day", "days", "duration", 24.0),
    Unit("weeks", "week", "weeks", "duration", 168.0),
    Unit("months", "month", "months", "duration", 730.5),
    Unit("years", "year", "years", "duration", 8766.0),
    Unit("year", "year", "years", "calendar"),        # a calendar year (facts.csv: a publication year)
    Unit("%", "%", "%", "percent"),
    Unit("patients", "patient", "patients", "people"),
    Unit("participants", "participant", "participants", "people"),
    Unit("adults", "adult", "adults", "people"),
    Unit("people", "person", "people", "people"),
    Unit("responses", "response", "responses", "count"),
    Unit("RCTs", "randomized trial", "randomized trials", "count"),
    Unit("trials", "trial", "trials", "count"),
    Unit("studies", "study", "studies", "count"),
    Unit("reports", "report", "reports", "count"),
    Unit("clinics", "clinic", "clinics", "count"),
    Unit("sites", "site", "sites", "count"),
    Unit("arms", "arm", "arms", "count"),
    Unit("times", "times", "times", "ratio"),        # "3x more likely", "twice as likely"
    Unit("meta-analyses (of 13)", "meta-analysis (of 13)", "meta-analyses (of 13)", "count"),
    Unit("infusions", "infusion", "infusions", "infusions"),
    Unit("sessions", "session", "sessions", "sessions"),
    Unit("mg/kg", "mg/kg", "mg/kg", "dose"),
    Unit("mg", "mg", "mg", "dose"),
    Unit("mg/mL", "mg/mL", "mg/mL", "dose"),        # a concentration (the 100 mg/mL Ketalar vial)
    Unit("mg diazepam equivalent", "mg diazepam equivalent", "mg diazepam equivalent", "dose"),
    Unit("mg/day lorazepam equivalent", "mg/day lorazepam equivalent", "mg/day lorazepam equivalent", "dose"),
    Unit("points", "point", "points", "score"),
    Unit("mm Hg", "mm Hg", "mm Hg", "pressure"),
    Unit("OR", "odds ratio", "odds ratio", "ratio"),
    Unit("% guessed allocation correctly", "% guessed allocation correctly", "% guessed allocation correctly",
         "percent"),
    Unit("$", "dollar", "dollars", "money"),
)}

#: spellings of a unit that are the same unit (lower-cased)
_ALIASES = {
    "minute": "minutes", "min": "minutes", "mins": "minutes", "hour": "hours", "h": "hours", "hr": "hours",
    "hrs": "hours", "day": "days", "week": "weeks", "wk": "weeks", "wks": "weeks", "month": "months",
    "percent": "%", "per cent": "%", "patient": "patients", "participant": "participants", "adult": "adults",
    "person": "people", "rct": "RCTs", "rcts": "RCTs", "trial": "trials", "study": "studies",
    "infusion": "infusions", "session": "sessions", "point": "points", "clinic": "clinics",
    "mmhg": "mm Hg", "mm hg": "mm Hg", "usd": "$", "dollars": "$", "dollar": "$",
}


def _unit(unit: str | None) -> Unit | None:
    if unit is None:
        return None
    u = str(unit).strip()
    if u in UNITS:
        return UNITS[u]
    key = _ALIASES.get(u.lower(), u.lower())
    return UNITS.get(key) or next((x for x in UNITS.values() if x.code.lower() == key), None)


def unit_kind(unit: str | None) -> str:
    """The kind of a unit (``duration``, ``calendar``, ``people``, ``percent``, ...; ``other`` if unknown).

    ``"year"`` alone is a calendar year (as in facts.csv); a duration in years is ``"years"``.
    """
    u = _unit(unit)
    return u.kind if u else "other"


def to_hours(value: float | None, unit: str | None) -> float | None:
    """A duration in hours (None when the unit is not a duration)."""
    u = _unit(unit)
    if value is None or u is None or u.hours is None:
        return None
    return float(value) * u.hours


def unit_label(unit: str | None, count: float | None = None) -> str:
    """The unit in words, singular when ``count`` is 1 ("1 day", "2 days"); unknown units as written."""
    if unit is None or str(unit).strip() == "":
        return ""
    u = _unit(unit)
    if u is None:
        return str(unit).strip()
    return u.singular if count is not None and abs(float(count)) == 1 else u.plural


# --------------------------------------------------------------------------- #
# Rating scales: who rates (the self-report rule compares like with like)
# --------------------------------------------------------------------------- #
#: scale abbreviation (as printed) -> words and rater (``self`` or ``clinician``)
SCALES: dict[str, Term] = {t.code: t for t in (
    Term("VAS", "visual analogue scale (self-rated)", "self"),
    Term("VAS-Anxiety", "visual analogue scale for anxiety (self-rated)", "self"),
    Term("OCD-VAS", "visual analogue scale for obsessions (self-rated)", "self"),
    Term("GAD-7", "Generalized Anxiety Disorder 7-item scale (self-rated)", "self"),
    Term("PHQ-9", "Patient Health Questionnaire 9 (self-rated)", "self"),
    Term("PCL-5", "PTSD Checklist for DSM-5 (self-rated)", "self"),
    Term("IES-R", "Impact of Event Scale-Revised (self-rated)", "self"),
    Term("FQ", "Fear Questionnaire (self-rated)", "self"),
    Term("BAI", "Beck Anxiety Inventory (self-rated)", "self"),
    Term("STAI", "State-Trait Anxiety Inventory (self-rated)", "self"),
    Term("QIDS-SR", "Quick Inventory of Depressive Symptomatology (self-rated)", "self"),
    Term("HAM-A", "Hamilton Anxiety Rating Scale (clinician-rated)", "clinician"),
    Term("HAM-D", "Hamilton Depression Rating Scale (clinician-rated)", "clinician"),
    Term("MADRS", "Montgomery-Åsberg Depression Rating Scale (clinician-rated)", "clinician"),
    Term("CAPS-5", "Clinician-Administered PTSD Scale for DSM-5", "clinician"),
    Term("Y-BOCS", "Yale-Brown Obsessive Compulsive Scale (clinician-rated)", "clinician"),
    Term("LSAS", "Liebowitz Social Anxiety Scale (clinician-administered)", "clinician"),
    Term("CGI", "Clinical Global Impression (clinician-rated)", "clinician"),
    Term("CADSS", "Clinician-Administered Dissociative States Scale", "clinician"),
)}
#: a scale abbreviation in running text (longest first, so "VAS-Anxiety" wins over "VAS")
_SCALE_RE = re.compile(r"(?<![\w-])(" + "|".join(re.escape(c) for c in sorted(SCALES, key=len, reverse=True))
                       + r")(?![\w-])", re.I)
#: wording that makes a claim about what patients themselves report
SELF_REPORT = re.compile(r"\bself[- ]?report|\b(patients?|participants?|people|they)\s+(often\s+|also\s+)?"
                         r"report(ed|s)?\b|\breported\s+(feeling|experiencing|significant|an?\s)", re.I)


def scale_raters(text: str | None) -> set[str]:
    """The raters (``self``, ``clinician``) of the scales a text names; empty when it names none."""
    if not text:
        return set()
    by_upper = {c.upper(): t for c, t in SCALES.items()}
    return {by_upper[m.group(1).upper()].group for m in _SCALE_RE.finditer(text)}


# --------------------------------------------------------------------------- #
# Lookups
# --------------------------------------------------------------------------- #
KINDS: dict[str, dict] = {
    "diagnosis": DIAGNOSES, "design": DESIGNS, "route": ROUTES, "blinding": BLINDING, "verdict": VERDICTS,
    "claim_type": CLAIM_TYPES, "measure": MEASURES, "period": PERIODS, "source_kind": SOURCE_KINDS,
    "qualifier": QUALIFIERS, "sex": SEXES, "unit": UNITS, "evidence_status": EVIDENCE_STATUS,
    "read_what": READ_WHAT, "scale": SCALES, "zero_cell_correction": ZERO_CELL_CORRECTIONS,
}

_SNAKE = re.compile(r"_+")


def word(kind: str, code: str | None) -> str:
    """The words a reader sees for ``code`` of ``kind`` (e.g. ``word("design", "crossover_rct")``).

    Several codes separated by ``;`` are joined in words ("GAD;SAD" -> "generalized anxiety
    disorder and social anxiety disorder"). An unknown code is returned with underscores
    turned into spaces, so that no snake_case reaches a reader; ``KeyError`` for an unknown kind.
    """
    table = KINDS[kind]
    if code is None:
        return ""
    text = str(code).strip()
    if not text:
        return ""
    if ";" in text:
        return join_words([word(kind, c) for c in split_codes(text)])
    entry = table.get(text)
    if entry is None:
        return _SNAKE.sub(" ", text)
    if isinstance(entry, Unit):
        return entry.plural
    return entry.label


def split_codes(value: str | None) -> list[str]:
    """``"GAD;SAD"`` -> ``["GAD", "SAD"]`` (blank parts dropped)."""
    if value is None:
        return []
    return [c.strip() for c in str(value).split(";") if c.strip()]


def join_words(parts: list[str]) -> str:
    """["a"] -> "a"; ["a", "b"] -> "a and b"; ["a", "b", "c"] -> "a, b and c"."""
    parts = [p for p in parts if p]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def diagnosis_groups(codes: str | list[str] | None) -> set[str]:
    """The groups of a ``;``-separated diagnosis field (unknown codes are ignored)."""
    items = split_codes(codes) if isinstance(codes, str) or codes is None else list(codes)
    return {DIAGNOSES[c].group for c in items if c in DIAGNOSES}


def design_group(code: str | None) -> str:
    """``controlled``, ``uncontrolled``, ``synthesis`` or ``descriptive`` ("" when unknown)."""
    t = DESIGNS.get(str(code).strip()) if code is not None else None
    return t.group if t else ""
