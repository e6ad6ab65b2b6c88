"""What an editor sees in ``evidence check`` output (issue 15, Deliver 1, 5 and 6; review11): item boundaries, types
and words.

Every sentence here is our own copy, written for these tests (none is corpus text); each test names the class of
failure it guards, as found on the corpus's training pages or on a made-up page of traps.
"""
from __future__ import annotations

import re

import pytest

from evidence.check import check
from evidence.check.lexicon import time_not_of_effect
from evidence.check.quotes import whole_words
from evidence.check.textprep import hidden_by_stylesheet, html_to_text


def _items(text: str, fmt: str = "auto") -> list[dict]:
    return check(text, fmt=fmt).claims


def _by_quote(text: str, quote: str) -> dict:
    return next(c for c in _items(text) if c["quote"] == quote)


# ------------------------------------------------------------------ quotes on whole words

def test_whole_words_extends_a_span_cut_inside_a_word_and_never_shortens_it():
    t = "It is given only in certified clinics under supervision."
    a = t.index("certified")
    b = t.index("clinics") + len("clinic")          # a detector's span that stops inside "clinics"
    assert t[slice(*whole_words(t, a, b))] == "certified clinics"
    assert t[slice(*whole_words(t, a + 2, b))] == "certified clinics"   # and one that starts inside "certified"
    assert whole_words(t, a, b + 1) == (a, b + 1)                        # a whole-word span is kept as it is


@pytest.mark.parametrize("text", [
    "Esketamine may only be given in certified treatment centers under the supervision of a nurse.",
    "Ketamine can be addictive if it is misused in large amounts.",
    "Nearly 1 in 5 Americans report symptoms of an anxiety disorder.",
])
def test_every_listed_quote_starts_and_ends_on_a_whole_word(text):
    for c in _items(text):
        s, e = c["start"], c["end"]
        assert not (s > 0 and text[s - 1].isalnum() and text[s].isalnum()), c["quote"]
        assert not (e < len(text) and text[e - 1].isalnum() and text[e].isalnum()), c["quote"]


# ------------------------------------------------------------------ the page's date lines

@pytest.mark.parametrize("line", ["Posted on March 3, 2023 by Dr. Jane Roe", "Updated: June 5, 2024",
                                  "By: Ann Writer | Published: Feb 07, 2024", "First Published March 21, 2018 |"])
def test_a_date_line_is_not_a_claim(line):
    text = f"{line}\n\nKetamine can ease depression within hours for some patients."
    claims = check(text)
    assert not any(c["quote"] in line or line.startswith(c["quote"]) for c in claims.claims)
    assert not any(re.search(r"Posted|Updated|Published", c["quote"]) for c in claims.claims)


def test_a_date_line_is_trimmed_from_a_claims_quote():
    # the byline runs into the first sentence (no line break between them in the copy)
    text = "Posted on March 3, 2023 by Dr. Jane Roe Ketamine can relieve symptoms of depression within hours."
    report = check(text)
    assert all("Posted" not in c["quote"] for c in report.claims)
    assert any(n["reason_code"] == "date_line" for n in report.non_claims) or not any(
        "Posted" in n["quote"] for n in report.non_claims)


def test_a_publication_date_in_a_citation_is_not_chrome():
    # "published on …" after a study is the citation's date, not the page's: the regex needs a line's start
    c = _items("The study, published on March 3, 2023 in JAMA Psychiatry, enrolled 40 patients.")
    assert any("JAMA Psychiatry" in x["quote"] for x in c)


# ------------------------------------------------------------------ spans of time that are neither onset nor durability

@pytest.mark.parametrize("text, span, what", [
    ("The trial enrolled adults aged 18 to 65 years.", "65 years", "age"),
    ("Young adults (up to 24 years of age) may be at risk.", "24 years", "age"),
    ("Results of a 4 week trial were mixed.", "4 week", "study-length"),
    ("The trial lasted 12 weeks.", "12 weeks", "study-length"),
    ("Each infusion lasts 40 minutes.", "lasts", "session-length"),
    ("Ketamine is often a last resort for severe depression.", "last", "not-a-span"),
    ("Clinics have opened over the last few years.", "last", "not-a-span"),
    # an effect's own time stays one
    ("The benefits can last for several weeks.", "last", ""),
    ("Relief often comes within hours.", "hours", ""),
    ("Booster infusions help the effect last.", "last", ""),
])
def test_time_not_of_effect_reads_the_words_around_the_span(text, span, what):
    a = text.index(span)
    assert time_not_of_effect(text, a, a + len(span)) == what


def test_an_age_is_who_was_studied_not_how_long_it_lasts():
    c = _by_quote("The study enrolled adults aged 18 to 65 years.", "18 to 65 years")
    assert c["claim_type"] == "population" and c["claim_type_label"] == "who was studied"
    assert c["verdict"] == "not_checkable" and "age" in c["reason"]


def test_a_last_resort_is_not_a_durability():
    for c in _items("Ketamine should be a last resort after other medicines fail."):
        assert c["claim_type"] not in ("durability", "onset"), c


def test_a_session_length_is_not_how_fast_it_works():
    for c in _items("The infusion usually takes two hours in our office."):
        assert c["claim_type"] != "onset", c


def test_an_age_range_is_not_a_number_of_infusions():
    items = _items("In the trial, adults aged 18 to 65 received six infusions over two weeks.")
    counts = [c for c in items if c.get("claimed_unit") == "infusions"]
    assert [(c["quote"], c["claimed_value"]) for c in counts] == [("six infusions", 6.0)]


# ------------------------------------------------------------------ ranges of counts in words

def test_a_range_in_words_keeps_both_ends_and_their_scales():
    c = _by_quote("Depression affects three million to five million people in the region.",
                  "three million to five million people")
    assert (c["claimed_low"], c["claimed_high"]) == (3e6, 5e6)
    assert c["claim_type"] == "prevalence"


def test_between_and_makes_a_range_and_and_alone_does_not():
    c = _by_quote("Between two and three million Americans live with this condition.",
                  "Between two and three million Americans")
    assert (c["claimed_low"], c["claimed_high"]) == (2e6, 3e6)
    assert "Americans" in c["claimed"]            # the article's capital, not a folded "americans"
    items = _items("The trial compared 20 and 30 patients.")
    assert [x["claimed_value"] for x in items if x.get("claimed_unit") == "patients"] == [30.0]


def test_a_scaled_range_is_shown_with_its_scale():
    c = next(x for x in _items("About 3-5 million adults live with this condition.") if x.get("claimed_high"))
    assert c["claimed"] == "3 million–5 million adults"


def test_money_is_shown_as_written():
    c = next(x for x in _items("The industry made $3.1 billion in 2022.") if "$" in x["quote"])
    assert c["claimed"] == "$3.1 billion"


# ------------------------------------------------------------------ headings, departments and journals

@pytest.mark.parametrize("text", ["Adult Psychiatry\n\nKetamine can ease depression within hours.",
                                  "Our clinic offers Integrative Medicine and ketamine infusions.",
                                  "Welcome to Sunrise Clinic Psychiatry, where we treat depression.",
                                  "Sunrise Clinic Psychiatry"])
def test_a_department_is_not_a_citation(text):
    assert not any(c["detector"] == "journal" for c in _items(text))


@pytest.mark.parametrize("text", ["The results were published in General Psychiatry in 2021.",
                                  "Commenting on the Lancet Psychiatry paper, a professor said it was promising."])
def test_a_cited_journal_is_still_a_citation(text):
    assert any(c["detector"] == "journal" for c in _items(text))


# ------------------------------------------------------------------ one item, one status

def test_a_background_description_inside_a_listed_sentence_is_not_also_a_non_claim():
    report = check("Originally used as an anesthetic, ketamine has shown strong antidepressant effects in studies "
                   "of adults.")
    listed = [(c["start"], c["end"]) for c in report.claims]
    for n in report.non_claims:
        assert not any(a <= n["start"] and n["end"] <= b for a, b in listed), n["quote"]


def test_a_background_description_is_not_an_approval_status():
    for c in check("Originally used as an anesthetic, ketamine has shown strong antidepressant effects in many "
                   "adults.").claims:
        assert c["claim_type"] != "regulatory_status", c


# ------------------------------------------------------------------ traps of a clinic's page

def test_a_discount_said_to_the_reader_is_not_a_claim():
    report = check("Our savings card can save you up to 75% on your prescriptions.")
    assert not report.claims
    assert [n["reason_code"] for n in report.non_claims] == ["discount"]


def test_opening_hours_are_one_item_with_their_am_and_pm():
    report = check("Open Monday to Friday, 9 am to 5 pm.")
    assert not report.claims
    assert [n["quote"] for n in report.non_claims] == ["Monday to Friday, 9 am to 5 pm"]


def test_text_hidden_by_the_pages_own_stylesheet_is_not_read():
    html = ("<html><head><style>.promo, #x { display: none } .shown { color: red }</style></head><body>"
            "<div class='promo'>90% remission guaranteed</div><p id='x'>95% of patients recover</p>"
            "<p class='shown'>Ketamine can ease depression within hours.</p></body></html>")
    assert hidden_by_stylesheet([".promo, #x { display: none } .shown { color: red }"]) == ({"promo"}, {"x"})
    text = html_to_text(html)
    assert "90%" not in text and "95%" not in text and "within hours" in text
    assert not any("%" in c["quote"] for c in check(html, fmt="html").claims)


def test_no_internal_code_reaches_the_words_of_the_made_up_page():
    from evidence.check.render import render

    text = ("Adult Psychiatry\n\nPosted on March 3, 2023\n\nAbout 3-5 million adults have depression. The study "
            "enrolled adults aged 18 to 65 years. Ketamine is a last resort. Call 555-123-4567.")
    # the words a reader sees: the table, and the HTML without its tags (a CSS class may name a verdict's code)
    html = re.sub(r"<style.*?</style>|<script.*?</script>", " ", render(check(text), "html"), flags=re.S)
    out = render(check(text), "table", width=160) + re.sub(r"<[^>]+>", " ", html)
    for code in ("population", "date_line", "durability", "study-length", "sentence-claim", "not_checkable"):
        assert code not in out, code
