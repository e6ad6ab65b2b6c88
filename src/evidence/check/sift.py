"""What ``evidence check`` lists as *not a claim*, and why, in words (issue 15, Deliver 6; review item 6).

Detection finds every figure and every claim-like phrase; this module sorts what it found into

* **claims** — what an editor should check (they go on to the verdict table), and
* **not a claim** — numbers and phrases that are not statements about the evidence: prices, the clinic's own
  patient counts and experience, ratings, opening hours, a time in someone's story, a design or population the
  text repeats about the same study. Each is listed with the reason in words and never gets a
  verdict, so nothing found is silently dropped.

A third group is merged away silently because it is part of another claim, not a claim of its own: the same
span detected twice, a bare connective ("Compared to", "versus"), a bare "is considered" (how something is
regarded: the claim, if any, is what follows it, and the claim-sentence classifier may still list the sentence) and a
durability adjective that qualifies no effect ("persistent fear", "maintenance program"). None of these carries a
number.

The codes (``reason_code``) stay in a field of their own beside the words (``reason``).
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import NamedTuple

from evidence import vocab
from evidence.check.patterns import non_claim_matches
from evidence.check.siftrules import why_not_in_sentence, why_source_entry

#: editors' words for each non-claim pattern of :data:`evidence.check.patterns.NON_CLAIMS`, by its name
MASK_REASONS: dict[str, str] = {
    "price": "a price: not a claim to check",
    "discount": "a discount: not a claim to check",
    "financing": "financing terms: not a claim to check",
    "rating": "a rating from reviews: not a claim to check",
    "reviews": "a count of reviews or reviewers: not a claim to check",
    "experience": "the clinic's own experience: it needs the clinic's own source, not the evidence base",
    "clinics": "the clinic's own figure (its locations): it needs the clinic's own source",
    "clinic_patients": "the clinic's own figure: it needs the clinic's own source, not the evidence base",
    "step": "a step of the clinic's procedure: not a claim to check",
    "hours": "opening hours: not a claim to check",
    "phone": "a phone number: not a claim to check",
    "address": "a street address: not a claim to check",
    "definition": "a threshold that defines response or remission: part of the claim it defines",
    "cookies": "a cookie or consent notice: not part of the article",
    "copyright": "a copyright line: not part of the article",
    "reading_time": "the page's reading time: not part of the article",
    "publisher": "the publisher's description of itself: not part of the article",
    "forecast": "a forecast or target (what someone expects or aims to do): not a finding to check",
    "financials": "a company's financial results: not a finding about ketamine",
    "post_meta": "a post's date or reply count: not part of the article",
    "teaser": "a teaser for another article: not part of the article",
    "page_age": "the page's age notice (“This story is over 5 years old”): not part of the article",
}

REASON_STORY = "a time in someone's story or a date, not a finding: not a claim to check"
REASON_HEDGED = "hedged (“may …”): it asserts no finding to check"
REASON_OTHER_TREATMENTS = ("describes who the patients are (not helped by other treatments), not a finding about "
                           "the treatment the article is about")
REASON_CLINIC_SELF = "the clinic's own claim about itself: it needs the clinic's own source, not the evidence base"
REASON_DISCLAIMER = "a disclaimer (“not a cure”): it asserts no finding to check"
REASON_ADVICE = "advice to the reader (“always choose …”), not a claim to check"
REASON_METHOD = "describes what the study measured, not what it found: not a claim to check"
REASON_CONDITION = "describes the condition, not a treatment or a study: not a claim to check"


class Sifted(NamedTuple):
    claims: list[dict]
    non_claims: list[dict]


# a duration or date in a story: "14 years later", "two years on from the study", "after years of depression",
# "For more than 30 years, Holly's anxiety …", "last year"
_STORY = re.compile(
    r"\b(?:years?|months?|weeks?|decades?)\s+(?:later|on\s+from|on\b(?=\s*,))|"
    r"\bafter\s+(?:\w+\s+)?(?:years|months|decades)\s+of\s+(?:depression|anxiety|suffering|struggl\w*|trying|"
    r"treatment|therapy|illness|pain)\b", re.I)
# a date relative to the page ("last year") is a story's unless the sentence dates a publication or a study
_RELATIVE_DATE = re.compile(r"\b(?:last|this|next)\s+(?:year|month|week|summer|winter|spring|fall|autumn)\b", re.I)
_DATES_A_STUDY = re.compile(r"publish|\bstudy\b|\btrial\b|\bjournal\b|\breport(?:ed)?\b|approv", re.I)
_LATER = re.compile(r"later$", re.I)
#: a person the sentence tells of ("she still takes ketamine", "Holly's anxiety", "I've seen")
_SOMEONE = re.compile(r"\b(?:she|he|her|his|him|I|my|me)\b|\b(?!Ketamine|Esketamine|Spravato)[A-Z][a-z]+['’]s\b")
_STORY_LEAD = re.compile(r"^\W*(?i:for)\s+(?:more\s+than\s+|over\s+|nearly\s+|almost\s+|about\s+)?[\w-]+\s+(?:years|months)"
                         r"\s*,\s*[A-Z][\w-]*['’]s\b")
_TIME_KINDS = frozenset({"duration-num", "years-ago", "within", "durability", "duration-bare", "decade", "decades",
                         "duration"})

# the sentence is about a treatment or a study (else a durability/efficacy word describes the condition)
# ("Patients reported marked improvements": what patients reported is an outcome)
_ANCHOR = re.compile(r"ketamine|esketamine|spravato|infusion|injection|treat|therap|drug|medic|antidepress|"
                     r"\b(?:patients|participants)\s+(?:\w+\s+)?(?:reported|experienced|showed|saw|had)\b|"
                     r"\bdos(?:e|es|ing)\b|stud(?:y|ies)|trial|research|analys|review|evidence|data\b|clinic|"
                     r"respon|remission|relapse|placebo|benefit|relief|effect", re.I)
_HEDGE = re.compile(r"\b(?:may|might|could)\s+(?:also\s+|well\s+|still\s+)?(?:\w+\s+){0,2}$", re.I)
# ("non-response", "inadequate symptom relief from available treatments": who the patients are, too)
_NO_BENEFIT = re.compile(r"non-?respon\w*|(?:inadequate|insufficient|limited|partial)\s+(?:\w+\s+)?(?:relief|response|"
                         r"benefit|effectiveness)|"
                         r"(?:not|n['’]t|never|failed\s+to|little\s+(?:or|to)\s+no|no)\s+(?:\w+\s+)?"
                         r"(?:respon\w*|benefit\w*|improve\w*|relief|help\w*)", re.I)
#: a bare response word whose negation stands before it, outside the item ("whose depression hasn’t responded to
#: other antidepressants": the approval item holds "hasn’t"): who the patients are, as :data:`_NO_BENEFIT` (review9 #12)
_NEGATED_WORD = re.compile(r"respon\w*|benefit\w*|improve\w*|help\w*", re.I)
_NEGATION_BEFORE = re.compile(r"(?:\b(?:not|never|failed\s+to)|n['’]t)\s+(?:\w+\s+)?$", re.I)
_OTHER_TREATMENTS = re.compile(r"^[^.;]{0,50}?\b(?:to|from|with)\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?(?:medications?|classes\s+of|"
                               r"antidepressants?|treatments?|therapies|SSRIs?|drugs)\b", re.I)
_IMPERATIVE = re.compile(r"\s+(?:choose|ask|consult|talk|check|make\s+sure|seek|speak|tell|call|read|follow|"
                         r"discuss|use)\b", re.I)
_METHOD_VERB = re.compile(r"\b(?:were|was)\s+(?:also\s+)?(?:assessed|measured|examined|evaluated|analy[sz]ed|recorded|"
                         r"explored|investigated)\b", re.I)
_FOUND_VERB = re.compile(r"\b(?:found|showed|shown|revealed|reduced|improved|significant)", re.I)
_TOPIC_KINDS = frozenset({"durability", "efficacy", "compare", "absolute"})
#: a comparison of women and men ("affecting females twice more often than males") is a prevalence claim
_SEXES = re.compile(r"\b(?:women|men|females?|males?)\b[^.;]{0,60}?\b(?:women|men|females?|males?)\b", re.I)
#: an approval the sentence dates ("In January 2025, the FDA expanded its approval", "FDA-approved … in 1970") or
#: ranks ("the first and only FDA-approved nasal spray"): its date or rank is a claim of its own, so it is never
#: merged into another approval statement
_DATED = re.compile(r"\b(?:19|20)\d{2}\b|\b(?:first|only|sole)\b", re.I)

# a bare connective or a durability adjective that qualifies no effect
_CONNECTIVE = re.compile(r"(?:compared\s+(?:to|with)|in\s+comparison(?:\s+(?:to|with))?|versus|vs\.?|unlike|"
                         r"in\s+contrast(?:\s+to)?|whereas)", re.I)
_REGARDED = re.compile(r"(?:is|are)\s+considered", re.I)
_AFFILIATION = re.compile(r"\b(?:psychiatrist|researcher|professor|scientist|doctor|physician|director|chair|"
                          r"fellow|author|investigator)\s+(?:and\s+\w+\s+)?(?:at|of|from|with)\s+(?:the\s+)?$", re.I)
# (one person's post; "researchers at Yale randomly assigned …" names who ran the study and stays listed)
_DURABLE_WORD = re.compile(r"(?:long[- ]lasting|lasting|persistent|long[- ]term|sustained|enduring|maintenance)", re.I)
_EFFECT_NOUN = re.compile(r"\s+(?:[\w'’-]+\s+){0,2}?(?:relief|effects?|results?|benefits?|improvements?|response|"
                          r"remission|reductions?|change|antidepressant|anxiolytic|recovery|outcomes?)\b", re.I)


#: a masked phrase that ends on an abbreviation's full stop: "10 a.m. to 2 p.m.", "Mon.–Fri."
_ABBREVIATION_END = re.compile(r"(?:\b[ap]\.m|\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun))\.$", re.I)


def mask_non_claims_listed(sentences) -> list[dict]:
    """The figures the non-claim masks blanked out (prices, ratings, phone numbers …), as not-a-claim items."""
    out = []
    for s in sentences:
        found = []
        for a, b, name in non_claim_matches(s.text):
            quote = s.text[a:b].strip().rstrip(",;:")
            # "$2,400." ends the sentence; the price is "$2,400"; "2 p.m." keeps its full stop (settle12)
            quote = quote if _ABBREVIATION_END.search(quote) else quote.rstrip(".,;:")
            if not re.search(r"\d", quote):
                continue          # a masked phrase without a number (a cookie line, "financing") lists nothing
            lead = len(s.text[a:b]) - len(s.text[a:b].lstrip())
            found.append(_item(quote, s.start + a + lead, s.text, s.start, name, MASK_REASONS.get(name, name)))
        # a masked phrase inside a longer one of the same sentence is listed once, as the longer ("Rated 4.9" inside
        # "Rated 4.9 out of 5 by 312 patients")
        out += [x for x in found if not any(y is not x and y["start"] <= x["start"] and x["end"] <= y["end"]
                                            and (y["end"] - y["start"]) > (x["end"] - x["start"]) for y in found)]
    return out


def _item(quote: str, start: int, sentence: str, sentence_start: int, code: str, reason: str) -> dict:
    return {"quote": quote, "start": start, "end": start + len(quote), "sentence": sentence,
            "sentence_start": sentence_start, "not_a_claim": True, "reason": reason, "reason_code": code,
            "verdict": None, "verdict_label": "", "holds": None, "checkable": False}


def _as_non_claim(c: dict, code: str, reason: str) -> dict:
    return _item(c["quote"], c["start"], c["sentence"], c["sentence_start"], code, reason)


def _local(c: dict, width: int = 40) -> tuple[str, str]:
    """(text before the quote, text after it) in its sentence."""
    s, a = c["sentence"], c["start"] - c["sentence_start"]
    return s[max(0, a - width):a], s[a + len(c["quote"]):a + len(c["quote"]) + width]


def why_not_a_claim(c: dict) -> tuple[str, str] | None:
    """(code, reason in words) when a detected claim is not a claim to check, else None."""
    kind, sent = c.get("detector") or "", c["sentence"]
    left, right = _local(c)
    if kind == "superlative" and re.search(r"clinic|practice|cent(?:er|re)|provider|office|team", c["quote"], re.I) \
            and re.search(r"\b(?:we|our|us)\b", sent, re.I):
        return "clinic_self", REASON_CLINIC_SELF     # "we are the only ketamine clinic to offer …"
    if kind == "schedule" and (_STORY.search(sent) or _STORY_LEAD.match(sent)):
        return "story_time", REASON_STORY      # "Two years on, she still takes ketamine twice a week"
    if kind in _TIME_KINDS:
        around = left + c["quote"] + right
        story = _STORY.search(around)
        if story and _LATER.search(story.group(0)) and _DATES_A_STUDY.search(sent) and not _SOMEONE.search(sent):
            story = None   # "Two years later Time magazine published a story …": a date in a history, not a person's
        if story or (_STORY_LEAD.match(sent) and c["start"] - c["sentence_start"] < 30) \
                or (_RELATIVE_DATE.search(around) and not _DATES_A_STUDY.search(sent)):
            return "story_time", REASON_STORY
    if kind in _TOPIC_KINDS and c.get("qualifier") == "categorical" and not _ANCHOR.search(sent) \
            and not (kind == "compare" and _SEXES.search(sent)):
        return "condition", REASON_CONDITION
    # ("not a cure", "can't be counted on to cure depression")
    if kind == "absolute" and re.search(r"\b(?:not|never|no)\s+(?:an?\s+)?$|\b(?:can['’]t|cannot|won['’]t|will\s+not)\s+"
                                        r"(?:[\w'’]+\s+){0,4}?(?:to\s+)?$", left, re.I):
        return "disclaimer", REASON_DISCLAIMER
    if kind == "absolute" and _IMPERATIVE.match(right):
        return "advice", REASON_ADVICE
    if kind in ("efficacy", "durability") and _METHOD_VERB.search(sent) and not _FOUND_VERB.search(sent):
        return "method", REASON_METHOD
    if kind == "efficacy" and _HEDGE.search(left):
        return "hedged", REASON_HEDGED
    far_right = _local(c, 80)[1]
    if kind == "efficacy" and (_NO_BENEFIT.fullmatch(c["quote"].strip()) or re.search(
            r"\b(?:inadequate|insufficient|limited|partial)\s+$", left, re.I) or _NEGATED_WORD.fullmatch(
            c["quote"].strip()) and _NEGATION_BEFORE.search(left)) and _OTHER_TREATMENTS.match(far_right) \
            and not re.search(r"ketamine", far_right[:50], re.I):
        return "other_treatments", REASON_OTHER_TREATMENTS
    return None


def merged_away(c: dict, same_sentence: list[dict], checked_approval: bool = False) -> bool:  # noqa: ARG001
    """Is this item part of another claim rather than a claim of its own (see the module's docstring)?"""
    kind, quote = c.get("detector") or "", c["quote"].strip()
    if kind == "compare" and _CONNECTIVE.fullmatch(quote) or kind == "absolute" and _REGARDED.fullmatch(quote):
        return True      # "is considered" alone: how something is regarded; the claim is what follows it
    if kind == "efficacy" and re.search(r"\b(?:these|those|such|the\s+same)\s+$", _local(c)[0], re.I):
        return True      # "Despite these promising results": refers back to findings stated before
    if kind == "org" and not c.get("checkable") and _AFFILIATION.search(c["sentence"][:max(0, c["start"] -
                                                                                          c["sentence_start"])]):
        return True      # "a psychiatrist at Columbia University": who someone is, not a source cited
    if kind == "approval" and not c.get("checkable") and checked_approval and str(c.get("reason") or "").startswith(
            "a general approval statement") and not _DATED.search(c["sentence"]):
        return True      # "Receives FDA Approval": what it is approved for is checked where the text says it
    if kind == "durability" and _DURABLE_WORD.fullmatch(quote):
        _, right = _local(c)
        if quote.lower() == "maintenance" or not _EFFECT_NOUN.match(right):
            return True
    return False


def _same_span_rank(c: dict) -> tuple:
    return (not c.get("checkable"), c.get("id") or 0)


def sift(claims: list[dict], sentences=()) -> Sifted:
    """Split checked items into claims and not-a-claim items (see the module's docstring)."""
    non: list[dict] = mask_non_claims_listed(sentences)
    by_span: dict[tuple[int, int], dict] = {}
    for c in claims:
        k = (c["start"], c["end"])
        if k not in by_span or _same_span_rank(c) < _same_span_rank(by_span[k]):
            by_span[k] = c
    checked: dict[int, list[tuple[int, int]]] = {}     # per sentence: an item lies inside its own sentence
    for c in claims:
        # the classifier's whole-sentence back-up contains every item of its sentence: it never hides them
        if c.get("checkable") and c.get("detector") != "sentence-claim":
            checked.setdefault(c["sentence_start"], []).append((c["start"], c["end"]))
    spans_of: dict[int, list[tuple[int, int]]] = {}     # the spans of figure items, per sentence
    for c in claims:
        if c.get("claimed_value") is not None or c.get("claimed_low") is not None:
            spans_of.setdefault(c["sentence_start"], []).append((c["start"], c["end"]))
    # an unchecked item inside a checked one, or strictly inside a figure ("3 months" in "every 3 months"), is part
    # of that claim
    kept = [c for c in claims if by_span[(c["start"], c["end"])] is c
            and (c.get("checkable") or not any(a <= c["start"] and c["end"] <= b
                                               for a, b in checked.get(c["sentence_start"], ()))
                 and not any(a <= c["start"] and c["end"] <= b and b - a > c["end"] - c["start"]
                             for a, b in spans_of.get(c["sentence_start"], ())))]
    checked_approval = any(c.get("detector") == "approval" and c.get("checkable") for c in kept)
    by_sentence: dict[int, list[dict]] = {}
    for c in kept:
        by_sentence.setdefault(c["sentence_start"], []).append(c)
    heading_of = _headings(sentences)
    out: list[dict] = []
    for c in kept:
        if merged_away(c, by_sentence[c["sentence_start"]], checked_approval):
            continue
        why = why_source_entry(c, heading_of.get(c["sentence_start"])) or why_not_a_claim(c) \
            or why_not_in_sentence(c, by_sentence[c["sentence_start"]])
        if why:
            non.append(_as_non_claim(c, *why))
        else:
            out.append(c)
    out = _repeated_headings(_first_mentions(_classifier_backup(_route_lists(out), non), non), non)
    out = _own_publisher(out, non, sentences)
    non.sort(key=lambda x: (x["start"], x["end"]))
    return Sifted(out, _outermost(non))


#: the page naming itself: "We do not endorse non-Cleveland Clinic products", "© 2025 Mayo Foundation", "Copyright
#: Acme Health", "Cleveland Clinic is a non-profit academic medical center", "Here at Acme Clinic, we …" (``{org}`` is
#: the organisation's name, escaped)
_SELF_NAMING = (r"\bnon-{org}\b", r"(?:©|\(c\)|\bcopyright\b)\s*(?:\d{{4}}\s*(?:[-–]\s*\d{{4}}\s*)?)?(?:the\s+)?{org}\b",
                r"^\W*{org}\s+is\s+an?\s+(?:non-?profit|not-for-profit|nonprofit)\b",
                r"\b(?:here\s+)?at\s+(?:the\s+)?{org},?\s+(?:we|our)\b")
REASON_OWN_PUBLISHER = ("the page names its own publisher (it says so of itself: “non-…”, ©, “at …, we”); the page "
                        "naming itself is not a source it cites")


def _own_publisher(claims: list[dict], non: list[dict], sentences) -> list[dict]:
    """An organisation named as a source on its own page is not a citation (settle12: "Cleveland Clinic" on Cleveland
    Clinic's page was listed as one): an unchecked organisation item whose name the page uses of itself
    (:data:`_SELF_NAMING`) is set aside as not a claim."""
    orgs = {c.get("named_source") or c["quote"] for c in claims if c.get("detector") == "org" and not c.get("checkable")}
    if not orgs:
        return claims
    own = _self_named(orgs, [s.text for s in sentences])
    if not own:
        return claims
    keep = []
    for c in claims:
        if c.get("detector") == "org" and not c.get("checkable") and (c.get("named_source") or c["quote"]) in own:
            non.append(_as_non_claim(c, "own_publisher", REASON_OWN_PUBLISHER))
        else:
            keep.append(c)
    return keep


#: a sentence can name its page only if it has one of :data:`_SELF_NAMING`'s own words ("non-", ©, "(c)",
#: "copyright", "profit" of non-profit/not-for-profit/nonprofit, "at" before a space): a necessary condition of each
#: pattern, with the same flag, so a sentence without any is never searched for any organisation
_SELF_NAMING_WORDS = re.compile(r"non-|©|\(c\)|copyright|profit|\bat\s", re.I)


def _self_named(orgs: set[str], texts: list[str]) -> set[str]:
    """The organisations of ``orgs`` that some text names as its page (:data:`_SELF_NAMING`): the same answer as
    searching every pattern of every organisation in every text (settle12's definition, kept in
    ``tests/test_check_speed.py``), found in one pass per organisation: only the texts that have a self-naming word
    (:data:`_SELF_NAMING_WORDS`) and the organisation's name itself (same case rule, ``re.I``) are searched (the
    scan of every pair was quadratic in a corpus: tens of organisations times tens of thousands of sentences)."""
    texts = [t for t in texts if _SELF_NAMING_WORDS.search(t)]
    if not texts:
        return set()
    joined = "\x00".join(texts)        # no organisation's name holds a NUL, so no match crosses two texts
    starts, at = [], 0
    for t in texts:
        starts.append(at)
        at += len(t) + 1
    own = set()
    for o in orgs:
        name = re.escape(o)
        found = sorted({bisect_right(starts, m.start()) - 1 for m in re.finditer(name, joined, re.I)})
        if not found:
            continue
        patterns = [re.compile(p.format(org=name), re.I) for p in _SELF_NAMING]
        if any(p.search(texts[i]) for i in found for p in patterns):
            own.add(o)
    return own


def _outermost(non: list[dict]) -> list[dict]:
    """The not-a-claim items without those inside another set aside for the same reason: "Nasal Spray" inside the
    sentence "Our Spravato (esketamine) Nasal Spray Side Effects Drug Center provides …", both the page describing
    its own contents, is said once (review9 #15)."""
    inside = _inside_another(non)
    return [n for i, n in enumerate(non) if i not in inside]


def _inside_another(non: list[dict]) -> set[int]:
    """Indexes of the items lying inside a longer item of the same reason code (one sort per code, not a scan of
    every pair: a corpus sets tens of thousands aside). Item o holds n, longer, when o starts before n and ends at or
    after it, or starts with it and ends after it (the same span is not longer)."""
    by_code: dict = {}
    for i, n in enumerate(non):
        by_code.setdefault(n.get("reason_code"), []).append(i)
    inside: set[int] = set()
    for idx in by_code.values():
        idx.sort(key=lambda i: (non[i]["start"], -non[i]["end"]))
        reach = None          # the furthest end of the items starting before the current start
        k = 0
        while k < len(idx):
            s0 = non[idx[k]]["start"]
            j = k
            while j < len(idx) and non[idx[j]]["start"] == s0:
                j += 1
            first_end = non[idx[k]]["end"]      # the longest item starting here (ends sorted high to low)
            for i in idx[k:j]:
                e = non[i]["end"]
                if (reach is not None and reach >= e) or first_end > e:
                    inside.add(i)
            reach = first_end if reach is None else max(reach, first_end)
            k = j
    return inside


def _headings(sentences) -> dict[int, str]:
    """The heading of the section each sentence stands in (:func:`evidence.check.detect.sections`), by its start."""
    from evidence.check.detect import sections

    sentences = list(sentences)
    return {s.start: h for s, h in zip(sentences, sections(sentences)) if h}


#: not-a-claim codes of items that are part of the sentence's other words, not a verdict on the sentence: they never
#: keep the classifier's back-up from listing the sentence or a clause of it. Besides the item's place in the sentence
#: (apposition, the source of a neighbour, the same statement, context), a code that judges one word or phrase passes:
#: a condition named as a topic, a bare efficacy word, an affiliation, other treatments that failed, a hedged word
#: ("may help"): the rest of the sentence may still state a claim of its own. Measured leave-one-split-out (session 7,
#: 885 claims): detection 727 → 735, items outside 243/1231 → 247/1242; "story_time", "promise" and "no_drug" were
#: measured too and left out (each added more items outside than detections). "background_use" (session 9: a bare
#: anaesthetic description) passes too: set aside as blocking, train detection fell 1265 → 1261 (the sentence's other
#: clause, "derived from … PCP", was no longer backed up); passing, 1265 kept
PASSING_CODES = frozenset({"appositive", "background_use", "source_of_neighbour", "same_statement", "context", "condition", "bare_efficacy",
                           "affiliation", "other_treatments", "hedged", "entry_title"})


def _classifier_backup(claims: list[dict], non: list[dict]) -> list[dict]:
    """The claim-sentence classifier's item (the whole sentence, :mod:`evidence.check.claimclf`) backs up the
    detectors: it is listed whole when no detector's claim of the same sentence is listed, and no item of the
    sentence was found not to be a claim (a price, a procedure step, a testimonial …: the rules read it already).
    When a detector's claim covers one clause of a sentence that states several ("approved in 1970 and has an
    excellent safety record"), each other clause that carries a claim of its own (:func:`claimclf.own_clauses`)
    and holds no listed item and no not-a-claim item is listed in the sentence's place, and so is the uncovered
    remainder of a clause an item lists part of (:func:`_parts_listed`)."""
    listed = {}
    for c in claims:
        if c.get("detector") != "sentence-claim":
            listed.setdefault(c["sentence_start"], []).append((c["start"], c["end"]))
    # an item set aside because it belongs to the sentence's other words (a phrase in apposition, the source of a
    # claim beside it) says nothing against the rest of the sentence
    spans = sorted((x["start"], x["end"]) for x in non if x.get("reason_code") not in PASSING_CODES)
    starts = [a for a, _ in spans]    # the not-a-claim items starting inside a sentence, by bisection (linear time)
    out = []
    for c in claims:
        if c.get("detector") != "sentence-claim":
            out.append(c)
            continue
        taken = listed.get(c["sentence_start"], []) + spans[bisect_left(starts, c["start"]):
                                                            bisect_left(starts, c["end"])]
        if not taken:
            out.append(c)
            continue
        if not listed.get(c["sentence_start"]):
            continue       # the rules found a not-a-claim item and no claim: they read the sentence already
        out.extend(_parts_listed(c, taken))
    out.extend(_parts_of_unbacked(claims, listed, spans, starts))
    # a hedge the back-up now lists "not checkable here" is not also listed as not a claim (one entry per statement),
    # nor is ketamine described as an anaesthetic inside it (review11: "Originally used as an anesthetic, ketamine has
    # shown …" was listed whole as a claim and its first words as not a claim; the corpus labels such sentences as
    # claims, measured: listing only the parts beside the description lost 13 labelled claims of the train splits)
    inside = _Cover((c["start"], c["end"]) for c in out if c.get("detector") == "sentence-claim")
    non[:] = [x for x in non if not (x.get("reason_code") in ("hedged", "background_use")
                                     and inside.covers(x["start"], x["end"]))]
    return out


def _parts_of_unbacked(claims: list[dict], listed: dict, spans: list, starts: list) -> list[dict]:
    """The parts (:func:`_parts_listed`) of each sentence that has a listed item but no back-up of the classifier's
    (the sentence scored below its threshold). Session 12 (words13): a sentence's other clauses and remainders were
    read only when the whole sentence scored as a claim, yet a sentence whose claim a detector lists in part is a
    claim sentence whatever its score; its uncovered parts are scored on their own, at their own thresholds
    (``claimclf.CLAUSE_THRESHOLD``, ``units.THRESHOLD``). Each is not checkable here; the sentence itself is never
    listed. Not while the classifier is off (``claimclf.ENABLED``: what the detectors find alone, the classifier's
    training data)."""
    from evidence.check import claimclf

    if not claimclf.ENABLED:
        return []
    backed = {c["sentence_start"] for c in claims if c.get("detector") == "sentence-claim"}
    out, done = [], set()
    for c in claims:
        s0 = c["sentence_start"]
        if c.get("detector") == "sentence-claim" or s0 in backed or s0 in done:
            continue
        done.add(s0)
        end = s0 + len(c["sentence"])
        taken = listed.get(s0, []) + spans[bisect_left(starts, s0):bisect_left(starts, end)]
        # the sentence as the back-up would stand, unchecked: its parts carry no verdict of the item it is built from
        base = {**c, **_UNBACKED_BASE, "start": s0, "end": end}
        out.extend(_parts_listed(base, taken, unbacked=True))
    return out


#: the fields of the item a sentence's parts are built from that are the item's own (its figure, what was recomputed
#: for it): a part is the sentence's words, unchecked, as the classifier's back-up of it would be
_UNBACKED_BASE = {"checkable": False, "detector": "sentence-claim", "claimed_value": None, "claimed_low": None,
                  "claimed_high": None, "claimed_unit": None, "qualifier": "categorical", "named_source": None,
                  "recomputed_low": None, "recomputed_high": None, "certainty": ""}


class _Cover:
    """Spans, sorted by start with the furthest end reached so far: whether one of them covers a span is one
    bisection (not a scan of every span: a corpus has thousands of back-ups and of hedges)."""

    def __init__(self, spans):
        spans = sorted(spans)
        self.starts = [a for a, _ in spans]
        self.reach = []
        far = None
        for _, b in spans:
            far = b if far is None else max(far, b)
            self.reach.append(far)

    def covers(self, start: int, end: int) -> bool:
        """Does a span ``(a, b)`` with ``a <= start`` and ``end <= b`` exist?"""
        k = bisect_right(self.starts, start)
        return k > 0 and self.reach[k - 1] >= end


#: why a part of a sentence listed on its own (:func:`_parts_listed`) is not checked: in plain words
REASON_PART = ("this part of the sentence states a claim of its own that the evidence base does not record; check it "
               "by hand against the source it relies on")


def _parts_listed(c: dict, taken: list[tuple[int, int]], unbacked: bool = False) -> list[dict]:
    """The parts of the classifier's sentence ``c`` that carry a claim of their own and that no listed or set-aside
    item (``taken``) touches: each clause of its own (:func:`claimclf.own_clauses`) and, in a clause an item lists
    part of, the uncovered remainder (:func:`evidence.check.units.remainders`: an apposition, a parenthesis, an
    attribute, a second predicate), each not checkable here. A clause of a sentence whose verdict was given whole
    keeps that verdict's words only when it is the sentence's own reading (never: the verdict was the sentence's)."""
    from evidence.check.claimclf import claim_frame, own_clauses
    from evidence.check.units import remainders

    s0, sent = c["sentence_start"], c["sentence"]
    spans = [(a, b) for a, b in own_clauses(sent, s0) if not any(x < b and a < y for x, y in taken)]
    rest = [(a + s0, b + s0) for a, b in remainders(sent, [(x - s0, y - s0) for x, y in taken])]
    out = []
    for a, b in sorted(set(spans) | {r for r in rest if not any(x < r[1] and r[0] < y for x, y in spans)}):
        quote = sent[a - s0:b - s0]
        frame = claim_frame(quote)
        # what the part claims is its own words, not its sentence's
        item = {**c, "start": a, "end": b, "quote": quote, "claimed": quote,
                "claimed_text": re.sub(r"\s+", " ", quote.lower()), "claim_type": frame["claim_type"],
                "claim_type_label": vocab.word("claim_type", frame["claim_type"]), "negated": frame["negated"]}
        if frame["claim_type"] != c.get("claim_type") and not c.get("checkable"):
            # the sentence's advice was for its own type ("check it against the FDA label" for an approval): a clause
            # read as another type gets the general advice (review9, editor run: the label advice for a book's
            # publication in a history)
            item["suggestion"] = _NOT_CHECKED_PART["suggestion"]
        if c.get("checkable") or unbacked or (a, b) not in spans:
            for k in _VERDICT_EXTRAS:
                item.pop(k, None)
            item.update(_NOT_CHECKED_PART)
        out.append(item)
    return out


#: fields a verdict adds to an item (a correction, what was recomputed): not a part's, whose verdict is not given
_VERDICT_EXTRAS = ("correction", "recomputed", "recomputed_text", "verdict_override", "override_justification")
#: the fields of a part listed on its own: not checkable here, in words, with no source or verdict of the sentence's
_NOT_CHECKED_PART = {
    "verdict": "not_checkable", "verdict_label": "Not checkable here", "holds": None, "rating": None,
    "checkable": False, "abstained": True, "reason": REASON_PART, "explanation": "Not checkable here: " + REASON_PART + ".",
    "recompute": "", "source_ids": [], "evidence_status": "", "study": "", "study_label": "", "compared_with": "",
    "why_this_source": "", "link_basis": "", "evidence": "", "certainty": "", "sources": [], "source_names": [],
    "suggestion": "Name the study or official source behind this statement, or soften it to what a cited source supports.",
}


def _heading_key(sentence: str) -> str | None:
    """The words of a heading line (a title: :func:`evidence.check.detect.is_heading`), case and spacing folded;
    None for a sentence that is not a heading."""
    from evidence.check.detect import is_heading

    text = sentence.strip()
    if "\n" in text or not is_heading(text, True):
        return None
    return " ".join(re.findall(r"[\w'’-]+", text.lower()))


def _repeated_headings(claims: list[dict], non: list[dict]) -> list[dict]:
    """A page prints its headline more than once (the page title, the article's heading, a caption or a share
    line): the claims of a heading are listed at its first full copy. A later heading with the same words repeats
    it; an earlier one whose words open a later heading (after an article) is that heading cut short (a truncated page
    title), and the full heading carries the claim."""
    keys = {c["sentence_start"]: k for c in claims if (k := _heading_key(c["sentence"]))}
    order = sorted(keys.items())
    first: dict[str, int] = {}
    drop: dict[int, str] = {}
    opened = _last_opened([k for _, k in order])
    for i, (start, key) in enumerate(order):
        if key in first:
            drop[start] = "repeats the heading above, whose claim is listed there"
            continue
        first[key] = start
        if opened.get(key, -1) > i:      # a later heading opens with its words ("the", "a" or "an" before them)
            drop[start] = "a heading cut short (the full heading below carries the claim)"
    out = []
    for c in claims:
        why = drop.get(c["sentence_start"])
        if why:
            non.append(_as_non_claim(c, "repeated", why))
        else:
            out.append(c)
    return out


#: a route the sentence asserts as how the drug is given (session 11, words11; uhhospitals_ketamine_depression
#: (holdout12), klarisana_ketamine_ptsd_depression (holdout6)): "It is administered by an IV infusion in the arm",
#: "Ketamine treatment is an IM (intramuscular) therapy", "is given intravenously": a dose-and-route claim (labelling
#: rule 1), not a word of a procedure ("an IV will be placed", "the IV is removed")
_ROUTE_ASSERTED = re.compile(
    r"\b(?:is|are|was|were|be|being|been)\s+(?:usually\s+|typically\s+|often\s+|always\s+|only\s+)?(?:administered|given|"
    r"delivered|taken|infused|injected|provided|offered|used)\s+(?:\w+\s+)?(?:by|as|through|via|in|intravenously|"
    r"intramuscularly|intranasally|orally|nasally|sublingually|subcutaneously)\b"
    r"|\b(?:is|are)\s+(?:an?\s+)?(?:IV|IM|intravenous|intramuscular|intranasal|oral|sublingual|subcutaneous)\s+(?:\([^)]{2,20}\)\s+)?"
    r"(?:therapy|treatment|medication|medicine|infusion|injection|spray|drug|procedure)\b", re.I)


#: the articles a longer heading may open with before the words of a shorter one
_HEADING_ARTICLES = frozenset({"the", "a", "an"})


def _last_opened(keys: list[str]) -> dict[str, int]:
    """For every run of words a heading key opens with, followed by more words (after "the", "a" or "an" or not),
    the position of the last key in ``keys`` that opens so: key ``k`` is cut short from a later key exactly when
    ``k`` maps past its own position. (Keys are words joined by single spaces, :func:`_heading_key`; one pass over
    the keys' words, not a match of every key against every later key.)"""
    last: dict[str, int] = {}
    for j, k2 in enumerate(keys):
        words = k2.split(" ")
        for lead in ((0, 1) if words[0] in _HEADING_ARTICLES else (0,)):
            for m in range(lead + 1, len(words)):
                last[" ".join(words[lead:m])] = j
    return last


def _route_lists(claims: list[dict]) -> list[dict]:
    """Unchecked route words: one word ("an IV will be placed") describes a procedure, not a claim, and is merged
    away unless its sentence asserts it as how the drug is given (:data:`_ROUTE_ASSERTED`); a sentence naming two or
    more routes ("given orally, intranasally or by injection") states which routes are used, and becomes one claim
    spanning the list."""
    routes: dict[int, list[dict]] = {}
    for c in claims:
        if c.get("detector") == "route" and not c.get("checkable"):
            routes.setdefault(c["sentence_start"], []).append(c)
    out = []
    for c in claims:
        group = routes.get(c["sentence_start"]) if c.get("detector") == "route" and not c.get("checkable") else None
        if group is None or (len(group) == 1 and _ROUTE_ASSERTED.search(c["sentence"])):
            out.append(c)
        elif len(group) >= 2 and c is group[0]:
            a, b = group[0]["start"], group[-1]["end"]
            s0 = c["sentence_start"]
            out.append(dict(c, start=a, end=b, quote=c["sentence"][a - s0:b - s0],
                            claimed=vocab.join_words([g.get("claimed") or g["quote"] for g in group]),
                            claimed_text=";".join(str(g.get("claimed_text") or "") for g in group)))
    return out


def _mention_key(c: dict) -> tuple | None:
    """What makes two word claims the same claim: the same kind of claim, coded wording and study."""
    study = c.get("study") or ""
    if not study or not c.get("checkable") or c["claim_type"] == "attribution":   # each citation is a claim
        return None
    if c.get("claimed_low") is not None:
        return None   # a range ("within hours", "the early 2000s") is a vague wording many claims share
    if c.get("claimed_value") is not None:
        # an exact figure said again (a summary, then the abstract) is the same claim when it is the same figure of
        # the same study with the same verdict; a different verdict makes it a claim of its own
        return (c["claim_type"], c.get("claimed_value"), None, None, study, c.get("verdict"))
    if not c.get("claimed_text"):
        return None
    return (c["claim_type"], str(c["claimed_text"]).lower(), study)


def _first_mentions(claims: list[dict], non: list[dict]) -> list[dict]:
    """A word claim the text repeats (the same design or population of the same study, in a later sentence) is
    checked once: the later mentions are listed as not a claim, naming the first."""
    first: dict[tuple, dict] = {}
    out = []
    for c in claims:
        key = _mention_key(c)
        seen = first.get(key) if key else None
        if seen is not None and seen["sentence_start"] != c["sentence_start"]:
            what = "figure of the same study, with the same verdict" if len(key) == 6 else "statement about the same study"
            non.append(_as_non_claim(c, "repeated", f"repeats “{seen['quote']}” above (the same {what}), which is "
                                                     "checked there"))
            continue
        if key:
            first.setdefault(key, c)
        out.append(c)
    return out
