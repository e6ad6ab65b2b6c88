"""Not-a-claim rules that need the rest of the sentence (:func:`why_not_in_sentence`), measured on the corpus's
training split (session 3): the items detected outside any labelled claim were, by class, an organisation named
as someone's workplace, a citation on a sentence with nothing to check, a co-occurring condition named as an adjective, "efficacy" or "promising" said without a finding, what future
research should show, a cited headline, an entry of the reference list, a calendar period, the clinic's own
experience. Each rule is a named pattern with its reason in words; the item is listed as not a claim, never
dropped silently and never given a verdict.

A ranking beside its figure ("Anxiety disorders are the most common mental illness, affecting 19% of adults") was set
aside until session 12 ("the figure is checked"); the corpus labels the ranking as a claim of its own (a prevalence
that ranks a condition among others; 6 of the 10 such items of dev … holdout14 lay on a label, 4 on a label nothing
else detected), so it is listed, not checkable here (words13).
"""
from __future__ import annotations

import re

from evidence.check.detect import is_heading
from evidence.check.lexicon import RX_ANESTHETIC_CLAIM_CUE
from evidence.check.regulatory import same_clause

_I = re.I

REASON_AFFILIATION = "names where someone works (an affiliation or a photo credit), not a source the text cites"
REASON_BARE_CITATION = "a citation of a sentence that states no figure or finding to check"
REASON_COMORBID_WORD = "names a co-occurring condition of the people described, not a finding to check"
REASON_BARE_EFFICACY = "names efficacy without saying what was found, how much or for whom: nothing to check"
REASON_PROMISE = "“promising”: a hope, not a finding to check"
REASON_FUTURE = "says what research has yet to show, not a finding: not a claim to check"
REASON_HEADLINE = "the title of a cited source (a headline), not the text's own claim"
REASON_REFERENCE = "an entry of the reference list: a source, not a claim"
REASON_CALENDAR = "a calendar period (“the first nine months of 2024”), not a duration of any effect"
REASON_CONTEXT = ("qualifies the figure checked in the same sentence: a word without a figure is not checked on its "
                  "own")
REASON_SAME_STATEMENT = "the same regulatory statement as the one listed beside it in this sentence"
REASON_TERM = "the term a sentence defines, not a claim about it"
REASON_QUOTED = "a wording in quotation marks (someone else's promise), not the text's own claim"
REASON_ONE_PATIENT = "one patient's story, not a finding to check"
REASON_HEDGED_FINDING = "reports only what “may” be so or what is “promising”: it asserts no finding to check"
REASON_SOURCE_OF_NEIGHBOUR = ("names the source of the claim beside it in this sentence, which is listed and checked on "
                              "its own")
REASON_GOAL = "a goal (“to ensure lasting results”), not a finding to check"
REASON_OTHERS_SAY = "describes what others say (ads, the media), not a finding to check"
REASON_NO_DRUG = "a general statement about approvals that names no drug: not a claim about ketamine"
REASON_TITLE_RUN = "the words of a headline (a run of capitalised words), not the text's own claim"
REASON_ENTRY_TITLE = ("the title of a list entry (the words before its colon), not a claim; what the entry says after the "
                      "colon is read on its own")
#: (the reason names no example question: an editor read "Is ketamine safe?" as a quote from the page, review12)
REASON_QUESTION = "a question the page asks, not a claim: the answer that follows is checked"
REASON_CLINIC_EXPERIENCE = "the clinic's own experience: it needs the clinic's own source, not the evidence base"

#: an organisation in someone's title or a credit line: "Icahn School of Medicine at Mount Sinai", "Mount Sinai
#: Health System", "Credit: …", "Dean of …"
RX_AFFILIATION = re.compile(r"(?:\b(?:School|College|Faculty|Department|Institute|Center|Centre)\s+of\s+[\w ]{2,40}?\s+"
                            r"at\s+(?:the\s+)?$|\bCredit:\s*$|\b(?:image|photo)\s*:\s*[^.]{0,200}$)", _I)
RX_AFFILIATION_AFTER = re.compile(r"\s+(?:Health\s+System|Hospital\b|School\s+of\s+Medicine|Medical\s+Center)", _I)
#: the sentence says what research has yet to show: "Further research is needed to explore the long-term
#: effects", "future studies to determine", "to determine if the robust response … can be maintained"
RX_FUTURE = re.compile(r"\b(?:(?:further|more|additional|future)\s+(?:research|studies|trials|work)\s+(?:is|are|will\s+be)?"
                       r"\s*(?:needed|required|warranted)|(?:research|studies|trials)\s+(?:is|are)\s+(?:needed|required)|"
                       r"to\s+determine\s+(?:if|whether|how)|remains?\s+(?:unclear|unknown|to\s+be\s+seen))\b", _I)
#: a co-occurring condition as an adjective: "comorbid anxiety", "other comorbid disorders", "a co-occurring disorder"
RX_COMORBID_ADJECTIVE = re.compile(r"^(?:comorbid|co-?occurring|co-?existing)$", _I)
RX_NOUN_AFTER = re.compile(r"\s+(?:[\w-]+\s+)?(?:anxiety|depression|disorders?|conditions?|illness(?:es)?|diagnos\w+|"
                           r"PTSD|symptoms)\b", _I)
#: research reported about efficacy ("examined the efficacy", "its efficacy … was described in a study")
RX_RESEARCH_VERB = re.compile(r"\b(?:examined|described|evaluated|assessed|investigated|studied|tested|measured|"
                              r"explored|compared)\b", _I)
#: "efficacy" or "effectiveness" as a bare noun ("its efficacy for depression", "Safety and efficacy of …")
RX_BARE_EFFICACY = re.compile(r"(?:efficacy|effectiveness)(?:\s+(?:for|in|of|at))?", _I)
#: an unnamed source's finding said as a possibility or a hope: "studies have suggested that ketamine may also have",
#: "The data suggests repeated IV ketamine is a promising treatment"
RX_HEDGED_FINDING = re.compile(r"\b(?:may|might|could)\s+(?:also\s+|well\s+)?[a-z]+|\bpromising\b", _I)
#: "has shown promise", "a promising treatment", "one of the most promising new options"
RX_PROMISE = re.compile(r"(?:(?:has\s+|have\s+)?(?:shown|shows|showed|holds|hold)\s+(?:\w+\s+)?promise|"
                        r"(?:most\s+)?promising(?:\s+[\w-]+)?)", _I)
#: a cited headline in parentheses: "(FDA approves new nasal spray medication …; available only at …)"
RX_HEADLINE = re.compile(r"\((?:[A-Z]{2,}|[A-Z][a-z]+)\s+(?i:approves|announces|warns|alerts|clears|grants|issues|"
                         r"expands|says)\b[^()]{10,240}\)")
#: a reference-list entry: "[1] American Psychiatric Association. (2013). Diagnostic and statistical manual …"
#: (the sentence splitter may end the entry at its first full stop: "[1] American Psychiatric Association.")
RX_REFERENCE = re.compile(r"^\s*(?:\[\d+\]|\d+\.)\s+[A-Z][^.]{1,120}\.(?:\s*\((?:19|20)\d{2}\)|\s*$)")
#: a testimonial: a person named with their age ("says Maria, 42,", "Tom Baker, 51, walked in") or a first-person
#: quote ("“I felt better after my second session,” says …"); an expert's quote ("…,” said Armstrong") is not one
RX_TESTIMONIAL = re.compile(r"\b[A-Z][a-z]+,\s+\d{2},\s|[“\"][^”\"]*\b(?:I|my|me|I['’]ve|I['’]m)\b[^”\"]*[”\"]\s*,?\s*"
                            r"(?:says|said|[—–-]\s*\w)")
#: the writer speaking of themselves (first person singular): "I've been writing … for 12 years", "I'm on my 8th
#: infusion", "My psychiatrist says 80% of her patients improve" (editor s4): a story, unless a study is named
#: (never the numeral of "Schedule I", "Phase I", "Type I", "Class I", "Part I", "Category I")
RX_FIRST_PERSON = re.compile(r"(?:^|[^\w’'])(?:(?<![Ss]chedule )(?<![Pp]hase )(?<![Tt]ype )(?<![Cc]lass )(?<![Pp]art )"
                             r"(?<![Cc]ategory )I|I['’](?:ve|m|d|ll)|[Mm]y)\b")
#: session 12 (words13): the first person of a professional speaking of their practice or their work is a claim, not a
#: story: a clinician's own patients ("I have seen my own patients turn their lives around after …"), a regulator's
#: panel or committee ("As a member of the FDA's advisory committee, I voted with the majority 14-2"), what the
#: evidence supports ("I think there is more evidence to support …"); the corpus labels them (a clinician's experience
#: said as a fact is `unknown`, tests/corpus/README.md rule 2), and a story of one's own never speaks so
RX_PROFESSIONAL = re.compile(r"\bmy\s+(?:own\s+)?patients\b|\b(?:panel|committee)\b|"
                             r"\bthere\s+(?:is|are)\s+(?:more|less|no|little|some|strong|good|growing|limited)\s+evidence\b", _I)
#: session 12 (words13): an approval that names no drug still states a regulatory fact when it speaks of off-label use
#: ("Off-label uses of drugs are uses that are not approved by the FDA"; "off label drug use is legal and common":
#: what an approval does and does not cover) or when a list entry says it of the page's drug without a subject
#: ("• Not approved for pediatric use.")
RX_OFF_LABEL = re.compile(r"\boff[- ]label\b", _I)
RX_SUBJECTLESS_APPROVAL = re.compile(r"^\W*(?:not\s+)?(?:FDA[- ])?approved\b", _I)
RX_NAMES_STUDY = re.compile(r"\b(?:stud(?:y|ies)|trials?|research(?:ers)?|et\s+al|journal|published|meta-analys[ie]s|"
                            r"(?:19|20)\d\d)\b", _I)
#: an invitation to act, said to the reader: "Book a free 15-minute call", "Call us to schedule your first infusion"
#: (never "Schedule I drugs …", the controlled-substance schedule, nor "Schedule; Schedule III controlled
#: substance", a drug-information table's row label followed by its cell, review12)
RX_INVITATION = re.compile(r"^\W*(?:book|call|schedule(?!\s*[;:|]|\s+(?:I{1,3}|IV|V|[1-5])\b)|contact|reserve|request|text|email|"
                           r"sign\s+up|register|join|"
                           r"start|claim|get)\b", _I)
#: the first of a series, said as the point a time is counted from: "within 24 hours of their first infusion",
#: "two weeks after the first dose" (review12: listed as a dose claim of its own, "names no study")
RX_FIRST_SESSION = re.compile(r"(?:the\s+|their\s+|your\s+|a\s+)?first\s+(?:infusion|dose|treatment|session)s?", _I)
RX_COUNTED_FROM = re.compile(r"\b(?:of|after|following|from|since)\s+(?:the|their|your|his|her|a)?\s*$", _I)
REASON_COUNTED_FROM = "the point the time beside it is counted from, not a claim of its own: the time is checked"
#: a price in the sentence: the number of sessions beside it is what the price buys
RX_PRICE_IN = re.compile(r"[$€£]\s?\d|\b\d[\d,.]*\s?(?:dollars|euros|USD|EUR)\b", _I)
#: the treatments one person tried: "five medications", "three antidepressants" (in a testimonial)
RX_OWN_TREATMENTS = re.compile(r"\b(?:medications?|antidepressants?|treatments?|therapies|drugs|doctors|therapists)$", _I)
#: insurance and costs: "insurance rarely covers the cost", "never reimbursed"
RX_COVERS_AFTER = re.compile(r"\s+(?:covers?|pays?|reimburses?|reimbursed|covered)\b", _I)
#: a word others might use: "before anyone calls this a cure", "some call it a miracle"
RX_CALLS_IT = re.compile(r"\bcalls?\s+(?:this|it|ketamine)\s+an?\s+$", _I)
#: a period of the calendar: "In the first nine months of 2024", "the last 6 months of 2023"
RX_CALENDAR_AFTER = re.compile(r"\s+of\s+(?:19|20)\d{2}\b")
#: the clinic's own experience: "over the past fifteen years, and in our experience"
RX_OUR_EXPERIENCE = re.compile(r"\b(?:in|from)\s+our\s+(?:own\s+)?(?:experience|practice|clinic)\b", _I)
#: word claims that only qualify a figure beside them ("a clinical improvement … compared to the group that received
#: placebo, … maintained for nearly 28 days"): listed as context of that figure
_CONTEXT_KINDS = frozenset({"efficacy", "durability", "absolute"})
#: regulatory items that restate another one in the same sentence ("not FDA-approved …, but used off-label";
#: "is considered an off-label use"; "Schedule III … under the Controlled Substances Act"; "marketed under the name
#: Spravato, was approved …")
_RESTATING = {"approval": ("approval",), "absolute": ("approval",), "controlled": ("schedule", "approval"),
              "brand": ("approval", "spravato"),
              # "used along with another antidepressant … to manage treatment-resistant depression": the indication
              "efficacy": ("adjunct", "approval", "setting", "now-used")}
#: the term a sentence defines: "“Off-label” use means that …", "TRD refers to …"
RX_DEFINES_AFTER = re.compile(r"[”\"’']?\s+(?:use\s+|treatment\s+)?(?:means|refers\s+to)\b", _I)
#: a wording in quotation marks: "promising to “instantly cure” depression"
RX_OPEN_QUOTE = re.compile(r"[“\"]\s*(?:[\w'’-]+\s+){0,3}$")
#: one patient: "The patient responded very well", "She responded"
RX_ONE_PATIENT = re.compile(r"\b(?:the|a|one|this|that)\s+(?:first\s+)?patient\s+(?:\w+\s+)?$|^\s*(?:she|he)\s+(?:\w+\s+)?$", _I)
#: a goal: "to ensure lasting results", "In order to produce sustained effects"
RX_GOAL_BEFORE = re.compile(r"\b(?:in\s+order\s+)?to\s+(?:ensure|produce|achieve|get|obtain|maintain|create|promote)\s+"
                            r"(?:[\w'’-]+\s+)?$", _I)
#: what others say: "these ads rarely mention", "the media never talks about"
RX_SPEECH_AFTER = re.compile(r"\s+(?:mention|mentions|talk|talks|discuss|discusses|tell|tells|say|says|explain|"
                             r"explains|advertise|advertises|disclose|discloses)\b", _I)
#: a drug the approval is about (else "therapies that are not FDA-approved" is about approvals in general)
RX_NAMES_DRUG = re.compile(r"\b(?:ketamine|esketamine|spravato|ketalar|it|its|(?:the|this|a|an)\s+(?:new\s+)?(?:drug|"
                           r"medication|medicine|spray|nasal\s+spray|treatment|therapy|antidepressant))\b", _I)
#: what makes an approval that names no drug a claim of its own: the use it was approved for ("only two FDA-approved
#: medications for treating PTSD", "FDA approval as an anesthetic") or how many or which were approved ("the only
#: medications approved … are SRIs", "no FDA-approved drugs"); without either it speaks of approvals in general
#: ("therapies that are not FDA-approved")
RX_APPROVAL_SCOPE = re.compile(r"\b(?:only|first(?:-ever)?|sole|no|none|two|three|four|five)\b|\b(?:depress\w*|anxi\w*|"
                               r"PTSD|OCD|obsessive|TRD|MDD|disorders?|an(?:a)?esthe\w*|suicid\w*|pain)\b", _I)
#: a headline at the start of a sentence: four or more capitalised words ("FDA Approves New Nasal Spray to Treat …")
RX_TITLE_RUN = re.compile(r"^(?:(?:[A-Z][\w'’-]*|to|for|of|and|a|the|in)\s+){3,}[A-Z][\w'’-]*")
#: a list entry's title before its colon: "Immediate Symptom Relief: Ketamine provides rapid reduction …" (review9
#: #16, data/articles 002): the title names the entry's topic; the sentence after the colon states the claim
RX_ENTRY_LABEL = re.compile(r"^\s*(?:(?:[A-Z][\w'’-]*|to|for|of|and|a|the|in|&)\s+){1,5}[A-Z][\w'’-]*\s*:(?=\s+[A-Z])")
_TITLE_RUN_KINDS = frozenset({"approval", "route", "efficacy", "compare"})
#: a headline that states an approval ("FDA Approves Esketamine as First Monotherapy for …", "Nasal Spray Approved by
#: FDA: …"): the regulator and its decision are in it, so it asserts a fact to check like a sentence (news pages put
#: the claim in the headline and often nowhere else)
RX_APPROVAL_HEADLINE = re.compile(r"\b(?:FDA|Food\s+and\s+Drug\s+Administration)\s+(?:Approves|Approved|Clears|Endorses|"
                                  r"Grants\s+Approval)\b|\b(?:Approved|Cleared|Endorsed)\s+by\s+(?:the\s+)?(?:U\.?S\.?\s+)?FDA\b",
                                  re.I)
#: a drug named and then described in apposition ("ketamine, an anesthetic, triggers …", "ketamine — a powerful
#: anesthetic — proven to …"): the noun phrase says what the drug is in passing; the sentence's claim is its verb's
RX_APPOSITIVE_BEFORE = re.compile(r"\b(?:ketamine|esketamine|spravato|ketalar|drug|medication|medicine)\s*(?:,|[—–]|\s-)\s*$", _I)
RX_APPOSITIVE_NOUN = re.compile(r"an?\s", _I)
REASON_APPOSITIVE = ("describes the drug in passing (a phrase in apposition, “ketamine, an anesthetic, …”): "
                     "the sentence's own claim is listed where it has one")
#: an unnamed source's report of what was measured, not found: "noted that the studies primarily measured"
RX_MEASURED = re.compile(r"\b(?:measured|assessed|examined|evaluated|looked\s+at)\b", _I)
RX_FOUND = re.compile(r"\b(?:found|showed|shown|reduced|improved|significant|effective)\b", _I)
_SESSION_UNITS = frozenset({"infusions", "sessions", "treatments", "doses", "injections", "visits", "sprays"})
_TIME_KINDS = frozenset({"duration-num", "years-ago", "within", "durability", "duration-bare", "decade", "decades",
                         "duration", "schedule"})


# (RX_ANESTHETIC_CLAIM_CUE lives in evidence.check.lexicon: claimclf reads it too, and lexicon imports nothing)
REASON_BACKGROUND_USE = ("describes what ketamine is used as (an anaesthetic, a painkiller), with no year, approval "
                         "or study: background, not a claim to check")


def why_background(c: dict) -> tuple[str, str] | None:
    """(code, reason) for a description the corpus's labelling rules count as background, checked or not: ketamine
    described as an anaesthetic with nothing checkable in its sentence (:data:`RX_ANESTHETIC_CLAIM_CUE`)."""
    if c.get("detector") == "anesthetic" and not RX_ANESTHETIC_CLAIM_CUE.search(c["sentence"]):
        return "background_use", REASON_BACKGROUND_USE
    return None


#: the heading of a page's list of sources: "Sources:", "References", "Works cited", "Citations"
RX_SOURCES_HEADING = re.compile(r"^\W*(?:sources?|references?|citations?|bibliography|works\s+cited|further\s+reading|"
                                r"footnotes|notes\s+and\s+references)\W*$", _I)
#: a line that gives a source and nothing else: "Citation: https://…", "Source: Johnson & Johnson 2025", a link
RX_SOURCE_LINE = re.compile(r"^\W*(?:sources?|references?|citations?|via|retrieved\s+from)\s*:|^\W*(?:https?://|www\.)\S+\W*$",
                            _I)
#: a duration standing alone on a line ("48 months" above a grant's budget line): nothing is said of it
RX_BARE_DURATION_LINE = re.compile(r"^\W*\d+(?:\.\d+)?\s+(?:days?|weeks?|months?|years?)\W*$", _I)
REASON_BARE_LINE = "a duration on a line of its own, said of nothing (page chrome), not a claim to check"
#: a web address: what lies inside it is a link's words, not the text's
RX_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"“”]+", _I)
#: a short citation standing alone ("Sanacora et al. JAMA Psychiatry 2017", ">> Molero et al. (2018)"): authors,
#: perhaps a journal, and a year, with no verb
RX_CITATION_ONLY = re.compile(r"^\W*[A-Z][\w'’-]+(?:\s+(?:and|&)\s+[A-Z][\w'’-]+)?\s+et\s+al\.?,?\s*"
                              r"(?:(?:[A-Z][\w&.-]*|of|and|in)\s+){0,6}\(?(?:19|20)\d{2}\)?[\W\d]*$")
#: the page describing its own contents: "This post will explore …", "Our … Drug Center provides a comprehensive
#: view of …", "This podcast features a conversation with …", "Here's what you need to know about …"
RX_PAGE_ITSELF = re.compile(r"^\W*(?:(?:this|our|in\s+this)\s+(?:[\w:()®'’-]+\s+){0,8}?(?:post|article|page|guide|blog|"
                            r"podcast|episode|video|webinar|series|section|drug\s+center|resource)\s+(?:will\s+|we\s+)?"
                            r"(?:explores?|discuss(?:es)?|features?|covers?|provides?|describes?|looks?\s+at|explains?|"
                            r"answers?|offers?|reviews?|outlines?|walks?)\b|"
                            r"this\s+(?:post|article|page|guide|blog|podcast|video)\s+is\s+(?:designed|meant|intended|here)\s+to\b|"
                            r"here['’]s\s+(?:exactly\s+)?what\s+(?:you\s+(?:need|should)\s+to\s+know|to\s+expect)\b)", _I)
REASON_WEB_ADDRESS = "part of a web address (a link to a source), not a claim"
REASON_PAGE_ITSELF = "the page describing its own contents (site chrome), not a claim to check"


def why_source_entry(c: dict, heading: str | None) -> tuple[str, str] | None:
    """(code, reason) for an item that is part of a source given, not a claim: an entry under a "Sources" heading,
    a "Citation: …" line, the words of a web address, a citation standing alone; or the page describing itself."""
    sent = c["sentence"]
    a = c["start"] - c["sentence_start"]
    b = a + len(c["quote"])
    if heading and RX_SOURCES_HEADING.match(heading) or RX_SOURCE_LINE.match(sent) or RX_CITATION_ONLY.match(sent):
        return "reference", REASON_REFERENCE
    if any(m.start() <= a and b <= m.end() for m in RX_URL.finditer(sent)):
        return "web_address", REASON_WEB_ADDRESS
    if RX_PAGE_ITSELF.match(sent):
        return "page_itself", REASON_PAGE_ITSELF
    if RX_BARE_DURATION_LINE.match(sent):
        return "bare_line", REASON_BARE_LINE
    return None


def _around(c: dict, width: int = 40) -> tuple[str, str]:
    s, a = c["sentence"], c["start"] - c["sentence_start"]
    return s[max(0, a - width):a], s[a + len(c["quote"]):a + len(c["quote"]) + width]


def _entry_title(c: dict) -> bool:
    """Is the item in a list entry's title before its colon (and not in a headline's run of capitalised words)?"""
    return _inside(c, RX_ENTRY_LABEL) and not _inside(c, RX_TITLE_RUN) and not is_heading(c["sentence"])


def _inside(c: dict, rx: re.Pattern) -> bool:
    """Does the item lie inside a match of ``rx`` in its sentence?"""
    a = c["start"] - c["sentence_start"]
    b = a + len(c["quote"])
    return any(m.start() <= a and b <= m.end() for m in rx.finditer(c["sentence"]))


def _in_future_clause(c: dict) -> bool:
    """Is the item in the clause that says what research has yet to show ("Further research is needed to explore
    the long-term effects"), not in a main clause after it ("While more research is needed, ketamine appears …")?"""
    a = c["start"] - c["sentence_start"]
    return any(m.start() < a and "," not in c["sentence"][m.end():a] for m in RX_FUTURE.finditer(c["sentence"]))


#: an item that itself denies an approval ("is not FDA-approved for anxiety"): "off-label" beside it says the same
_DENIES = re.compile(r"\b(?:not|never|no)\b|n['’]t\b|\bunapproved\b|\boff-label\b", re.I)


def _restates(c: dict, others: list[dict]) -> bool:
    """Does this regulatory item restate another of the same sentence (:data:`_RESTATING`)? A checked one restates
    only a checked one with the same verdict, so nothing checked is lost."""
    kind, quote = c.get("detector") or "", c["quote"].strip()
    if kind == "history":
        # "first approved by the FDA in 1970": a dated history that is an approval the label records, checked in
        # the approval item inside it; listing both gave one statement two answers (review12)
        return any(o.get("detector") == "approval" and o.get("checkable") and c["start"] <= o["start"]
                   and o["end"] <= c["end"] for o in others)
    restated = _RESTATING.get(kind, ())
    if kind == "efficacy" and not re.search(r"\bto\s+$", _around(c)[0]):
        return False
    if not restated or (kind == "approval" and quote.lower() != "off-label") \
            or (kind == "absolute" and not re.fullmatch(r"(?:is|are)\s+considered", quote, _I)):
        return False
    for o in others:
        if o.get("detector") not in restated or o["quote"].strip().lower() == "off-label":
            continue
        if kind == "approval" and not _DENIES.search(o["quote"]) and not same_clause(
                c["sentence"], c["start"] - c["sentence_start"], o["start"] - c["sentence_start"]):
            # "Although it is approved for anesthesia, its use for mood disorders is off-label": an approval in another
            # clause is a second statement; "is not FDA-approved for anxiety, but is used off-label" restates one
            continue
        if not c.get("checkable") or (o.get("checkable") and o.get("verdict") == c.get("verdict")):
            return True
    return False


def _counted_from(kind: str, quote: str, left: str, others: list[dict]) -> bool:
    """"within 24 hours of their first infusion": the first of a series as the point a time beside it counts from."""
    return kind == "schedule" and bool(RX_FIRST_SESSION.fullmatch(quote)) and bool(RX_COUNTED_FROM.search(left[-40:])) \
        and any((o.get("detector") or "") in _TIME_KINDS for o in others)


def _overlap(a: dict, b: dict) -> bool:
    return a["start"] < b["end"] and b["start"] < a["end"]


def _figure(c: dict) -> bool:
    return c.get("claimed_value") is not None or c.get("claimed_low") is not None


def why_not_in_sentence(c: dict, same_sentence: list[dict]) -> tuple[str, str] | None:
    """(code, reason in words) when the item, read with its sentence, is not a claim; else None."""
    kind, quote, sent = c.get("detector") or "", c["quote"].strip(), c["sentence"]
    checked = bool(c.get("checkable"))
    left, right = _around(c, 200)
    others = [o for o in same_sentence if o is not c]
    if RX_REFERENCE.match(sent):
        return "reference", REASON_REFERENCE
    if _inside(c, RX_HEADLINE):
        return "headline", REASON_HEADLINE
    if c.get("qualifier") == "categorical" and not _figure(c) and sent.rstrip(" *_\"”'’").endswith("?"):
        return "question", REASON_QUESTION
    if _restates(c, others):
        return "same_statement", REASON_SAME_STATEMENT
    # a headline's words and a defined term are not the text's claim, checked or not
    if kind in _TITLE_RUN_KINDS and (_inside(c, RX_TITLE_RUN) or is_heading(sent) or _inside(c, RX_ENTRY_LABEL)) \
            and not (kind == "approval" and RX_APPROVAL_HEADLINE.search(sent)):
        return ("title_run", REASON_TITLE_RUN) if not _entry_title(c) else ("entry_title", REASON_ENTRY_TITLE)
    if kind == "approval" and RX_DEFINES_AFTER.match(right) and (quote.lower() == "off-label" or quote.istitle()):
        return "term", REASON_TERM
    if kind == "anesthetic" and RX_APPOSITIVE_NOUN.match(quote) and RX_APPOSITIVE_BEFORE.search(left):
        return "appositive", REASON_APPOSITIVE
    if (bg := why_background(c)) is not None:
        return bg
    if checked:
        return None
    if kind == "org" and (RX_AFFILIATION.search(left) or RX_AFFILIATION_AFTER.match(right)):
        return "affiliation", REASON_AFFILIATION
    if kind in ("org", "cite-source", "cite-year") and any(o.get("checkable") and o.get("detector") not in (
            "org", "cite-source", "cite-year", "study-year") for o in others):
        return "source_of_neighbour", REASON_SOURCE_OF_NEIGHBOUR
    if kind in ("cite-source", "cite-year") and all(o.get("detector") in ("cite-source", "cite-year") for o in others):
        return "bare_citation", REASON_BARE_CITATION
    if kind == "comorbidity" and RX_COMORBID_ADJECTIVE.match(quote) and RX_NOUN_AFTER.match(right):
        return "comorbid_word", REASON_COMORBID_WORD
    if kind == "efficacy" and RX_BARE_EFFICACY.fullmatch(quote) and not RX_RESEARCH_VERB.search(sent):
        return "bare_efficacy", REASON_BARE_EFFICACY
    if kind == "generic-attrib" and RX_HEDGED_FINDING.search(quote):
        return "hedged", REASON_HEDGED_FINDING
    if kind in ("efficacy", "compare") and RX_PROMISE.fullmatch(quote):
        return "promise", REASON_PROMISE
    if c.get("qualifier") == "categorical" and not _figure(c) and _in_future_clause(c):
        return "future", REASON_FUTURE
    if c.get("qualifier") == "categorical" and kind in _CONTEXT_KINDS and not _figure(c) \
            and any(_figure(o) and o.get("checkable") and not _overlap(o, c) for o in others):
        return "context", REASON_CONTEXT
    if kind == "absolute" and RX_OPEN_QUOTE.search(left[-40:]) and re.match(r"\s*[”\"]", right):
        return "quoted", REASON_QUOTED
    if kind == "efficacy" and RX_ONE_PATIENT.search(left[-40:]):
        return "one_patient", REASON_ONE_PATIENT
    if kind == "durability" and RX_GOAL_BEFORE.search(left[-60:]):
        return "goal", REASON_GOAL
    if kind == "absolute" and RX_COVERS_AFTER.match(right):
        return "insurance", "about insurance or costs, not a claim about ketamine"
    if kind == "absolute" and RX_CALLS_IT.search(left[-40:]):
        return "disclaimer", "a word others might use (“calls this a cure”), not the text's own claim"
    if kind == "absolute" and RX_SPEECH_AFTER.match(right):
        return "others_say", REASON_OTHERS_SAY
    if kind == "approval" and not RX_NAMES_DRUG.search(sent) and not RX_APPROVAL_SCOPE.search(sent) \
            and not RX_OFF_LABEL.search(sent) and not RX_SUBJECTLESS_APPROVAL.match(sent):
        return "no_drug", REASON_NO_DRUG
    if kind == "generic-attrib" and RX_MEASURED.search(quote) and not RX_FOUND.search(quote):
        return "method", "describes what the studies measured, not what they found: not a claim to check"
    if (kind in _TIME_KINDS and kind != "within" or kind == "count" and RX_OWN_TREATMENTS.search(quote)) \
            and RX_TESTIMONIAL.search(sent):
        return "story_time", "a time in someone's story (a testimonial), not a finding: not a claim to check"
    if RX_FIRST_PERSON.search(sent) and not RX_NAMES_STUDY.search(sent) and not RX_PROFESSIONAL.search(sent):
        return "first_person", "the writer's own story or situation (first person), not a finding to check"
    if _counted_from(kind, quote, left, others):
        return "counted_from", REASON_COUNTED_FROM
    if RX_INVITATION.match(sent):
        return "invitation", "an invitation to the reader (to book, call or sign up), not a claim to check"
    if kind in ("count", "count-range", "series") and c.get("claimed_unit") in _SESSION_UNITS and RX_PRICE_IN.search(sent):
        return "package", "what a price buys (a package of sessions), not a claim to check"
    if kind in _TIME_KINDS and RX_CALENDAR_AFTER.match(right):
        return "calendar", REASON_CALENDAR
    if kind in _TIME_KINDS and RX_OUR_EXPERIENCE.search(right[:40]):
        return "clinic_experience", REASON_CLINIC_EXPERIENCE
    return None
