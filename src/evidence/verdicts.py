"""The verdict scale and the rules that decide a verdict.

Verdicts come from rules applied to recomputed numbers, never from taste.
The rules are applied in the order of :data:`RULES`; the first that fires
decides. Each rule is a small pure function, unit-tested on synthetic claims
built to trigger it (``tests/test_verdicts.py``).

Tolerance is rounding-aware: a printed number stands for every value that
rounds to it. "18.1%" is any value in [18.05, 18.15); "~28.9" or "about 5"
widens that by ``approx_rel_tol`` (10% by default); "70 to 80 percent" is
[69.5, 80.5]; "the majority" is > 50%; "half" is 50% ± ``half_band`` points;
"up to 40%" holds when the evidence reaches 40% but not beyond it;
"1 in 8" is 12.5%.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from evidence import fmt, vocab
from evidence.claims_words import field_value, quantity_words

#: verdict -> (label, ClaimReview rating 1-5, rule in words)
SCALE: dict[str, tuple[str, int, str]] = {
    "accurate": ("Accurate", 5,
                 "The recomputed figure matches the claimed one within the rounding-aware tolerance, "
                 "and the evidence behind it carries no caveat the claim leaves out."),
    "accurate_missing_context": ("Accurate but missing context", 4,
                                 "The figure matches, but the evidence is thin or indirect in a way the wording hides: "
                                 "a small or uncontrolled study, a different population (e.g. depression for an anxiety claim), "
                                 "a different route, or a very wide confidence interval."),
    "understated": ("Understated", 3,
                    "The claimed figure is weaker (smaller effect, lower prevalence) than the evidence, beyond tolerance."),
    "misattributed": ("Misattributed", 3,
                      "The claim names the wrong source, year, journal, population, route or design: the attribute "
                      "the article states differs from the source's own record."),
    "overstated": ("Overstated", 2,
                   "The claimed figure is stronger (bigger effect, smaller NNT, higher rate) than the evidence, beyond tolerance; "
                   "or a quantifier ('the majority', 'half') the evidence does not reach."),
    "mixed": ("Mixed evidence", 3,
              "The sources point both ways: some support the claim and others say the opposite, so the claim "
              "cannot be called accurate or contradicted; the explanation names the sources on each side."),
    "unsupported": ("Unsupported", 2,
                    "The claim's source can be identified or the claim is specific, but no evidence for it was found; "
                    "the claim records what was searched."),
    "unverifiable": ("Unverifiable", 2,
                     "The source the article names cannot be identified, so the claim cannot be checked."),
    "contradicted": ("Contradicted", 1,
                     "The evidence says the opposite: a fact the source states otherwise, or an effect on the other side of no effect."),
}

HOLDS = {"accurate", "accurate_missing_context"}

#: parameters a researcher may change (notebooks expose them as papermill parameters)
DEFAULT_PARAMS: dict[str, float | str | None] = {
    "approx_rel_tol": 0.10,     # "about", "~", "nearly": relative tolerance on top of rounding
    "half_band": 2.5,           # "half": 50% plus or minus this many percentage points
    "majority_threshold": 50.0,  # "the majority": strictly more than this percentage
    "small_n": 50,              # fewer participants than this is a small study (context)
    "imprecision_ratio": 10.0,  # a ratio CI whose upper/lower exceeds this is imprecise
    "pooled_method": None,      # override the meta-analysis method of every pooled claim (e.g. "REML")
    "zero_cell_correction": None,  # override the zero-cell correction of every pooled claim (was `correction`)
}

#: claim types whose evidence generalises efficacy or safety: context flags apply to them
EFFICACY_TYPES = {"effect_size", "nnt", "nnh", "response_rate", "symptom_change", "onset", "durability",
                  "comparison", "safety", "dose_route"}

#: quantities where a *smaller* number is the stronger claim
INVERSE_STRENGTH = {"NNT", "NNH"}


def decimals_of(raw: str | float | None) -> int:
    """Digits after the decimal point as printed ("18.1" -> 1, "40" -> 0)."""
    if raw is None:
        return 0
    text = raw if isinstance(raw, str) else repr(float(raw))
    text = text.strip()
    if text.endswith(".0") and not isinstance(raw, str):
        text = text[:-2]
    try:
        exp = Decimal(text).as_tuple().exponent
    except (InvalidOperation, ValueError):
        return 0
    return max(0, -int(exp)) if isinstance(exp, int) else 0


def half_unit(raw: str | float | None) -> float:
    return 0.5 * 10 ** -decimals_of(raw)


@dataclass
class Claimed:
    """What the article claims, in numbers."""

    qualifier: str
    value: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str | None = None
    text: str | None = None
    raw_value: str | None = None
    raw_low: str | None = None
    raw_high: str | None = None
    label: str | None = None   # how to display it when the numbers were converted (e.g. minutes -> hours)
    #: how many of ``unit`` one printed unit is, when the numbers were converted ("28 days" compared in hours: 24);
    #: the printed rounding (half of the last printed digit) scales with it, so "28 days" admits 27.5–28.5 days
    unit_scale: float = 1.0

    def interval(self, params: dict) -> tuple[float, float] | None:
        """The range of true values the wording admits (None if it is not numeric)."""
        q = self.qualifier
        if q == "majority":
            # strictly more than the threshold
            return (math.nextafter(float(params["majority_threshold"]), math.inf), math.inf)
        if q == "half":
            band = float(params["half_band"])
            return (50.0 - band, 50.0 + band)
        if q == "range" and self.low is not None and self.high is not None:
            return (self.low - self.unit_scale * half_unit(self.raw_low or self.low),
                    self.high + self.unit_scale * half_unit(self.raw_high or self.high))
        if self.value is None:
            return None
        h = self.unit_scale * half_unit(self.raw_value if self.raw_value is not None else self.value)
        v = self.value
        if q == "approx":
            rel = float(params["approx_rel_tol"]) * abs(v)
            return (v - h - rel, v + h + rel)
        if q == "up_to":
            rel = float(params["approx_rel_tol"]) * abs(v)
            return (v - h - rel, v + h)
        if q == "at_least":
            return (v - h, math.inf)
        return (v - h, v + h)  # exact / none

    def display(self) -> str:
        if self.label:
            return self.label
        unit = f" {self.unit}" if self.unit and self.unit not in ("%",) else (self.unit or "")
        if vocab.unit_kind(self.unit) == "calendar":       # "2000–2003", not "2000–2003 year"
            unit = ""
        if self.qualifier == "majority":
            return "the majority (>50%)"
        if self.qualifier == "half":
            return "half (50%)"
        if self.qualifier == "range" and self.low is not None:
            return f"{_fmt(self.low, self.raw_low)}–{_fmt(self.high, self.raw_high)}{unit}"
        if self.value is not None:
            prefix = {"approx": "~", "up_to": "up to ", "at_least": "at least "}.get(self.qualifier, "")
            return f"{prefix}{_fmt(self.value, self.raw_value)}{unit}"
        return self.text or ""


def _fmt(v: float | None, raw: str | None = None) -> str:
    if v is None:
        return ""
    if abs(v) >= 1e6 and float(v).is_integer():
        return f"{v / 1e6:g} million"
    if raw:
        return raw.strip()
    return f"{v:g}"


@dataclass
class Recomputed:
    """What the evidence says, recomputed from data/."""

    method: str
    value: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str | None = None
    text: str | None = None
    measure: str | None = None       # OR, RR, RD, NNT, NNH, pct, n, ...
    null: float | None = None        # value of "no effect" on this scale (1 for ratios, 0 for RD)
    detail: str = ""                 # how it was computed
    sources: list[str] = field(default_factory=list)
    context: list[str] = field(default_factory=list)   # "crossover RCT, n=18, saline, IV"
    flags: list[str] = field(default_factory=list)     # reasons the claim lacks context
    certainty: str = "not graded"
    value_range: tuple[float, float] | None = None     # a printed range of values (e.g. 30-40%)
    inverse: bool = False   # a smaller value is the stronger claim (time to onset)
    # weigh: the sources' statements the curator read as for, against, or weaker than the claim
    support: list[str] = field(default_factory=list)
    oppose: list[str] = field(default_factory=list)
    weaker: list[str] = field(default_factory=list)
    context_statements: list[str] = field(default_factory=list)   # what the wording leaves out
    weighed_names: dict[str, list[str]] = field(default_factory=dict)   # side -> the sources as cited
    # prevalence: the period of the figure, the period the claim states, and the figure for that period
    period: str | None = None
    claimed_period: str | None = None
    period_figure: str | None = None
    # the article's citation of the study the claim describes, where it disagrees with the study's record
    citation_problem: str | None = None
    # context the wording leaves out that applies whatever the claim type (e.g. a dated head count)
    caveats: list[str] = field(default_factory=list)
    # in words, for people: what the figure is and where it comes from ("19.1% in the past year: …"), and
    # the same as a sentence an editor could paste ("19.1% of U.S. adults 18+ had … (NIMH, data 2001-2003).")
    words: str = ""
    statement: str = ""
    source_field: str | None = None   # attribute: the sources.csv field compared
    statements: list[str] = field(default_factory=list)   # weigh: each statement with its source and side
    label: str | None = None   # how to display it when the numbers were converted ("2 weeks", compared in hours)

    def display(self) -> str:
        """The recomputed figure in words (through :mod:`evidence.fmt`): "OR 28.94 (95% CI 3.45 to 242.6)",
        "risk difference 36 percentage points (95% CI 6 to 59)", "83.3% (95% CI 55.2% to 95.3%)",
        "40 million people", "40 minutes"."""
        if self.method == "weigh":
            return ""          # the statements are the evidence; the decision's reason names them
        if self.label:
            return self.label
        if self.value is None:     # a design, a population, a route: in words
            return field_value(self.source_field, self.text) if self.source_field else (self.text or "")
        lo, hi = self.low, self.high
        if self.measure == "RD":
            pts = [None if v is None else 100 * v for v in (self.value, lo, hi)]
            s = f"risk difference {fmt.num(pts[0], decimals=0)} percentage points"
            if pts[1] is not None and pts[2] is not None:
                s += f" (95% CI {fmt.num(pts[1], decimals=0)} to {fmt.num(pts[2], decimals=0)})"
            return s
        if self.unit == "%":
            return fmt.ci(self.value, lo, hi, percent=True, sig=4) if lo is not None else fmt.pct(self.value)
        if self.unit and lo is None:
            return quantity_words(self.value, self.unit)
        measure = self.measure if self.measure and self.measure not in ("pct", "n", "count", "value") else None
        return fmt.ci(self.value, lo, hi, measure, sig=4)


@dataclass
class Decision:
    verdict: str
    rule: str
    reason: str

    @property
    def holds(self) -> bool:
        return self.verdict in HOLDS

    @property
    def rating(self) -> int:
        return SCALE[self.verdict][1]

    @property
    def label(self) -> str:
        return SCALE[self.verdict][0]


def compare_numeric(claimed: Claimed, rec: Recomputed, params: dict) -> str | None:
    """'match', 'over' (claim stronger/higher than evidence) or 'under'; None if not comparable."""
    if rec.value is None:
        return None
    if claimed.qualifier in ("majority", "half") and claimed.unit not in (None, "%"):
        return None
    interval = claimed.interval(params)
    if interval is None:
        return None
    lo, hi = interval
    values = [rec.value]
    if rec.value_range:
        values = list(rec.value_range)
    inverse = rec.inverse or (rec.measure or "") in INVERSE_STRENGTH
    if claimed.qualifier == "up_to":
        top = max(values)
        if lo <= top <= hi:
            return "match"
        above = top < lo  # "up to 80%" against 60%: the claim is above the evidence
    else:
        if any(lo <= v <= hi for v in values) or (len(values) == 2 and values[0] <= lo and hi <= values[1]):
            return "match"
        above = rec.value < lo  # the claim is above the evidence
    if inverse:  # a smaller NNT or onset is the stronger claim: "within 30 minutes" against 1 hour overstates
        return "under" if above else "over"
    return "over" if above else "under"


def _norm(s: str) -> str:
    import re

    s = s.lower().replace("_", " ").replace("-", " ")
    s = re.sub(r"[^\w\s.;/]", " ", s)
    return " ".join(s.split())


def text_matches(claimed: str, actual: str) -> bool:
    """A categorical claim matches when every claimed token appears in the source's value.

    Multi-valued source fields (``SAD;GAD``) match when every claimed value is among them.
    """
    c, a = _norm(claimed), _norm(actual)
    if not c or not a:
        return False
    if c == a:
        return True
    a_items = {x.strip() for x in a.split(";")}
    c_items = {x.strip() for x in c.split(";")}
    if c_items <= a_items:
        return True
    a_tokens = set(a.replace(";", " ").split())
    return set(c.replace(";", " ").split()) <= a_tokens


# ---------------------------------------------------------------- the rules

def rule_override(row, claimed, rec, params):
    v = (row.get("verdict_override") or "").strip()
    if v:
        return Decision(v, "override", f"set by hand: {row.get('override_justification', '').strip()}")
    return None


def rule_unverifiable(row, claimed, rec, params):
    if row.get("evidence_status") == "unidentifiable":
        return Decision("unverifiable", "unverifiable",
                        "the source the article names cannot be identified"
                        + (f": {row.get('search_note')}" if row.get("search_note") else ""))
    return None


def rule_unsupported(row, claimed, rec, params):
    if row.get("evidence_status") == "not_found" or rec is None or rec.method == "none":
        note = str(row.get("search_note") or "")
        if note.startswith(("No ", "Nothing ", "Not ")):    # "… was found: no source found for …"
            note = note[0].lower() + note[1:]
        return Decision("unsupported", "unsupported", "no evidence for it was found" + (f": {note}" if note else ""))
    return None


def rule_citation(row, claimed, rec, params):
    """The article cites the study it describes with the wrong year, journal or author: misattributed,
    whatever the finding (a reader cannot find the study from the citation)."""
    if rec.citation_problem:
        return Decision("misattributed", "misattributed-citation", rec.citation_problem)
    return None


def rule_period(row, claimed, rec, params):
    """A prevalence figure given for another period than the one it belongs to (past-year as lifetime)."""
    if rec.claimed_period and rec.period and rec.claimed_period != rec.period \
            and compare_numeric(claimed, rec, params) == "match":
        other = (f"; the figure {vocab.word('period', rec.claimed_period)} is {rec.period_figure}"
                 if rec.period_figure else "")
        return Decision("misattributed", "misattributed-period",
                        f"the article gives {claimed.display()} as the share {vocab.word('period', rec.claimed_period)}, "
                        f"but it is the share {vocab.word('period', rec.period)}{other}")
    return None


def rule_self_report(row, claimed, rec, params):
    """A claim about what patients report is checked against self-rated outcomes: evidence that names
    only clinician-rated scales does not bear on it (like with like)."""
    if not vocab.SELF_REPORT.search(str(row.get("quote") or "")):
        return None
    raters = vocab.scale_raters(" ".join(str(x) for x in (rec.text, rec.detail) if x))
    if raters == {"clinician"}:
        return Decision("unsupported", "not-self-reported",
                        "the claim is about what patients report, but the evidence is clinician-rated; "
                        "no self-rated outcome bears on it")
    return None


def rule_weigh(row, claimed, rec, params):
    """Sources weighed one by one: both ways is mixed; only against is contradicted; support that is
    weaker than the wording is overstated; support with context the wording leaves out is accurate
    but missing context; support alone is accurate."""
    if rec.method != "weigh":
        return None
    who = {side: vocab.join_words(list(dict.fromkeys(names))) for side, names in rec.weighed_names.items()}
    if rec.support and rec.oppose:
        return Decision("mixed", "mixed",
                        f"the sources point both ways: {who.get('for', 'some')} support the claim, "
                        f"{who.get('against', 'others')} say otherwise")
    if rec.oppose:
        return Decision("contradicted", "contradicted-weighed",
                        f"the sources say otherwise ({who.get('against', 'the sources')})")
    if rec.weaker:
        return Decision("overstated", "overstated-weighed",
                        f"the sources support the claim only in a weaker form than it is worded "
                        f"({who.get('weaker', 'the sources')})")
    if rec.context_statements:
        return Decision("accurate_missing_context", "missing-context-weighed",
                        "the sources support the claim, but the wording leaves out: "
                        + "; ".join(f"“{t.strip().rstrip('.')}”" for t in rec.context_statements))
    if rec.support:
        return Decision("accurate", "accurate-weighed",
                        f"the sources support the claim as worded ({who.get('for', 'the sources')})")
    return None


def rule_misattributed(row, claimed, rec, params):
    if rec.method == "attribute" and claimed.text and rec.text is not None and not text_matches(claimed.text, rec.text):
        return Decision("misattributed", "misattributed",
                        f"the article says {claimed.display()}; the source's own record says {rec.display()}")
    return None


NEGATIONS = {"not", "no", "never", "neither", "nor", "without", "isn't", "isnt", "wasn't", "cannot"}


def phrase_in(claimed: str, prose: str) -> bool:
    """A claimed phrase is supported by a prose fact when it occurs in it as a contiguous phrase."""
    c, a = (" ".join(_norm(x).replace(";", " ").split()) for x in (claimed, prose))
    if not c:
        return False
    padded, needle = f" {a} ", f" {c} "
    start = padded.find(needle)
    claim_negated = c.split()[0] in NEGATIONS
    while start != -1:
        before = padded[:start].split()[-1:]
        # "FDA approved" does not match inside "not FDA approved"
        if claim_negated or not (before and before[0] in NEGATIONS):
            return True
        start = padded.find(needle, start + 1)
    return False


def _text_ok(claimed: Claimed, rec: Recomputed) -> bool:
    if rec.method == "fact":
        return phrase_in(claimed.text, rec.text)
    return text_matches(claimed.text, rec.text)


def _word_claim(claimed: Claimed) -> bool:
    return bool(claimed.text) and claimed.value is None and claimed.low is None and claimed.high is None \
        and claimed.qualifier in ("categorical", "none")


def _matches(claimed: Claimed, rec: Recomputed, params) -> bool:
    """The claimed figure or words agree with the evidence (before any question of context)."""
    if compare_numeric(claimed, rec, params) == "match":
        return True
    return bool(claimed.text) and rec.text is not None and _text_ok(claimed, rec)


def rule_contradicted(row, claimed, rec, params):
    # "the majority" when the evidence puts the share in the minority (its CI entirely below the threshold)
    if claimed.qualifier == "majority" and rec.value is not None and rec.unit in (None, "%"):
        # without a CI, the figure widened by the "about" tolerance must still be below the threshold
        top = rec.high if rec.high is not None else \
            rec.value * (1 + float(params["approx_rel_tol"])) + half_unit(rec.value)
        if top < float(params["majority_threshold"]):
            return Decision("contradicted", "contradicted-minority",
                            f"the article says the majority; the evidence puts it at {rec.display()}, a minority")
    # a word claim against a fact's prose (the fact may also carry a number)
    if rec.method == "fact" and _word_claim(claimed) and rec.text is not None \
            and not phrase_in(claimed.text, rec.text):
        return Decision("contradicted", "contradicted-fact",
                        f"the article says “{claimed.text}”, but the source says otherwise")   # quoted in full below
    # an effect claimed as a benefit whose evidence is on the other side of no effect, CI excluding it
    if rec.null is not None and rec.value is not None and rec.low is not None and rec.high is not None \
            and claimed.value is not None and row.get("claim_type") in EFFICACY_TYPES:
        claimed_side = claimed.value > rec.null
        if (claimed_side and rec.high < rec.null) or (not claimed_side and rec.low > rec.null):
            return Decision("contradicted", "contradicted-direction",
                            f"the claim points one way; the evidence ({rec.display()}) excludes no effect in the other")
    return None


def rule_numeric(row, claimed, rec, params):
    cmp = compare_numeric(claimed, rec, params)
    if cmp == "over":
        return Decision("overstated", "overstated",
                        f"claimed {claimed.display()} is stronger than the evidence ({rec.display()}) beyond tolerance")
    if cmp == "under":
        return Decision("understated", "understated",
                        f"claimed {claimed.display()} is weaker than the evidence ({rec.display()}) beyond tolerance")
    return None


def rule_missing_context(row, claimed, rec, params):
    reasons = (rec.flags if row.get("claim_type") in EFFICACY_TYPES else []) + rec.caveats
    if reasons and _matches(claimed, rec, params):
        return Decision("accurate_missing_context", "missing-context",
                        "the figure matches but the wording leaves out: " + "; ".join(reasons))
    return None


def rule_accurate(row, claimed, rec, params):
    if _matches(claimed, rec, params):
        if rec.value is None:   # a statement: it is quoted under "How it was checked"
            return Decision("accurate", "accurate", "the claim says what the source says")
        return Decision("accurate", "accurate", f"claimed {claimed.display()} matches the evidence ({rec.display()})")
    return None


def rule_fallback(row, claimed, rec, params):
    return Decision("unsupported", "not-comparable",
                    f"the evidence ({rec.display() or 'what the source says'}) does not bear on the claim as worded "
                    f"({claimed.display()})")


RULES = [rule_override, rule_unverifiable, rule_unsupported, rule_citation, rule_period, rule_self_report, rule_weigh,
         rule_misattributed, rule_contradicted, rule_numeric, rule_missing_context, rule_accurate, rule_fallback]


def decide(row: dict, claimed: Claimed, rec: Recomputed | None, params: dict | None = None) -> Decision:
    """Apply the rules in order; the first that fires decides."""
    p = dict(DEFAULT_PARAMS)
    p.update(params or {})
    for rule in RULES:
        if rec is None and rule not in (rule_override, rule_unverifiable, rule_unsupported):
            continue
        d = rule(row, claimed, rec, p)
        if d is not None:
            if d.verdict not in SCALE:
                raise ValueError(f"unknown verdict {d.verdict!r}")
            return d
    return Decision("unsupported", "unsupported", "nothing to recompute")


def rules_table() -> list[dict]:
    """The documented rules, in order, for the methods page."""
    return [{"verdict": k, "label": v[0], "rating": v[1], "rule": v[2]} for k, v in SCALE.items()]
