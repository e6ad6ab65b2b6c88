"""The edges of every listed item's quote, as an editor reads them (issue 15, Deliver 1 and 6; review11).

Run once on the items ``check`` lists (claims and not-a-claim items), after they are sifted, so no rule before it
sees a different quote:

* a quote starts and ends on whole words: a span that a detector cut inside a word ("certified clinic" in "certified
  clinics", "misuse" in "misused") is extended to the word's ends, never cut back, so the claim's own words are kept;
* a page's date line ("Posted on March 3, 2023", "Updated: June 5, 2024", "By: A. Writer | Published: Feb 07, 2024")
  is not part of a claim: it is trimmed from a claim's quote, and an item that is nothing but a date line is listed
  as not a claim, with the reason.
"""
from __future__ import annotations

import re

from evidence.check.lexicon import MONTH

_MONTH = MONTH   # a month's name or its abbreviation (evidence.check.lexicon)
#: a calendar date as pages print their post dates: "March 3, 2023", "3 March 2023", "2023-03-03", "03/03/2023"
_DATE = (rf"(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d{{2}}|\d{{1,2}}\s+{_MONTH},?\s+(?:19|20)\d{{2}}|"
         rf"(?:19|20)\d{{2}}-\d{{2}}-\d{{2}}|\d{{1,2}}[./]\d{{1,2}}[./](?:19|20)?\d{{2}})")
#: a byline's name after "by": "Dr. Jane Roe", "Alyssa Miller", "J. Smith" (a first name, an initial, a last name;
#: never more, so the sentence's next capitalised word is not eaten)
_BYLINE_NAME = r"(?:Dr\.?\s+)?[A-Z][\w'’.-]+(?:\s+[A-Z]\.)?(?:\s+[A-Z][\w'’-]+)?"
#: a page's date line at the start of a sentence or after a "|" separator: the post's own dates (when it was posted,
#: published, updated or reviewed) with an optional byline before or after; a capitalised keyword, because "the study,
#: published on March 3, 2023 in JAMA" is a citation, not page chrome
RX_DATE_LINE = re.compile(
    rf"(?:^|(?<=\|))\s*(?:By:?\s+{_BYLINE_NAME}\s*\|\s*)?"
    rf"(?:First\s+|Last\s+|Originally\s+)?(?:Posted|Published|Updated|Modified|Reviewed|(?:Medically\s+)?Reviewed)"
    rf"(?:\s+on)?\s*:?\s*{_DATE}(?:\s+by:?\s+{_BYLINE_NAME})?\s*\|?")
#: an "Updated: …" or "Last updated …" stamp anywhere in a sentence (its colon or "last" marks it as chrome)
RX_UPDATED_STAMP = re.compile(rf"\b(?:(?:Last\s+)?Updated|Posted|Published)\s*:\s*{_DATE}|\bLast\s+updated\s+(?:on\s+)?"
                              rf"{_DATE}", re.I)

REASON_DATE_LINE = "the page's own date line (when it was posted, published or updated): not a claim to check"


def whole_words(text: str, start: int, end: int, lo: int = 0, hi: int | None = None) -> tuple[int, int]:
    """(start, end) widened to whole words of ``text`` within [lo, hi): a quote cut inside a word takes the rest of
    that word (never fewer words than the detector gave)."""
    hi = len(text) if hi is None else hi
    while start > lo and start < len(text) and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < hi and end > 0 and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    return start, end


def chrome_spans(sentence: str, offset: int) -> list[tuple[int, int]]:
    """The date lines of a sentence, as absolute spans (``offset`` is where the sentence starts)."""
    spans = [(m.start(), m.end()) for rx in (RX_DATE_LINE, RX_UPDATED_STAMP) for m in rx.finditer(sentence)
             if m.end() > m.start()]
    return [(offset + a, offset + b) for a, b in spans]


def _outside_chrome(text: str, start: int, end: int, chrome: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The quote's span without the date lines in it (the longer side when one falls inside), or None when nothing
    but a date line and punctuation is left."""
    for a, b in sorted(chrome):
        if b <= start or a >= end:
            continue
        left, right = (start, a), (b, end)
        start, end = max((left, right), key=lambda s: len(re.findall(r"\w+", text[s[0]:s[1]])))
    piece = text[start:end]
    if not re.search(r"[A-Za-z]{2}", piece):
        return None
    lead = len(piece) - len(piece.lstrip(" \t\n|,;:–—-"))
    trail = len(piece) - len(piece.rstrip(" \t\n|,;:–—-"))
    return start + lead, end - trail


def finish(claims: list[dict], non_claims: list[dict], text: str) -> tuple[list[dict], list[dict]]:
    """The claims and not-a-claim items with their quotes' edges set (see the module's docstring)."""
    from evidence.check.sift import _item

    kept: list[dict] = []
    for c in claims:
        s0 = c.get("sentence_start")
        chrome = chrome_spans(c.get("sentence") or "", s0) if s0 is not None else []
        span = (c["start"], c["end"])
        if chrome and c.get("start") is not None:
            span = _outside_chrome(text, c["start"], c["end"], chrome)
            if span is None:      # nothing but the page's date line
                non_claims.append(_item(c["quote"], c["start"], c["sentence"], s0, "date_line", REASON_DATE_LINE))
                continue
        kept.append(_set_span(_sentence_without_chrome(c, chrome, span), text, *span))
    non = [_set_span(n, text, n["start"], n["end"]) for n in non_claims]
    non.sort(key=lambda x: (x["start"], x["end"]))
    return kept, non


def _sentence_without_chrome(c: dict, chrome: list[tuple[int, int]], span: tuple[int, int]) -> dict:
    """The item with the sentence shown above it cut where a date line begins or ends it ("Updated: June 5, 2024
    Ketamine …" shows "Ketamine …"; settle12: the quote was trimmed, the sentence above it was not). A date line
    inside the sentence is left: the sentence is shown as the page has it."""
    sent, s0 = c.get("sentence") or "", c.get("sentence_start")
    if not chrome or s0 is None:
        return c
    lo, hi = 0, len(sent)
    for a, b in sorted(chrome):
        a, b = a - s0, b - s0
        if a <= lo + len(sent[lo:a]) - len(sent[lo:a].lstrip()) and b > lo and b <= span[0] - s0:
            lo = b        # a date line that opens the sentence, before the quote
        elif b >= hi - (len(sent[b:hi]) - len(sent[b:hi].rstrip())) and a >= span[1] - s0:
            hi = a        # one that closes it, after the quote
    lead = len(sent[lo:hi]) - len(sent[lo:hi].lstrip(" \t\n|,;:–—-"))
    lo += lead
    hi = lo + len(sent[lo:hi].rstrip(" \t\n|,;:–—-")) if sent[lo:hi].rstrip(" \t\n|,;:–—-") else hi
    if (lo, hi) == (0, len(sent)) or lo >= hi:
        return c
    return {**c, "sentence": sent[lo:hi], "sentence_start": s0 + lo, "sentence_end": s0 + hi}


def _set_span(c: dict, text: str, start: int | None, end: int | None) -> dict:
    if start is None or end is None or text[c["start"]:c["end"]] != c["quote"]:
        return c      # an item not located in the text as quoted keeps its quote
    s0 = c.get("sentence_start") or 0
    hi = s0 + len(c.get("sentence") or text[s0:]) if c.get("sentence") else len(text)
    start, end = whole_words(text, start, end, s0, hi)
    if (start, end) == (c["start"], c["end"]):
        return c
    old, quote = c["quote"], text[start:end]
    c = {**c, "start": start, "end": end, "quote": quote}
    if c.get("claimed") == old:
        c["claimed"] = quote
    return c
