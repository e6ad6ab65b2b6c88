"""Claims settled by a rule against the curated label and FDA facts, with a written justification (hand-set verdicts).

* :func:`rule_claim` — the first rule that settles a claim: "non-addictive" (:func:`evidence.check.claimrules.
  abuse_claim`), "FDA approves ketamine nasal spray" (:func:`nasal_spray_claim`);
* each rule returns a :class:`~evidence.check.gate.Link` with ``contradiction`` (the justification an editor reads),
  an abstention with its reason, or None when the claim is not the rule's (it is then linked as usual).
"""
from __future__ import annotations

import re

from evidence.check.acronyms import expansion_claim
from evidence.check.claimrules import abuse_claim, interaction_reason
from evidence.check.concepts import _str
from evidence.check.gate import WEIGHTS, Link, abstain
from evidence.check.regulatory import _UNNAMED_DRUG, claim_drugs, clause

_APPROVES = re.compile(r"\b(?:FDA[- ]?)?approv\w*|\bcleared\b|\bauthori[sz]\w*", re.I)
_NEGATION = re.compile(r"\b(?:not|no|never|n['’]t|neither|nor|yet\s+to|awaiting|pending|unapproved)\b", re.I)
_NASAL = re.compile(r"\bnasal(?:\s+spray)?\b|\bintranasal\b|\bnose\s+spray\b", re.I)
_KETAMINE = re.compile(r"\bketamine\b", re.I)
_ESKETAMINE = re.compile(r"\besketamine\b|\bspravato\b|\bs-ketamine\b|\bketamine[- ]based\b", re.I)
#: the facts that settle it: the FDA's own statement that no ketamine nasal spray is approved, and what it did approve
_NO_NASAL_KETAMINE, _ESKETAMINE_APPROVAL = "fda_ketamine_2022_no_nasal_ketamine", "fda_esketamine_trd_approval"
#: Spravato's approval as a monotherapy (J&J, 21 January 2025), named when the claim describes that approval
_MONOTHERAPY_APPROVAL = "esketamine_monotherapy_approval_2025"
_ALONE = re.compile(r"monotherap|stand-?alone|on\s+its\s+own|by\s+itself|alone", re.I)


def rule_claim(index, d, prev: str = "") -> Link | None:
    """The link a rule gives the claim (a verdict with its justification, or an abstention), or None."""
    if interaction_reason(d.sentence.text):    # "Concomitant use with MAOIs may increase blood pressure"
        return abstain(interaction_reason(d.sentence.text))
    return expansion_claim(index, d) or abuse_claim(index, d, prev) or abuse_risk_claim(index, d, prev) or nasal_spray_claim(index, d) \
        or vital_signs_claim(index, d, prev) or approval_day_claim(index, d, prev) or monotherapy_claim(index, d, prev) \
        or required_adjunct_claim(index, d) or indication_scope_claim(index, d, prev)


def _fact(index, fid: str):
    return next((c for c in index.candidates if c.origin == "fact" and _str((c.row or {}).get("fact_id")) == fid), None)


def nasal_spray_claim(index, d) -> Link | None:
    """"FDA approves ketamine nasal spray": contradicted when the sentence names ketamine, not esketamine.

    Justification: the nasal spray the FDA approved is esketamine (Spravato), a different drug from racemic
    ketamine (FDA news release, 5 March 2019: "The U.S. FDA today approved Spravato (esketamine) nasal spray …"),
    and the FDA says "There is no FDA-approved ketamine nasal spray" (FDA 2022, facts.csv
    fda_ketamine_2022_no_nasal_ketamine). A sentence that names esketamine or Spravato, or an unnamed
    "ketamine-based" spray, or that negates the approval, is not this claim."""
    if d.claim_type != "regulatory_status" or d.kind not in ("approval", "fda", "now-used", "") and not _APPROVES.search(
            d.quote or ""):
        return None
    t = clause(d)
    if not (_APPROVES.search(t) and _NASAL.search(t) and _KETAMINE.search(t)) or _ESKETAMINE.search(d.sentence.text) \
            or _UNNAMED_DRUG.search(t) or _NEGATION.search(t) or d.negated:
        return None
    no_spray, approved = _fact(index, _NO_NASAL_KETAMINE), _fact(index, _ESKETAMINE_APPROVAL)
    if no_spray is None or approved is None:
        return None
    mono = _fact(index, _MONOTHERAPY_APPROVAL) if _ALONE.search(t) else None
    # "FDA Approves Ketamine Nasal Spray as First and Only Standalone Therapy …" (veriheal_spravato_monotherapy): the
    # approval the claim describes is esketamine's of 2025, and the justification names it, not only the 2019 one
    when = ("5 March 2019, with an oral antidepressant, for treatment-resistant depression" + (
        "; on 21 January 2025 as the first and only monotherapy" if mono is not None else ""))
    why = ("the claim says the FDA approved a ketamine nasal spray; the nasal spray the FDA approved is esketamine "
           f"(Spravato), a different drug ({when}), and the FDA says “There is no FDA-approved ketamine nasal spray”")
    srcs = tuple(dict.fromkeys(x for f in (no_spray, approved, mono) if f is not None for x in f.source_ids))
    return Link(no_spray.recompute, srcs, "found", "", index.describe(no_spray),
                "the FDA's statement on ketamine nasal sprays and its approval of esketamine", score=WEIGHTS["min_score"],
                origin=no_spray.origin, fact_text=no_spray.text, contradiction=why)


#: the body systems a safety statement may say a drug leaves alone, with the words that name them
_SYSTEMS = {"blood pressure": r"blood[- ]pressure|\bBP\b|hypertensi\w*",
            "the heart": r"\bheart(?:\s+(?:rate|function|rhythm|beat))?\b|\bcardi\w*|\bpulse\b",
            "breathing": r"\bbreath\w*|\brespirat\w*|\blungs?\b"}
_SYSTEM = "|".join(f"(?:{rx})" for rx in _SYSTEMS.values())
#: "does not affect the heart", "without depressing breathing", "no effect on blood pressure" (the system after) …
_NO_EFFECT_ON = re.compile(r"(?:\b(?:not|never|without|no|zero)|n['’]t)\s+(?:\w+\s+){0,2}?(?:affect\w*|depress\w*|repress\w*|"
                           r"suppress\w*|slow\w*|rais\w*|increas\w*|lower\w*|impact\w*|chang\w*|alter\w*|harm\w*|"
                           r"(?:side\s+)?effects?\s+on|influence\s+on)\s+(?:\w+\s+){0,3}?(?:" + _SYSTEM + r")", re.I)
#: … "heart function and breathing are generally unaffected" (the system before)
_UNAFFECTED = re.compile(r"(?:" + _SYSTEM + r")[\w\s,’'-]{0,60}?\b(?:is|are|remains?|stays?)\s+(?:\w+\s+)?(?:unaffected|"
                         r"unchanged|not\s+affected|un-?impaired|preserved|stable)\b", re.I)
#: "can raise blood pressure", "a temporary increase in your blood pressure", "blood pressure may rise"
_RAISES = re.compile(r"\b(?:rais\w*|increas\w*|elevat\w*|spik\w*|rise\w*|boost\w*)\s+(?:in\s+)?(?:\w+\s+){0,2}?"
                     r"(?:blood[- ]pressure|heart\s+rate|pulse)|(?:blood[- ]pressure|heart\s+rate|pulse)\s+(?:\w+\s+){0,2}?"
                     r"(?:rises?|increases?|goes\s+up|is\s+elevated)\b", re.I)
#: the label facts for each drug and system: (fact ids, the words an editor reads)
_VITALS = {
    ("ketamine", "blood pressure"): (("ketamine_label_bp_pulse_elevated", "ketamine_label_bp_contraindication",
                                      "glue2018_bp_increase"),
                                     "ketamine's label says “Blood pressure and pulse rate are frequently elevated "
                                     "following administration of ketamine alone” and contraindicates it “In patients "
                                     "for whom a significant elevation of blood pressure would be a serious hazard”; in "
                                     "Glue et al. 2018 (20 adults, open-label, 1 mg/kg under the skin) blood pressure "
                                     "rose by about 10 mm Hg at 30 minutes"),
    ("ketamine", "the heart"): (("ketamine_label_bp_pulse_elevated", "ketamine_label_hemodynamic_instability"),
                                "ketamine's label says “Blood pressure and pulse rate are frequently elevated following "
                                "administration of ketamine alone”, that “Arrhythmia has also occurred”, and warns of "
                                "“Hemodynamic Instability: Monitor vital signs and cardiac function”"),
    ("ketamine", "breathing"): (("ketamine_label_respiratory_depression", "ketamine_label_respiration_adverse"),
                                "ketamine's label warns that “Respiratory depression may occur with overdosage or a "
                                "rapid rate of administration”"),
    ("esketamine", "blood pressure"): (("spravato_bp_time_course",),
                                       "Spravato's label says it “causes increases in systolic and/or diastolic blood "
                                       "pressure (BP) at all recommended doses”, peaking about 40 minutes after a dose "
                                       "and lasting about 4 hours"),
}
_LOWERS = re.compile(r"\b(?:depress\w*|repress\w*|suppress\w*|slow\w*|lower\w*)\b", re.I)
_MONITORED = re.compile(r"\bmonitor\w*|\bwatch\w*\s+for\b|\bsigns?\s+of\b|\bcheck\w*\s+(?:for|your)\b", re.I)
_LIMITED_DOSE = re.compile(r"\b(?:at|in)\s+(?:these\s+|such\s+|the\s+)?(?:low|lower|small|therapeutic|sub-?an(?:a)?esthetic)"
                           r"\s+dos\w*|\bwhen\s+(?:\w+\s+){0,3}?(?:given|administered|infused)\s+slowly\b", re.I)


#: "Side effects are almost always mild and short in duration", "side effects are usually temporary": how mild or
#: brief, a generalisation the label does not make (uhhospitals_ketamine_depression, holdout12)
_MILD = re.compile(r"\b(?:side[- ]effects?|adverse\s+(?:effects|events|reactions))\s+(?:are|were|tend\s+to\s+be)\s+"
                   r"(?:\w+\s+){0,3}?(?:mild|minor|brief|short|temporary|transient|well[- ]tolerated|rare|manageable)\b"
                   r"(?:\s+(?:and|or)\s+(?:\w+\s+){0,2}?(?:mild|minor|brief|short|temporary|transient)(?:\s+in\s+duration)?)?",
                   re.I)
#: "Slight increases in blood pressure are also common but typically resolve shortly after treatment": how soon a rise
#: passes, which ketamine's label does not record (stilldetox_ketamine_therapy_high, called accurate on the rise alone)
_COURSE = re.compile(r"\b(?:resolv\w*|subsid\w*|wear(?:s|ing)?\s+off|wore\s+off|go(?:es)?\s+away|went\s+away|"
                     r"return\w*\s+to\s+(?:normal|baseline)|normali[sz]\w*|settl\w*\s+(?:down|back))\b", re.I)
#: "but usually not pulse rate", "but not the heart rate": a rise said to spare the pulse
_NOT_PULSE = re.compile(r"\s*,?\s*but\s+(?:\w+\s+){0,2}?not\s+(?:\w+\s+){0,2}?(?:pulse(?:\s+rate)?|heart\s+rate)\b", re.I)


def _passes(course: re.Match) -> Link:
    """The abstention for a rise said to pass ("resolve", "return to normal"): the label records the rise only."""
    return abstain(f"the sentence says how soon the rise passes (“{' '.join(course.group(0).split())}”); the label "
                   "records that it happens, not how soon it is over")


def _systems(text: str) -> list[str]:
    return [name for name, rx in _SYSTEMS.items() if re.search(rx, text, re.I)]


def vital_signs_claim(index, d, prev: str = "") -> Link | None:
    """"Ketamine does not affect the heart", "breathing is unaffected", "no effect on blood pressure": contradicted by
    the label facts; "can cause a temporary increase in blood pressure": accurate by the same facts.

    Justification (hand-set verdicts, from the label's own words): ketamine's label says "Blood pressure and pulse
    rate are frequently elevated following administration of ketamine alone" (Hospira, Adverse Reactions) and
    contraindicates it where "a significant elevation of blood pressure would be a serious hazard" (Pfizer,
    Highlights), warns of "Hemodynamic Instability" and that "Respiratory depression may occur with overdosage or a
    rapid rate of administration" (5.3); Spravato's label says it "causes increases in systolic and/or diastolic
    blood pressure (BP) at all recommended doses". A statement that the drug leaves one of these alone is
    contradicted; one limited to low doses or slow administration, for breathing, is not settled (the label ties
    respiratory depression to overdosage and rapid administration) and abstains; a system the evidence base holds
    nothing on for the drug (esketamine and the heart) abstains, saying what it does hold. "Safe" alone names no
    system and is not this rule's."""
    if d.claim_type not in ("safety", "other", "comparison"):
        return None
    t, a, b = d.sentence.text, d.start - d.sentence.start, d.end - d.sentence.start
    near = lambda m: m.start() < b + 5 and m.end() > a - 5
    hit = next((m for rx in (_NO_EFFECT_ON, _UNAFFECTED) for m in rx.finditer(t) if near(m)), None)
    raised = None if hit else next((m for m in _RAISES.finditer(t) if near(m)), None)
    if hit is None and (raised is None or _MONITORED.search(t) or (d.quote or "").count(",") >= 2):
        # "monitored for signs of increased heart rate" says what is watched, not what the drug does; "Sedation,
        # Dissociation, …, difficulty breathing, …, and raised Blood Pressure" is a list of side effects, of which the
        # rise in blood pressure is one entry (snbcare_esketamine_faqs, hcnhealth_spravato_monotherapy)
        return None
    drugs = claim_drugs(d) or ({"esketamine"} if re.search(r"\besketamine\b|\bspravato\b", prev, re.I) else
                               {"ketamine"} if re.search(r"\bketamine\b", f"{t} {prev}", re.I) else set())
    if len(drugs) != 1:
        return abstain("the sentence does not say which drug it says this of")
    drug = next(iter(drugs))
    m = hit or raised
    span = t[m.start():m.end()] if raised else t[max(0, min(m.start(), a)):max(m.end(), b)]
    systems = _systems(span) if hit else ["blood pressure"]
    lowers = bool(hit and _LOWERS.search(hit.group(0)))
    # the label records rises in blood pressure and pulse, and respiratory depression only "with overdosage or a rapid
    # rate of administration": "does not lower / slow / depress" them is not settled by it
    settled = [s for s in systems if (drug, s) in _VITALS and s != "breathing" and not lowers]
    if hit and not settled:
        if "breathing" in systems and drug == "ketamine":
            limited = _LIMITED_DOSE.search(t)
            return abstain((f"the sentence limits the claim to “{limited.group(0).strip()}”; " if limited else "")
                           + "ketamine's label ties respiratory depression to overdosage or a rapid rate of "
                           "administration and does not say how often it occurs otherwise, so it neither confirms "
                           "nor contradicts the claim")
        if lowers and drug == "ketamine":
            return abstain("ketamine's label records that blood pressure and pulse rate are frequently elevated (and "
                           "that hypotension and bradycardia have been observed); it does not settle a claim that the "
                           "drug does not lower or slow them")
    cands = {_str((c.row or {}).get("fact_id")): c for c in index.candidates if c.origin == "fact"}
    found = [cands[f] for s in settled for f in _VITALS[(drug, s)][0] if f in cands]
    name = "esketamine (Spravato)" if drug == "esketamine" else "ketamine"
    if not found:
        held = [s for (dr, s) in _VITALS if dr == drug]
        return abstain(f"the evidence base records {name}'s effect on {' and '.join(held) or 'no body system'}, not on "
                       f"{' and '.join(s for s in systems if s not in held) or 'this'} as the sentence words it")
    start = m.start()
    while start > 0 and t[start - 1].isalpha():   # "doesn't raise": the quote starts with the word, not "n't"
        start -= 1
    said = t[start:m.end()].strip()
    words = "; ".join(_VITALS[(drug, s)][1] for s in settled)
    srcs = tuple(dict.fromkeys(x for f in found for x in f.source_ids))
    c = found[0]
    mild = _MILD.search(t) if raised else None
    if mild:   # "Side effects are almost always mild and short in duration and may include … elevation of heart rate"
        return abstain(f"the sentence says how mild or brief the side effects are (“{' '.join(mild.group(0).split())}”); "
                       "the label records which effects occur, not how mild or brief they are")
    if raised and _COURSE.search(t, m.end()):   # "… but typically resolve shortly after treatment"
        return _passes(_COURSE.search(t, m.end()))
    spared = _NOT_PULSE.search(t, m.end()) if raised and drug == "ketamine" else None
    if raised:   # "… an increase in blood pressure but usually not pulse rate": the label says both rise (holdout12)
        return Link(c.recompute, srcs, "found", "", index.describe(c), "the drug's label", score=WEIGHTS["min_score"],
                    origin=c.origin, fact_text=c.text, rule_verdict="" if spared else "accurate",
                    contradiction=f"the claim says “{said}” {spared.group(0).strip()}, but {words}" if spared else
                    f"the claim says “{said}”; {words}")
    rest = [s for s in systems if s not in settled]
    why = f"the claim says “{said}”, but {words}" + (
        f" (the evidence base holds nothing on {' and '.join(rest)} for {name} as worded)" if rest else "")
    return Link(c.recompute, srcs, "found", "", index.describe(c), "the drug's label", score=WEIGHTS["min_score"],
                origin=c.origin, fact_text=c.text, contradiction=why)


#: "the first standalone treatment", "as a monotherapy", "on its own": esketamine given without an oral antidepressant
#: (settle13: "has not been approved by the FDA as solo therapy" is the same claim as "… as a monotherapy")
_MONO = re.compile(r"\bmono-?therap\w*|\b(?:stand-?alone|sole|solo)\s+(?:treatment|therapy|option|medication)\b|"
                   r"\bwithout\s+(?:an?\s+)?(?:oral\s+)?(?:anti-?depressants?|other\s+medications?)\b", re.I)
_COMBINED = re.compile(r"\b(?:in\s+conjunction|along|together|combined|taken)\s+with\b|\bplus\b|\badd-?on\b", re.I)
#: the 2025 approval's population: MDD with an inadequate response to at least two oral antidepressants (TRD)
#: (a closing quotation mark may follow a word: showed "inadequate response" to at least two oral antidepressants)
_TRD = re.compile(r"treatment[- ](?:resistant|refractory)|\bTRD\b|(?:inadequate(?:ly)?|not)[\"”’']?\s+(?:\w+\s+){0,2}?"
                  r"respon\w*[\"”’']?\s+(?:\w+\s+){0,4}?(?:two|2|multiple|several|other|previous)\b", re.I)   # "… adequately to at least 2"
_MDD = re.compile(r"\bmajor\s+depress\w*|\bMDD\b|\bdepression\b|\bdepressive\s+disorder\b", re.I)
_MONOTHERAPY_2025 = "esketamine_monotherapy_approval_2025"
#: the disorder named as such ("major depressive disorder", "MDD"), not depression in general
_MDD_NAMED = re.compile(r"\bmajor\s+depress\w*|\bMDD\b|\bdepressive\s+disorder\b", re.I)
_VAGUE_DEPRESSION = re.compile(r"\b(?:severe|serious|hard[- ]to[- ]treat|difficult[- ]to[- ]treat|stubborn|chronic|"
                               r"persistent|intractable)\s+(?:major\s+)?depress\w*", re.I)


#: the sentence speaks of the drug named before it ("it", "its", "this treatment", "this medication")
_REFERS_TO_DRUG = re.compile(r"\b(?:it|its)\b|\b(?:this|the)\s+(?:treatment|medication|medicine|drug|therapy|spray)\b",
                             re.I)
_APPROVAL_SAID = re.compile(r"\bapprov\w*|\bindicated\b", re.I)


def _of_esketamine(t: str, prev: str) -> bool:
    """Does the sentence ``t`` speak of esketamine: by name, or by "it" / "this treatment" after a sentence naming it?"""
    return bool(_ESKETAMINE.search(t) or (_REFERS_TO_DRUG.search(t) and _ESKETAMINE.search(prev)))


def monotherapy_claim(index, d, prev: str = "") -> Link | None:
    """"Spravato is the first standalone treatment for TRD": accurate by the 2025 approval; "the sole monotherapy for
    major depressive disorder": overstated by it.

    Justification (J&J press release, 21 January 2025, facts.csv esketamine_monotherapy_approval_2025): the FDA's
    approval made SPRAVATO "the first and only monotherapy for adults living with MDD who have had an inadequate
    response to at least two oral antidepressants", that is for treatment-resistant depression. A claim of esketamine
    alone for TRD (or for MDD with that inadequate response) holds; one for major depressive disorder as a whole is
    stronger than the approval. A sentence that also gives it with an antidepressant, negates the approval, names
    another year or names no esketamine is not this claim."""
    if d.claim_type not in ("regulatory_status", "other"):
        return None
    t = d.sentence.text
    m = _MONO.search(t)
    if m is None or _COMBINED.search(t):
        return None
    negated = bool(d.negated or _NEGATION.search(t[max(0, m.start() - 40):m.start()]))
    if not _of_esketamine(t, prev):
        return None
    if re.search(r"\b(?:19|20)\d{2}\b", t) and not re.search(r"\b2025\b", t):
        return None   # another date: the approval-date rules judge it
    scope = re.split(r"[,;:]|\s(?:and|but|while|which|expanding)\s", t[m.end():], maxsplit=1)[0]
    fact = _fact(index, _MONOTHERAPY_2025)
    if fact is not None and negated and not scope.strip(" .!") and _APPROVAL_SAID.search(t):
        # "This treatment has not been approved by the FDA as solo therapy." (after a sentence naming Spravato): a
        # monotherapy approval denied outright, for no population, is what the 2025 approval did
        said = " ".join(t[m.start():m.end()].split())
        return Link(fact.recompute, fact.source_ids, "found", "", index.describe(fact), "the 2025 monotherapy approval",
                    score=WEIGHTS["min_score"], origin=fact.origin, fact_text=fact.text,
                    contradiction=f"the claim says it is not approved as {said}, but the FDA's 2025 approval made "
                                  "Spravato (esketamine) “the first and only monotherapy for adults living with MDD who "
                                  "have had an inadequate response to at least two oral antidepressants” (21 January "
                                  "2025)")
    if fact is None or not (_TRD.search(scope) or _MDD.search(scope)):
        return None
    said = " ".join(t[m.start():m.end() + len(scope)].split()).rstrip(" .!")
    approval = ("the FDA's 2025 approval made Spravato (esketamine) “the first and only monotherapy for adults living "
                "with MDD who have had an inadequate response to at least two oral antidepressants”")
    if negated and _TRD.search(scope):
        return Link(fact.recompute, fact.source_ids, "found", "", index.describe(fact), "the 2025 monotherapy approval",
                    score=WEIGHTS["min_score"], origin=fact.origin, fact_text=fact.text,
                    contradiction=f"the claim says it is not approved as “{said}”, but {approval} (21 January 2025)")
    if negated:
        return abstain(f"{approval} (21 January 2025): it is not approved as a monotherapy for major depressive "
                       "disorder as a whole, but it is for treatment-resistant depression, and the sentence does not "
                       "say which it means")
    if _TRD.search(scope):
        return Link(fact.recompute, fact.source_ids, "found", "", index.describe(fact), "the 2025 monotherapy approval",
                    score=WEIGHTS["min_score"], origin=fact.origin, fact_text=fact.text,
                    contradiction=f"the claim says “{said}”; {approval}", rule_verdict="accurate")
    vague = _VAGUE_DEPRESSION.search(scope)
    if vague:   # "severe depression": neither the approval's population nor depression as a whole
        return abstain(f"{approval}; “{vague.group(0)}” is not how the approval words it, so whether the claim "
                       "means that population is not settled here")
    if not _MDD_NAMED.search(scope):   # "a sole treatment for depression": so it is, for one kind of depression
        return Link(fact.recompute, fact.source_ids, "found", "", index.describe(fact), "the 2025 monotherapy approval",
                    score=WEIGHTS["min_score"], origin=fact.origin, fact_text=fact.text,
                    rule_verdict="accurate_missing_context",
                    contradiction=f"the claim says “{said}”; {approval}: for treatment-resistant depression, not for "
                                  "depression in general")
    return Link(fact.recompute, fact.source_ids, "found", "", index.describe(fact), "the 2025 monotherapy approval",
                score=WEIGHTS["min_score"], origin=fact.origin, fact_text=fact.text, rule_verdict="overstated",
                contradiction=f"the claim says “{said}”, but {approval}, that is for treatment-resistant depression, "
                              "not for major depressive disorder as a whole")


#: a use said to be required: "must be used with", "has to be taken with", "can only be given with"
_REQUIRED = re.compile(r"\b(?:must|has\s+to|have\s+to|needs?\s+to|(?:can|may)\s+only|only\s+be)\b", re.I)


def required_adjunct_claim(index, d) -> Link | None:
    """"Esketamine must be used with another antidepressant": contradicted by the 2025 approval.

    Justification (J&J press release, 21 January 2025, facts.csv esketamine_monotherapy_approval_2025): since that
    approval SPRAVATO is "the first and only monotherapy for adults living with MDD who have had an inadequate response
    to at least two oral antidepressants", so an antidepressant beside it is no longer required for
    treatment-resistant depression. A sentence that only describes the combined use ("used in conjunction with an
    oral antidepressant") is not this claim, nor one that names another year (what was true then)."""
    if d.kind != "adjunct":
        return None
    t, a = d.sentence.text, d.start - d.sentence.start
    if not _REQUIRED.search(t[max(0, a - 40):d.end - d.sentence.start]):
        return None
    if re.search(r"\b(?:19|20)\d{2}\b", t) and not re.search(r"\b2025\b", t):
        return None
    fact = _fact(index, _MONOTHERAPY_2025)
    if fact is None:
        return None
    said = " ".join(t[max(0, a - 40):d.end - d.sentence.start].split())
    said = said[_REQUIRED.search(said).start():]
    approval = ("the FDA's 2025 approval made Spravato (esketamine) “the first and only monotherapy for adults living "
                "with MDD who have had an inadequate response to at least two oral antidepressants” (21 January 2025)")
    # true of the 2019 approval, and a page is often undated (holdout12's builders label these holds, rumble_esketamine_
    # video fails): which the sentence means depends on when it was written, so it abstains; a sentence that says it is
    # the only way now ("still", "currently") is contradicted
    if not re.search(r"\b(?:still|even\s+now|today|currently|as\s+of\s+(?:now|20\d\d))\b", t, re.I):
        return abstain(f"“{said}” was true of the 2019 approval (with an oral antidepressant), but since then {approval}: "
                       "whether the sentence is out of date depends on when it was written")
    return Link(fact.recompute, fact.source_ids, "found", "", index.describe(fact), "the 2025 monotherapy approval",
                score=WEIGHTS["min_score"], origin=fact.origin, fact_text=fact.text,
                contradiction=f"the claim says it “{said}”, but {approval}: for treatment-resistant depression it may "
                              "be given alone")



#: a risk of abuse, misuse, addiction or dependence said as real: "can be abused", "may be habit-forming", "has the
#: potential for misuse and addiction", "abuse potential", "addictive properties", "can become addictive", "a risk of
#: dependence", "an often-abused drug" (the denials, "non-addictive", are :func:`evidence.check.claimrules.abuse_claim`)
_ABUSE_RISK = re.compile(
    r"\b(?:can|could|may|might|will|does|do)\s+(?:also\s+|still\s+|potentially\s+)?(?:be\s+(?:abused|misused|addictive|"
    r"addicting|habit[- ]forming)|become\s+(?:addictive|habit[- ]forming)|lead\s+to\s+(?:abuse|misuse|addiction|"
    r"(?:physical\s+)?dependence))\b|"
    r"\b(?:abuse|misuse|addiction|dependence)\s+(?:potential|risks?|liability)\b|"
    r"\b(?:potential|risks?|propensity|liability)\s+(?:for|of)\s+(?:\w+\s+)?(?:abuse|misuse|addiction|dependence)\b|"
    r"\baddictive\s+(?:properties|potential|qualities)\b|\b(?:often|frequently|commonly|widely)[- ]abused\b|"
    r"\bphysical\s+dependence\b|\bhabit[- ]forming\b", re.I)
#: how large or how common the risk is: the label records that it exists, not its size ("a moderate risk", "often")
_RISK_DEGREE = re.compile(r"\b(?:low|lower|little|minimal|small|slight|moderate|high|higher|significant|strong|great|greater|"
                          r"serious|considerable|substantial|very|extremely|highly|often|frequently|commonly|widely|"
                          r"rarely|seldom)\b", re.I)
#: the sentence reports a belief or a myth about the risk ("claim that it's addictive … couldn't be further from the truth")
_RISK_REPORTED = re.compile(r"\bmyths?\b|misconception|\bclaims?\s+that\b|further\s+from\s+the\s+truth|\bnot\s+true\b|"
                            r"\bfalse\b|\bbelieve\w*\b|\bfears?\b|\bworr(?:y|ied|ies)\b", re.I)
#: another drug the sentence may say it of ("Schedule V drugs have a lower potential for abuse", "opioids"), or a
#: class of drugs it defines ("A controlled substance is a drug … regulated … due to its potential for abuse")
_OTHER_DRUGS = re.compile(r"\bschedule\s+(?:I{1,3}|IV|V|[1-5])\s+(?:drugs|substances)\b|\bopioids?\b|\bbenzodiazepines?\b|"
                          r"\bPCP\b|\bphencyclidine\b|\balcohol\b|\bheroin\b|\bcocaine\b|\bSSRIs?\b|\bantidepressants\b|"
                          r"\bcontrolled\s+substances?\s+(?:is|are)\b|\b(?:a|any)\s+(?:drug|substance|chemical)\s+(?:is|that|which)\b",
                          re.I)
#: what is done about the risk, or a question put about it: not a claim that it exists ("reformulated to reduce its
#: potential for abuse", "the steps we take to minimize addiction risk", "ask about the risk of addiction")
_RISK_HANDLED = re.compile(r"\b(?:reduc\w*|lower\w*|minimi[sz]\w*|prevent\w*|limit\w*|mitigat\w*|manag\w*|avoid\w*|"
                           r"deter\w*|address\w*|screen\w*|ask\w*|question\w*|know|learn\w*|understand\w*|discuss\w*|"
                           r"assess\w*|monitor\w*)\b", re.I)
#: "highly addictive": a degree said anywhere of the drug's addictiveness
_HIGHLY = re.compile(r"\b(?:highly|very|extremely|incredibly|severely|notoriously)\s+(?:addict\w*|habit[- ]forming|abused)", re.I)
#: the quote carries other list entries beside the abuse risk: a semicolon, or two commas, between entries
_OTHER_ENTRIES = re.compile(r";\s*\w|,[^,]+,\s*\w")
#: the risk said and then its degree: "… is relatively low", "… remains small"
_DEGREE_AFTER = re.compile(r"\s+(?:is|are|was|remains|seems|appears)\s+(?:relatively\s+|very\s+|quite\s+|fairly\s+)?\w",
                           re.I)
_ANAPHOR = re.compile(r"\b(?:it|its)\b|\b(?:this|the)\s+(?:medicine|medication|drug|spray|treatment)\b", re.I)
#: ketamine's label (section 9) and, for esketamine, the FDA's reason for its restricted programme
_RISK_FACTS = {"ketamine": ("ketamine_label_abuse", "ketamine_label_dependence", "ketamine_label_schedule_iii"),
               "esketamine": ("fda_esketamine_rems",)}


def abuse_risk_claim(index, d, prev: str = "") -> Link | None:
    """"Ketamine can be abused", "has the potential for misuse and addiction", "abuse potential": accurate by the label.

    Justification (hand-set verdict, from the curated label and FDA facts): ketamine's label (section 9, Pfizer Medical
    Information) calls it "a Schedule III controlled substance", warns that individuals "may be at greater risk for
    abuse and misuse" and says "Physical dependence has been reported with prolonged use of ketamine"; the FDA
    restricts esketamine (Spravato) because of "the potential for abuse and misuse of the drug" (5 March 2019). A
    risk of abuse said as real holds for either drug, and a risk of addiction or dependence for ketamine. The
    evidence base does not record esketamine's dependence (its label's section 9.3 is not curated), nor how large or
    how common any of these risks is ("a moderate risk", "often-abused"), nor psychological dependence: those abstain
    with the reason. A question, a belief reported ("the claim that it's addictive"), another drug named beside it, a
    denial ("non-addictive": :func:`evidence.check.claimrules.abuse_claim`) are not this rule's."""
    t, a, b = d.sentence.text, d.start - d.sentence.start, d.end - d.sentence.start
    m = next((m for m in _ABUSE_RISK.finditer(t) if m.start() < b + 5 and m.end() > a - 5), None)
    if m is None or d.claim_type not in ("safety", "other", "comparison") or d.negated:
        return None
    before = t[max(0, m.start() - 30):m.start()]
    if t.rstrip().endswith("?") or _RISK_REPORTED.search(t) or _OTHER_DRUGS.search(t) or _RISK_HANDLED.search(before) \
            or re.search(r"\b(?:no|not|never|without|non)\b|n['’]t\b", before, re.I):
        return None
    # the drug the clause names, else the sentence ("Esketamine works fast, but it could also be abused"), else the
    # sentences before when the sentence refers back to it ("This medicine can be habit-forming")
    drugs = claim_drugs(d) or ({"esketamine"} if _ESKETAMINE.search(t) else {"ketamine"} if _KETAMINE.search(t) else
                               set() if not _ANAPHOR.search(t) else {"esketamine"} if _ESKETAMINE.search(prev) else
                               {"ketamine"} if _KETAMINE.search(prev) else set())
    if len(drugs) != 1:
        return None
    drug, said = next(iter(drugs)), " ".join(m.group(0).split())
    if _OTHER_ENTRIES.search(t[a:b].replace(m.group(0), " ")):
        # "… because of the risk of sedation; difficulty with attention …; suicidal thoughts and behaviors; and the
        # potential for drug misuse" (settle13: the whole list was called accurate on its last entry): the rule settles
        # the risk of abuse, not each other risk the item lists
        return abstain(f"the item lists several risks; the evidence base settles “{said}”, but not each of the "
                       "others as worded, so the list as a whole is not settled here")
    # (settle13: "the abuse potential is relatively low" puts the degree after the words of the risk)
    degree = _RISK_DEGREE.search(f"{before[-18:]} {said} {_DEGREE_AFTER.match(t[m.end():]) and t[m.end():m.end() + 30]}") \
        or _HIGHLY.search(t)
    if degree:
        return abstain(f"the sentence says how large or how common the risk is (“{degree.group(0)}”); the label records "
                       "a risk of abuse and misuse, not its size or how often it happens")
    wide = t[max(0, m.start() - 40):m.end() + 40]
    if re.search(r"\bpsycholog\w*\s+(?:and\s+\w+\s+)?dependence|\bdependence\b[^.]{0,20}psycholog", wide, re.I):
        return abstain("the evidence base records a risk of abuse and misuse and, for ketamine, reported physical "
                       "dependence; not psychological dependence")
    if drug == "esketamine" and re.search(r"addict|habit|dependen", wide, re.I):
        return abstain("the evidence base records esketamine's potential for abuse and misuse (the reason for its "
                       "restricted programme), not whether it causes addiction or dependence")
    found = [f for f in (_fact(index, fid) for fid in _RISK_FACTS[drug]) if f is not None]
    if not found:
        return None
    if drug == "esketamine":
        words = "the FDA restricts esketamine (Spravato) because of “the potential for abuse and misuse of the drug”"
    else:
        words = ("ketamine's label calls it “a Schedule III controlled substance”, warns of a “risk for abuse and "
                 "misuse” and says “Physical dependence has been reported with prolonged use of ketamine”")
    c, srcs = found[0], tuple(dict.fromkeys(x for f in found for x in f.source_ids))
    return Link(c.recompute, srcs, "found", "", index.describe(c), "the drug's label and the FDA's facts on abuse",
                score=WEIGHTS["min_score"], origin=c.origin, fact_text=c.text,
                contradiction=f"the claim says “{said}”; {words}", rule_verdict="accurate")


_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
_MONTH_WORD = r"(?P<m{n}>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|" \
              r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
#: a day of an approval: "On January 17, 2025", "March 5, 2019", "5 March 2019"
_DAY_DATE = re.compile(r"\b" + _MONTH_WORD.format(n=1) + r"\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y1>(?:19|20)\d{2})\b|"
                       r"\b(?P<d2>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH_WORD.format(n=2) + r"\s+(?P<y2>(?:19|20)\d{2})\b",
                       re.I)
_ANNOUNCED = re.compile(r"\b(?:announc\w*|said|stated|report\w*|publish\w*|post\w*|updated|released?|dated|wrote)\b"
                        r"[^.;]{0,45}$", re.I)
#: an indication approved after the first one (the evidence base records those approvals' announcements, not their day)
_LATER_INDICATION = re.compile(r"suicid|monotherap|stand-?alone|\balone\b|on\s+its\s+own", re.I)


def approval_day_claim(index, d, prev: str = "") -> Link | None:
    """"On March 1, 2019, the FDA approved Spravato": an approval dated to a day, against the day recorded.

    Justification: the evidence base records one approval day, the FDA's news release of 5 March 2019 ("The U.S. FDA
    today approved Spravato (esketamine) nasal spray …", facts.csv fda_esketamine_approval_date, 2019-03-05). Another
    day in 2019 for that approval is contradicted by it; the same day is compared as usual. Every other approval
    (ketamine's in 1970, esketamine's of 2020 and 2025) is recorded by its year or by the company's announcement,
    not by the day the FDA approved it ("On January 17, 2025, the FDA approved …" against J&J's release of 21
    January 2025, which does not say on which day), so a day given for it abstains with the reason."""
    if d.claim_type != "regulatory_status" or d.kind not in ("approval", "spravato") or d.negated:
        return None
    t = clause(d)
    # the day the sentence gives the approval ("On January 17, 2025, …", "approved on March 5, 2019"), not a story's
    # dateline ("WEDNESDAY, March 6, 2019 (HealthDay News) -- The FDA on Tuesday approved …") nor the day it was
    # announced ("…, announced by Johnson & Johnson on January 21, 2025")
    m = next((m for m in _DAY_DATE.finditer(t) if re.search(r"\bon\s+$", t[max(0, m.start() - 4):m.start()], re.I)
              and not _ANNOUNCED.search(t[max(0, m.start() - 60):m.start()])), None)
    if m is None or not _APPROVES.search(t) or _NEGATION.search(t):
        return None
    month = (m.group("m1") or m.group("m2")).lower()[:3]
    day, year = int(m.group("d1") or m.group("d2")), int(m.group("y1") or m.group("y2"))
    mon = next(i for i, name in enumerate(_MONTHS, 1) if name.startswith(month))
    said = " ".join(m.group(0).split())
    drugs = claim_drugs(d)
    fact = _fact(index, "fda_esketamine_approval_date")
    if drugs == {"esketamine"} and year == 2019 and fact is not None and not _LATER_INDICATION.search(t):
        fy, fm, fd = (int(x) for x in (fact.text or "").strip()[:10].split("-"))
        if (fm, fd) == (mon, day):
            return None   # the recorded day: compared as usual
        return Link(fact.recompute, fact.source_ids, "found", "", index.describe(fact), "the FDA's approval date",
                    score=WEIGHTS["min_score"], origin=fact.origin, fact_text=fact.text,
                    contradiction=f"the claim dates the approval to {said}, but the FDA's news release dates it to "
                                  f"{fd} {_MONTHS[fm - 1].title()} {fy} (“The U.S. FDA today approved Spravato”)")
    from evidence.check.regulatory import _approvals_of, _fact_years

    recorded = {y for dr in drugs for o in _approvals_of(dr, index.candidates) for y in _fact_years(o, index.sigs)}
    if year not in recorded:
        return None   # another year: the approval-date rules judge it ("approved on January 5, 2017")
    return abstain(f"the sentence dates the approval to a day (“{said}”); the evidence base records this approval by "
                   "its year or by the announcement of it, not by the day the FDA approved it")


#: "is indicated for major depressive disorder (MDD)": the label's formal word for what a drug is approved to treat,
#: with a condition as a whole; the population words every recorded esketamine indication carries
_INDICATED_FOR = re.compile(r"\bindicated\s+(?:for|to\s+treat)\s+(?:the\s+treatment\s+of\s+)?(?:adults?\s+with\s+)?"
                            r"(?P<what>major\s+depressive\s+disorder|MDD|depression|major\s+depression)\b", re.I)
_NARROWER = re.compile(r"treatment[- ](?:resistant|refractory)|\bTRD\b|suicid|inadequate|(?:two|2)\s+(?:or\s+more\s+)?"
                       r"(?:oral\s+)?antidepressants|not\s+(?:\w+\s+){0,3}respond", re.I)


def indication_scope_claim(index, d, prev: str = "") -> Link | None:
    """"Spravato (esketamine) nasal spray is indicated for major depressive disorder (MDD)": overstated.

    Justification: every indication the FDA gave esketamine names a narrower population than the disorder as a
    whole: adults with treatment-resistant depression, with an oral antidepressant (FDA, 5 March 2019, facts.csv
    fda_esketamine_trd_approval), depressive symptoms in adults with MDD with acute suicidal ideation or behavior
    (Janssen, 3 August 2020, esketamine_mdd_si_approval_2020), and as a monotherapy for adults with MDD "who have had
    an inadequate response to at least two oral antidepressants" (J&J, 21 January 2025). Only "indicated", the
    label's own word for the indication, is read so; "approved for depression" is how the approval is told in plain
    words and is judged by the approval record. A sentence that names the narrower population, or that negates,
    is not this claim."""
    if d.claim_type != "regulatory_status":
        return None
    t = d.sentence.text
    m = _INDICATED_FOR.search(t)
    if m is None or not (m.start() <= d.start - d.sentence.start + len(d.quote or "") and d.start - d.sentence.start
                         <= m.end()) or _NARROWER.search(t[m.start():]) or _NEGATION.search(t[max(0, m.start() - 30):
                                                                                                m.start()]):
        return None
    if not _of_esketamine(t, prev):
        return None
    facts = [f for f in (_fact(index, x) for x in (_ESKETAMINE_APPROVAL, "esketamine_mdd_si_approval_2020",
                                                     _MONOTHERAPY_2025)) if f is not None]
    if not facts:
        return None
    srcs = tuple(dict.fromkeys(x for f in facts for x in f.source_ids))
    return Link(facts[0].recompute, srcs, "found", "", index.describe(facts[0]), "the indications the FDA approved",
                score=WEIGHTS["min_score"], origin=facts[0].origin, fact_text=facts[0].text, rule_verdict="overstated",
                contradiction=(f"the claim says it is indicated for {m.group('what')} as a whole, but each approved "
                               "indication is narrower: treatment-resistant depression, with an oral antidepressant "
                               "(5 March 2019), depressive symptoms in adults with MDD with acute suicidal ideation or "
                               "behavior (3 August 2020), and alone for adults with MDD who have had an inadequate "
                               "response to at least two oral antidepressants (21 January 2025)"))
