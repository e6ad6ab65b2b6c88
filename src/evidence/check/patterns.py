"""Named patterns for ``evidence check``: what is *not* a claim, negation, and the context windows.

Every pattern here is a module-level constant with a comment that says what it matches, compiled with its
own flags (``re.I`` unless case matters, e.g. acronyms). Detection (:mod:`evidence.check.detect`) masks the
spans of :data:`NON_CLAIMS` before any detector runs, so a price, a phone number or a review count can never
become a claim; :func:`non_claim_spans` lists them with the reason in words (tests assert both).

Context windows are named in :data:`WINDOWS` (characters to the left/right of a figure); code reads them
from there, never as bare numbers.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from evidence.check.rxfilter import folded, may_match

#: named context windows, in characters: (left, right)
WINDOWS: dict[str, tuple[int, int]] = {
    "non_claim": (40, 40),        # a money / rating / opening-hours cue this close to a figure disqualifies it
    "negation": (40, 0),          # a negation this far before a design word (same clause) negates it
    "study_number": (0, 30),      # "n = 18" / "18 patients" read as a study's sample size
    "timepoint": (60, 60),        # "at 30 minutes", "week 14", "after 10 infusions" around a figure
}

_I = re.I


class NonClaim(NamedTuple):
    name: str
    reason: str          # in words, for tests and the --explain output
    rx: re.Pattern


_NUM = r"\d[\d,.]*"
#: non-claims: figures that are never statistics about ketamine or anxiety. Order does not matter.
NON_CLAIMS: tuple[NonClaim, ...] = (
    # "$399", "€ 1,200", "USD 500", "400 dollars" and a following "(save 10%)" / "10% off"; never billions
    # ("$42 billion" is a cost of illness, a claim: evidence.check.statements.RX_COST)
    NonClaim("price", "a price", re.compile(
        rf"(?:[$€£]\s?(?>{_NUM})(?!\s?(?:billion|trillion)\b)(?:\s?(?:k|million|per\s+\w+|/\s?\w+))?|\b(?:USD|EUR|GBP)\s?{_NUM}|"
        rf"\b{_NUM}\s?(?:dollars|euros|pounds|USD)\b)", _I)),
    NonClaim("discount", "a discount", re.compile(
        # ("save you up to 75% on your prescriptions": the one saving is the reader; review11)
        rf"\b(?:save|saving|savings\s+of|discount(?:ed)?(?:\s+of)?|off\s+by|get|take|enjoy)\s+(?:(?:you|yourself)\s+)?"
        rf"(?:up\s+to\s+|an?\s+extra\s+|as\s+much\s+as\s+)?"
        rf"{_NUM}\s?%(?:\s+(?:off|discount))?|\b{_NUM}\s?%\s+(?:off|discount|cash\s*back)\b", _I)),
    # "0% APR financing for 12 months", "interest-free for 6 months", "12 monthly payments"
    NonClaim("financing", "financing terms", re.compile(
        rf"\b{_NUM}\s?%\s+(?:APR|interest|financing|down)\b(?:[^.;]{{0,40}}?\bfor\s+{_NUM}\s+months?)?|"
        rf"\b(?:financing|payment\s+plans?|interest[- ]free|no\s+interest|APR|monthly\s+payments?|instal+ments?|"
        rf"CareCredit|HSA|FSA)\b[^.;]{{0,50}}?\b{_NUM}\s*(?:%|months?|payments?)|"
        rf"\b{_NUM}\s+(?:monthly\s+)?(?:payments|instal+ments)\b", _I)),
    # "4.9 out of 5", "4.8/5", "5-star", "4.9 stars", "rated 4.9"; a whole "4 out of 5" or "1/10" is a rating only
    # beside rating words ("5/5 stars", "rated 4 out of 5"): "4 out of 5 went on to improve" and "1/10 to 1/20th
    # the dose" are claims
    NonClaim("rating", "a rating", re.compile(
        rf"\b\d[.,]\d\s*(?:out\s+of|/)\s*(?:5|five|10|ten)\b(?:\s+stars?)?|"
        rf"\b\d\s*(?:out\s+of|/)\s*(?:5|five|10|ten)\b(?=\s*(?:stars?|on\s+(?:Google|Yelp)|rating|reviews?)\b)(?:\s+stars?)?|"
        rf"\b(?:rated|rating|ratings|scored?|reviews?|Google|Yelp|Trustpilot)\b[^.;]{{0,20}}?\b\d\s*(?:out\s+of|/)\s*"
        rf"(?:5|five|10|ten)\b|\b\d(?:[.,]\d)?[- ]?stars?\b|"
        rf"\brated\s+(?:at\s+)?\d(?:[.,]\d)?\b|\b(?:five|four)[- ]star\b", _I)),
    # "312 Google reviews", "over 500 five-star reviews", "200+ testimonials"; never a study's year ("a 2022 chart
    # review", "a 2019 systematic review of …"); the people who gave a rating: "Rated 4.9 out of 5 by 312 patients",
    # "4.8 stars from 1,200 clients" (coordinator's editor run, session 9: "312 patients" was read as a study size)
    NonClaim("reviews", "a count of reviews", re.compile(
        rf"\b(?!(?:19|20)\d\d\s+(?:[\w-]+\s+)?(?:chart|systematic|literature|narrative|scoping|umbrella|"
        rf"retrospective|Cochrane)?\s*reviews?\b)"
        rf"{_NUM}\+?\s+(?:[\w-]+\s+){{0,2}}?(?:reviews?|ratings|testimonials|reviewers)\b|"
        rf"(?:\brated\s+(?:at\s+)?\d(?:[.,]\d)?(?:\s*(?:out\s+of|/)\s*(?:5|five|10|ten)\b)?|\b\d(?:[.,]\d)?[- ]?stars?\b)"
        rf"(?:\s+stars?)?(?:\s+on\s+\w+)?\s+(?:by|from)\s+(?:over\s+|more\s+than\s+)?{_NUM}\+?\s+"
        rf"(?:[\w-]+\s+)?(?:patients|people|clients|customers|users|reviewers|families)\b", _I)),
    # "20 years of experience", "over 15 years in practice", "since 2010", "a decade of experience"
    NonClaim("experience", "years of experience", re.compile(
        rf"\b{_NUM}\+?\s+years?\s+(?:of\s+(?:combined\s+|clinical\s+|medical\s+)?(?:experience|practice|service)|"
        rf"in\s+(?:practice|business|the\s+field|medicine)|experience)\b|"
        rf"\b(?:serving|helping|treating)\s+[^.;]{{0,40}}?\bsince\s+(?:19|20)\d\d\b|\bsince\s+(?:19|20)\d\d\s*,?\s+"
        rf"(?:we|our|the\s+clinic)\b|\b(?:founded|established|opened)\s+(?:in\s+)?(?:19|20)\d\d\b", _I)),
    # "12 clinics", "five locations", "3 offices"
    NonClaim("clinics", "a count of the clinic's locations", re.compile(
        rf"\b(?:{_NUM}|two|three|four|five|six|seven|eight|nine|ten|dozens\s+of)\+?\s+(?:[\w-]+\s+)?"
        rf"(?:clinics|locations|offices|practices|branches)\b", _I)),
    # "we have treated over 5,000 patients", "our team has performed 10,000 infusions"
    NonClaim("clinic_patients", "the clinic's own patient or treatment count", re.compile(
        rf"\b(?:we|we['’]ve|our\s+(?:team|clinic|providers|staff|doctors|center|practice)|the\s+clinic)\b[^.;]{{0,70}}?"
        rf"\b(?:treated|served|helped|seen|performed|administered|given|completed|cared\s+for|working\s+with|"
        rf"works\s+with|sees|seeing|treats|treating)\b[^.;]{{0,25}}?"
        rf"\b{_NUM}\+?\s+(?:[\w-]+\s+)?(?:patients|people|clients|infusions|treatments|sessions|individuals)\b|"
        rf"\b{_NUM}\+?\s+(?:[\w-]+\s+)?(?:patients|people|clients|infusions|treatments|sessions)\s+"
        rf"(?:treated|served|helped|performed)\s+(?:at|by|in)\s+(?:our|this|the)\s+(?:clinic|team|practice|center|office)|"
        # "… and has treated about 300 people since": the clinic's history, its subject said before
        rf"\b(?:and|also)\s+(?:has|have)\s+(?:also\s+)?(?:treated|served|helped|seen|cared\s+for)\s+[^.;]{{0,15}}?"
        rf"\b{_NUM}\+?\s+(?:[\w-]+\s+)?(?:patients|people|clients|individuals)\b",
        _I)),
    # a line "Step 3: … 6 infusions" describes the clinic's procedure (all of it); "step 2" elsewhere
    NonClaim("step", "a step of a procedure", re.compile(
        r"^\s*(?:step|stage|phase|part)\s+\d+\s*[:.)–-].*$|\bstep\s+\d+\b", _I)),
    # "Mon–Fri 9am–5pm", "open 9 to 5", "8:30 AM", "24/7"
    NonClaim("hours", "opening hours", re.compile(
        r"\b\d{1,2}(?::\d{2})?\s?(?:a\.m\.|p\.m\.|am\b|pm\b)(?:\s*(?:-|–|to)\s*\d{1,2}(?::\d{2})?\s?(?:a\.m\.|p\.m\.|am\b|pm\b)?)?|"
        r"\b(?:open|office\s+hours|hours\s*:|closed)\b[^.;]{0,40}?\b\d{1,2}(?::\d{2})?\s*(?:-|–|to)\s*\d{1,2}(?::\d{2})?\b|"
        r"\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?\s*(?:-|–|to|through)\s*(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?"
        # (with the times' am/pm: "Monday to Friday, 9 am to 5 pm" is one item, review11)
        r"[^.;]{0,12}?\d{1,2}(?::\d{2})?(?:\s?(?:a\.m\.|p\.m\.|am\b|pm\b))?(?:\s*(?:-|–|to)\s*\d{1,2}(?::\d{2})?"
        r"(?:\s?(?:a\.m\.|p\.m\.|am\b|pm\b))?)?|\b24/7\b|\b\d{1,2}:\d{2}\b", _I)),
    # "(555) 123-4567", "555-123-4567", "+1 555 123 4567", "call 555.123.4567"
    NonClaim("phone", "a phone number", re.compile(
        r"(?:\+\d{1,3}[\s.-]?)?\(?\b\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b|\b(?:call|phone|tel|text|fax)\b[:.]?\s*[\d()+ .-]{7,}|"
        # a number spelled with letters: "1-800-FDA-1088", "1-888-KETAMINE"
        r"\b1[-.]8\d\d[-.](?:[A-Z]{3}[-.]\d{4}|[A-Z]{4,8})\b")),
    # "1200 Main Street", "Suite 300", "NC 27601"
    NonClaim("address", "a street address", re.compile(
        r"\b\d{1,6}\s+(?:[NSEW]\.?\s+)?(?:[A-Z][\w'’-]*\s+){1,3}(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Drive|Dr|"
        r"Lane|Ln|Way|Court|Ct|Place|Pl|Parkway|Pkwy|Highway|Hwy|Suite|Ste|Plaza|Circle|Cir)\b\.?|"
        r"\b(?:Suite|Ste|Unit|Floor|Fl|Building|Bldg|P\.?O\.?\s+Box)\.?\s*#?\d+\b|"
        r"\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\b")),
    # "(>50% reduction in symptoms, PHQ-9)", "remission (>80%)": a threshold that defines an outcome
    NonClaim("definition", "a threshold that defines response or remission", re.compile(
        r"\(\s*(?:[<>≥≤]\s*=?|at\s+least|more\s+than|less\s+than|over|under)\s*\d+(?:\.\d+)?\s*%[^()]{0,60}\)", _I)),
    # cookie and consent banners: "We use cookies … 100%"
    NonClaim("cookies", "a cookie or consent notice", re.compile(
        r"^(?=.*\b(?:cookies?|consent|privacy\s+policy|GDPR|opt[- ]out)\b).*$", _I)),
    # "| 2 min read", "5-minute read", "Reading time: 4 minutes"
    NonClaim("reading_time", "a reading time", re.compile(
        r"\b\d+\s*[- ]?\s*min(?:ute)?s?\.?\s+read\b|\b(?:estimated\s+)?read(?:ing)?\s+time\s*:?\s*\d+\s*min(?:ute)?s?\b", _I)),
    # a news site's age notice: "This story is over 5 years old."
    NonClaim("page_age", "the page's age notice", re.compile(
        r"\bthis\s+(?:story|article|post|page)\s+is\s+(?:over|more\s+than)\s+\d+\s+years?\s+old\b", _I)),
    # a publisher's pitch: "more than 35 years of archives", "10,000 articles", "50 years of journalism"
    NonClaim("publisher", "the publisher's description of itself", re.compile(
        rf"\b(?:more\s+than\s+|over\s+)?{_NUM}\+?\s+years?\s+of\s+(?:archives?|back\s+issues|issues|journalism|"
        rf"publishing|reporting|content)\b", _I)),
    # a company's forecast or target: "expects the program to help 90% of participants and to treat 5,000 patients
    # in its first year", "aims to open 20 clinics" (editor s4, p5)
    NonClaim("forecast", "a forecast or target (what someone expects or aims to do), not a finding", re.compile(
        r"(?<=\w\s)(?:expects?|expected|aims?|aimed|plans?|planned|hopes?|targets?|intends?|projects?|projected|forecasts?|"
        r"anticipates?|goal\s+is|goal\s+of)\s+(?:[\w'’-]+\s+){0,4}?to\s+[^.;]*", _I)),
    # a company's results: "revenue grew 48%", "sales of about $780 million", "For the 12 months ended June 30"
    NonClaim("financials", "a company's financial results, not a finding about ketamine", re.compile(
        rf"\b(?:revenues?|sales|earnings|profits?|net\s+income|margins?|share\s+price|stock|valuation)\b[^.;]{{0,40}}?"
        rf"\b{_NUM}\s?%|\b(?:the\s+)?(?:{_NUM}|three|six|nine|twelve)\s+months\s+ended\b|"
        rf"\b(?:quarter|fiscal\s+year|fiscal)\b[^.;]{{0,30}}?\b{_NUM}\s?%", _I)),
    # a post's date and counts (forum and blog chrome): "3 days ago", "14 replies", "200 views"
    NonClaim("post_meta", "a post's date or counts (site chrome)", re.compile(
        rf"(?:\b(?:posted|updated|edited)\b[^.;]{{0,30}}?|[·|•]\s*)\b{_NUM}\s+(?:seconds?|minutes?|mins?|hours?|hrs?|"
        rf"days?|weeks?|months?|years?)\s+ago\b|\b{_NUM}\s+(?:replies|comments|likes|upvotes)\b|"
        # a video's or post's age at the start of a line, followed by its count ("1 year ago 19")
        rf"^\s*{_NUM}\s+(?:days?|weeks?|months?|years?)\s+ago(?=\s+\d|\s*$)", _I)),
    # a teaser for another article: "RELATED: 10 Surprising Facts About Antidepressants", "Read more: …"
    NonClaim("teaser", "a teaser for another article (site chrome)", re.compile(
        r"\b(?:RELATED|Related|Read\s+(?:more|also|next)|See\s+also|Also\s+read|Recommended|More\s+from\s+\w+)\s*:\s*[^.]*")),
    # "Copyright 2024", "© 2023"
    NonClaim("copyright", "a copyright line", re.compile(r"(?:©|\(c\)|\bcopyright\b)\s*(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)?\d\d)?", _I)),
)


def non_claim_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, reason) of every non-claim span in a sentence, in text order."""
    reasons = {nc.name: nc.reason for nc in NON_CLAIMS}
    return [(a, b, reasons[name]) for a, b, name in non_claim_matches(text)]


@lru_cache(maxsize=1 << 14)
def non_claim_matches(text: str) -> tuple[tuple[int, int, str], ...]:
    """(start, end, pattern name) of every non-claim span in a sentence, in text order (names key the reasons
    :mod:`evidence.check.sift` gives editors)."""
    out = []
    reported = bool(RX_REPORTED.search(text)) and not RX_WE.search(text)
    low = folded(text)
    for nc in NON_CLAIMS:
        if nc.name == "clinics" and reported:
            continue    # "More than 500 clinics have popped up …, NPR reported": a reported figure, not the clinic's own
        if not may_match(nc.rx, text, low):
            continue    # none of the expression's literals occurs in the sentence (evidence.check.rxfilter)
        for m in nc.rx.finditer(text):
            if m.end() > m.start():
                out.append((m.start(), m.end(), nc.name))
    return tuple(sorted(out))


#: a figure the sentence credits to a source (a report, a survey, an outlet)
RX_REPORTED = re.compile(r"\b(?:reported|reports|according\s+to|survey(?:ed)?|estimated?|analysis\s+(?:by|of|from)|"
                         r"data\s+from|found\s+that|counted)\b", _I)
#: the clinic's own voice
RX_WE = re.compile(r"\b(?:we|our|us)\b", _I)


@lru_cache(maxsize=1 << 14)
def mask_non_claims(text: str) -> tuple[str, list[tuple[int, int, str]]]:
    """The sentence with every non-claim span blanked out (same length, so offsets hold), and the spans."""
    spans = non_claim_spans(text)
    if not spans:
        return text, spans
    chars = list(text)
    for a, b, _ in spans:
        for i in range(a, b):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars), spans


# ------------------------------------------------------------------ negation

#: a negation word that governs what follows in the same clause ("was not randomized", "non-blinded")
NEGATION = re.compile(
    r"(?:\b(?:not|never|no|without|neither|nor|lacked|lacking|lacks|absence\s+of)|n['’]t)\b(?:\s+(?:a|an|the|any|yet|"
    r"been|truly|fully|actually|properly|officially|currently))*\s*$|\bnon[- ]?$", _I)
#: a clause break between the negation and the word it would negate ("not only …, but", "; ")
CLAUSE_BREAK = re.compile(r"[;:]|\bbut\b|\bhowever\b|\bwhereas\b|\bwhile\b|,\s+(?:and|which|who)\b", _I)
#: "not only … but also" asserts, it does not negate
NOT_ONLY = re.compile(r"\bnot\s+only\b", _I)


def negated(text: str, start: int) -> bool:
    """Is the word at ``text[start:]`` negated by a word just before it in the same clause?

    "this study was not randomized" → True; "a non-randomized trial" → True; "not only randomized but …" → False.
    """
    left_w = WINDOWS["negation"][0]
    left = text[max(0, start - left_w):start]
    if NOT_ONLY.search(left):
        return False
    m = NEGATION.search(left)
    if not m:
        # "not" a few words before: "was not a placebo-controlled" / "did not use a randomized"
        m2 = re.search(r"(?:\b(?:not|never|no|without)|n['’]t)\b((?:\s+[\w'’-]+){0,3})\s*$", left, _I)
        if not m2 or CLAUSE_BREAK.search(m2.group(1)):
            return False
        return True
    return not CLAUSE_BREAK.search(left[m.start():])
