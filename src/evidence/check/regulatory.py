"""Regulatory claims (approval, scheduling): which FDA fact a claim is compared with, and when none settles it.

* :func:`regulatory_score` — same drug, same polarity ("not approved"), the indication the claim names (or, for a
  bare "FDA approved", the indication its sentence implies: "for people with depression" → a psychiatric use);
* :func:`bare_approval` — why a bare "approved" with no drug, date or indication is not checked;
* :func:`regulatory_date_conflict` — a dated claim the linked fact does not date (a schedule "in the 1970s", an
  approval "in 2019" for two indications approved in different years).
"""
from __future__ import annotations

import re
from functools import lru_cache

from evidence.check.concepts import negative_claim, negative_fact

_CITE_YEAR = re.compile(r"(?<![\d.,$])\b((?:19|20)\d{2})\b(?![\d%,.]\d)")
#: a sentence's words for what a drug is approved for, when the detector found no indication (first match wins)
#: (settle13: "mood disorders" is a psychiatric use; read as nothing, the anaesthesia approval elsewhere in the sentence
#: was taken for the claim's indication and "… for mood disorders is off-label" was contradicted by Ketalar's label)
_IMPLIED = (("psychiatric disorder", r"\bmental[- ]health|\bpsychiatric|\bmental\s+(?:illness|disorders?|conditions?)|"
                                     r"\bmood\s+(?:disorders?|conditions?|illness(?:es)?)"),
            ("treatment-resistant depression", r"treatment[- ]resistant|\bdepress\w*[^.;]{0,80}\b(?:not|n['’]t|failed|"
                                               r"unsuccessful|tried|resistant)\b|\b(?:not|n['’]t|failed|unsuccessful|"
                                               r"tried)\b[^.;]{0,80}\bdepress"),
            ("monotherapy", r"monotherap|\bstandalone\b|\bon\s+its\s+own\b|\bby\s+itself\b|\bwithout\s+an?\s+oral\b"),
            ("depression", r"\bdepress\w*"), ("anxiety", r"\banxiety\b"), ("PTSD", r"\bPTSD\b|post[- ]?traumatic"),
            ("anesthetic", r"an(?:a)?esthe"))
#: psychiatric indications: a fact about "any psychiatric disorder" speaks to each of them
_PSYCHIATRIC = frozenset({"psychiatric disorder", "depression", "anxiety", "PTSD", "treatment-resistant depression"})
#: "a new ketamine-based drug", "a derivative of ketamine": a drug other than ketamine, unnamed
_UNNAMED_DRUG = re.compile(r"ketamine[- ](?:based|like|derived)|(?:derivative|form|version|cousin)\s+of\s+ketamine",
                           re.I)


_CLAUSE = re.compile(r";|,\s+(?:and|but|while|whereas)\s+|\s+and\s+(?=(?:es)?ketamine\b|spravato\b|it\s|was\s|must\s|"
                     r"should\s|cannot\s|can\s+only\s)", re.I)


#: a sentence opened by a concessive clause ("Although ketamine is approved for anesthesia, its use for mood disorders
#: is off-label"; "While X, Y"): the opening clause ends at its comma, and each part has its own use and polarity
_CONCESSIVE = re.compile(r"\s*(?:although|though|even\s+though|while|whilst|whereas)\b[^,;]{3,140}?,", re.I)


def clause(d) -> str:
    """The clause of the sentence the claim is in ("Ketamine has been approved as an anesthetic since 1970, and
    esketamine was approved for TRD in 2019": each approval has its own drug and its own year)."""
    return _clause_at(d.sentence.text, d.start - d.sentence.start)


def same_clause(sentence: str, a: int, b: int) -> bool:
    """Are offsets ``a`` and ``b`` of ``sentence`` in one clause (:func:`clause`)?"""
    return _clause_at(sentence, a) == _clause_at(sentence, b)


@lru_cache(maxsize=1 << 14)
def _clause_at(t: str, a: int) -> str:
    """:func:`clause` of the sentence text ``t`` at offset ``a`` (memoized on exactly those: a regulatory claim is
    scored against every fact, and each score reads its clause several times)."""
    lo, hi = 0, len(t)
    masked = _BRACKETS.sub(lambda m: " " * len(m.group(0)), t)   # a cited title in brackets is no clause of it
    for m in _CLAUSE.finditer(masked):
        if m.end() <= a:
            lo = m.end()
        elif m.start() >= a:
            hi = min(hi, m.start())
            break
    m = _CONCESSIVE.match(masked)
    if m and a >= m.end():
        lo = max(lo, m.end())
    elif m:
        hi = min(hi, m.end() - 1)
    return masked[lo:hi]


_BRACKETS = re.compile(r"\([^()]*(?:\)|$)")


def claim_years(d) -> set[str]:
    """The years the claim's own clause gives (a fresh set; the clause's years are memoized on the clause)."""
    return set(_years_in(clause(d)))


@lru_cache(maxsize=1 << 14)
def _years_in(clause_text: str) -> frozenset[str]:
    return frozenset(_CITE_YEAR.findall(clause_text))


def claim_drugs(d) -> set[str]:
    """esketamine / ketamine as the claim's clause names it, the mention nearest the claim first ("While esketamine is
    approved for TRD, many providers use ketamine off-label": the off-label claim is about ketamine). A fresh set of
    :func:`_claim_drugs_at` (memoized on the sentence text and the claim's offset, all it reads)."""
    return set(_claim_drugs_at(d.sentence.text, d.start - d.sentence.start))


@lru_cache(maxsize=1 << 14)
def _claim_drugs_at(full: str, a: int) -> frozenset[str]:
    t = _clause_at(full, a)
    off = full.find(t) if t else -1
    rel = a - off if off >= 0 else 0
    hits = [(abs(m.start() - rel) + (0 if m.start() <= rel else 15), "esketamine" if m.group(0).lower() in (
        "esketamine", "spravato") else "ketamine", bool(_FORM_OF.search(t[max(0, m.start() - 40):m.start()])) and not re.search(
            r"[,;(]|\b(?:which|who)\b", t[m.end():max(m.end(), rel)]))
        for m in re.finditer(r"\b(?:esketamine|spravato|ketamine)\b", t, re.I)
        if not _CONTRASTED.search(t[max(0, m.start() - 40):m.start()])]
    # "Esketamine is a specific, purified form of ketamine approved by the FDA": what is approved is the form, the
    # drug named before it, not ketamine (imhclinic_esketamine_treatment); "a derivative of ketamine, which is used in
    # hospitals as an anesthetic" says it of ketamine; "a form of ketamine that has been FDA-approved for TRD" (a
    # restrictive "that", no comma) says it of the form (balancedmentalwellness_faq, contradicted as ketamine's)
    own = [h for h in hits if not h[2]] or hits
    if own and min(own)[1] == "ketamine" and _KETAMINE_PRODUCT.search(t) and re.search(r"\besketamine\b|\bspravato\b",
                                                                                    full, re.I):
        return frozenset({"esketamine"})   # "Only one ketamine product is FDA-approved … — the nasal spray
        #                                      esketamine (Spravato)"
    return frozenset({min(own)[1]}) if own else frozenset()


#: "one ketamine product", "a ketamine-based medication": a product the sentence then names (esketamine)
_KETAMINE_PRODUCT = re.compile(r"\bketamine(?:[- ]based)?\s+(?:products?|medications?|medicines?|drugs?|treatments?)\b",
                               re.I)
#: "a purified form of", "a nasal spray version of": the drug after it is what the subject is made from
_FORM_OF = re.compile(r"\b(?:form|version|type|kind|relative|derivative|cousin|variant|enantiomer|isomer|formulation|"
                      r"molecule)\s+of\s+(?:racemic\s+)?$", re.I)


#: "unlike injections for ketamine, Spravato is approved …": the drug the claim is contrasted with, not its subject
_CONTRASTED = re.compile(r"\b(?:unlike|rather\s+than|instead\s+of|as\s+opposed\s+to|in\s+contrast\s+to)\s+(?:[\w-]+\s+){0,3}$",
                         re.I)


#: words that narrow an indication to a use no approval in the evidence base covers unless its text says so
_QUALIFIERS = re.compile(r"\b(postpartum|bipolar|adolescen\w*|child\w*|pediatric|paediatric|teen\w*|youth|geriatric|"
                         r"elderly|pregnan\w*|anxiety|PTSD|OCD|pain|alcohol\w*|addiction|migraine|mood\s+disorders?)\b", re.I)


def _uses(text: str) -> set[str]:
    """The kinds of use a text is about: anesthesia, psychiatric (an indication word or a fact's text); a fresh set
    of :func:`_uses_of` (memoized on the text: each regulatory claim reads every fact's)."""
    return set(_uses_of(text))


@lru_cache(maxsize=1 << 12)
def _uses_of(text: str) -> frozenset[str]:
    out = set()
    if re.search(r"an(?:a)?esthe", text, re.I):
        out.add("anesthesia")
    if text in _PSYCHIATRIC or re.search(r"psychiatric|depress|\bTRD\b|suicid|mental|anxiety|PTSD", text, re.I):
        out.add("psychiatric")
    return frozenset(out)


_TRAILING = re.compile(r"(?:\s+(?:now|today|too|also|currently|yet|anymore|already|officially|again|as\s+well))+$", re.I)
#: qualifiers that name a population (a use narrowed to it), not a condition (another use)
_POPULATIONS = frozenset({"postpartum", "adolescent", "adolescents", "child", "children", "pediatric", "paediatric",
                          "teen", "teens", "teenagers", "youth", "geriatric", "elderly", "pregnant", "pregnancy"})


def indication(d) -> str:
    """The indication a regulatory claim names (the detector's), or the one its sentence implies (memoized on
    exactly what it reads: the detector's indication, the claim's text and kind, its sentence and offset)."""
    want = (d.raw.get("indication") if isinstance(d.raw, dict) else "") or ""
    if not isinstance(want, str):
        return _indication_at.__wrapped__(want, d.text or "", d.kind, d.sentence.text, d.start - d.sentence.start)
    return _indication_at(want, d.text or "", d.kind, d.sentence.text, d.start - d.sentence.start)


@lru_cache(maxsize=1 << 14)
def _indication_at(want, text: str, kind, sentence: str, a: int) -> str:
    want = _TRAILING.sub("", want)   # "approved for PTSD now": the indication is PTSD
    if want:
        return want
    if text in ("anesthetic", "painkiller", "analgesic", "sedative") or kind == "anesthetic":
        return "anesthetic"   # "is a dissociative anesthetic": the anesthetic use itself, whatever else the line says
    t = _clause_at(sentence, a)
    for name, pat in _IMPLIED:
        if re.search(pat, t, re.I):
            return name
    return ""


#: an approval word in a sentence, and what puts it before the approval: a recommendation, a vote, an application, an
#: expectation or a condition ("voted to recommend approval", "could be headed for FDA approval", "a final approval
#: decision by March 4", "If approved, …"); an approval said as done ("was approved after the panel voted") is not
_APPROVAL_WORD = re.compile(r"\bapprov\w*|\bclear(?:ed|ance)\b|\bauthori[sz]\w*", re.I)
_BEFORE_APPROVAL = re.compile(r"\b(?:recommend\w*|vot(?:e|es|ed|ing)|expected|headed|seek\w*|sought|appl(?:y|ies|ied|ying|"
                              r"ication)|await\w*|pending|submit\w*|filed|if|unless|could|would|might|in\s+favou?r\s+of|"
                              r"push\w*|urg\w+|consider\w*|review\w*)\b(?:\s+[\w'’-]+){0,4}?\s+$", re.I)


#: a designation that speeds a review ("placed on the fast track for FDA approval", "breakthrough therapy designation")
_EXPEDITED = re.compile(r"\b(?:fast[- ]track\w*|breakthrough\s+(?:therapy\s+)?designation)\b[^.;]{0,40}?\bapprov", re.I)


def before_approval(text: str) -> str:
    """Why an approval statement is about a step before the approval ('' when any approval in it is said as done)."""
    if _EXPEDITED.search(text):
        # "… has been placed on the fast track for U.S. Food and Drug Administration approval" (settle13: contradicted
        # against the approval record): the evidence base records approvals, not the designations before them
        return ("the sentence is about a designation that speeds the review before an approval (fast track, "
                "breakthrough therapy), not the approval itself; the evidence base records approvals, not the steps "
                "before them")
    hits = list(_APPROVAL_WORD.finditer(text))
    if not hits or any(not _BEFORE_APPROVAL.search(text[max(0, m.start() - 50):m.start()]) and
                       not re.match(r"\s+decision", text[m.end():], re.I) for m in hits):
        return ""
    return ("the sentence is about a step before an approval (a recommendation, a vote, an application or a decision "
            "to come), not the approval itself; the evidence base records approvals, not the reviews before them")


def bare_approval(d, prev_text: str = "") -> str:
    """Why a bare "approved" is not checked ('' when its sentence names the drug and a date or an indication)."""
    if d.kind != "approval" or not re.fullmatch(r"(?:FDA )?approved", d.text or ""):
        return ""
    t = d.sentence.text
    drug = (d.raw.get("drug") if isinstance(d.raw, dict) else "") or ""
    from evidence.check.statements import referred_drug

    named = re.search(r"\b(?:es)?ketamine\b|\bspravato\b|\bketalar\b", t, re.I) or (
        re.search(r"\b(?:its|it)\b", t, re.I) and (referred_drug(t, prev_text) or re.search(
            r"\besketamine\b|\bspravato\b", prev_text or "", re.I)))
    if drug and named and not (_UNNAMED_DRUG.search(t) and not re.search(r"\besketamine|\bspravato", t, re.I)) \
            and (_CITE_YEAR.search(t) or indication(d)):
        return ""
    return "a general approval statement; what it is approved for is checked on its own"


#: "used as an anesthetic … for children and adults", "approved … in adolescents": the population a use is narrowed to
_NARROWED_TO = re.compile(r"\b(?:for|in|among)\s+(?:use\s+in\s+)?(?:both\s+)?((?:children|adolescents|teens|"
                          r"pediatric|paediatric|youth|elderly|pregnant)\b[\w\s,]{0,20})", re.I)


def _narrowed_to(d) -> str:
    """The population the claim's clause narrows its use to ('' when none): a qualifier like the quote's own."""
    return _narrowed_in(clause(d))


@lru_cache(maxsize=1 << 14)
def _narrowed_in(clause_text: str) -> str:
    m = _NARROWED_TO.search(clause_text)
    return m.group(1) if m else ""


#: "approved to treat depression and mood disorders": a further use the claim adds to its indication
_ALSO_FOR = re.compile(r"\s*,?\s*(?:and|or|as\s+well\s+as|plus)\s+((?:[\w'’-]+\s*){1,4})", re.I)


def _also_for(d) -> str:
    """The use the claim adds right after its own indication ('' when none)."""
    m = _ALSO_FOR.match(d.sentence.text, d.end - d.sentence.start)
    return m.group(1) if m else ""


@lru_cache(maxsize=1 << 14)
def _qualified(words: str) -> frozenset[str]:
    """The qualifiers (lower case) in the claim's indication, quote and narrowing words (memoized on those words)."""
    return frozenset(q.lower() for q in _QUALIFIERS.findall(words))


def qualifier_conflict(d, c, label: str) -> str:
    """Why a fact does not settle a use narrowed to a population or condition it does not name ('' when it does):
    "postpartum depression", "for adolescents", "used as an anesthetic … for children and adults" against a label
    indication that says nothing of them."""
    qualified = _qualified(f"{indication(d)} {d.quote} {_narrowed_to(d)} {_also_for(d)}")
    if not qualified or not c.text or negative_fact(c.text):
        return ""
    kd, cd = claim_drugs(d), c.slots.get("drug") or frozenset()
    if kd and cd and not (kd & cd) and not any(re.search(rf"\({k}\)", c.text, re.I) for k in kd):
        return ""   # another drug's fact: ruled out by its score, and not the reason worth giving
    missing = sorted(q for q in qualified if not re.search(rf"\b{q}", c.text, re.I))
    if not missing:
        return ""
    from evidence import vocab

    words = vocab.join_words([q.upper() if q in ("ptsd", "ocd") else q for q in missing])
    if all(q in _POPULATIONS or q.startswith(("child", "adolescen", "teen")) for q in missing):
        return (f"the sentence narrows the use to {words}; {label} does not say so, so it neither confirms nor "
                "contradicts the claim")
    return (f"the sentence names a use for {words}; {label} is for another use, and the evidence base does not hold "
            f"the drug's full label, so it cannot tell whether an approval for {words} exists")


#: "Initial U.S. Approval: 1970 (ketamine)": a year a label's header gives to a named drug
_YEAR_OF_DRUG = re.compile(r"\b((?:19|20)\d{2})\s*\(\s*((?:es)?ketamine)\s*\)", re.I)


def dated_for_other_drug(d, c, drugs: set) -> bool:
    """Does the fact give the year the claim dates its approval to, but to another drug ("SPRAVATO (esketamine) …
    Initial U.S. Approval: 1970 (ketamine)" against "Spravato was approved in 1970")?"""
    years = approval_years(d)
    owners = {y: m.lower() for y, m in _YEAR_OF_DRUG.findall(c.text or "")}
    return bool(years) and any(y in owners and owners[y] not in drugs for y in years)


def regulatory_score(d, ctx: dict, c) -> tuple[float, bool, list[str]]:
    """Same drug, same polarity ("not approved"), the indication the claim names."""
    score, anchored, why = 0.0, False, []
    kd, cd = claim_drugs(d) or ctx.get("drug") or ctx.get("drug_ref") or set(), c.slots.get("drug") or frozenset()
    if kd and cd and not (kd & cd) and not any(re.search(rf"\({k}\)", c.text or "", re.I) for k in kd):
        score -= 10     # ketamine is not esketamine: another drug's fact never settles the claim (a label's header
        #                 may name the other drug, "Initial U.S. Approval: 1970 (ketamine)", and then it may)
    if kd and d.kind == "approval" and dated_for_other_drug(d, c, set(kd)):
        score -= 10     # "Spravato was approved in 1970": the header's 1970 is ketamine's approval, not esketamine's
    if d.kind == "setting":   # "cannot be taken home", "only in a certified office": a restriction, not a negation
        return (score + 5.0, True, ["the drug's restricted programme"]) if programme_words(d, c) else (-1.0, False, [])
    t = d.sentence.text
    years = approval_years(d) if d.kind == "approval" else set()   # a date dates an approval, not how it is used
    if years and c.text and years & (set(_CITE_YEAR.findall(c.text)) | {str(int(v)) for v in (c.numbers or ())
                                                                        if 1900 <= v <= 2100}):
        score += 4 + (c.number_unit == "year")  # the fact carries the date the sentence gives (as its figure: best)
        anchored = True
        why.append("the date " + ", ".join(sorted(years)))
    subject = str((c.row or {}).get("subject") or "")
    if re.search(r"nasal\s+spray", subject, re.I) and not re.search(r"nasal|spray|spravato|"
                                                                                 r"esketamine", t, re.I):
        score -= 1.5    # a fact about one product form (a compounded nasal spray) the sentence does not name
    if c.text:
        if negative_fact(c.text) == negative_claim(d.text or ""):
            score += 2
            why.append("same polarity")
        else:
            score -= 2
        if re.search(r"approv|indicat", c.text, re.I):
            score += 1
        if d.kind == "approval" and str((c.row or {}).get("attribute") or "") == "fda_approved_indication":
            score += 1  # an approval claim is about what the drug is approved for
    want = indication(d)
    if qualifier_conflict(d, c, "the fact"):
        score -= 20     # "postpartum depression", "adolescents": an approval for TRD in adults does not cover it
    if c.text and negative_fact(c.text) != negative_claim(d.text or "") and not (
            want and (re.search(rf"\b{re.escape(want.split()[-1])}", c.text, re.I) or (
                want in _PSYCHIATRIC and re.search(r"\bpsychiatric\b", c.text, re.I)))):
        score -= 10     # "not approved for X" contradicts an approval only of X (or of what X includes)
    if want and c.text and _uses(want) and _uses(c.text) and not (_uses(want) & _uses(c.text)):
        score -= 6      # an approval for anesthesia says nothing of a psychiatric use, and the other way round
    if want and c.text and (re.search(rf"\b{re.escape(want.split()[-1])}", c.text, re.I) or (
            want in _PSYCHIATRIC and re.search(r"\bpsychiatric\b", c.text, re.I))):
        score += 2.5
        anchored = True
        why.append(f"indication {want}")
    if ((d.text or "") in ("anesthetic", "painkiller", "analgesic", "sedative") or want == "anesthetic") and re.search(
            r"an(?:a)?esthe", c.text or c.label, re.I):
        score += 3
        anchored = True
        why.append("anesthetic indication")
    return score, anchored, why


#: what tells one approval from another: the indication's distinguishing words
_INDICATION_KEYS = {"suicidal ideation": r"suicid", "monotherapy": r"monotherap|\b(?:spravato|esketamine)\s+(?:alone|on\s+its\s+own|by\s+itself)\b",
                    "anesthesia": r"an(?:a)?esthe", "treatment-resistant depression": r"treatment[- ]resistant|\bTRD\b"}
_WHEN = re.compile(r"(?<![\d.,$])\b(?:19|20)\d{2}s?\b|\bduring\s+the\s+[\w\s]{0,30}?\bwar\b|\b(?:in\s+the\s+)?(?:fifties|"
                   r"sixties|seventies|eighties|nineties)\b", re.I)


_APPROVED = re.compile(r"\bapprov\w*", re.I)


def _indications(text: str) -> set[str]:
    return {k for k, p in _INDICATION_KEYS.items() if re.search(p, text or "", re.I)}


#: "the first and only FDA-approved nasal spray", "the only approved treatment": a claim that no other product is
#: approved ("esketamine is only approved for TRD" restricts an indication; "first approved in 1970" dates one)
#: "the first new drug to be approved for depression in decades", "the first drug to win FDA approval": the same claim
#: with the noun before the approval (``noun``)
#: "the only antidepressant that is approved for …": the same claim with the approval in a relative clause (settle12:
#: the clause alone was listed and called accurate on the approval record)
_UNIQUE = re.compile(r"\bthe\s+(?:first(?:\s+and\s+only)?|only|sole|one\s+and\s+only)\s+(?:[\w-]+\s+){0,2}?"
                     r"(?:(?P<noun>[\w-]+)\s+to\s+(?:be|have\s+been|get|gain|win|receive)\s+(?:[\w-]+\s+)?|"
                     r"(?P<rel>[\w-]+)\s+(?:that|which)\s+(?:is|are|was|were|has\s+been|have\s+been)\s+"
                     r"(?:now\s+|currently\s+|officially\s+)?)?"
                     r"(?:FDA[- ])?(?:approved|cleared|approval|clearance)\b", re.I)


def uniqueness(d, c) -> str:
    """Why "the first and only FDA-approved …" is not settled by an approval ('' when the fact says so too)."""
    t = d.sentence.text
    a, b = d.start - d.sentence.start, d.end - d.sentence.start
    # "the first new drug to be approved …" is about the approval it overlaps, not another one in the same sentence
    # ("first approved by the FDA in March 2019, achieving a number of firsts: … the first new antidepressant to be
    # approved in decades …")
    m = next((m for m in _UNIQUE.finditer(t) if not (m.group("noun") or m.group("rel")) or (m.start() < b and a < m.end())), None)
    if d.claim_type != "regulatory_status" or not m:
        return ""
    named = m.group("noun") or m.group("rel")
    noun = re.match(r"([\w-]+)", named) if named else re.match(r"\s*([\w-]+(?:\s+spray)?)",
                                                                                   t[m.end():])
    if noun and re.search(rf"\b(?:first|only)\b[^.]{{0,60}}\b{re.escape(noun.group(1))}", c.text or "", re.I):
        return ""   # the fact says it too, of the same thing ("the first and only monotherapy")
    return (f"the sentence says “{m.group(0).strip()}”; the evidence base records the approval, not that no other "
            "product was approved before or besides it")


def regulatory_date_conflict(d, c, candidates, sigs) -> str:
    """Why a dated regulatory claim is not settled by the fact it was linked to ('' when it is).

    * "placed in Schedule III during the Vietnam War": the facts record the schedule, not when it was set;
    * "approved in 2019 for A and B", where the evidence base dates the approval for B to another year: the
      claim's date holds for one indication only, so no single fact settles it.
    """
    unique = uniqueness(d, c)
    if unique:
        return unique
    t = d.sentence.text
    when = next((m for m in _WHEN.finditer(t) if not (re.fullmatch(r"\d{4}", m.group(0)) and _APPROVED.search(t))),
                None)   # a bare year in a sentence about an approval dates the approval, not the schedule
    if d.kind == "schedule" and when:
        return (f"the sentence says when the drug was scheduled ({when.group(0).strip()}); the evidence base records "
                "its schedule, not the date it was set")
    years = approval_years(d)
    if d.kind == "approval" and not years and approval_decade(d):
        # "FDA approved as a dissociative anesthetic since the 1960s": only a decade that ends before the recorded
        # approval is settled (contradicted); a fact that carries no year is not rejected for a decade
        return date_contradiction(d, c, candidates, sigs)[0]
    said_when = ", ".join(sorted(years))
    if d.kind != "approval" or not years or not c.text or c.origin != "fact":
        return ""
    if not negative_fact(c.text):   # a positive approval must carry the claimed date (its text, figure or source)
        mine = sigs[c.source_ids[0]].year if c.source_ids and c.source_ids[0] in sigs else ""
        dated = set(_CITE_YEAR.findall(c.text)) | {str(int(v)) for v in (c.numbers or ()) if 1900 <= v <= 2100}
        if mine and c.origin == "fact" and re.search(r"\btoday\b|\bannounce", c.text, re.I):
            dated.add(mine)   # a press release dated by its source
        if not years & dated:
            return (f"the sentence dates the approval to {said_when}; the fact it matches "
                    f"({sigs[c.source_ids[0]].label if c.source_ids and c.source_ids[0] in sigs else 'FDA'}) "
                    + (f"dates it to {', '.join(sorted(dated))}" if dated else "carries no date"))
    said, have = _indications(clause(d)), _indications(c.text)
    for o in candidates:
        if o is c or o.origin != "fact" or str((o.row or {}).get("attribute") or "") != "fda_approved_indication":
            continue
        other = _indications(o.text) - have
        yr = sigs[o.source_ids[0]].year if o.source_ids and o.source_ids[0] in sigs else ""
        if other and other <= said and yr and yr not in years and (o.slots.get("drug") or set()) & (
                c.slots.get("drug") or set()):
            mine = sigs[c.source_ids[0]].year if c.source_ids and c.source_ids[0] in sigs else ""
            return (f"the sentence dates the approval to {said_when}, but names {' and '.join(sorted(other))}, "
                    f"approved in {yr} ({sigs[o.source_ids[0]].label})" + (f"; the first approval was in {mine}"
                                                                           if mine else ""))
    return ""


def _fact_years(c, sigs) -> set[int]:
    """The years an approval fact dates itself to: its text, its figure, or (a press release "today") its source's."""
    dated = {int(y) for y in _CITE_YEAR.findall(c.text or "")} | {int(v) for v in (c.numbers or ()) if 1900 <= v <= 2100}
    sig = sigs.get(c.source_ids[0]) if c.source_ids else None
    if sig is not None and sig.year and re.search(r"\btoday\b|\bannounce", c.text or "", re.I):
        dated.add(int(sig.year))
    return dated


def _approvals_of(drug: str, candidates) -> list:
    """The positive approval facts of one drug (a label header naming "(ketamine)" speaks of ketamine)."""
    out = []
    for o in candidates:
        attr = str((o.row or {}).get("attribute") or "")
        if o.origin != "fact" or not o.text or negative_fact(o.text) or not (
                attr == "fda_approved_indication" or attr.startswith("initial_us_approval")
                or attr == "label_initial_us_approval"):
            continue
        named = {"ketamine"} if re.search(r"\(ketamine\)", o.text, re.I) else set(o.slots.get("drug") or ())
        if drug in named:
            out.append(o)
    return out


#: "Discovered in 1962, ketamine is FDA approved …": a year that dates another event than the approval
_OTHER_EVENT_YEAR = re.compile(r"\b(?:discover\w*|synthesi[sz]\w*|develop\w*|patent\w*|creat\w*|invent\w*|first\s+made|"
                               r"publish\w*|found\w*|introduc\w*|used|tested|studied|described|born)\s+"
                               r"(?:\w+\s+){0,2}?(?:in|since|by)\s+(?:the\s+)?((?:19|20)\d{2})\b", re.I)


#: an anaesthetic use tied to the drug's history: a war ("a battlefield anesthetic in the Vietnam war"), its discovery,
#: synthesis, patent or invention ("used since its discovery in Belgium"), or the country where it was used first
_HISTORY_TIE = re.compile(r"\b(?:wars?|battlefields?|soldiers|troops|wartime)\b|\b(?:discover\w*|synthesi[sz]\w*|patent\w*|"
                          r"invent\w*)\b|\bin\s+(?:Belgium|Vietnam|Europe|Germany|France|Britain|Japan|China)\b", re.I)


#: the drugs a sentence names before an anaesthetic use: the last one named is the one the use is said of
_DRUG_NAMED = re.compile(r"\b(?:(?:es)?ketamine|spravato|ketalar|PCP|phencyclidine|propofol|etomidate|midazolam|"
                         r"thiopental|methohexital)\b", re.I)


#: facts that date an approval ("Initial U.S. Approval: 1970 (ketamine)", "2019-03-05") and say nothing of its use
_DATE_RECORDS = frozenset({"fda_approval_date", "label_initial_us_approval", "initial_us_approval_of_ketamine"})


def date_record_mismatch(d, c) -> str:
    """Why an approval-date record does not settle this claim ('' when it may): it dates an approval, so it answers a
    claim that gives a year (or, for a label's header, a schedule); an approval for a use, undated, is the indication's
    to settle ("Spravato is FDA-approved to treat depression" is not settled by "Initial U.S. Approval: 1970
    (ketamine)")."""
    if str((c.row or {}).get("attribute") or "") not in _DATE_RECORDS or d.kind in ("schedule", "controlled"):
        return ""
    if approval_years(d) or claim_years(d):
        return ""
    return DATE_RECORD_REASON


DATE_RECORD_REASON = "this record dates an approval; it does not say what the drug is approved for"


def indication_typo(d, c) -> str | None:
    """The claim in the fact's spelling when the indication it names is a misspelling of the fact's word ("approved
    by the FDA as an aesthetic" against Ketalar's "general anesthetic"): a typo is matched, not flagged; None when
    every word of the indication is the fact's own, or no word of the fact is that close."""
    from difflib import SequenceMatcher

    from evidence.check.resolve import similar

    want = (d.raw.get("indication") if isinstance(d.raw, dict) else "") or ""
    if d.claim_type != "regulatory_status" or not want or not c.text:
        return None
    text, fact_words = want, set(re.findall(r"[a-z]{5,}", c.text.lower()))
    for w in re.findall(r"[A-Za-z]{5,}", want):
        if w.lower() in fact_words:
            continue
        near = [x for x in fact_words if similar(w.lower(), x)]
        if near:   # the closest of them ("anesthetic" before "anesthetics")
            best = max(near, key=lambda x: (SequenceMatcher(None, w.lower(), x).ratio(), -len(x)))
            text = re.sub(rf"\b{re.escape(w)}\b", best, text)
    return text if text != want else None   # the indication in the fact's words, as the detector gives a known one


def approval_date_words(d, c) -> str | None:
    """The date record's own words when the claim dates the approval to the record's year ("approved by the FDA in
    2019" against "2019-03-05"), so the engine's phrase match finds them; None otherwise (another year is judged by
    the date rules)."""
    if d.claim_type != "regulatory_status" or d.kind != "approval" or str((c.row or {}).get("attribute") or "") \
            != "fda_approval_date" or not re.fullmatch(r"(?:19|20)\d{2}-\d{2}-\d{2}", (c.text or "").strip()):
        return None
    return c.text.strip() if c.text.strip()[:4] in approval_years(d) else None


#: "The approval follows an FDA Priority Review", "this approval of esketamine …": an approval named before
_THE_APPROVAL = re.compile(r"\b(?:the|this|that|its|their|today['’]s)\s+(?:(?:new|recent|latest|expanded|FDA['’]?s?|"
                           r"U\.?S\.?)\s+){0,2}$", re.I)
_OF_DRUG = re.compile(r"\s*(?:of\s+(?:the\s+)?(?:(?:es)?ketamine|spravato|drug|medication|(?:nasal\s+)?spray)\b)?", re.I)


def approval_referred_back(d, prev: str = "") -> str:
    """Why "the approval" is not an approval claim of its own ('' when it is): the definite noun refers back to an
    approval the text stated before ("FDA approves esketamine as monotherapy … The approval follows an FDA Priority
    Review"), which is checked where it is stated; what this sentence says of it (a review, a date, the data behind
    it) is not an approval. A sentence that gives the approval its own year or indication states it, and is checked."""
    if d.claim_type != "regulatory_status" or d.kind != "approval" or not prev:
        return ""   # (a text's first sentence has nothing to refer back to)
    t, a, b = d.sentence.text, d.start - d.sentence.start, d.end - d.sentence.start
    if not re.fullmatch(r"approval", t[a:b], re.I) or not _THE_APPROVAL.search(t[:a]):
        return ""
    rest = t[b + _OF_DRUG.match(t, b).end() - b:]
    if claim_years(d) or (d.raw.get("indication") if isinstance(d.raw, dict) else "") or re.match(
            r"\s*(?:for|as|to\s+treat|in)\b", rest, re.I):
        return ""
    return ("“the approval” refers back to the approval the text stated before, which is checked where it is "
            "stated; what this sentence says of it is not an approval claim of its own")


#: a dated event said aside, not tied to the use: "Discovered in 1962, ketamine is …", "Ketamine, first synthesized
#: in 1962, is widely used …" (an opening or parenthetical participle phrase)
_ASIDE = re.compile(r"(?:^\s*|,\s*)(?:first\s+)?(?:discovered|synthesi[sz]ed|patented|invented)\b[^,;]{0,60},", re.I)


#: "is not currently an approved treatment", "isn't FDA-approved", "unapproved": the approval the clause denies
_DENIED = re.compile(r"\b(?:not|n['’]t|never|no\s+longer)\s+(?:[\w-]+\s+){0,3}?(?:FDA[- ])?approved\b|\bunapproved\b", re.I)


def denied_by_name(d) -> str:
    """Why a drug's name, listed as the status claim of a sentence that denies an approval, is not judged as if it
    asserted one ('' when the clause denies nothing): "Esketamine is not currently an approved treatment for
    depression" was "accurate" against the 2019 approval, read as "esketamine (is approved)"."""
    if d.claim_type != "regulatory_status" or d.kind != "spravato" or not _DENIED.search(clause(d)):
        return ""
    return ("the sentence denies an approval of the drug it names; the name alone is not that claim, and the "
            "evidence base's approvals are compared only with the words that deny it")


#: a use ranked against others: "most commonly", "more commonly", "one of the most widely used", "the most popular"
_RANKED_USE = re.compile(r"\b(?:most|more)\s+(?:commonly|widely|frequently|often|popular(?:ly)?|used)\b|"
                         r"\bone\s+of\s+the\s+most\b|\bthe\s+(?:leading|commonest|top)\b", re.I)


def history_use(d) -> str:
    """Why an anaesthetic use that the sentence ties to the drug's history is not settled by the label ('' when it
    may be): "used as a battlefield anesthetic in the Vietnam war", "used since its discovery in Belgium during the
    1960s as an anesthetic". The label records the approved anaesthetic indication (and the approval's year), not
    where or when the drug was discovered, patented or first used; an approval said in the clause is checked as one."""
    if d.claim_type != "regulatory_status" or d.kind != "anesthetic":
        return ""
    named = _DRUG_NAMED.findall(d.sentence.text[:max(0, d.start - d.sentence.start)])
    if named and not re.match(r"(?:es)?ketamine|spravato|ketalar", named[-1], re.I):
        # "phencyclidine (PCP), a powerful anesthetic that had been abandoned", "had tested PCP as an anesthetic"
        return (f"the anaesthetic use is said of another drug ({named[-1]}), not of ketamine; the evidence base records "
                "ketamine's approved anaesthetic indication only")
    ranked = _RANKED_USE.search(clause(d))
    if ranked and not _APPROVED.search(clause(d)):
        # "Ketamine is most commonly used as an anesthetic in veterinary medicine" (settle13: accurate on the label):
        # the label records the indication, not which use is the commonest nor how the drug ranks among others
        return (f"the sentence ranks the use (“{ranked.group(0).strip()}”); the evidence base records the approved "
                "anaesthetic indication, not how common one use is beside another or beside other drugs")
    t = _ASIDE.sub(lambda x: " " * len(x.group(0)), d.sentence.text)   # "Discovered in 1962, ketamine is used …"
    m = _HISTORY_TIE.search(t)
    if not m or _APPROVED.search(clause(d)):
        return ""
    return (f"the sentence ties the anaesthetic use to the drug's history (“{m.group(0).strip()}”); the evidence base "
            "records the approved anaesthetic indication, not a drug's discovery, patents, first uses or its use in a "
            "war")


#: an approval dated by its decade: "FDA approved as a dissociative anesthetic since the 1960s" (ketaminemidwest_infusion_faq)
_DECADE_OF_APPROVAL = re.compile(r"\b(?:in|since|during|from|by)\s+the\s+(?:early\s+|mid-?\s*|late\s+)?"
                                 r"(?P<y>(?:19|20)\d0)['’]?s\b", re.I)


#: the verbs of another event before a decade ("discovered in the 1960s"): the decade dates that event
_EVENT_BEFORE = re.compile(r"\b(?:discover|synthesi[sz]|develop|patent|creat|invent|first\s+made|publish|found|introduc|"
                           r"used|tested|studied|described|born)\w*\b(?:\s+\w+){0,3}?\s*$", re.I)


def approval_decade(d):
    """The match of the decade the claim's clause dates the approval to ("since the 1960s"), or None (a year given,
    or the decade dates another event)."""
    c = clause(d)
    m = None if approval_years(d) else _DECADE_OF_APPROVAL.search(c)
    return m if m and not _EVENT_BEFORE.search(c[:m.start()]) else None


def approval_years(d) -> set[str]:
    """The years the claim's clause gives to the approval (not those of a discovery, a patent, a first use …); a fresh
    set of :func:`_approval_years_in` (memoized on the clause, all it reads)."""
    return set(_approval_years_in(clause(d)))


@lru_cache(maxsize=1 << 14)
def _approval_years_in(c: str) -> frozenset[str]:
    return _years_in(c) - frozenset(_OTHER_EVENT_YEAR.findall(c))


def date_contradiction(d, c, candidates, sigs) -> tuple[str, object]:
    """(the justification, the fact that dates it) when a dated approval claim is certainly wrong; ('', None) when
    the date is not settled.

    An approval cannot come before the approval the evidence base records for the same drug and indication: the
    FDA approves a product (or a new indication of it) once, on a recorded date, so "Spravato was approved in
    2017" is contradicted by FDA's own 5 March 2019 notice ("The U.S. FDA today approved Spravato"), and "approved
    in 2019 for TRD and for suicidal ideation" by the 2020 approval of the second indication. A later year is not
    settled (it may be a supplemental approval the evidence base does not hold) and abstains as before.
    """
    years = approval_years(d)
    drugs = claim_drugs(d)
    decade = None if years else approval_decade(d)
    if decade:
        years = {str(int(decade.group("y")) + 9)}    # "since the 1960s": approved by 1969 at the latest
    if d.kind != "approval" or len(years) != 1 or len(drugs) != 1 or c.origin != "fact" or negative_fact(c.text or ""):
        return "", None
    if _UNNAMED_DRUG.search(clause(d)) or negative_claim(d.text or ""):
        return "", None   # "a ketamine-based nasal spray": which drug is not named
    y, drug = int(next(iter(years))), next(iter(drugs))
    said = f"the {decade.group('y')}s" if decade else str(y)
    approvals = [(oy, o) for o in _approvals_of(drug, candidates) for oy in _fact_years(o, sigs)]
    firsts = [t for t in approvals if str((t[1].row or {}).get("attribute") or "").startswith(
        ("initial_us_approval", "label_initial"))] or approvals
    checks = [("", firsts)] + [(k, [t for t in approvals if k in _indications(t[1].text)])
                                for k in sorted(_indications(clause(d)))]
    for what, dated in checks:
        if not dated:
            continue
        first, o = min(dated, key=lambda t: t[0])
        if y < first:
            who = sigs[o.source_ids[0]].label if o.source_ids and o.source_ids[0] in sigs else "the FDA"
            return (f"the claim dates the approval{' for ' + what if what else ''} to {said}, but {who} dates it to "
                    f"{first}, and nothing is approved before the date it is approved"), o
    return "", None


def claimed_year(d, c) -> str:
    """The year a dated regulatory claim gives, when the fact it is compared with is that kind of figure (a year)."""
    if d.claim_type != "regulatory_status" or c.number_unit != "year" or not c.numbers:
        return ""
    years = claim_years(d)
    hit = sorted(y for y in years if any(abs(int(y) - v) < 0.5 for v in c.numbers))
    return hit[0] if hit else (sorted(years)[0] if len(years) == 1 else "")


_SCHEDULE_NO = re.compile(r"\bschedule\s+(I{1,3}|IV|V|[1-5])\b|\bC-?(I{1,3}|IV|V)\b", re.I)
_ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV", "5": "V"}
_NOT_BEFORE = re.compile(r"\b(?:not|n['’]t|never|no\s+longer)\s+(?:\w+\s+){0,2}$", re.I)


def _schedule_of(text: str) -> str:
    m = _SCHEDULE_NO.search(text or "")
    if not m:
        return ""
    v = (m.group(1) or m.group(2)).upper()
    return _ROMAN.get(v, v)


def schedule_check(d, c) -> tuple[str, str]:
    """(why this fact cannot settle it, why it contradicts the claim) for a claim about a drug's controlled-substance
    schedule; ('', '') when the fact settles it as usual.

    "Ketamine is a Schedule II controlled substance" against "… is a Schedule III controlled substance …" is a
    different schedule: contradicted (the editor found Schedule I, II and IV called accurate, because the words
    "controlled substance" matched). "Ketamine is not a controlled substance" is contradicted by the same fact.
    A fact that names no schedule (an approval, an indication) does not settle a schedule claim."""
    if d.claim_type != "regulatory_status" or d.kind not in ("schedule", "controlled") or c.origin != "fact":
        return "", ""
    t, a = d.sentence.text, d.start - d.sentence.start
    have = _schedule_of(c.text)
    if not have:
        return "this fact does not record the drug's schedule", ""
    said = _schedule_of(d.quote) or _schedule_of(clause(d))
    negated = bool(d.negated or _NOT_BEFORE.search(t[max(0, a - 30):a]))
    if negated:
        return "", f"the claim says it is not a controlled substance; the source says it is in Schedule {have}"
    if said and said != have:
        return "", f"the claim says Schedule {said}; the source says Schedule {have}"
    return "", ""


def schedule_words(d, c) -> str | None:
    """The fact's own words for the schedule the claim names ("CIII." in "… nasal spray, CIII. Initial …"), so the
    engine's phrase match finds them; None when the fact names another schedule or none (schedule_check decides)."""
    m = _SCHEDULE_NO.search(c.text or "")
    said = _schedule_of(d.quote) or _schedule_of(d.text or "")
    if not m or (said and said != _schedule_of(m.group(0))) or _NOT_BEFORE.search(
            d.sentence.text[max(0, d.start - d.sentence.start - 30):d.start - d.sentence.start]):
        return None
    end = c.text.find(" ", m.end())
    return c.text[m.start():end if end > 0 else len(c.text)]


#: what a sentence about a restricted programme adds that the record of the programme may not hold
#: a purpose said after a requirement ("… in certified clinics to ensure proper monitoring")
_PURPOSE = re.compile(r"\s(?:to\s+(?:ensure|allow|make\s+sure|guarantee)|so\s+that|in\s+order\s+to)\s", re.I)
_PROGRAMME_DETAIL = (("who must enrol in it", r"\benrol\w*|\bregist\w*|\bsign(?:ed)?\s+up\b|\bpharmac"),
                     ("where it must be given", r"\bcertified\b|\boffice\b|\bclinics?\b|\bhome\b|\bfacilit"),
                     ("who must supervise or monitor it", r"\bsupervis\w*|\bmonitor\w*|\bobserv\w*"))
#: the record's own words for each thing a programme claim may say, in the order tried
_PROGRAMME_WORDS = ((r"\bcertified\b|\boffice\b|\bclinics?\b|\bhome\b|\bfacilit", "certified doctor's office or clinic"),
                    (r"\bREMS\b|risk\s+evaluation|\brestricted\b", "restricted distribution system"))


def programme_check(d, c) -> str:
    """Why a fact does not settle a claim about how a drug is distributed or given ("only through a REMS", "must be
    given in a certified office"), or ''.

    Only a record of the restricted programme speaks to it (an approval's indication does not): FDA, 5 March 2019,
    "only available through a restricted distribution system, under a Risk Evaluation and Mitigation Strategy", and
    the release's title, "available only at a certified doctor's office or clinic". A claim that adds what no such
    record holds (who must enrol, who must supervise) is not settled by it."""
    if d.claim_type != "regulatory_status" or d.kind != "setting":
        return ""
    t = _PURPOSE.split(clause(d), maxsplit=1)[0]   # "… under the REMS to ensure proper monitoring": why, not a rule
    said = [(what, rx) for what, rx in _PROGRAMME_DETAIL if re.search(rx, t, re.I)]
    is_programme = str((c.row or {}).get("attribute") or "") == "distribution_restriction"
    missing = [what for what, rx in said if not (is_programme and re.search(rx, c.text or "", re.I))]
    if missing:
        from evidence import vocab

        # (a setting claim reaches here only when it is about esketamine: statements.unchecked_reason)
        return (f"the evidence base records that esketamine (Spravato) is only available through a restricted distribution system "
                f"under a Risk Evaluation and Mitigation Strategy (REMS), at a certified doctor's office or clinic, "
                f"not {vocab.join_words(missing)}, so it neither confirms nor contradicts the claim")
    if not is_programme:
        return "this fact is not about how the drug is distributed or where it is given"
    return "" if programme_words(d, c) else "this record of the programme does not say what the claim says"


def programme_words(d, c) -> str | None:
    """The programme record's own words for what the claim names ("REMS" → "restricted distribution system", "a
    certified office" → "certified doctor's office or clinic"), so the engine's phrase match finds them; None when
    the record does not say it."""
    if d.kind != "setting" or str((c.row or {}).get("attribute") or "") != "distribution_restriction":
        return None
    for said, words in _PROGRAMME_WORDS:
        if re.search(said, f"{d.quote} {clause(d)}", re.I) and words in (c.text or ""):
            return words
    return None
