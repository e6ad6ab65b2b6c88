"""Like with like, and abstain with a reason: which evidence a detected claim may be compared with.

:func:`choose` takes the claim, its sentence's :class:`~evidence.check.resolve.Resolution` and the scored
candidates, and returns a :class:`Link`: the evidence it is compared with and why, in words — or no evidence
and the reason in words ("no study in the evidence base matches (cues: …)", "matched Oliver et al. 2022 (…),
which has no curated figure for this").

The rules, in order (each documented in :data:`WEIGHTS` or the function that applies it):

1. money and negated figures are never checked;
2. **topic claims** (prevalence) are compared only with survey/fact-sheet figures of the same condition,
   period, population and kind of quantity; a sentence that names an organisation is compared only with that
   organisation's figures; the share who *receive treatment* is not a prevalence;
3. **regulatory claims** are compared with regulatory facts (labels, notices);
4. every other claim is compared only with figures **of the study its sentence resolves to**; no study
   resolved means "not checkable here", with the cues in words;
5. a figure is compared only with a figure of a comparable unit kind (:func:`evidence.quantity.comparable`);
6. the best remaining candidate must score at least :data:`WEIGHTS` ``["min_score"]``; when the sentence names
   no study at all, a claim of :data:`UNIQUE_FIGURE_TYPES` may link only to a figure scoring
   ``["unique_min_score"]`` and ahead of every other study's by ``["unique_margin"]``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from evidence.check.memo import IdentityMemo
from evidence.quantity import comparable, kind_of

#: the linking weights and thresholds, read by the code and quoted by the docs (ARCHITECTURE.md, --help)
WEIGHTS: dict[str, float] = {
    "min_score": 3.0,          # the best candidate must score at least this (see EvidenceIndex.score)
    "slot_condition": 3.0,     # a matching condition (GAD, SAD, TRD …)
    "slot_sex": 2.0,
    "slot_period": 2.0,        # past year / lifetime
    "slot_measure": 2.0,       # OR, RR, SMD, NNT …
    "slot_route": 1.5,
    "slot_drug": 1.0,
    "number_close": 2.0,       # a figure within 2 % of the claim's (breaks ties between comparable figures)
    "number_near": 1.0,        # within 15 %
    "count_equal": 3.0,        # a count equal to the claim's
    "resolved_study": 3.0,     # the candidate is the resolved study's own figure
    "words_cap": 1.0,          # IDF-weighted shared words, at most this
    "exact_margin": 1.5,       # a survey whose figure is the claim's may be chosen over a better-scoring one this close
    "words_only": -1.5,        # a fact with no figure, for a percentage: the study's own figure of it comes first
    "unique_min_score": 6.0,   # a claim whose sentence names no study links only to a figure scoring this much …
    "unique_margin": 2.0,      # … and this much more than any other study's figure
}
#: claim types that, with no study named, may still link to the one figure that fits (a named measure: NNT …)
UNIQUE_FIGURE_TYPES = frozenset({"nnt", "nnh", "effect_size"})
#: regulators other than the FDA: the evidence base's regulatory facts are the FDA's (U.S.) only
OTHER_REGULATORS = re.compile(r"\b(?:Medsafe|TGA|Therapeutic\s+Goods\s+Administration|EMA|European\s+Medicines\s+Agency|"
                              r"Health\s+Canada|MHRA|PMDA|NMPA|Swissmedic)\b")

#: claim types that are about a population, not a study: resolved to a topic
TOPIC_TYPES = frozenset({"prevalence"})
#: claim types checked against regulatory facts
REGULATORY_TYPES = frozenset({"regulatory_status"})
#: source kinds whose figures describe a population (topic), not a study's participants
TOPIC_SOURCE_KINDS = frozenset({"web_page", "survey", "fact_sheet"})
_RECEIVE_TREATMENT = re.compile(r"\b(?:receiv\w*|get(?:s|ting)?|seek\w*|sought|access\w*|us(?:e|ing))\s+(?:any\s+)?"
                                r"(?:treatment|help|care|therapy)|\b(?:treated|untreated|treatment\s+gap)\b", re.I)


@dataclass
class Link:
    """The evidence one detected claim is compared with — or none, and why not (in words)."""

    recompute: str = ""
    source_ids: tuple[str, ...] = ()
    evidence_status: str = ""
    search_note: str = ""
    label: str = ""             # what it was compared with, in words
    basis: str = ""             # why that source, in words ("matched on author Oliver, n = 424")
    reason: str = ""            # why nothing was compared, in words (when recompute is empty)
    score: float = 0.0
    origin: str = ""            # template / prevalence / estimate / outcome / source / fact
    template: dict | None = None
    fact_text: str = ""
    study: str = ""             # the resolved study's source_id ("" for a topic)
    study_label: str = ""       # "Oliver et al. 2022 (Journal of Clinical Psychiatry)"
    claimed_text: str | None = None   # a normalized claimed text (a misspelt journal matched to the record's name)
    negate: bool = False        # the claim negates what it names ("was not randomized"): invert the verdict
    claimed_year: str = ""      # a dated regulatory claim linked to a fact that is a year ("approved in 1970")
    word_claim: bool = False    # the figure is compared as words with a definition ("at least two antidepressants")
    #: why the linked fact contradicts the claim, when a rule (not the engine's comparison) settles it: a dated
    #: approval before the recorded one (:func:`evidence.check.regulatory.date_contradiction`); the verdict is
    #: then "contradicted", with this as its written justification
    contradiction: str = ""
    #: the verdict of that rule when it is not "contradicted" (a label that says what the claim says: "accurate")
    rule_verdict: str = ""
    #: the passage's other figures that are exactly this source's ("40 million", "18.1%"): the source is identified
    #: by its figures, so a near miss is a wrong figure, not another survey's (:func:`passage_source_figures`)
    by_figures: tuple[str, ...] = ()
    codes: dict = field(default_factory=dict)

    @property
    def linked(self) -> bool:
        return bool(self.recompute) or self.evidence_status in ("not_found", "unidentifiable")


def abstain(reason: str, **kw) -> Link:
    return Link(reason=reason, **kw)


def candidate_unit(c) -> str:
    """The unit of a candidate's figures, as a unit the vocabulary knows."""
    u = c.number_unit or ""
    if u == "count":
        return "participants"
    return u


def _candidate_measure(c) -> str:
    m = re.search(r"measure=(\w+)", c.recompute or "")
    return m.group(1) if m else str((c.row or {}).get("measure") or c.number_unit or "")


def _ratio_against_difference(d, c) -> str:
    """A ratio ("3 times as likely", an odds ratio) is never compared with a difference (SMD, mean or risk
    difference), whose scale has another null (editor s6: "3 times more likely" was overstated against d = 1.13)."""
    from evidence import vocab

    if d.unit not in ("times", "ratio", "OR", "RR"):   # (an SMD or MD claim is of the difference scale itself)
        return ""
    m = vocab.MEASURES.get(_candidate_measure(c))
    if m is not None and m.scale == "ratio" and d.kind == "times" and d.unit in ("RR", "OR") and m.code != d.unit \
            and not (c.recompute or "").startswith("effect:"):
        # "3 times as likely" (a risk ratio) against a printed odds ratio: another measure of the same counts
        return f"the claim is a {vocab.MEASURES[d.unit].label} and the evidence is an {m.label}"
    if m is None or m.scale in ("ratio", "other"):
        return ""
    article = "an" if m.label[:1] in "aeiou" else "a"
    return f"the claim is a ratio and the evidence is {article} {m.label}"


def claimed_measure(d, recompute: str) -> str:
    """A recompute from counts in the measure the claim names: "3 times as likely" is a risk ratio, so the trial's
    counts give a risk ratio, not the default odds ratio."""
    if d.claim_type != "effect_size" or d.kind != "times" or d.unit not in ("RR", "OR") \
            or not recompute.startswith("effect:"):
        return recompute
    if "measure=" in recompute:
        return re.sub(r"measure=\w+", f"measure={d.unit}", recompute)
    return f"{recompute},measure={d.unit}"


def like_with_like(d, c) -> str:
    """'' when the claim's figure may be compared with the candidate's; else the reason in words."""
    if d.value is None and d.low is None and d.high is None:
        return ""
    if not c.numbers and c.origin in ("fact", "source") and c.field not in ("year",):
        return "" if not d.unit or kind_of(d.unit) in ("", "other") else (
            "the evidence has no figure to compare with" if c.origin == "fact" and not c.text else "")
    if d.claim_type in ("nnt", "nnh") and c.recompute.startswith("nnt:"):
        return ""
    why_not = _ratio_against_difference(d, c)
    if why_not:
        return why_not
    ok, why = comparable(d.unit if d.unit != "ratio" else "OR", candidate_unit(c) or None)
    return "" if ok else why


def topic_ok(d, c, sentence: str, orgs: dict, index) -> str:
    """'' when a prevalence claim may be compared with this population figure; else why not."""
    src = index.sigs.get(c.source_ids[0]) if c.source_ids else None
    if c.origin not in ("prevalence", "fact"):
        return "a population figure is compared only with surveys and fact sheets"
    if src is not None and src.kind not in TOPIC_SOURCE_KINDS and src.design not in ("survey", "fact_sheet"):
        return "a population figure is compared only with surveys and fact sheets"
    who = population_conflict(d, c, sentence, index)
    if who:
        return who
    if orgs:
        cited = cited_edition(sentence, orgs, index)
        if cited:
            return cited
        named = set().union(*orgs.values()) if orgs else set()
        if c.source_ids and not (set(c.source_ids) & named):
            return (f"the sentence names {', '.join(k.upper() for k in orgs)}, whose figure for this is not in the "
                    "evidence base")
    return ""


#: who a prevalence figure is about: young people, adults; the U.S. or the world (editor s6: "32% of teens" in the
#: U.S. was compared with WHO's global 4% of all ages)
_YOUNG = re.compile(r"\b(?:teens?|teenagers?|adolescen(?:ts?|ce)|youths?|young\s+people|children|kids|students|"
                    r"minors|(?:aged?|ages)\s+1[0-8]\s*(?:-|–|to)\s*1[0-9]|1[0-8]\s*(?:-|–|to)\s*1[0-9]\s+years?)\b", re.I)
_ADULT = re.compile(r"\badults?\b", re.I)
_US = re.compile(r"\b(?:U\.\s?S\.?(?:\s?A\.?)?|US|USA|United\s+States|Americans?|nationwide|national(?:ly)?)(?![\w.])")
_GLOBAL = re.compile(r"\b(?:global(?:ly)?|worldwide|world(?:\'s)?(?!\s+Health\b)|around\s+the\s+(?:world|globe)|across\s+the\s+"
                     r"(?:world|globe)|international(?:ly)?)\b", re.I)
_CLAUSE_END = re.compile(r"[,;:.)(]|\s(?:and|but|while|whereas)\s")


@lru_cache(maxsize=4096)
def _people_of(sentence: str, a: int, b: int) -> tuple[str, bool, bool, bool]:
    """(the young-people words of the claim's clause or '', adults named there, the sentence names the U.S., the
    world) for the figure at ``sentence[a:b]``."""
    people = _people_words(sentence, a, b)
    m = _YOUNG.search(people)
    return (m.group(0) if m else "", bool(_ADULT.search(people)), bool(_US.search(sentence)),
            bool(_GLOBAL.search(sentence)))


@lru_cache(maxsize=1024)
def _people_of_row(pop: str) -> tuple[bool, bool, bool]:
    """(about young people, the U.S., the world) for a population figure's ``population``/``age_group`` words."""
    return (bool(re.search(r"adolescen|child|youth|\b1[0-8]\s*-\s*1[0-9]\b", pop, re.I)), bool(_US.search(pop)),
            bool(re.search(r"\bglobal\b", pop, re.I)))


def _people_words(sentence: str, a: int, b: int) -> str:
    """The words that say whom the figure at ``sentence[a:b]`` is about: the quote and its clause (cut at the next
    boundary)."""
    after = sentence[b:b + 45]
    m = _CLAUSE_END.search(after)
    before = sentence[max(0, a - 30):a]
    cuts = list(_CLAUSE_END.finditer(before))
    return (before[cuts[-1].end():] if cuts else before) + sentence[a:b] + (after[:m.start()] if m else after)


#: women around childbirth, and the depression named by it: a population no general survey figure describes
_NEW_MOTHERS = re.compile(r"\b(?:post-?partum|peri-?natal|post-?natal|ante-?natal|pregnan\w*|new\s+mothers?|"
                          r"after\s+(?:giving\s+birth|childbirth|delivery)|PPD)\b", re.I)


def population_conflict(d, c, sentence: str, index) -> str:
    """Why a population figure about other people (another age group, or the world rather than the U.S.) does not
    settle the claim; '' when it may."""
    row = c.row or {}
    pop = " ".join(str(row.get(k) or "") for k in ("population", "age_group")).strip()
    if not pop:
        return ""
    label = index.label_of(c.source_ids[0]) if c.source_ids else "the evidence base"
    # what the claim says and what the row says are each read once (linking asks for every population figure)
    young, adult, us, world = _people_of(sentence, d.start - d.sentence.start, d.end - d.sentence.start)
    fig_young, fig_us, fig_world = _people_of_row(pop)
    new_mothers = _NEW_MOTHERS.search(_people_words(sentence, d.start - d.sentence.start, d.end - d.sentence.start))
    if new_mothers and not _NEW_MOTHERS.search(pop):
        # "PPD is estimated to occur in 6.5% to 20% of postpartum women" against NIMH's 8% of U.S. women with social
        # anxiety disorder (settle13: called accurate): a figure about women after childbirth is not one of all women
        return (f"the figure is about women around childbirth (“{new_mothers.group(0)}”), and the closest figure in "
                f"the evidence base ({label}: {pop}) is about other people, so it does not settle it")
    if young and not fig_young:
        return (f"the figure is about young people (“{young}”), and the closest figure in "
                f"the evidence base ({label}: {pop}) is about other people, so it does not settle it")
    if adult and not young and fig_young:
        return (f"the figure is about adults, and the closest figure in the evidence base ({label}: {pop}) is about "
                "young people, so it does not settle it")
    if us and not world and fig_world and not fig_us:
        return (f"the sentence is about the U.S., and the closest figure in the evidence base ({label}: {pop}) is "
                "global, so it does not settle it")
    if world and not us and fig_us and not fig_world:
        return (f"the sentence gives a global figure, and the closest figure in the evidence base ({label}: {pop}) "
                "is for the U.S., so it does not settle it")
    return ""


_CITE_YEAR = re.compile(r"(?<![\d.,$])\b((?:19|20)\d{2})\b(?![\d%,.]\d)")


def cited_edition(sentence: str, orgs: dict, index) -> str:
    """'' unless the sentence cites an organisation with a year ("(WHO, 2017)") that none of that organisation's
    sources in the evidence base has: then the edition it cites is not in the base, and another edition's figure
    does not settle it (survey figures change between editions)."""
    years = set(_CITE_YEAR.findall(sentence))
    if not years:
        return ""
    for org, sids in orgs.items():
        have = sorted({index.sigs[x].year for x in sids if x in index.sigs and index.sigs[x].year})
        if sids and have and len(have) == len([x for x in sids if x in index.sigs]) and not years & set(have):
            return (f"the sentence cites {org.upper()} {', '.join(sorted(years))}, which is not in the evidence base "
                    f"(it holds {org.upper()} {', '.join(have)}); another edition's figure does not settle it")
    return ""


def _num(v) -> float | None:
    try:
        return float(str(v).replace(",", "")) if v not in (None, "") else None
    except ValueError:
        return None


def _edition_key(row: dict) -> tuple:
    return tuple(str(row.get(k) or "") for k in ("condition", "population", "sex", "age_group", "period")) + (
        bool(row.get("count")),)


def edition_conflict(d, c, pool, index) -> str:
    """Why a population figure is not settled by one edition of an estimate that changes between editions ('' when
    it is).

    WHO's global count of people with an anxiety disorder was 301 million in its 2023 fact sheet (2019 data) and 359
    million in its 2025 one (2021 data): the same organisation, condition, population and period, another figure.
    A sentence that gives no year may quote an edition the evidence base does not hold, so a figure that matches no
    edition, but lies within the spread of the editions beyond them (as far from them as they are from each
    other), is not settled; a figure far outside that spread is judged as usual, and a dated sentence is read by
    its date (:func:`cited_edition`)."""
    if c.origin != "prevalence" or d.value is None or not c.numbers or not c.source_ids \
            or _CITE_YEAR.search(d.sentence.text):
        return ""
    sig = index.sigs.get(c.source_ids[0])
    orgs, key = (sig.orgs if sig is not None else frozenset()), _edition_key(c.row or {})
    editions: dict[float, tuple[str, str]] = {}
    for x in pool:
        xs = index.sigs.get(x.source_ids[0]) if x.source_ids else None
        if x.origin != "prevalence" or not x.numbers or xs is None or _edition_key(x.row or {}) != key or not (
                xs is sig or (orgs and xs.orgs & orgs)):
            continue
        fig = _num((x.row or {}).get("count") if key[-1] else (x.row or {}).get("value_pct"))
        if fig is not None:
            editions.setdefault(fig, (str((x.row or {}).get("data_years") or ""), xs.label))
    if len(editions) < 2 or len({yrs for yrs, _ in editions.values()}) < 2:
        return ""   # two figures of one survey year are two measures, not two editions
    v, lo, hi = float(d.value), min(editions), max(editions)
    tol = 0.10 if d.qualifier == "approx" else 0.02
    if any(abs(v - x) <= tol * abs(x) for x in editions) or not lo - (hi - lo) <= v <= hi + (hi - lo) or (
            d.qualifier == "at_least" and hi >= v) or (d.qualifier == "up_to" and lo <= v):
        return ""
    from evidence import fmt

    pct = c.number_unit == "%"
    from evidence import vocab

    held = vocab.join_words([f"{fmt.pct(x) if pct else fmt.num(x)} ({(yrs + ' data, ') if yrs else ''}{lab})"
                             for x, (yrs, lab) in sorted(editions.items())])
    return (f"this estimate changes between editions: the evidence base holds {held}; the sentence gives no year, "
            f"and {d.quote.strip()} may be another edition's estimate, so it is not settled here")


#: "Each session lasts about 40 minutes", "Our infusions take 45 minutes", "Patients typically receive six": how a
#: treatment is given, said of the clinic's own practice rather than of a study
_PROTOCOL = re.compile(r"\b(?:each|every|a\s+typical|our|your|we|you)\s+(?:[\w-]+\s+){0,2}?(?:session|infusion|"
                       r"treatment|appointment|visit|dose|course)s?\b|\b(?:typically|usually|generally)\s+(?:last|take|"
                       r"receive|get|need|involve)s?\b|\b(?:sessions?|infusions?|treatments?|appointments?)\s+(?:last|"
                       r"take)s?\b", re.I)
_NO_STUDY = "the sentence names no study and none is established before it"


def study_reason(res, index, d=None) -> str:
    """Why a study-bound claim has no study to be compared with."""
    reason = (res.reason if res is not None else "") or (_NO_STUDY if res is None or not res.cues else
                                                         "no study in the evidence base matches")
    if reason == _NO_STUDY and d is not None and d.claim_type == "dose_route" and _PROTOCOL.search(d.sentence.text):
        return ("the sentence describes how a treatment is given without naming a study; a clinic's own protocol "
                "is not something the evidence base settles")
    return reason


def no_figure_reason(d, res, index, best_why: str = "") -> str:
    label = index.sigs[res.study].label if res is not None and res.study in index.sigs else ""
    what = describe_claim(d)
    if d.kind == "p-value":   # editor s6: "(the claim is another kind of figure and the evidence is a ratio)"
        best_why = "the evidence base records effect sizes, not the p-values or correlations printed beside them"
    if label:
        return f"matched {label}, which has no curated figure for {what}" + (f" ({best_why})" if best_why else "")
    return f"no figure in the evidence base for {what}" + (f" ({best_why})" if best_why else "")


def describe_claim(d) -> str:
    """The claim's measure in words ("a response rate", "a sample size", "a dose in mg/kg")."""
    from evidence import vocab

    if d.kind == "p-value":
        return "a correlation (R²)" if (d.unit or "").upper() in ("R2", "R²", "R") else "a p-value"
    if d.claim_type in ("other", "", None):   # "no curated figure for other" read as a bug
        return "this figure" if (d.value is not None or d.low is not None or d.high is not None) else "this statement"
    words = vocab.word("claim_type", d.claim_type) if d.claim_type else "this claim"
    if d.claim_type == "dose_route" and d.unit:
        return f"{words} in {d.unit}"
    return words.lower() if words else "this claim"


_COST_SHARE = re.compile(r"\b(?:costs?|spending|expenditures?|billions?|dollars|economic\s+burden|productivity|"
                         r"revenue|budget)\b", re.I)
_INCIDENCE = re.compile(r"\bincidences?\b|\bnew\s+(?:cases|diagnoses)\b", re.I)


#: "increased by 25%", "rose by a massive 25%", "a 25% increase", "25% more"
_CHANGE_BY = re.compile(r"\b(?:increas|ris|rose|jump|grew|grow|climb|surg|spik|soar|fell|fall|drop|declin|decreas)\w*"
                        r"\s+(?:by\s+)?(?:(?:a|an)\s+)?(?:\w+\s+){0,2}$", re.I)
_CHANGE_AFTER = re.compile(r"\s*(?:increase|rise|jump|growth|surge|spike|decrease|drop|decline|more|fewer|higher|lower)"
                           r"\b", re.I)


def share_of_symptoms(sentence: str, a: int, b: int) -> str:
    """Why the share at sentence[a:b] is not one of people: "half of their self-reported anxiety symptoms vanished after
    receiving treatment" (settle13: compared with ADAA's share of people receiving treatment) is a share of each
    person's symptoms. '' when it is not."""
    m = _SHARE_OF_SYMPTOMS.search(sentence[max(0, a - 5):min(len(sentence), b + 60)])
    if not m:
        return ""
    return ("this is a share of each person's symptoms (a change within a person), not how many people have a "
            "condition; a prevalence figure does not settle it")


def not_a_prevalence(sentence: str, a: int, b: int) -> str:
    """Why the percentage at sentence[a:b] is not a share of people (a prevalence), or ''.

    * a share of costs or spending ("more than 75% can be attributed to … indirect costs");
    * an incidence (new cases), which a prevalence (people who have the condition) does not settle.
    The clause around the figure is read: up to the nearest ';' on either side, 90 characters each way.
    """
    lo, hi = max(0, a - 90), min(len(sentence), b + 90)
    left, right = sentence[lo:a], sentence[b:hi]
    left, right = left.rsplit(";", 1)[-1], right.split(";", 1)[0]
    if _COST_SHARE.search(left[-40:]) or _COST_SHARE.search(right):
        return ("this is a share of costs or spending, not of people; the evidence base's population figures "
                "(how many people have a condition) do not settle it")
    if _OUTCOME_SHARE.search(_clause_of(sentence, a, b)):
        return ("this is a share of people who do or do not benefit from a treatment (an outcome), not how many "
                "people have a condition; a prevalence figure does not settle it")
    if _CHANGE_BY.search(left[-60:]) or _CHANGE_AFTER.match(right):
        return ("this is how much a figure changed (a rise or fall in per cent), not how many people have a "
                "condition; a prevalence figure does not settle it")
    if _INCIDENCE.search(left):
        return ("the sentence gives an incidence (how many new cases), and the evidence base holds prevalence "
                "(how many people have the condition); the two are not the same measure")
    return ""


#: where one clause ends and the next begins ("…receive treatment, and for those who do, 30-40% …")
_CLAUSE_BREAK = re.compile(r";|,\s+(?:and|but|while|whereas|yet)\b|,\s+(?=for\s+(?:those|people|patients)\b)", re.I)


def _clause_of(sentence: str, a: int, b: int, reach: int = 60) -> str:
    """The clause around sentence[a:b] (at most ``reach`` characters each way)."""
    lo, hi = max(0, a - reach), min(len(sentence), b + reach)
    for m in _CLAUSE_BREAK.finditer(sentence, lo, hi):
        if m.end() <= a:
            lo = m.end()
        elif m.start() >= b:
            hi = m.start()
            break
    return sentence[lo:hi]


#: "30-40% experience little to no relief from therapies", "60% respond to first-line treatment": a treatment outcome
_OUTCOME_SHARE = re.compile(r"\b(?:relief|respond\w*|benefit\w*|improv\w*|remission|remit\w*|relapse\w*|helped)\b",
                            re.I)


#: "seek treatment", "look for help": the share who *seek* care, which is not the share who receive it
_SEEK = re.compile(r"\b(?:seek\w*|sought|look\w*\s+for|ask\w*\s+for)\s+(?:any\s+|professional\s+)?(?:treatment|"
                   r"help|care|therapy)", re.I)
#: "mental health disorders", "mental illness": every mental disorder, broader than one condition's figure
_ALL_MENTAL = re.compile(r"\bmental(?:[- ]health)?\s+(?:disorders?|illness(?:es)?|conditions?|problems?|issues?)\b",
                         re.I)
_ONE_CONDITION = re.compile(r"\banxi|\bdepress|\bPTSD\b|post[- ]?traumatic|\bOCD\b|obsessive|\bpanic|\bphobi|\bGAD\b",
                            re.I)


def treatment_rates(d, facts: list, label_of) -> tuple[list | None, str]:
    """The curated treatment rates a share who receive treatment may be compared with, or (None, why not).

    A rate is a fact about one condition and one measure: "only 36.9% of those suffering [from anxiety disorders]
    receive treatment" (ADAA). It does not settle the share who *seek* treatment (seeking is not receiving), nor a
    share of everyone with a mental disorder when the sentence names no one condition."""
    if not facts:
        return None, ("the share of people who receive treatment is not a prevalence figure, and the evidence base "
                      "has no curated figure for it")
    t, a, b = d.sentence.text, d.start - d.sentence.start, d.end - d.sentence.start
    c = facts[0]
    who = f"{label_of(c.source_ids[0])}: {_figure(c)}" if c.source_ids else _figure(c)
    if _SEEK.search(_clause_of(t, a, b)) and not any(_SEEK.search(x.text or "") for x in facts):
        return None, (f"the sentence gives the share who seek treatment; the evidence base's figure ({who}) is the "
                      "share who receive it, and seeking care is not receiving it")
    if _ALL_MENTAL.search(t) and not _ONE_CONDITION.search(t):
        return None, (f"the sentence is about mental disorders in general; the evidence base's treatment rate ({who}) "
                      "is for one condition, so it does not settle the claim")
    return facts, ""


def _figure(c) -> str:
    from evidence import fmt

    return ", ".join(fmt.pct(n) if c.number_unit == "%" else fmt.num(n) for n in (c.numbers or ())[:2]) or "a figure"


def receives_treatment(sentence: str, a: int, b: int) -> bool:
    """Is the figure at sentence[a:b] the share who *receive* treatment (not a prevalence)? Read in the figure's own
    clause: "only 37.9% … receive treatment, and for those who do, 30-40% experience little relief" makes the first
    figure a treatment rate, not the second."""
    return bool(_RECEIVE_TREATMENT.search(_clause_of(sentence, a, b)))


#: :func:`_population_figures_of`'s figures by source id, for the candidate list last read (and its length)
_FIGURES_OF = IdentityMemo()


def _population_figures_of(candidates) -> dict[str, list]:
    """The prevalence and fact candidates of ``candidates`` by source id, in list order; memoized on the list (the
    index's), so it is read once rather than once per claim."""
    def by_source() -> dict[str, list]:
        by: dict[str, list] = {}
        for x in candidates:
            if x.origin in ("prevalence", "fact"):
                for sid in dict.fromkeys(x.source_ids):
                    by.setdefault(sid, []).append(x)
        return by

    return _FIGURES_OF.get(candidates, "by", by_source, stamp=len(candidates))


_PASSAGE_FIGURE = re.compile(r"(?<![\d.,])(\d+(?:\.\d+)?)\s*(%|percent\b|million\b)", re.I)


def passage_source_figures(d, ctx: dict, c, candidates) -> list[str]:
    """The other figures of the claim's passage (its sentence and the two before) that are exactly the curated
    figures of the source the claim was linked to ("affecting 40 million adults … 18.1% of the population … only
    37.9% receive treatment": 40 million and 18.1% are ADAA's, so the 37.9% is read as ADAA's 36.9%, not as a
    figure of some other survey). Empty when none is (or the claim names its source itself)."""
    if not c.source_ids or d.named_source:
        return []
    sid = c.source_ids[0]
    mine = [x for x in _population_figures_of(candidates).get(sid, ()) if x is not c]
    found = []
    for m in _PASSAGE_FIGURE.finditer(f"{ctx.get('prev') or ''} {ctx.get('text') or ''}"):
        v = float(m.group(1)) * (1e6 if m.group(2).lower() == "million" else 1.0)
        if d.value is not None and abs(v - d.value) < 1e-9:
            continue
        unit = "count" if m.group(2).lower() == "million" else "%"
        if any(any(abs(v - n) <= 1e-6 * max(1.0, abs(n)) for n in x.numbers) and (
                (unit == "count") == (x.number_unit in ("count", "people") or "field=count" in x.recompute)) for x in mine):
            found.append(m.group(0).strip())
    return list(dict.fromkeys(found))


#: treatments other than ketamine a study's fact may be about ("SRIs take 6-10 weeks", "placebo responders")
_OTHER_TREATMENT = re.compile(r"\b(?:SRIs?|SSRIs?|SNRIs?|serotonin\s+reuptake|antidepressants?|benzodiazepines?|"
                              r"psychotherapy|CBT|cognitive[- ]behavio\w*|lithium|antipsychotics?|electroconvulsive|"
                              r"ECT)\b", re.I)


def other_treatment(d, c) -> str:
    """Why a fact about another treatment (a study's background on SRIs, on psychotherapy) does not settle a claim
    about ketamine ('' when it may): the claim's sentence must name that treatment too."""
    subject = str((c.row or {}).get("subject") or "") if c.origin == "fact" else ""
    m = _OTHER_TREATMENT.search(subject)
    if not m or _OTHER_TREATMENT.search(d.sentence.text):
        return ""
    return (f"the closest figure is about {subject.split('(')[0].strip()}, not ketamine; another treatment's figure "
            "does not settle the claim")


#: the comparison arm of a trial (an estimate's ``arm``: "saline placebo", "midazolam 0.045 mg/kg IV x6") and the words
#: by which a sentence says it speaks of that arm
_CONTROL_ARM = re.compile(r"\b(?:placebo|saline|sham|midazolam|control)\b", re.I)
_SAYS_CONTROL = re.compile(r"\b(?:placebo|saline|sham|midazolam|control(?:s|led)?|comparison|compared)\b", re.I)


def control_arm(d, c) -> str:
    """Why the figure of a trial's comparison arm does not settle a claim about the treatment ('' when it may): "18
    adults … received ketamine; half of their self-reported anxiety symptoms vanished" against Taylor 2018's 52.9% of
    VAS responders after saline placebo (session 11, an editor's made-up copy: called understated). The sentence must
    name the comparison arm (placebo, saline, sham, midazolam, a control) for that arm's figure to be compared."""
    if c.origin != "estimate":
        return ""
    arm = str((c.row or {}).get("arm") or "")
    if not _CONTROL_ARM.search(arm) or re.search(r"ketamine", arm, re.I) or _SAYS_CONTROL.search(d.sentence.text):
        return ""
    return (f"the closest figure is the comparison arm's ({arm}), not the treatment's; a figure of the placebo or "
            "control arm does not settle a claim about the treatment")


#: "half of their self-reported anxiety symptoms vanished", "40% of the symptoms", "symptoms were cut in half": a share
#: of each person's symptoms (a change within a person), not a share of people
_SHARE_OF_SYMPTOMS = re.compile(r"\b(?:half|a\s+third|one[- ]third|two[- ]thirds|a\s+quarter|three[- ]quarters|"
                                r"\d+(?:\.\d+)?\s*(?:%|percent))\s+of\s+(?:their|the|his|her|its|patients['’]?|"
                                r"participants['’]?)\s+(?:[\w-]+\s+){0,3}?symptoms\b|"
                                r"\bsymptoms\s+(?:[\w-]+\s+){0,3}?(?:by|in)\s+half\b", re.I)
#: the measures of a share of people: responders, remitters, relapses
_PEOPLE_SHARES = frozenset({"pct_responders", "pct_remitted", "pct_remission", "pct_relapsed", "pct_response"})


def responder_share(d, c) -> str:
    """Why a share of each person's symptoms is not compared with a share of people who responded ('' when it may):
    "18 adults … received ketamine; half of their self-reported anxiety symptoms vanished" was called understated
    against Taylor 2018's 88.9% of VAS responders (settle13, an editor's made-up copy); the curated reading of that
    wording (data/claims.csv 003-07) is a judgement on the responder difference against placebo, not the share. A
    within-person change is compared only with a change in a symptom score."""
    if d.claim_type != "symptom_change" or not _SHARE_OF_SYMPTOMS.search(d.sentence.text):
        return ""
    measure = str((c.row or {}).get("measure") or "") if c.origin == "estimate" else ""
    binary = c.origin == "outcome" and str((c.row or {}).get("outcome_type") or "") == "binary"
    if measure not in _PEOPLE_SHARES and not binary:
        return ""
    return ("the sentence gives a share of each person's symptoms (a change within a person), and the closest figure "
            f"({_figure(c)}) is a share of people who responded; the one does not settle the other")


#: "at 24 hours", "by week 14", "24 hours after the infusion": the time at which something was measured
_AT_TIME_BEFORE = re.compile(r"\b(?:at|by)\s+(?:the\s+)?(?:about\s+|around\s+|approximately\s+|roughly\s+)?$", re.I)
_AT_TIME_AFTER = re.compile(r"^\s*(?:after|post[- ]?|following)\s*(?:the\s+|each\s+|a\s+|an\s+)?(?:first\s+|last\s+|"
                            r"single\s+)?(?:infusion|injection|dos(?:e|ing)|treatment|administration|randomi[sz]ation)", re.I)
#: facts that are spans of a schedule (between infusions, a washout, an infusion's length, a course), not times at
#: which an outcome was measured
_SPAN_ATTRIBUTES = frozenset({"crossover_interval", "washout", "infusion_duration", "maintenance_duration",
                              "treatment_course", "definition_minimum_duration", "continuation_after_remission",
                              "follow_up", "median_follow_up", "relapse_follow_up", "observation_window"})
_SPAN_FIELDS = frozenset({"infusion_min", "sessions"})


def measured_when(d, c) -> str:
    """Why a time at which something was measured ("primary outcome at 24 hours") is not compared with a span of the
    schedule (the interval between two infusions, a washout, an infusion's length), or ''."""
    if d.value is None or kind_of(d.unit) != "duration":
        return ""
    t, a, b = d.sentence.text, d.start - d.sentence.start, d.end - d.sentence.start
    if not (_AT_TIME_BEFORE.search(t[max(0, a - 24):a]) or _AT_TIME_AFTER.search(t[b:b + 50])):
        return ""
    attr = str((c.row or {}).get("attribute") or "") if c.origin == "fact" else ""
    if attr not in _SPAN_ATTRIBUTES and not (c.origin == "source" and c.field in _SPAN_FIELDS):
        return ""
    what = attr.replace("_", " ") if attr else "how the treatment was given"
    return (f"“{d.quote.strip()}” is when something was measured; the closest figure ({_figure(c)}, {what}) is a span "
            "of the schedule, not a time of measurement")


#: "Half … reported at least a 35 percent reduction": the response criterion of the share beside it, not a result
_THRESHOLD = re.compile(r"(?:\bat\s+least|≥|>=|\bmore\s+than|\bover)\s+(?:an?\s+)?$", re.I)
_SHARE_BESIDE = re.compile(r"\b(?:half|a\s+third|one[- ]third|two[- ]thirds|a\s+quarter|most|\d+\s*(?:%|percent))\s+of\b|"
                           r"\b\d+\s+of\s+(?:the\s+)?\d+\b", re.I)


def response_threshold(d) -> str:
    """Why a symptom-change percentage is the response criterion of a responder share in its sentence ('' when not):
    "Half of those given ketamine reported at least a 35 percent reduction" gives a share (half) and the threshold
    that defines it (35%), which is not a reduction any study reported."""
    if d.claim_type not in ("symptom_change", "response_rate") or d.value is None or kind_of(d.unit) != "percent":
        return ""
    t, a = d.sentence.text, d.start - d.sentence.start
    if not _THRESHOLD.search(t[max(0, a - 16):a]) or not _SHARE_BESIDE.search(t[:a]):
        return ""
    return ("this is the threshold that defines a response (the share beside it is what was measured), not a "
            "reduction the study reported; the share is checked on its own")


_TRIAL_WORDS = re.compile(r"randomi[sz]ed|\bRCTs?\b|controlled\s+trials?|\btrials?\b|cross-?over", re.I)
_REVIEW_WORDS = re.compile(r"meta-?analys|systematic\s+review|\breview\b", re.I)
#: "databases were searched to capture randomised control trials", "14 RCTs were included", "pooled trials of …"
_INCLUDED = re.compile(r"\bsearch\w*|\binclu\w+|\beligible\b|\bpool\w*|\bidentif\w*|\bcaptur\w*|\bscreen\w*|"
                       r"\bcover\w*|\bacross\b|\b(?:trials|studies|RCTs)\s+(?:measuring|of|in|that|which|with)\b", re.I)


def included_design(index, d, res) -> str:
    """Why a trial design named in a sentence about a review's included studies is not the review's design ('' when
    the claim is about the review itself): "Electronic databases were searched to capture randomised control trials"
    says what a meta-analysis included, not that it was a trial (editor s6: it was "misattributed")."""
    if d.claim_type != "design" or d.negated or res is None or not res.study:
        return ""
    sig = index.sigs.get(res.study)
    if sig is None or sig.design not in ("meta_analysis", "systematic_review"):
        return ""
    if not _TRIAL_WORDS.search(d.quote or "") or _REVIEW_WORDS.search(d.quote or ""):
        return ""
    if not _INCLUDED.search(d.sentence.text):
        return ""
    kind = "meta-analysis" if sig.design == "meta_analysis" else "systematic review"
    return (f"the trials are the studies {sig.label} included, not its own design ({sig.label} is a {kind}); what a "
            "review included is not compared with the review's own design")
