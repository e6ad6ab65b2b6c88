"""Rules about what a claim is, read from its sentence, that decide whether and how it is linked (split from link.py).

* :func:`not_checked` — claims the evidence base never checks, with the reason in words (money, a negated figure, a
  route of another medicine, how long participants had been ill, the span of a schedule, a bare approval …);
* :func:`definition` — a definition of treatment-resistant depression, compared in words with the curated one;
* :func:`comorbidity` — "half of those with depression also have anxiety", compared the same way round only;
* :func:`circular_n` — a sample size that is its sentence's only cue to a study is not checked against it;
* :func:`sessions_text` — a number of infusions in the words of a study's ``sessions`` record.
"""
from __future__ import annotations

import re

from evidence.check.concepts import _journal_rx, _str, slot_values
from evidence.check.gate import OTHER_REGULATORS, TOPIC_TYPES, WEIGHTS, Link, abstain
from evidence.check.regulatory import bare_approval, before_approval
from evidence.check.resolve import Resolution
from evidence.check.siftrules import RX_APPROVAL_SCOPE, RX_NAMES_DRUG
from evidence.check.statements import unchecked_reason
from evidence.quantity import kind_of

#: "60% of people with anxiety disorders", "of those who have depression": a share among people with a condition
_AMONG_PEOPLE_WITH = re.compile(r"\b(?:people|those|patients|adults|individuals|persons)\s+(?:with|who\s+(?:have|suffer)|"
                                r"suffering\s+from|diagnosed\s+with)\s+(?:an?\s+|any\s+)?(?:[\w-]+\s+)?(?:disorders?|"
                                r"anxiety|depression|conditions?|PTSD|OCD|GAD|MDD)\b", re.I)
#: "had experienced their disorder for 15 years", "had been depressed for", "a history of PTSD of": illness duration
_ILLNESS_DURATION = re.compile(r"\b(?:had|have|has)\s+(?:been\s+)?(?:experienc\w+|suffer\w+|liv\w+\s+with|ill|sick|"
                               r"depressed|diagnosed|struggl\w+\s+with)\b(?:\s+(?:with\s+)?(?:their|the|this|a|an|"
                               r"chronic|severe|[\w-]+))*?\s*(?:for|over)?\s*(?:an?\s+(?:average|mean|median)\s+of\s+)?$|"
                               r"\b(?:illness|disease|disorder|symptom)\s+duration\b|\bhistory\s+of\b", re.I)
#: "six infusions over two weeks", "3 sessions across 10 days": the span of a schedule, not a durability
_SCHEDULE_SPAN = re.compile(r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve)\s+(?:[\w-]+\s+){0,3}?"
                            r"(?:infusions?|sessions?|treatments?|doses?|injections?)\b(?:\s+of\s+[\w\s()-]{0,30}?)?"
                            r"(?:\s+(?:to|in|for)\s+(?:\d+\s+)?(?:[\w-]+\s+){0,5}?(?:patients|participants|adults|people|"
                            r"veterans|subjects)(?:\s+with\s+(?:[\w-]+\s+){0,3}?[\w-]+)?)?"
                            r"\s+(?:over|across|within|during|in)\s+(?:the\s+)?(?:course\s+of\s+)?"
                            r"(?:a\s+|an\s+)?(?:\d+|one|two|three|four|five|six|several|a\s+few)?\s*"
                            r"(?:consecutive\s+)?(?:days?|weeks?|months?)?", re.I)
#: "… 72% … after 10 infusions": a number of infusions that dates a figure (its timepoint), not a schedule claim
_AT_SESSIONS = re.compile(r"\b(?:after|following|by|at|within)\s+(?:the\s+|a\s+total\s+of\s+)?$", re.I)
_OTHER_FIGURE = re.compile(r"\d\s*%|\d\s+percent\b|\b\d+\s+of\s+\d+\b", re.I)
_APPROVAL_WORDS = re.compile(r"\bapprov\w*|\bauthori[sz]\w*|\bcleared\b", re.I)
#: what makes a sentence that names a product state its regulatory status: an approval, an indication, a schedule,
#: a restricted programme, a use "on its own" (without one, "Spravato … the FDA said" is no status claim)
_STATUS_WORDS = re.compile(r"\bapprov\w*|\bauthori[sz]\w*|\bclear(?:ed|ance)\b|\bindicat\w*|\blicen[cs]\w*|"
                           r"monotherap|\bstandalone\b|\bon\s+its\s+own\b|\bschedule\s*(?:I|II|III|IV|V|\d)\b|"
                           r"\bREMS\b|\brestricted\s+(?:distribution|program)|\bcertified\b|\bprescri\w+|"
                           r"\b(?:only|first)\s+(?:FDA[- ])?(?:approved|available)\b", re.I)
_CITATION_ATTRIBUTES = frozenset({"journal", "citation", "doi", "pages", "volume", "issue", "pmid", "publication"})
#: what a definition of treatment-resistant depression counts: antidepressants (or treatments) tried without response
_TREATMENTS_TRIED = re.compile(r"(?:oral\s+)?(?:anti-?depressants?|medications?|treatments?|therap(?:y|ies)|courses?|"
                               r"drugs?|trials?)", re.I)
_TRD_CONTEXT = re.compile(r"treatment[- ]resistant|\bTRD\b|\b(?:has|have)n['’]?t\s+(?:budged|responded|worked|helped)|"
                          r"\bnot\s+(?:responded|respond|benefit\w*|improved)|\binadequate\s+response|\bfailed\b|"
                          r"\bdid\s+not\s+(?:work|help)", re.I)
#: "trials" count treatments tried only as trials of a treatment: "two adequate trials", "two antidepressant trials",
#: "2 trials of antidepressants"; "2 randomized trials", "two phase 3 trials described at the meeting", "failed in 2
#: trials" count studies, and the definition of treatment-resistant depression would lend them a verdict (settle12)
_TREATMENT_TRIALS = re.compile(r"\b(?:adequate|anti-?depressant|medication|treatment|drug|therapeutic|dose|SSRI)s?\s+"
                               r"(?:[\w-]+\s+)?trials?\b|\btrials?\s+(?:of|with|on)\s+(?:(?:an?|two|three|different|"
                               r"other|oral|standard|[\w-]+)\s+){0,2}?(?:anti-?depressants?|medications?|treatments?|"
                               r"therap(?:y|ies)|drugs?|SSRIs?|SNRIs?)\b", re.I)
_TWO_OR_MORE = re.compile(r"\b(one|two|three|1|2|3)\s+or\s+more\b|\bat\s+least\s+(?=(one|two|three|1|2|3)\b)", re.I)
_NUMBER_WORD = {"1": "one", "2": "two", "3": "three"}
#: the count of failed treatments in the words a definition uses
_AT_LEAST = {("at_least", 2): "at least two", ("none", 2): "two", ("exact", 2): "two", ("at_least", 3): "at least three",
             ("none", 3): "three", ("exact", 3): "three", ("at_least", 1): "at least one"}
#: "an oral antidepressant", "oral medications": the route word is about another medicine than ketamine
_OTHER_MEDICINE = re.compile(r"[\s-]+((?:anti-?depressants?|medications?|medicines?|drugs?|SSRIs?|SNRIs?|pills?|tablets?|"
                             r"benzodiazepines?|antipsychotics?|opioids?|lithium)\b)", re.I)


#: a drug interaction: "Concomitant use with psychostimulants … may increase blood pressure", "co-administered with
#: benzodiazepines" (the esketamine label's section 7; the evidence base holds none of its interactions)
#: ("interacts with glutamate" is the drug's mechanism, not an interaction with another drug)
_INTERACTION = re.compile(r"\b(?:concomitant(?:ly)?|co-?administ\w+|drug[- ](?:drug\s+)?interactions?)\b", re.I)
#: esketamine taken with an oral antidepressant is its indication (checked as such), not an interaction
_ADJUNCT_USE = re.compile(r"\bantidepressants?\b", re.I)


def interaction_reason(text: str) -> str:
    """Why a sentence about a drug interaction is not checked here ('' when it is not about one)."""
    if _INTERACTION.search(text) and not _ADJUNCT_USE.search(text):
        return ("the sentence is about taking the drug together with another one (an interaction); the evidence base "
                "records ketamine's and esketamine's own effects, not their interactions")
    return ""


#: "has been studied in earnest since the late 1990s", "researched since 2000": since when research has gone on
_STUDIED_SINCE = re.compile(r"\b(?:studied|researched|investigated|explored|examined|tested|trialled|trialed)\b"
                            r"(?:\s+[\w'’-]+){0,4}?\s+(?:since|from)\s+(?:the\s+)?(?:early\s+|mid-?\s*|late\s+)?"
                            r"(?:19|20)\d{2}s?\b[^.;]{0,3}$", re.I)
#: a sentence that opens with what it is based on: "Based primarily on small-scale studies and numerous case reports,
#: much excitement has been built …", "Based on available studies as well as a recent meta-analysis …, the authors
#: provide …" (neiglobal_apa_ketamine_consensus): the phrase up to its comma
_BASED_ON = re.compile(r"\s*((?:based|drawing|relying)\s+(?:\w+\s+)?on\b[^,;.]{3,160}),", re.I)


#: drugs a schedule may be said of besides ketamine: "drugs such as psilocybin, MDMA, and LSD are under heavier
#: restriction on Schedule 1" (treatmentandrecoverysystems_ketamine_depression, holdout11)
_OTHER_SCHEDULED = re.compile(r"\b(?:psilocybin|MDMA|ecstasy|LSD|heroin|cannabis|marijuana|cocaine|PCP|phencyclidine|"
                              r"opioids?|psychedelics|benzodiazepines?|methamphetamine|amphetamines?|fentanyl|GHB|"
                              r"mescaline|DMT|codeine|oxycodone|morphine|Xanax|Valium)\b", re.I)


#: another country's drug schedules ("Canada's ketamine supplies … its status as a Schedule 1 drug": Schedule I of
#: Canada's CDSA, readthepeak_canada_ketamine_shortage, holdout12); the U.S. named in the sentence keeps it the U.S.'s
_OTHER_COUNTRY = re.compile(r"\b(?:Canad\w*|U\.?K\.?|United\s+Kingdom|Brit\w*|England|Australi\w*|New\s+Zealand|India|"
                            r"Europe\w*|Ireland|Irish|Scotland|Scottish)\b")
_US = re.compile(r"\bU\.?S\.?\b|United\s+States|\bAmerica\w*|\bFDA\b|\bDEA\b|Controlled\s+Substances\s+Act", re.I)


def other_drugs_schedule(d, prev: str = "") -> str:
    """Why a schedule said of other drugs, or of another country, is not ketamine's U.S. schedule ('' when it is)."""
    from evidence.check.regulatory import clause

    if d.claim_type != "regulatory_status" or d.kind != "schedule":
        return ""
    country = _OTHER_COUNTRY.search(f"{prev} {d.sentence.text}")
    if country and not _US.search(d.sentence.text):
        return (f"the text is about {country.group(0)}, whose drug schedules are its own; the evidence base holds "
                "the U.S. schedule only (ketamine is in Schedule III of the Controlled Substances Act)")
    c = clause(d)
    if not _OTHER_SCHEDULED.search(c) or re.search(r"\b(?:es)?ketamine\b|\bspravato\b|\bit\b", c, re.I):
        return ""
    others = list(dict.fromkeys(m.group(0) for m in _OTHER_SCHEDULED.finditer(d.sentence.text[:d.end - d.sentence.start])))
    if not others:
        return ""
    return (f"the schedule is said of other drugs ({', '.join(others)}), not of ketamine or esketamine; the evidence "
            "base records only their schedule")


#: the World Health Organization's list of essential medicines: a listing, not a regulator's approval
#: (settle13: "is listed by the World Health Organization as an important anesthetic" is the same listing)
_WHO_LIST = re.compile(r"\b(?:World\s+Health\s+Organi[sz]ation|WHO)\b(?:['’]s)?[^.;]{0,60}?\bessential\s+medic\w*|"
                       r"\bessential\s+medic\w*[^.;]{0,40}?\b(?:World\s+Health\s+Organi[sz]ation|WHO)\b|"
                       r"\blisted\s+by\s+the\s+(?:World\s+Health\s+Organi[sz]ation|WHO)\b", re.I)
#: a licence: the word the UK (MHRA), Europe and Australia use where the U.S. says "approved"
_LICENCE = re.compile(r"\b(?:un)?licen[cs](?:e|ed|ing)\b", re.I)
#: what places a licence outside the U.S.: a regulator or health service abroad, British spelling
_ABROAD = re.compile(r"\bMHRA\b|\bNHS\b|\bNICE\b|\bTGA\b|\bEMA\b|European\s+Medicines|\bU\.?K\.?\b|United\s+Kingdom|"
                     r"\bBrit\w*|\bEngland\b|\bScotland\b|\bWales\b|\bAustrali\w*|New\s+Zealand|\bIreland\b|"
                     r"\blicence\b|\banaesthe|\bpaediatric|\bGP\b")


def other_jurisdiction(d, prev: str = "") -> str:
    """Why a listing or licence outside the FDA's remit is not settled by the evidence base's U.S. facts ('' when it
    may be): "on the World Health Organization's list of Essential Medicines as an anesthetic" (unityhealth: the
    listing, not Ketalar's FDA indication), "licensed as an anaesthetic" on a UK page (oxfordhealth: a licence is
    the MHRA's; the FDA's approval of Ketalar does not say what the MHRA licensed). The U.S. or the FDA named in the
    sentence keeps it the FDA's."""
    if d.claim_type != "regulatory_status":
        return ""
    t = d.sentence.text
    if _US.search(t):
        return ""
    if _WHO_LIST.search(t):
        return ("the sentence is about the World Health Organization's list of essential medicines; the evidence base "
                "records the FDA's U.S. approvals, which do not say what the WHO lists or why")
    if _LICENCE.search(t) and _ABROAD.search(f"{prev} {t}"):
        return ("a licence outside the U.S. (in the UK it is the MHRA's) is not settled by the FDA's approvals, the "
                "only regulatory facts the evidence base holds")
    return ""


#: why a span of time read as an age or a study's length is not checked (evidence.check.lexicon.time_not_of_effect;
#: review11: both were typed "how long it lasts")
_TIME_KIND_REASONS = {
    "age": ("an age says who the statement is about (who took part, or who is at risk), not how long an effect "
            "lasted; the evidence base does not record age ranges, so it is not compared"),
    "study-length": ("this is how long the study ran, not how fast or how long an effect came or lasted; the evidence "
                     "base does not record studies' lengths, so it is not compared"),
}


def not_checked(index, d, prev: str = "") -> str:
    """Why the claim is never checked (the reason in words), or ''; ``prev`` is the text of the two sentences before."""
    t = d.sentence.text
    if unchecked_reason(d, prev):       # statements the evidence base does not record (evidence.check.statements)
        return unchecked_reason(d, prev)
    if _TIME_KIND_REASONS.get(d.kind or ""):
        return _TIME_KIND_REASONS[d.kind]
    if interaction_reason(t) or other_drugs_schedule(d, prev) or other_jurisdiction(d, prev):
        return interaction_reason(t) or other_drugs_schedule(d, prev) or other_jurisdiction(d, prev)
    if d.claim_type == "attribution" and d.kind == "doctor":
        return "a study named by its author; the evidence base records authors as citations, not as a figure to check"
    if d.claim_type == "attribution" and d.kind in ("org", "generic-attrib"):
        return "an organisation or unnamed source is named; the figures it supports are checked on their own"
    if d.claim_type == "regulatory_status" and OTHER_REGULATORS.search(t) and not re.search(r"\bFDA\b|Food\s+and\s+"
                                                                                          r"Drug", t):
        return ("the sentence is about a regulator other than the FDA; the evidence base holds U.S. (FDA) "
                "regulatory facts only")
    if d.kind == "spravato" and not _STATUS_WORDS.search(t):
        return ("the sentence names esketamine (Spravato) beside the FDA but states no approval, indication or "
                "restriction to check (“the FDA said …” reports what the agency said, not a regulatory status)")
    if d.claim_type == "regulatory_status" and d.kind == "approval" and not RX_NAMES_DRUG.search(t) \
            and RX_APPROVAL_SCOPE.search(t):     # a claim of its own (siftrules.RX_APPROVAL_SCOPE), about other medicines
        return ("an approval that names no ketamine medicine (another drug, or what is approved for a condition): the "
                "evidence base records only ketamine's and esketamine's approvals; check it against the FDA's own "
                "records")
    if d.claim_type == "regulatory_status" and d.kind in ("approval", "spravato") and before_approval(t):
        return before_approval(t)
    if d.claim_type == "regulatory_status" and bare_approval(d, prev):
        return bare_approval(d, prev)
    if d.claim_type == "regulatory_status" and d.kind == "approval" and not RX_NAMES_DRUG.search(t):
        return "a general statement about approvals that names no drug: not a claim about ketamine"
    if d.kind == "fda-program":
        return ("the evidence base records approvals, not the FDA's expedited programmes (fast track, breakthrough "
                "therapy, priority review)")
    if d.kind == "route" and _OTHER_MEDICINE.match(t, d.end - d.sentence.start):
        return ("the route describes another medicine (" + _OTHER_MEDICINE.match(t, d.end - d.sentence.start)
                .group(1).lower() + "), not ketamine or esketamine")
    if d.claim_type in ("durability", "other") and _ILLNESS_DURATION.search(
            t[max(0, d.start - d.sentence.start - 70):d.start - d.sentence.start]):
        return ("this is how long the participants had been ill, not how long an effect lasted; the evidence base "
                "has no curated figure for it")
    if d.claim_type in ("durability", "other", "onset") and _SCHEDULE_SPAN.search(
            t[max(0, d.start - d.sentence.start - 110):d.start - d.sentence.start + 12]):
        return ("this is the time over which the treatments were given, not how fast or how long an effect came "
                "or lasted; the number of treatments is checked on its own")
    a = d.start - d.sentence.start
    at = _AT_SESSIONS.search(t[max(0, a - 25):a]) if (d.unit or "") in ("infusions", "sessions", "treatments",
                                                                           "doses") else None
    # "72% had responded after 10 infusions" and "After 10 infusions, 72% had responded" (editor s4): either way
    # the count is when the figure was measured, not a schedule to check against the study's initial series
    before = bool(at) and bool(_OTHER_FIGURE.search(t[:max(0, a - 5)]))
    after = bool(at) and bool(_OTHER_FIGURE.search(t[d.end - d.sentence.start:]))
    if d.claim_type == "dose_route" and (before or after):
        when = " ".join(t[max(0, a - 25) + at.start():d.end - d.sentence.start].split())
        where = "before" if before else "after"
        return (f"this is when the figure {where} it was measured (“{when}”), not how many infusions were given; "
                "it is checked with that figure")
    if d.claim_type == "design" and _BASED_ON.match(t) and d.start - d.sentence.start < _BASED_ON.match(t).end():
        return ("the design is of what the statement is based on (“" + " ".join(_BASED_ON.match(t).group(1).split())
                + "”), the studies it draws on, not of the study the passage is about; the evidence base records "
                "each study's own design, so it is not compared")
    if d.claim_type == "design" and (d.text or "") == "pilot":
        return ("“pilot” or “proof-of-concept” says what a trial was for, not how it was designed; the study's "
                "recorded design neither confirms nor contradicts it")
    # "the first new drug", "the largest study", "(the first …) in decades" (drugdeliverybusiness_fda_spravato_2019);
    # "used for decades" says how long, not a ranking
    if d.kind == "superlative" or (d.kind == "decades" and re.match(r"(?:in|after)\b", d.quote, re.I)):
        return (f"“{' '.join(d.quote.split())}” compares it with every other drug, study or clinic, before it or "
                "besides it; the evidence base holds only some of them, so it cannot say whether that is so")
    if d.claim_type in ("other", "attribution") and _STUDIED_SINCE.search(t[:d.end - d.sentence.start]) and \
            re.match(r"(?:since|from)\b", d.quote or "", re.I):   # verywellmind_copy_psychedelic_teletherapy
        return ("the sentence says since when the drug has been studied; the evidence base records when studies were "
                "published, not when research on it began")
    if kind_of(d.unit) == "money":
        return "an amount of money is not a claim the evidence base checks"
    if d.negated and d.claim_type != "design":
        what = "figure" if d.value is not None or d.low is not None or d.high is not None else "statement"
        return f"the sentence negates this claim, and a negated {what} is not checked"
    return ""


#: a share of people said before a definition's count: "About 30% of people …", "one in three patients …" (a rate,
#: "a 60% success rate for ketamine with treatment-resistant depression, which is …", counts no one the count defines)
_SHARE_BEFORE = re.compile(r"(?:\b\d+(?:\.\d+)?\s*(?:%|percent\b|per\s+cent\b)|\b(?:one|two)[- ](?:in|out\s+of)[- ]\w+|"
                           r"\b(?:a|one)[- ](?:third|quarter|half|fifth)|\bhalf)\s+(?:of\s+)?(?:the\s+|all\s+|those\s+)?"
                           r"(?:[\w-]+\s+){0,2}?(?:people|patients|adults|individuals|those|persons|sufferers)\b", re.I)


#: a count that refers back to what was named before it ("the two treatments", "these two drugs", "both")
_THE_COUNTED = re.compile(r"\b(?:the|these|those|both\s+of\s+the)\s+$", re.I)


def definition(index, d, res: Resolution | None) -> Link | None:
    """"Patients who have tried at least two antidepressants are considered to have treatment-resistant
    depression": a definition, compared in words with a curated definition of TRD (facts.csv ``trd_definition``)
    when no study is named; the count of failed treatments is the claim ("at least two")."""
    if (res is not None and res.study) or d.low is not None:
        return None
    if d.value is None:   # a definition in words: "two or more therapies have failed"
        m = _TWO_OR_MORE.search(d.quote)
        if d.kind != "trd-definition" or not m or not _TRD_CONTEXT.search(d.sentence.text):
            return None
        n = (m.group(1) or m.group(2)).lower()
        words = "at least " + _NUMBER_WORD.get(n, n)
    elif not _TREATMENTS_TRIED.fullmatch(d.unit or "") or not _TRD_CONTEXT.search(d.sentence.text):
        return None
    elif re.fullmatch(r"trials?", d.unit or "", re.I) and not _TREATMENT_TRIALS.search(
            d.sentence.text[max(0, d.start - d.sentence.start - 30):d.end - d.sentence.start + 60]):
        return None   # a count of studies, not of treatments tried
    else:
        words = _AT_LEAST.get((d.qualifier, int(d.value)) if float(d.value).is_integer() else None)
    if d.value is not None and _THE_COUNTED.search(d.sentence.text[max(0, d.start - d.sentence.start - 12):
                                                                 d.start - d.sentence.start]):
        # "the comparative effectiveness of the two treatments remains uncertain" (a reprinted abstract comparing ECT
        # and ketamine; settle13): the treatments named before, not a count of treatments tried
        return None
    conds = slot_values(d.sentence.text, "condition", refine=False)
    if conds - {"depression", "TRD", "MDD", "any_anxiety"} and not conds & {"depression", "TRD", "MDD"}:
        return None   # "treatment-resistant GAD is defined as …": not the definition of treatment-resistant depression
    defs = [c for c in index.candidates if c.origin == "fact" and _str((c.row or {}).get("attribute")) ==
            "trd_definition"]
    if not words or len(defs) != 1:
        return None
    share = _SHARE_BEFORE.search(d.sentence.text[:d.start - d.sentence.start])
    if share:
        # "About 30% of people receiving treatment for depression will not respond to at least 2 consecutive
        # treatments and are … “treatment-resistant”" (birmingham_esketamine_nice_trd): the count describes whom the
        # share counts; the share is the sentence's claim, and the definition would lend it a verdict of its own
        return abstain(f"the count of treatments describes the people the sentence's figure (“{share.group(0)}”) "
                       "counts; the figure is the claim, checked on its own, and a definition of treatment-resistant "
                       "depression does not settle it")
    c = defs[0]
    return Link(c.recompute, c.source_ids, "found", "", index.describe(c),
                "the definition of treatment-resistant depression", score=WEIGHTS["min_score"], origin=c.origin,
                fact_text=c.text, claimed_text=words, word_claim=True)


def comorbidity(index, d) -> Link | None:
    """"Almost half of those diagnosed with depression also have an anxiety disorder": a share among people with
    one condition, compared in words with a curated comorbidity statement that counts the same way round
    (ADAA: "Nearly one-half of those diagnosed with depression are also diagnosed with an anxiety disorder");
    the other way round ("60% of people with anxiety have depression") it is not compared."""
    if d.claim_type not in TOPIC_TYPES or d.qualifier != "half":
        return None
    t, a = d.sentence.text, d.start - d.sentence.start
    m = _AMONG_PEOPLE_WITH.search(t[a:d.end - d.sentence.start + 45])
    if not m:
        return None
    base = slot_values(m.group(0), "condition", refine=False) & {"depression", "any_anxiety"}
    rest = slot_values(t[a + m.end():], "condition", refine=False) & {"depression", "any_anxiety"}
    if len(base) != 1 or not (rest - base):
        return None
    for c in index.candidates:
        if c.origin != "fact" or _str((c.row or {}).get("attribute")) != "comorbidity" or not c.text:
            continue
        fm = re.search(r"\b(?:of\s+)?(?:those|people|adults|patients)\s+(?:diagnosed\s+)?with\s+([\w\s-]{3,40}?)\s+"
                       r"(?:are|also|have|will)\b", c.text, re.I)
        if fm and slot_values(fm.group(1), "condition", refine=False) & {"depression", "any_anxiety"} == base:
            return Link(c.recompute, c.source_ids, "found", "", index.describe(c),
                        "the comorbidity statement that counts the same way round", score=WEIGHTS["min_score"],
                        origin=c.origin, fact_text=c.text, claimed_text="half", word_claim=True)
    return None


def circular_n(index, d, res: Resolution | None) -> str:
    """Why a sample size that is the sentence's only cue to its study is not checked ('' when it is).

    "In a trial of 40 patients …" names the one study of 40 in the evidence base only by that number; checking
    the 40 against that study would confirm the number with itself. A second cue (a year, a design, route or
    diagnosis the study has) breaks the circle.
    """
    if d.claim_type != "sample_size" or res is None or not res.study or res.from_context or d.value is None:
        return ""
    if not res.basis or not all(b.startswith("n = ") for b in res.basis):
        return ""
    if f"n = {int(d.value)}" not in res.basis:
        return ""
    cues = index.resolver.cues(d.sentence.text, _journal_rx())
    if index.resolver._corroborated(res.study, cues):
        return ""
    return (f"the sample size ({int(d.value)}) is the sentence's only cue to a study, so it cannot also be checked "
            f"against that study ({index.label_of(res.study)} has n = {int(d.value)})")


def sessions_text(v: int, unit: str, record: str) -> str | None:
    """The claimed number of infusions as the engine compares it with a study's ``sessions`` record (free text).

    "6 infusions" against "6 infusions over 2 consecutive weeks" or "up to 6, three times weekly": the record's own
    words ("6 infusions", "6"), which match; a number the record does not contain at all ("8 infusions"): the
    claim's words, which do not. When the number is in the record only elsewhere ("2 infusions" against "6 infusions
    over 2 consecutive weeks"), None: the engine's word match would be fooled, so the claim is not compared."""
    if not record:
        return None
    if re.fullmatch(rf"\s*(?:up\s+to\s+)?{v}\s*(?:\(.*\))?\s*", record) or re.match(rf"\s*(?:up\s+to\s+)?{v}\s*,", record):
        return str(v)
    m = re.search(rf"\b{v}\s+(infusions?|sessions?|doses?|treatments?)\b", record, re.I)
    if m:
        return m.group(0)
    if re.search(rf"(?<![\d.]){v}(?![\d.])", record):
        return None
    return f"{v} {unit}".strip()


#: "non-addictive", "not habit-forming", "no abuse potential", "cannot be abused", "no risk of dependence": a claim
#: that the drug carries no risk of abuse, addiction or dependence
_NO_ABUSE = re.compile(
    r"\bnon[- ]?(?:addictive|habit[- ]forming)\b|"
    r"(?<!\bor\s)\b(?:not|n['’]t|never)\s+(?:\w+\s+){0,2}?(?:addictive|habit[- ]forming|addicting)\b|"
    r"\b(?:no|zero|without\s+(?:any\s+)?)\s*(?:known\s+)?(?:risk\s+of\s+|potential\s+for\s+)?(?:addiction|abuse|dependence|"
    r"misuse)(?:\s+(?:potential|risk|liability))?\b|"
    r"\bno\s+(?:abuse|addiction|dependence)\s+(?:potential|risk|liability)\b|"
    r"\bcan(?:not|['’]t)\s+be\s+(?:abused|misused)\b|\bcan(?:not|['’]t)\s+(?:become\s+)?(?:get\s+)?addicted\b", re.I)
#: "when used as prescribed", "under medical supervision", "at these low doses": the claim is limited to one use
_LIMITED_USE = re.compile(r"\b(?:when|if|as)\s+(?:\w+\s+){0,3}?(?:used|taken|given|administered|prescribed|directed)\b"
                          r"(?:\s+(?:as\s+)?(?:prescribed|directed|intended))?|"
                          r"\bunder\s+(?:\w+\s+){0,2}?supervision\b|\bin\s+(?:a|our)\s+(?:\w+\s+)?(?:clinical|medical|"
                          r"controlled)\s+setting|\bat\s+(?:these\s+|such\s+|the\s+)?(?:low|therapeutic|sub-?anesthetic)\s+dos",
                          re.I)
#: the facts that settle it: the drug's label (Schedule III, abuse and misuse, physical dependence) and, for
#: esketamine, the FDA's reason for its restricted programme ("the potential for abuse and misuse of the drug")
_ABUSE_FACTS = {"ketamine": ("ketamine_label_dependence", "ketamine_label_abuse", "ketamine_label_schedule_iii"),
                "esketamine": ("fda_esketamine_rems",)}


def abuse_claim(index, d, prev: str = "") -> Link | None:
    """"Ketamine is non-addictive" / "has no abuse potential" / "is not habit-forming": contradicted by the curated
    label and FDA facts, with the written justification (a hand-set verdict, ``contradiction``).

    Justification: the ketamine label (section 9, Pfizer Medical Information) says ketamine is "a Schedule III
    controlled substance under the Controlled Substance Act", that individuals "may be at greater risk for abuse
    and misuse" and that "Physical dependence has been reported with prolonged use of ketamine"; the FDA restricts
    esketamine (Spravato) because of "the potential for abuse and misuse of the drug" (FDA news release, 5 March
    2019). A drug with a recorded risk of abuse and reported physical dependence is not "non-addictive". A claim
    limited to one use ("when used as prescribed", "under medical supervision") is not settled by them (the label
    does not say how often that use leads to abuse), and abstains; "safe" alone names no risk and is not checked here.
    Returns None when the claim is not such a statement (it is then linked as usual)."""
    if d.claim_type not in ("safety", "other", "comparison"):
        return None     # (before the search: every linked claim asks, and most are of other types)
    t, a, b = d.sentence.text, d.start - d.sentence.start, d.end - d.sentence.start
    lo = max(0, a - 40)
    m = next((m for m in _NO_ABUSE.finditer(t, lo, min(len(t), b + 40)) if m.start() < b + 5 and m.end() > a - 5), None)
    if m is None:
        return None
    from evidence.check.regulatory import claim_drugs

    drugs = claim_drugs(d) or ({"esketamine"} if re.search(r"\besketamine\b|\bspravato\b", prev, re.I) else
                               {"ketamine"} if re.search(r"\bketamine\b", f"{t} {prev}", re.I) else set())
    if len(drugs) != 1:
        return abstain("the sentence does not say which drug it calls free of abuse or addiction")
    limited = _LIMITED_USE.search(t)
    if limited:
        return abstain(f"the sentence limits the claim to one use (“{limited.group(0).strip()}”); the label records a "
                       "risk of abuse and reported physical dependence, not how often that use leads to them, so it "
                       "neither confirms nor contradicts the claim")
    drug = next(iter(drugs))
    if drug == "esketamine" and re.search(r"physic", m.group(0), re.I):
        return abstain("the evidence base records esketamine's potential for abuse and misuse (the reason for its "
                       "restricted programme), not whether it causes physical dependence")
    cands = {_str((c.row or {}).get("fact_id")): c for c in index.candidates if c.origin == "fact"}
    found = [cands[f] for f in _ABUSE_FACTS[drug] if f in cands]
    if not found:
        return None
    c = found[0]
    said = m.group(0).strip()
    if drug == "esketamine":
        why = (f"the claim says “{said}”, but the FDA restricts esketamine (Spravato) because of “the potential for "
               "abuse and misuse of the drug”")
    else:
        why = (f"the claim says “{said}”, but ketamine's label calls it “a Schedule III controlled substance”, warns "
               "of a “risk for abuse and misuse” and says “Physical dependence has been reported with prolonged use "
               "of ketamine”")
    srcs = tuple(dict.fromkeys(x for f in found for x in f.source_ids))
    return Link(c.recompute, srcs, "found", "", index.describe(c), "the drug's label and the FDA's facts on abuse",
                score=WEIGHTS["min_score"], origin=c.origin, fact_text=c.text, contradiction=why)
