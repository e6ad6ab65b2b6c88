"""evidence check, property-based (hypothesis): arbitrary input never crashes, never leaks markup."""
from __future__ import annotations

import os
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evidence.check import InputError, analyse, check
from evidence.check.render import to_html, to_json, to_table

# CHECK_HYPOTHESIS_EXAMPLES=2000 for a longer search
FAST = settings(max_examples=int(os.environ.get("CHECK_HYPOTHESIS_EXAMPLES", "80")), deadline=None,
                suppress_health_check=[HealthCheck.too_slow])

# text that looks like clinic copy: claim-ish fragments, markup, entities, odd characters
FRAGMENTS = st.sampled_from([
    "About 30% of patients", " respond within hours", " (odds ratio ~28.9)", "1 in 8 adults (13%)",
    "<script>alert(1)</script>", "<p>", "</p>", "&lt;script&gt;", "&amp;", "**bold**", "[link](http://x)",
    "| a | b |\n|---|---|\n", "- ", "\n", ". ", "e.g. ", "U.S. ", "Dr. ", "0.5–1 mg/kg", " FDA-approved ",
    "not approved for anxiety", "between 70 and 80 percent", "six randomized controlled trials", "NNT of 5",
    "\u00a0", "\u200b", "\ufffd", "😀", "ﬁ", "İ", "\x0b", "(", ")", "%", "~", "—", "“", "”",
])
CLAIMISH = st.lists(st.one_of(FRAGMENTS, st.text(max_size=30)), max_size=25).map("".join)


def _ok_or_input_error(fn):
    try:
        return fn()
    except InputError:
        return None


@FAST
@given(st.text(max_size=400))
def test_arbitrary_text_never_crashes(text):
    res = _ok_or_input_error(lambda: check(text, evaluate=False))
    if res is not None:
        to_table(res, width=80)
        to_json(res.claims)
        to_html(res)


@FAST
@given(st.binary(max_size=300))
def test_arbitrary_bytes_never_crash(data):
    _ok_or_input_error(lambda: analyse(data))


@FAST
@given(CLAIMISH, st.sampled_from(["auto", "text", "markdown", "html"]))
def test_quotes_are_substrings_of_the_normalized_input(text, fmt):
    an = _ok_or_input_error(lambda: analyse(text, fmt=fmt))
    if an is None:
        return
    for d in an.detected:
        assert an.text[d.start:d.end] == d.quote
        assert d.quote and d.quote in d.sentence.text
        assert an.text[d.sentence.start:d.sentence.end] == d.sentence.text


@FAST
@given(CLAIMISH, st.sampled_from(["auto", "text", "markdown", "html"]))
def test_html_output_never_contains_markup_from_the_input(text, fmt):
    res = _ok_or_input_error(lambda: check(text, fmt=fmt, evaluate=False))
    if res is None:
        return
    page = to_html(res, title=text[:80])
    assert "<script" not in page.lower()
    assert not re.search(r"<(?:img|iframe|object|embed|link|a\s+href=\"(?!https://))", page, re.I)
    # every '<' in the page opens one of the renderer's own tags
    for tag in re.findall(r"<\s*/?\s*([a-zA-Z!][a-zA-Z0-9]*)", page):
        assert tag.lower() in {"!doctype", "html", "head", "meta", "title", "style", "body", "h1", "p", "div",
                               "table", "thead", "tbody", "tr", "th", "td", "span", "code", "mark", "footer", "a", "bdi"}
