"""Precision classes of session 9 (issue 15): items `evidence check` listed outside every labelled claim of the
corpus's training split that are not claims by the corpus's labelling rules (tests/corpus/README.md), and
confident verdicts on claims the sources cannot settle. Each class is a general rule with its reason in words;
the sentences are from the training split (page id in the comment) unless marked as made up.
"""
from __future__ import annotations

import pytest

from evidence.check import check


def _report(text: str):
    return check(text, filename="t.md")


def _claims(text: str) -> list[str]:
    return [c["quote"] for c in _report(text).claims]


def _non(text: str) -> list[tuple[str, str]]:
    return [(n["quote"], n["reason_code"]) for n in _report(text).non_claims]


# ------------------------------------------------------------------ ketamine described as an anaesthetic

@pytest.mark.parametrize("text, quote", [
    # northidahoketamine_faq
    ("It has been used widely as an anesthetic in emergency medicine,operating rooms and wound clinics around the "
     "world on a daily basis.", "used widely as an anesthetic"),
    # whyketamine_faqs
    ("Ketamine is used by medical practitioners as a short-acting general anesthetic.",
     "a short-acting general anesthetic"),
    # delraycenter_addiction_risk
    ("However, ketamine was originally developed to be used as an anesthetic.",
     "originally developed to be used as an anesthetic"),
])
def test_a_bare_anaesthetic_description_is_background(text, quote):
    """Labelling rule 1: a bare description of ketamine as an anaesthetic carries no year, approval, number or
    study; it is listed as not a claim, with the reason in words, and gets no verdict."""
    rep = _report(text)
    assert quote not in [c["quote"] for c in rep.claims]
    got = [n for n in rep.non_claims if n["quote"] == quote]
    assert [(n["reason_code"], n["verdict"]) for n in got] == [("background_use", None)]
    assert got[0]["reason"] == ("describes what ketamine is used as (an anaesthetic, a painkiller), with no year, "
                                "approval or study: background, not a claim to check")


@pytest.mark.parametrize("text, quote", [
    # westsidemindhealth_faq#01 (labelled, holds): "for decades" makes it a claim
    ("It has been used for decades as an anesthetic.", "used for decades as an anesthetic"),
    # ooralens_ketamine_landing#01 (labelled, holds): the approval and its year
    ("Ketamine was FDA approved as an anesthetic in 1970.", "FDA approved as an anesthetic"),
])
def test_an_anaesthetic_use_with_a_year_or_a_span_stays_a_claim(text, quote):
    claims = _claims(text)
    assert any(quote in q or q in quote for q in claims), claims
    assert "background_use" not in [code for _, code in _non(text)]


# ------------------------------------------------------------------ words that are not claims of their own

def test_never_inside_another_word_is_not_an_absolute_claim():
    # ketamineclinics_side_effects: "Never" was read inside "Nevertheless"
    text = ("Nevertheless, if you’re interested in pursuing Ketamine Infusion Therapy, it makes sense to wonder about "
            "ketamine infusion side effects.")
    assert not any(q.lower() == "never" for q in _claims(text))
    # the word itself still is one (elevatedhealth_spravato)
    assert "never" in _claims("Administered intranasally in a certified clinic – never at home.")


@pytest.mark.parametrize("text", [
    # ketamineclinics_side_effects
    "Ketamine Infusion Therapy is considered a trusted treatment for helping individuals cope with mental health "
    "conditions.",
    # ketaminehealthcenters_depression
    "ECT has been used to treat treatment resistant depression but it is considered barbaric by some and can lead "
    "to memory impairment.",
])
def test_is_considered_alone_is_not_listed_as_a_claim(text):
    """"is considered" says how something is regarded; what follows it is the claim, if any (the claim-sentence
    classifier may still list the sentence), so the two words are never an item of their own."""
    rep = _report(text)
    assert "is considered" not in [c["quote"] for c in rep.claims] + [n["quote"] for n in rep.non_claims]
